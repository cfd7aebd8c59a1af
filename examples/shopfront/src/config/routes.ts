/**
 * Mount points of the public API. The web app and the mobile client import the same
 * constants from @shopfront/api-client, so keep them in sync with openapi.yaml.
 */
export const API_PREFIX = '/api/v1';

export const ROUTES = {
  products: '/products',
  orders: '/orders',
  users: '/users',
  admin: '/admin',
  webhooks: '/webhooks',
} as const;

/** Paths inside the orders router (relative to ROUTES.orders). */
export const ORDER_PATHS = {
  collection: '/',
  track: '/track/:trackingNumber',
  byId: '/:id',
  invoice: '/:id/invoice',
  invoicePdf: '/:id/invoice.pdf',
} as const;
