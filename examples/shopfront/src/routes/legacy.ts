import { Router, type Request, type Response } from 'express';
import { asyncHandler } from '../lib/asyncHandler';
import { db } from '../lib/db';

/**
 * Leftovers from the old back-office (retired 2025). Ops still pull export-users for the
 * monthly CRM import, and the deploy script hits cache/flush after a catalog import.
 */
const router = Router();

async function exportUsers(_req: Request, res: Response) {
  const users = await db.users.all();
  const rows = users.map((u) => [u.id, u.email, JSON.stringify(u.name), u.createdAt].join(','));
  res.type('text/csv').send(['id,email,name,created_at', ...rows].join('\n'));
}

async function flushCache(_req: Request, res: Response) {
  res.json(await db.flushCaches());
}

router.get('/export-users', asyncHandler(exportUsers));
router.post('/cache/flush', asyncHandler(flushCache));

export default router;
