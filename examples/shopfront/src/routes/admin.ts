import { Router, type Request, type Response } from 'express';
import { asyncHandler } from '../lib/asyncHandler';
import { db, type OrderStatus } from '../lib/db';

/** Back-office API. Mounted behind requireAuth + requireRole('admin') in routes/index.ts. */
export const adminRouter = Router();

async function listAllOrders(req: Request, res: Response) {
  const status = typeof req.query.status === 'string' ? (req.query.status as OrderStatus) : undefined;
  res.json({ items: await db.orders.listAll(status) });
}

/** GDPR erasure requests from support. */
async function deleteUser(req: Request, res: Response) {
  const removed = await db.users.remove(req.params.id);
  return res.status(removed ? 204 : 404).end();
}

adminRouter.get('/orders', asyncHandler(listAllOrders));
adminRouter.delete('/users/:id', asyncHandler(deleteUser));
