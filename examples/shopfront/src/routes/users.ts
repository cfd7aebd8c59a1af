import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Request as JWTRequest } from 'express-jwt';
import { requireAuth } from '@/middleware/auth';
import { jwtAuth } from '@/middleware/jwt';
import { asyncHandler } from '@/lib/asyncHandler';
import { db } from '@/lib/db';

const router = Router();

async function getMe(req: Request, res: Response) {
  const user = await db.users.get(req.user!.id);
  if (!user) return res.status(404).json({ error: 'user_not_found' });
  return res.json(user);
}

async function updateMe(req: Request, res: Response) {
  const { name, email } = req.body as { name?: string; email?: string };
  return res.json(await db.users.update(req.user!.id, { name, email }));
}

async function listSessions(req: Request, res: Response) {
  res.json({ items: await db.users.sessions(req.user!.id) });
}

async function listAddresses(req: Request, res: Response) {
  const userId = (req as JWTRequest).auth?.sub;
  res.json({ items: userId ? await db.users.addresses(userId) : [] });
}

interface RouteDef {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  handler: RequestHandler;
}

/** Account routes; all of them need a signed-in customer. */
const handlers: RouteDef[] = [
  { method: 'get', path: '/me', handler: asyncHandler(getMe) },
  { method: 'patch', path: '/me', handler: asyncHandler(updateMe) },
  { method: 'get', path: '/me/sessions', handler: asyncHandler(listSessions) },
];

for (const r of handlers) {
  router[r.method](r.path, requireAuth, r.handler);
}

router.get('/me/addresses', jwtAuth, asyncHandler(listAddresses));

export default router;
