import { Router, type Request, type Response } from 'express';
import { requireAuth, requireRole } from '@/middleware/auth';
import { asyncHandler } from '../lib/asyncHandler';
import { db, type Product } from '../lib/db';

const router = Router();

async function listProducts(req: Request, res: Response) {
  const page = Math.max(1, Number(req.query.page ?? 1) || 1);
  const category = typeof req.query.category === 'string' ? req.query.category : undefined;
  res.json(await db.products.list({ page, category }));
}

async function getProduct(req: Request, res: Response) {
  const product = await db.products.get(req.params.id);
  if (!product) return res.status(404).json({ error: 'product_not_found' });
  return res.json(product);
}

async function updateProduct(req: Request, res: Response) {
  const { name, category, priceCents, stock } = req.body as Partial<Product>;
  const product = await db.products.update(req.params.id, { name, category, priceCents, stock });
  if (!product) return res.status(404).json({ error: 'product_not_found' });
  return res.json(product);
}

async function deleteProduct(req: Request, res: Response) {
  const removed = await db.products.remove(req.params.id);
  return res.status(removed ? 204 : 404).end();
}

/** "Customers also bought": personalised, so it needs to know who is asking. */
async function recommendations(req: Request, res: Response) {
  const items = await db.products.alsoBought(req.params.id, 8);
  res.json({ items, for: req.user?.id });
}

router.get('/', asyncHandler(listProducts));
router.get('/:id/recommendations', requireAuth, asyncHandler(recommendations));

router
  .route('/:id')
  .get(asyncHandler(getProduct))
  .put(requireAuth, requireRole('catalog-editor'), asyncHandler(updateProduct))
  .delete(requireAuth, requireRole('admin'), asyncHandler(deleteProduct));

export default router;
