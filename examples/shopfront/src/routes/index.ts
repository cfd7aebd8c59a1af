import { Router } from 'express';
import { ROUTES } from '../config/routes';
import { requireAuth, requireRole } from '../middleware/auth';
import productsRouter from './products';
import ordersRouter from './orders';
import usersRouter from './users';
import { adminRouter } from './admin';
import { webhooksRouter } from './webhooks';
import legacyRouter from './legacy';

export const apiRouter = Router();

apiRouter.use(ROUTES.products, productsRouter);
apiRouter.use(ROUTES.orders, ordersRouter);
apiRouter.use(ROUTES.users, usersRouter);
apiRouter.use(ROUTES.admin, requireAuth, requireRole('admin'), adminRouter);
apiRouter.use(ROUTES.webhooks, webhooksRouter);

// Old back-office endpoints, still used by ops scripts.
apiRouter.use('/internal', legacyRouter);
