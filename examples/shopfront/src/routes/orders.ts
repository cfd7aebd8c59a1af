import { Router, type Request, type Response } from 'express';
import { ORDER_PATHS } from '@/config/routes';
import { requireAuth } from '@/middleware/auth';
import { asyncHandler } from '@/lib/asyncHandler';
import { db, type Order, type OrderLine } from '@/lib/db';

const router = Router();

function ownOrder(req: Request, order: Order | undefined): order is Order {
  return order !== undefined && order.userId === req.user?.id;
}

/** Linked from the shipping-confirmation e-mail, which is why it sits above requireAuth. */
async function trackShipment(req: Request, res: Response) {
  const order = await db.orders.findByTrackingNumber(req.params.trackingNumber);
  if (!order) return res.status(404).json({ error: 'unknown_tracking_number' });
  return res.json({ orderId: order.id, status: order.status, city: order.shippingCity });
}

async function listOrders(req: Request, res: Response) {
  res.json({ items: await db.orders.listForUser(req.user!.id) });
}

async function createOrder(req: Request, res: Response) {
  const { lines, shippingCity } = req.body as { lines: OrderLine[]; shippingCity: string };
  if (!Array.isArray(lines) || lines.length === 0) {
    return res.status(400).json({ error: 'empty_order' });
  }
  const order = await db.orders.create(req.user!.id, lines, shippingCity);
  return res.status(201).location(`/api/v1/orders/${order.id}`).json(order);
}

async function getOrder(req: Request, res: Response) {
  const order = await db.orders.get(req.params.id);
  if (!ownOrder(req, order)) return res.status(404).json({ error: 'order_not_found' });
  return res.json(order);
}

/** Customers may change the delivery city or cancel while the order is still pending. */
async function updateOrder(req: Request, res: Response) {
  const order = await db.orders.get(req.params.id);
  if (!ownOrder(req, order)) return res.status(404).json({ error: 'order_not_found' });
  if (order.status !== 'pending') return res.status(409).json({ error: 'order_not_pending' });
  const { shippingCity, status } = req.body as { shippingCity?: string; status?: 'cancelled' };
  return res.json(await db.orders.update(order.id, { shippingCity, status }));
}

async function getInvoice(req: Request, res: Response) {
  const order = await db.orders.get(req.params.id);
  if (!ownOrder(req, order)) return res.status(404).json({ error: 'order_not_found' });
  if (req.path.endsWith('.pdf')) {
    res.type('application/pdf');
  }
  return res.send(`Invoice ${order.id}: ${(order.totalCents / 100).toFixed(2)} EUR`);
}

router.get(ORDER_PATHS.track, asyncHandler(trackShipment));

router.use(requireAuth);

router.get(ORDER_PATHS.collection, asyncHandler(listOrders));
router.post(ORDER_PATHS.collection, asyncHandler(createOrder));
router.get(ORDER_PATHS.byId, asyncHandler(getOrder));
router.patch(ORDER_PATHS.byId, asyncHandler(updateOrder));
router.get([ORDER_PATHS.invoice, ORDER_PATHS.invoicePdf], asyncHandler(getInvoice));

export default router;
