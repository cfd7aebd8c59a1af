// Auth decided the way Next runs it: middleware.ts / proxy.ts for the paths its config.matcher selects and its body
// rejects without credentials (path conditions evaluated per endpoint), and checks inside the route handlers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';
import type { ScanResult } from '../../../src/scan.js';

const FX = 'test/frameworks/nextjs/fixtures';

const evidence = (r: ScanResult, method: string, path: string) => {
  const e = r.codeEndpoints.find((x) => x.method === method && x.path === path);
  assert.ok(e, `${method} ${path} should be an endpoint`);
  return e!.evidence.map((x) => `${x.kind} ${x.name} ${x.auth} ${x.file}:${x.line}`);
};

test('middleware.ts with a path-to-regexp matcher: only matched paths are protected', async () => {
  const r = await scanDir(`${FX}/middleware-matcher`);
  assert.equal(endpointLines(r), [
    'GET /api/account required app/api/account/route.ts:1',
    // '/api/account' is one exact path
    'GET /api/accounts none app/api/accounts/route.ts:1',
    // '/api/admin/:path*' matches /api/admin itself too
    'GET /api/admin required app/api/admin/route.ts:1',
    'GET /api/admin/users required app/api/admin/users/route.ts:1',
    'GET /api/admin/users/{id} required app/api/admin/users/[id]/route.ts:1',
    'GET /api/public none app/api/public/route.ts:1',
  ]);
  assert.equal(evidence(r, 'GET', '/api/admin/users'), ['middleware middleware.ts required middleware.ts:6']);
  assert.equal(r.codeEndpoints.find((e) => e.path === '/api/public')!.middleware, []);
});

test('proxy.ts (Next 16) in src/: negative lookahead matcher, early exits by path, has/missing conditions', async () => {
  const r = await scanDir(`${FX}/middleware-proxy`);
  assert.equal(endpointLines(r), [
    // PUBLIC_PREFIXES.some((p) => pathname.startsWith(p)) returns before the check
    'GET /api/health none src/app/api/health/route.ts:1',
    'GET /api/orders required src/app/api/orders/route.ts:1',
    'GET /api/orders/{id} required src/app/api/orders/[id]/route.ts:1',
    // '/api/((?!public).*)' does not match
    'GET /api/public/status none src/app/api/public/status/route.ts:1',
    'GET /api/webhooks/stripe none src/app/api/webhooks/stripe/route.ts:1',
    // matched only when the request lacks the next-router-prefetch header: a client can skip the check
    'GET /internal/metrics optional src/app/internal/metrics/route.ts:1',
  ]);
  // the first rejecting statement; the root middleware.ts is ignored (the app lives in src/)
  assert.equal(evidence(r, 'GET', '/api/orders'), ['middleware src/proxy.ts required src/proxy.ts:13']);
});

test('next-auth v5: NextAuth(config).auth as middleware decides with the authorized callback, per path', async () => {
  const r = await scanDir(`${FX}/next-auth-authorized`);
  assert.equal(endpointLines(r), [
    'GET /api/admin/reports required app/api/admin/reports/route.ts:1',
    // the matcher leaves api/auth out, and the handlers are the sign-in flow
    'GET /api/auth/{nextauth*} none app/api/auth/[...nextauth]/route.ts:1',
    // only logged-in users are redirected here: not a rejection
    'GET /api/welcome none app/api/welcome/route.ts:1',
    'POST /api/auth/{nextauth*} none app/api/auth/[...nextauth]/route.ts:1',
  ]);
  assert.equal(evidence(r, 'GET', '/api/admin/reports'), ['middleware middleware.ts required auth.config.ts:11']);
});

test('next-auth v5: export default auth((req) => ...) rejecting without req.auth on listed paths', async () => {
  const r = await scanDir(`${FX}/next-auth-wrapped`);
  assert.equal(endpointLines(r), [
    'GET /api/billing/invoices required src/app/api/billing/invoices/route.ts:1',
    'GET /api/catalog none src/app/api/catalog/route.ts:1',
    'GET /api/me required src/app/api/me/route.ts:1',
  ]);
});

test('Clerk: clerkMiddleware + createRouteMatcher + auth.protect(); auth() checked in a handler', async () => {
  const r = await scanDir(`${FX}/clerk`);
  assert.equal(endpointLines(r), [
    'GET /api/billing/invoices/{id} required app/api/billing/invoices/[id]/route.ts:1',
    // clerkMiddleware reads the session everywhere it runs but protects only what its handler protects
    'GET /api/catalog optional app/api/catalog/route.ts:1',
    'GET /api/private/notes required app/api/private/notes/route.ts:1',
    'GET /api/profile required app/api/profile/route.ts:3',
  ]);
  assert.equal(evidence(r, 'GET', '/api/profile'), ['middleware middleware.ts optional middleware.ts:5', 'handler GET required app/api/profile/route.ts:6']);
});

test('checks in route handlers: session + 401, redirect to login, wrappers read through, login handlers, unknown wrappers', async () => {
  const r = await scanDir(`${FX}/handler-auth`);
  assert.equal(endpointLines(r), [
    'GET /{?}/api/dashboard required app/api/dashboard/route.ts:4',
    // withAdmin from a package the scan cannot read: a hint, not proof
    'GET /{?}/api/export unknown app/api/export/route.ts:3',
    // reads the session and lets everyone in
    'GET /{?}/api/feed none app/api/feed/route.ts:4',
    'GET /{?}/api/me required app/api/me/route.ts:4',
    // withErrorHandling does not check anything, and neither does this handler
    'GET /{?}/api/orders none app/api/orders/route.ts:13',
    // withAuth(handler): the wrapper's closure answers 401 without a session
    'GET /{?}/api/reports required app/api/reports/route.ts:4',
    'POST /{?}/api/login none app/api/login/route.ts:4',
    // the wrapped handler's own check, seen through withErrorHandling
    'POST /{?}/api/orders required app/api/orders/route.ts:5',
  ]);
  assert.equal(evidence(r, 'GET', '/{?}/api/reports'), ['handler GET required lib/auth.ts:12']);
  assert.equal(evidence(r, 'POST', '/{?}/api/orders'), ['handler POST required app/api/orders/route.ts:8']);
});

test.run();
