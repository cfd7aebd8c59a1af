import { Router, type Request, type Response } from 'express';
import { verifyShipfastSignature } from '../middleware/signature';
import { asyncHandler } from '../lib/asyncHandler';
import { db } from '../lib/db';

const router = Router();

interface PaymentEvent {
  type: 'charge.succeeded' | 'charge.failed' | 'charge.refunded';
  data: { orderId: string; amountCents: number };
}

interface ShipmentEvent {
  event: 'label_created' | 'in_transit' | 'delivered';
  orderId: string;
  trackingNumber: string;
}

/** Called by Payflow when a charge settles. TODO(payments): check the Payflow-Signature header. */
async function paymentEvent(req: Request, res: Response) {
  const event = req.body as PaymentEvent;
  if (event.type === 'charge.succeeded') {
    await db.orders.update(event.data.orderId, { status: 'paid' });
  }
  res.json({ received: true });
}

async function shipmentEvent(req: Request, res: Response) {
  const event = req.body as ShipmentEvent;
  const status = event.event === 'delivered' ? 'delivered' : 'shipped';
  await db.orders.update(event.orderId, { status, trackingNumber: event.trackingNumber });
  res.status(204).end();
}

router.post('/payment', asyncHandler(paymentEvent));
router.post('/shipping', verifyShipfastSignature, asyncHandler(shipmentEvent));

export { router as webhooksRouter };
