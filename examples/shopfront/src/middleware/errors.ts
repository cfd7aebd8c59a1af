import type { NextFunction, Request, Response } from 'express';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction) {
  if (err instanceof HttpError) {
    return res.status(err.status).json({ error: err.message });
  }
  // express-jwt
  if (err instanceof Error && err.name === 'UnauthorizedError') {
    return res.status(401).json({ error: 'invalid_token' });
  }
  console.error(err);
  return res.status(500).json({ error: 'internal_error' });
}
