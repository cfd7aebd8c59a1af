// Koa auth, decided the way Koa runs middleware: the app's chain in order, a router's own use() only for its own
// routes registered after it, per-route chains, koa-jwt (+ koa-unless), koa-passport, koa-basic-auth, koa-mount,
// and project middleware written against ctx.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';
import type { ScanResult } from '../../../src/scan.js';

const FX = 'test/frameworks/koa/fixtures';

/** `kind name auth` per evidence item of the endpoint served by `server`. */
const evidence = (r: ScanResult, method: string, path: string, server?: string) => {
  const e = r.codeEndpoints.find((x) => x.method === method && x.path === path && (!server || x.server === server));
  assert.ok(e, `${method} ${path} should be an endpoint`);
  return e!.evidence.map((x) => `${x.kind} ${x.name} ${x.auth}`);
};

test('order: router.use applies to routes registered after it, under its path; a router never guards another', async () => {
  const r = await scanDir(`${FX}/auth-order`);
  assert.equal(endpointLines(r), [
    'GET /account required src/routes/account.ts:11',
    'GET /account/admin/audit required src/routes/account.ts:15',
    'GET /account/administrators required src/routes/account.ts:18',
    // app: publicRouter's requireUser (used earlier on the app) does not guard catalogRouter
    'GET /catalog none src/routes/catalog.ts:6',
    // secured: app.use(requireUser) before secured.use(catalogRouter.routes())
    'GET /catalog required src/routes/catalog.ts:6',
    // behind catalogRouter.all('/internal/(.*)', requireUser)
    'GET /internal/metrics required src/routes/catalog.ts:15',
    'GET /internal/metrics required src/routes/catalog.ts:15',
    'GET /me required src/routes/public.ts:11',
    // registered before publicRouter.use(requireUser)
    'GET /status none src/routes/public.ts:6',
    // registered before accountRouter.use(requireUser)
    'POST /account/login none src/routes/account.ts:7',
    'POST /catalog required src/routes/catalog.ts:10',
    'POST /catalog required src/routes/catalog.ts:10',
  ]);
  assert.equal(evidence(r, 'GET', '/account/admin/audit'), ['middleware requireUser required', 'middleware requireAdmin required']);
  // use('/admin', requireAdmin) matches whole segments: /administrators is not under it
  assert.equal(evidence(r, 'GET', '/account/administrators'), ['middleware requireUser required']);
  assert.equal(evidence(r, 'GET', '/catalog', 'src/app.ts:7'), []);
  assert.equal(evidence(r, 'POST', '/catalog', 'src/app.ts:7'), ['middleware requireUser required']);
  assert.equal(r.codeEndpoints.find((e) => e.path === '/account/login')!.middleware, ['timing']);
  // the all() guard is not an endpoint of its own
  assert.not.ok(r.codeEndpoints.some((e) => e.method === 'ALL'));
});

test('libraries: koa-jwt (unless path/regex/method, passthrough), koa-passport, koa-basic-auth through koa-mount', async () => {
  const r = await scanDir(`${FX}/auth-libraries`);
  assert.equal(endpointLines(r), [
    'GET /api/orders required src/index.js:30',
    'GET /api/profile required src/index.js:26',
    // the sub-app's jwt({ passthrough: true })
    'GET /feed/latest optional src/index.js:15',
    // mount('/ops', auth(...)) before mount('/ops', ops.routes())
    'GET /ops/metrics required src/index.js:20',
    // exempted by the regex /^\/public/
    'GET /public/news none src/index.js:34',
    // exempted by method: ['OPTIONS'] (koa-unless: any one condition skips the middleware)
    'OPTIONS /api/orders none src/index.js:31',
    // exempted by the path string; passport.authenticate('local') is the sign-in itself
    'POST /api/login none src/index.js:25',
  ]);
  assert.equal(evidence(r, 'POST', '/api/login'), ['middleware koa-jwt(...).unless(...) none', "middleware passport.authenticate('local') none"]);
  assert.equal(evidence(r, 'GET', '/api/profile'), ['middleware koa-jwt(...).unless(...) required', "middleware passport.authenticate('jwt', { session: false }) required"]);
  assert.equal(evidence(r, 'GET', '/feed/latest'), ["middleware jwt({ secret: 'feed', passthrough: true }) optional"]);
  assert.equal(evidence(r, 'GET', '/ops/metrics'), ["middleware auth({ name: 'ops', pass: process.env.OPS_PASS }) required"]);
});

test('project middleware on ctx: ctx.session, ctx.throw(401), ctx.assert(user, 401); error translators and logins are not guards', async () => {
  const r = await scanDir(`${FX}/auth-project`);
  assert.equal(endpointLines(r), [
    // if (!ctx.state.user) ctx.throw(401) in the handler
    'DELETE /settings required src/app.ts:19',
    // loadUser decodes a token when there is one
    'GET /feed optional src/app.ts:12',
    'GET /settings required src/app.ts:15',
    // ctx.throw(401, 'wrong password') in a login handler is not a check of the caller's credentials
    'POST /login optional src/app.ts:28',
    'PUT /settings required src/app.ts:23',
  ]);
  // handleAuthErrors answers 401 only for errors thrown further down: neutral
  assert.equal(evidence(r, 'GET', '/feed'), ['middleware loadUser optional']);
  assert.equal(evidence(r, 'GET', '/settings'), ['middleware loadUser optional', 'middleware mustBeSignedIn required']);
  assert.equal(evidence(r, 'DELETE', '/settings'), ['middleware loadUser optional', 'handler inline function at src/app.ts:19 required']);
});

test.run();
