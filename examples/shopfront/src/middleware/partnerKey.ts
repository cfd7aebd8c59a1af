import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { config } from '../config/env';

/** Partners (price comparison sites, marketplaces) authenticate with a static key. */
export function requirePartnerKey(req: Request, res: Response, next: NextFunction) {
  const key = req.header('x-partner-key') ?? '';
  const expected = config.partnerApiKey;
  if (key.length !== expected.length || !timingSafeEqual(Buffer.from(key), Buffer.from(expected))) {
    return res.status(401).json({ error: 'invalid_partner_key' });
  }
  return next();
}
