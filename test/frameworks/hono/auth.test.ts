// Auth decided the way Hono runs handlers: every handler whose method and pattern match runs in registration order,
// so middleware guards what is registered after it and matches its pattern ('/admin/*' includes '/admin'; '/account'
// is that path only; no pattern is '*'), across sub-apps copied in with route().
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';
import type { ScanResult } from '../../../src/scan.js';

const FX = 'test/frameworks/hono/fixtures';

const find = (r: ScanResult, method: string, path: string) => {
  const e = r.codeEndpoints.find((x) => x.method === method && x.path === path);
  assert.ok(e, `${method} ${path} should be an endpoint`);
  return e!;
};
const evidence = (r: ScanResult, method: string, path: string) => find(r, method, path).evidence.map((e) => `${e.kind} ${e.name} ${e.auth}`);

test('order and patterns: use(pattern) guards later routes it matches; sub-app middleware is copied under the prefix', async () => {
  const r = await scanDir(`${FX}/auth-order`);
  assert.equal(endpointLines(r), [
    // app.get('/orders/*', requireAuth) guards GET only
    'DELETE /orders/{id} none src/index.ts:19',
    // use('/account', ...) matches /account exactly, not what is below it
    'GET /account required src/index.ts:15',
    'GET /account/settings none src/index.ts:16',
    // '/admin/*' matches '/admin' too
    'GET /admin required src/index.ts:11',
    // registered before use('/admin/*', bearerAuth(...))
    'GET /admin/early none src/index.ts:9',
    'GET /admin/users required src/index.ts:12',
    'GET /administrators none src/index.ts:13',
    // app.use(requireAuth) without a pattern is '*': it guards everything registered after it
    'GET /me required src/index.ts:24',
    'GET /orders/{id} required src/index.ts:18',
    'GET /public none src/index.ts:22',
    // reports.use('*', jwt(...)) is copied as '/reports/*'
    'GET /reports required src/reports.ts:7',
    // registered on the app after route('/reports', reports): the copied '/reports/*' middleware runs first
    'GET /reports/extra required src/index.ts:21',
    // registered in reports before its use('*', jwt(...))
    'GET /reports/open none src/reports.ts:5',
    'GET /reports/{id} required src/reports.ts:8',
    'POST /logout required src/index.ts:25',
  ]);
  // the GET '/orders/*' guard is middleware, not an endpoint
  assert.not.ok(r.codeEndpoints.some((e) => e.path === '/orders/{*}'));
  assert.equal(evidence(r, 'GET', '/admin/users'), ["middleware bearerAuth({ token: 'secret' }) required"]);
  assert.equal(find(r, 'GET', '/admin/users').middleware, ['logger()', "bearerAuth({ token: 'secret' })"]);
  assert.equal(evidence(r, 'GET', '/reports/extra'), ["middleware jwt({ secret: 'reports-secret' }) required"]);
  assert.equal(evidence(r, 'GET', '/me'), ['middleware requireAuth required']);
  assert.equal(evidence(r, 'GET', '/public'), []);
});

test('hono/jwt, basic-auth, bearer-auth, @hono/clerk-auth, createMiddleware, project middleware, checks in handlers', async () => {
  const r = await scanDir(`${FX}/auth-libs`);
  assert.equal(endpointLines(r), [
    // throw new HTTPException(401) when the session cookie is missing
    'DELETE /sessions/current required src/index.ts:39',
    // clerkMiddleware() reads the session but does not require it
    'GET /feed/latest optional src/index.ts:19',
    // the handler answers 401 itself without an Authorization header
    'GET /inbox required src/index.ts:42',
    // per-route jwt(...)
    'GET /jwt/orders required src/index.ts:15',
    'GET /open none src/index.ts:46',
    'GET /ops/metrics required src/index.ts:17',
    // (c, next) => { const jwtMiddleware = jwt({ secret: c.env.JWT_SECRET }); return jwtMiddleware(c, next) }
    'GET /worker/jobs required src/index.ts:26',
    // createMiddleware(async (c, next) => { ... c.text('Unauthorized', 401) ... })
    'POST /keys/rotate required src/index.ts:32',
  ]);
  // the worker-style middleware passes the request on: it is not an endpoint of its own
  assert.not.ok(r.codeEndpoints.some((e) => e.method === 'ALL'));
  assert.equal(evidence(r, 'GET', '/feed/latest'), ['middleware clerkMiddleware() optional']);
  assert.equal(evidence(r, 'GET', '/ops/metrics'), ["middleware basicAuth({ username: 'ops', password: 'pw' }) required"]);
  assert.equal(evidence(r, 'POST', '/keys/rotate'), ['middleware requireKey required']);
  assert.equal(evidence(r, 'GET', '/inbox'), ['handler inline function at src/index.ts:42 required']);
  // cors() is middleware that decides nothing about auth
  assert.equal(find(r, 'GET', '/open').middleware, ['cors()']);
});

test.run();
