import express, { type Request, type Response } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import morgan from 'morgan';
import rateLimit from 'express-rate-limit';
import { API_PREFIX } from '@/config/routes';
import { config } from '@/config/env';
import { errorHandler } from '@/middleware/errors';
import { apiRouter } from './routes';
import { partnerRouter } from './routes/partner';

export const app = express();

app.set('trust proxy', 1);
app.use(helmet());
app.use(cors({ origin: config.corsOrigins, credentials: true }));
app.use(
  express.json({
    limit: '1mb',
    verify: (req: Request, _res: Response, buf: Buffer) => {
      req.rawBody = buf;
    },
  }),
);
app.use(morgan('combined'));

const apiLimiter = rateLimit({
  windowMs: 60_000,
  limit: 300,
  standardHeaders: 'draft-7',
  legacyHeaders: false,
});

app.get('/healthz', (_req: Request, res: Response) => {
  res.json({ status: 'ok', uptime: Math.round(process.uptime()) });
});

app.use(API_PREFIX, apiLimiter, apiRouter);
app.use(process.env.PARTNER_PREFIX as string, partnerRouter);

app.use(errorHandler);
