import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, findingLines, scanDir } from '../helpers.js';

// Ground truth: the endpoint table in examples/shopfront/README.md, written from the code by hand and checked against
// the running app (Express's own router) with PARTNER_PREFIX set.
test('shopfront: every endpoint with its full path, auth and registration line', async () => {
  const r = await scanDir('examples/shopfront');
  assert.equal(endpointLines(r), [
    'DELETE /api/v1/admin/users/{id} required src/routes/admin.ts:20',
    'DELETE /api/v1/products/{id} required src/routes/products.ts:45',
    'GET /api/v1/admin/orders required src/routes/admin.ts:19',
    'GET /api/v1/internal/export-users none src/routes/legacy.ts:21',
    'GET /api/v1/orders required src/routes/orders.ts:61',
    'GET /api/v1/orders/track/{trackingNumber} none src/routes/orders.ts:57',
    'GET /api/v1/orders/{id} required src/routes/orders.ts:63',
    'GET /api/v1/orders/{id}/invoice required src/routes/orders.ts:65',
    'GET /api/v1/orders/{id}/invoice.pdf required src/routes/orders.ts:65',
    'GET /api/v1/products none src/routes/products.ts:38',
    'GET /api/v1/products/{id} none src/routes/products.ts:43',
    'GET /api/v1/products/{id}/recommendations required src/routes/products.ts:39',
    'GET /api/v1/users/me required src/routes/users.ts:44',
    'GET /api/v1/users/me/addresses required src/routes/users.ts:47',
    'GET /api/v1/users/me/sessions required src/routes/users.ts:44',
    'GET /healthz none src/app.ts:34',
    'GET /{?}/catalog/feed required src/routes/partner.ts:16',
    'PATCH /api/v1/orders/{id} required src/routes/orders.ts:64',
    'PATCH /api/v1/users/me required src/routes/users.ts:44',
    'POST /api/v1/internal/cache/flush none src/routes/legacy.ts:22',
    'POST /api/v1/orders required src/routes/orders.ts:62',
    'POST /api/v1/webhooks/payment none src/routes/webhooks.ts:35',
    'POST /api/v1/webhooks/shipping required src/routes/webhooks.ts:36',
    'PUT /api/v1/products/{id} required src/routes/products.ts:44',
  ]);
});

test('shopfront: the unresolved mount names the environment variable', async () => {
  const r = await scanDir('examples/shopfront');
  const feed = r.codeEndpoints.find((e) => e.path.endsWith('/catalog/feed'))!;
  assert.is(feed.unresolved.length, 1);
  assert.match(feed.unresolved[0]!.text, 'process.env.PARTNER_PREFIX');
});

test('shopfront: auth evidence names the middleware and where it is', async () => {
  const r = await scanDir('examples/shopfront');
  const admin = r.codeEndpoints.find((e) => e.method === 'DELETE' && e.path === '/api/v1/admin/users/{id}')!;
  assert.equal(
    admin.evidence.map((e) => `${e.name} ${e.auth} ${e.file}:${e.line}`),
    ['requireAuth required src/routes/index.ts:16', "requireRole('admin') required src/routes/index.ts:16"],
  );
  const addresses = r.codeEndpoints.find((e) => e.path === '/api/v1/users/me/addresses')!;
  assert.equal(addresses.evidence.map((e) => `${e.name} ${e.auth}`), ['jwtAuth required']);
  assert.match(addresses.evidence[0]!.reason, 'express-jwt');
});

test('shopfront: every kind of finding, exact', async () => {
  const r = await scanDir('examples/shopfront');
  assert.equal(findingLines(r), [
    'critical unauthenticated-write POST /api/v1/internal/cache/flush src/routes/legacy.ts:22',
    'critical unauthenticated-write POST /api/v1/webhooks/payment src/routes/webhooks.ts:35',
    'high shadow-endpoint GET /healthz src/app.ts:34',
    'high shadow-endpoint DELETE /api/v1/admin/users/{id} src/routes/admin.ts:20',
    'high shadow-endpoint GET /api/v1/internal/export-users src/routes/legacy.ts:21',
    'high shadow-endpoint POST /api/v1/internal/cache/flush src/routes/legacy.ts:22',
    'high spec-auth-mismatch GET /api/v1/orders/track/{trackingNumber} src/routes/orders.ts:57',
    'medium zombie-endpoint POST /api/v1/products/{productId}/reviews openapi.yaml:116',
    'medium zombie-endpoint GET /api/v1/coupons/{code} openapi.yaml:140',
    'medium method-mismatch POST /api/v1/users/me/addresses openapi.yaml:342',
    'medium unauthenticated-endpoint GET /healthz src/app.ts:34',
    'medium unauthenticated-endpoint GET /api/v1/internal/export-users src/routes/legacy.ts:21',
    'medium unauthenticated-endpoint GET /api/v1/orders/track/{trackingNumber} src/routes/orders.ts:57',
    'medium method-mismatch PATCH /api/v1/orders/{id} src/routes/orders.ts:64',
    'medium shadow-endpoint GET /{?}/catalog/feed src/routes/partner.ts:16',
    'medium unauthenticated-endpoint GET /api/v1/products src/routes/products.ts:38',
    'medium unauthenticated-endpoint GET /api/v1/products/{id} src/routes/products.ts:43',
    'medium shadow-endpoint GET /api/v1/users/me/sessions src/routes/users.ts:44',
    'low spec-auth-mismatch GET /api/v1/products/{id}/recommendations openapi.yaml:101',
    'note write-endpoint DELETE /api/v1/admin/users/{id} src/routes/admin.ts:20',
    'note write-endpoint POST /api/v1/internal/cache/flush src/routes/legacy.ts:22',
    'note write-endpoint POST /api/v1/orders src/routes/orders.ts:62',
    'note write-endpoint PATCH /api/v1/orders/{id} src/routes/orders.ts:64',
    'note write-endpoint PUT /api/v1/products/{id} src/routes/products.ts:44',
    'note write-endpoint DELETE /api/v1/products/{id} src/routes/products.ts:45',
    'note write-endpoint PATCH /api/v1/users/me src/routes/users.ts:44',
    'note write-endpoint POST /api/v1/webhooks/payment src/routes/webhooks.ts:35',
    'note write-endpoint POST /api/v1/webhooks/shipping src/routes/webhooks.ts:36',
  ]);
  assert.equal(r.notifications, []);
});

test.run();
