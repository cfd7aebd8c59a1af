// Next.js routes come from files: app-router route handlers (one endpoint per exported method), pages-router API
// routes (methods from req.method checks), basePath from next.config read as data.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';

const FX = 'test/frameworks/nextjs/fixtures';

test('app router: exported methods, groups, private folders, dynamic and catch-all segments, re-exports', async () => {
  const r = await scanDir(`${FX}/app-router`);
  assert.equal(endpointLines(r), [
    'DELETE /api/users/{id} none app/api/users/[id]/route.ts:14',
    // %5F is how a folder whose URL segment starts with "_" is written
    'GET /api/_status none app/api/%5Fstatus/route.mjs:1',
    // export const { GET, POST } = handlers (NextAuth): the sign-in endpoints, public by design
    'GET /api/auth/{nextauth*} none app/api/auth/[...nextauth]/route.ts:3',
    'GET /api/docs/{slug*} none app/api/docs/[...slug]/route.ts:1',
    // [[...path]]: with and without the optional catch-all
    'GET /api/files none app/api/files/[[...path]]/route.ts:1',
    'GET /api/files/{path*} none app/api/files/[[...path]]/route.ts:1',
    'GET /api/health none app/api/health/route.ts:1',
    // export { GET, POST } from './handlers': the line of each specifier; PUT is not re-exported
    'GET /api/items none app/api/items/route.ts:4',
    // (admin) is a route group: not a URL segment
    'GET /api/stats none app/api/(admin)/stats/route.js:1',
    'GET /api/users none app/api/users/route.ts:4',
    'GET /api/users/{id} none app/api/users/[id]/route.ts:5',
    'PATCH /api/users/{id} none app/api/users/[id]/route.ts:10',
    'POST /api/auth/{nextauth*} none app/api/auth/[...nextauth]/route.ts:3',
    'POST /api/items none app/api/items/route.ts:5',
    'POST /api/newsletter none app/(marketing)/api/newsletter/route.ts:1',
    // export const POST = async (...) => ...
    'POST /api/users none app/api/users/route.ts:8',
  ]);
  // app/_lib and app/api/_internal are private folders: nothing under them is routable
  assert.not.ok(r.codeEndpoints.some((e) => /_lib|_internal/.test(e.location.file)));
  assert.equal(r.frameworks, ['nextjs']);
  const e = r.codeEndpoints.find((x) => x.path === '/api/health')!;
  assert.equal([e.framework, e.service, e.server], ['nextjs', '.', 'app/']);
});

test('pages router: index files, dynamic segments, methods from req.method checks, basePath from next.config.mjs', async () => {
  const r = await scanDir(`${FX}/pages-api`);
  assert.equal(endpointLines(r), [
    // no method check: every method
    'ALL /shop/api/hello none src/pages/api/hello.ts:3',
    'ALL /shop/api/legacy none src/pages/api/legacy.js:1',
    'ALL /shop/api/me required src/pages/api/me.ts:5',
    // DELETE is handled, and every other method falls through to the read
    'ALL /shop/api/products/{id} none src/pages/api/products/[id].ts:3',
    'ALL /shop/api/search none src/pages/api/search/[[...q]].ts:1',
    'ALL /shop/api/search/{q*} none src/pages/api/search/[[...q]].ts:1',
    'DELETE /shop/api/products/{id} none src/pages/api/products/[id].ts:3',
    // switch (req.method): GET is public, PUT checks the session
    'GET /shop/api/account none src/pages/api/account.ts:5',
    // methods of the handler that withAuth(handler) wraps
    'GET /shop/api/orders/{id} required src/pages/api/orders/[id].ts:10',
    'GET /shop/api/products none src/pages/api/products/index.ts:3',
    'POST /shop/api/contact none src/pages/api/contact.ts:3',
    // 401 to a wrong password is a login, not a protected endpoint
    'POST /shop/api/login none src/pages/api/login.ts:5',
    'POST /shop/api/products none src/pages/api/products/index.ts:3',
    "POST /shop/api/reviews/{slug*} none src/pages/api/reviews/[...slug].js:1",
    'PUT /shop/api/account required src/pages/api/account.ts:5',
    'PUT /shop/api/orders/{id} required src/pages/api/orders/[id].ts:10',
  ]);
  // _helpers.ts has no default export: not a route
  assert.not.ok(r.codeEndpoints.some((e) => e.path.includes('_helpers')));
  assert.equal(r.codeEndpoints.find((e) => e.path === '/shop/api/hello')!.server, 'src/pages/');
});

test('basePath from an environment variable is a hole; plugin wrappers in next.config are looked through', async () => {
  const r = await scanDir(`${FX}/handler-auth`);
  const e = r.codeEndpoints.find((x) => x.path === '/{?}/api/me');
  assert.ok(e);
  assert.equal(e!.unresolved, [{ text: 'process.env.NEXT_PUBLIC_BASE_PATH', reason: 'environment variable, not known statically', file: 'next.config.js', line: 4 }]);
});

test.run();
