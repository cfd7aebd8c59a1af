import type { NextFunction, Request, Response } from 'express';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { config } from '../config/env';

interface AccessTokenClaims extends JwtPayload {
  sub: string;
  email: string;
  roles?: string[];
}

/**
 * Rejects the request with 401 unless it carries a valid `Authorization: Bearer <jwt>`
 * issued by the Shopfront auth service; on success puts the caller on `req.user`.
 */
export function requireAuth(req: Request, res: Response, next: NextFunction) {
  const header = req.headers.authorization;
  if (!header || !header.startsWith('Bearer ')) {
    return res.status(401).json({ error: 'missing_token' });
  }

  try {
    const claims = jwt.verify(header.slice('Bearer '.length), config.jwtSecret, {
      algorithms: ['HS256'],
      issuer: config.jwtIssuer,
    }) as AccessTokenClaims;
    req.user = { id: claims.sub, email: claims.email, roles: claims.roles ?? [] };
    return next();
  } catch {
    return res.status(401).json({ error: 'invalid_token' });
  }
}

/** Lets the request through only when requireAuth ran before it and the caller has `role`. */
export function requireRole(role: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user || !req.user.roles.includes(role)) {
      return res.status(403).json({ error: 'forbidden', required: role });
    }
    return next();
  };
}
