import { Router, type Request, type Response } from 'express';
import { requirePartnerKey } from '../middleware/partnerKey';
import { asyncHandler } from '../lib/asyncHandler';
import { db } from '../lib/db';

/** Product feed for marketplaces; mounted by app.ts at PARTNER_PREFIX. */
export const partnerRouter = Router();

partnerRouter.use(requirePartnerKey);

async function catalogFeed(req: Request, res: Response) {
  const page = Math.max(1, Number(req.query.page ?? 1) || 1);
  res.json(await db.products.list({ page }));
}

partnerRouter.get('/catalog/feed', asyncHandler(catalogFeed));
