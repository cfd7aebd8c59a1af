// Auth decided the way Express runs middleware: order of registration, mount paths, routers that a request passes
// through, per-route middleware, well-known libraries, project middleware read by body, and checks in handlers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';
import type { ScanResult } from '../../../src/scan.js';

const FX = 'test/frameworks/express/fixtures';

const find = (r: ScanResult, method: string, path: string) => {
  const e = r.codeEndpoints.find((x) => x.method === method && x.path === path);
  assert.ok(e, `${method} ${path} should be an endpoint`);
  return e!;
};
/** `kind name auth` per evidence item. */
const evidence = (r: ScanResult, method: string, path: string) => find(r, method, path).evidence.map((e) => `${e.kind} ${e.name} ${e.auth}`);

test('order and scope: app.use(auth) guards only later routes; use(path) guards only that subtree; app.all(/api/*) guard', async () => {
  const r = await scanDir(`${FX}/auth-order`);
  assert.equal(endpointLines(r), [
    'GET /about none src/app.ts:18',
    'GET /admin/users required src/app.ts:11',
    // '/admin' matches whole segments: /administrators is not under it
    'GET /administrators none src/app.ts:12',
    // Express 4 '/api/*' is ^/api/(.*)/?$ : it needs the slash, so GET /api is not behind the guard
    'GET /api none src/app.ts:15',
    'GET /api/orders required src/app.ts:16',
    // registered before app.use(authenticate)
    'GET /health none src/app.ts:8',
    'GET /me required src/app.ts:23',
    // requireAuth from a package the scan cannot read: the name is a hint, not proof
    'GET /partners unknown src/app.ts:19',
    'POST /logout required src/app.ts:24',
  ]);
  // the app.all() guard is not an endpoint of its own
  assert.not.ok(r.codeEndpoints.some((e) => e.method === 'ALL'));
  assert.equal(evidence(r, 'GET', '/api/orders'), ['middleware authenticate required']);
  assert.equal(evidence(r, 'GET', '/partners'), ['middleware requireAuth unknown']);
  assert.equal(evidence(r, 'GET', '/health'), []);
});

test('routers: router.use(auth) at the top; a path-less use in a router at /api guards routers mounted later at /api', async () => {
  const r = await scanDir(`${FX}/auth-routers`);
  assert.equal(endpointLines(r), [
    'GET /api/account required src/routes/account.ts:10',
    // catalogRouter has no auth of its own, but requests reach it through accountRouter's requireAuth
    'GET /api/catalog required src/routes/catalog.ts:5',
    'GET /api/catalog/{sku} required src/routes/catalog.ts:6',
    // statusRouter is mounted before accountRouter: untouched
    'GET /api/status none src/routes/status.ts:5',
    // registered on the app after accountRouter was mounted at /api: it runs accountRouter's requireAuth first
    'GET /api/version required src/app.ts:14',
    'GET /orders none src/routes/orders.ts:10',
    // registered in accountRouter before its router.use(requireAuth)
    'POST /api/account/password-reset none src/routes/account.ts:6',
    // [requireAuth, validate(schema)] array of per-route middleware
    'POST /orders required src/routes/orders.ts:11',
    // validate(schema) answers 400, it does not authenticate
    'POST /orders/quote none src/routes/orders.ts:12',
    'PUT /api/account/password required src/routes/account.ts:11',
  ]);
  assert.equal(evidence(r, 'GET', '/api/catalog'), ['middleware requireAuth required']);
  assert.equal(evidence(r, 'GET', '/api/version'), ['middleware requireAuth required']);
  assert.equal(find(r, 'POST', '/orders').middleware, ['express.json()', 'requireAuth', 'validate(orderSchema)']);
});

test('well-known libraries: passport, express-jwt (+unless, credentialsRequired:false), auth0, openid-connect, clerk, basic auth', async () => {
  const r = await scanDir(`${FX}/auth-libraries`);
  assert.equal(endpointLines(r), [
    'GET /api/orders required src/routes/jwt.ts:14',
    // exempted by .unless({ path: [..., /^\/api\/public/] })
    'GET /api/public/news none src/routes/jwt.ts:13',
    'GET /auth0/orders required src/app.ts:18',
    'GET /clerk/dashboard required src/routes/clerk.ts:9',
    'GET /clerk/feed optional src/routes/clerk.ts:8',
    'GET /oidc/profile required src/app.ts:19',
    'GET /ops/metrics required src/app.ts:20',
    'GET /partner/catalog optional src/routes/partner.ts:8',
    'GET /passport/feed optional src/app.ts:17',
    // the final handler reads req.user: it is still the handler, not a guard
    'GET /passport/me required src/app.ts:16',
    // exempted by .unless({ path: ['/api/login', ...] })
    'POST /api/login none src/routes/jwt.ts:12',
  ]);
  assert.equal(evidence(r, 'GET', '/passport/me'), ["middleware passport.authenticate('jwt', { session: false }) required"]);
  assert.equal(evidence(r, 'GET', '/auth0/orders'), ['middleware checkJwt required']);
  assert.equal(evidence(r, 'GET', '/clerk/dashboard'), ['middleware clerkMiddleware() optional', 'middleware requireAuth() required']);
  // the exemption is recorded as evidence with auth none
  assert.equal(find(r, 'POST', '/api/login').evidence.map((e) => e.auth), ['none']);
  assert.match(find(r, 'POST', '/api/login').evidence[0]!.reason, /unless/);
});

test('project middleware read by body: 401 → required, optional user, 403 role factory, unreadable package, neutral validate/cors', async () => {
  const r = await scanDir(`${FX}/auth-project`);
  assert.equal(endpointLines(r), [
    'DELETE /users/{id} required src/app.js:21',
    'GET /billing unknown src/app.js:23',
    'GET /reports required src/app.js:22',
    // attachUser sets req.user when a token verifies and always calls next()
    'GET /shop/products optional src/routes/shop.js:8',
    'GET /status none src/app.js:17',
    'POST /contact none src/app.js:18',
    'POST /orders required src/app.js:20',
  ]);
  assert.equal(evidence(r, 'GET', '/shop/products'), ['middleware attachUser optional']);
  assert.equal(evidence(r, 'GET', '/reports'), ["middleware requireRole('analyst') required"]);
  assert.equal(evidence(r, 'DELETE', '/users/{id}'), ['middleware authenticate required', "middleware requireRole('admin') required"]);
  assert.equal(evidence(r, 'POST', '/contact'), []);
  assert.equal(find(r, 'POST', '/contact').middleware, ['cors()', 'express.json()', 'validate(contactSchema)']);
});

test('handlers: a handler that answers 401 without a user is required; a login that answers 401 to a bad password is not', async () => {
  const r = await scanDir(`${FX}/auth-handlers`);
  assert.equal(endpointLines(r), [
    'GET / none src/app.ts:36',
    'GET /me required src/app.ts:24',
    'GET /orders required src/app.ts:31',
    'POST /login none src/app.ts:15',
  ]);
  assert.equal(find(r, 'GET', '/me').evidence.map((e) => `${e.kind} ${e.auth}`), ['handler required']);
  assert.equal(find(r, 'GET', '/orders').evidence.map((e) => `${e.kind} ${e.auth}`), ['handler required']);
  assert.equal(find(r, 'POST', '/login').evidence, []);
});

test.run();
