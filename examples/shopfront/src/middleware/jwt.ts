import { expressjwt } from 'express-jwt';
import { config } from '../config/env';

/**
 * express-jwt flavour of requireAuth, used by the newer account routes. The verified
 * claims end up on `req.auth`; failures reach errorHandler as an UnauthorizedError (401).
 */
export const jwtAuth = expressjwt({
  secret: config.jwtSecret,
  algorithms: ['HS256'],
  issuer: config.jwtIssuer,
});
