import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { config } from '../config/env';

/**
 * Shipfast signs every webhook with HMAC-SHA256 over the raw body and sends the hex
 * digest in `X-Shipfast-Signature`. Anything without a matching signature gets a 401.
 */
export function verifyShipfastSignature(req: Request, res: Response, next: NextFunction) {
  const signature = req.header('x-shipfast-signature');
  if (!signature || !req.rawBody) {
    return res.status(401).json({ error: 'missing_signature' });
  }

  const expected = createHmac('sha256', config.shipfastWebhookSecret).update(req.rawBody).digest('hex');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected, 'utf8'))) {
    return res.status(401).json({ error: 'bad_signature' });
  }
  return next();
}
