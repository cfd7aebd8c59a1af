// Hono route extraction: verbs, all, on(), chains that reuse the last path, path syntax, basePath, route() across
// files (prefixes accumulate; route() copies the sub-app's routes as they are when it is called), @hono/zod-openapi.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, notificationLines, scanDir } from '../../helpers.js';

const FX = 'test/frameworks/hono/fixtures';

test('verbs, all, on(method|methods, path|paths), chains reuse the last path, Hono path syntax', async () => {
  const r = await scanDir(`${FX}/basics`);
  assert.equal(endpointLines(r), [
    'ALL /echo none src/index.ts:11',
    // app.get('/books/:isbn', h).put(h).delete(h): the chained calls register at '/books/:isbn'
    'DELETE /books/{isbn} none src/index.ts:17',
    'DELETE /flags/{name} none src/index.ts:21',
    'DELETE /posts/{id} none src/index.ts:9',
    'GET / none src/index.ts:5',
    // ':month?' is optional: both paths are served
    'GET /archive/{year} none src/index.ts:25',
    'GET /archive/{year}/{month} none src/index.ts:25',
    'GET /books/{isbn} none src/index.ts:15',
    // on('GET', ['/feed', '/rss'])
    'GET /feed none src/index.ts:22',
    'GET /files/{*} none src/index.ts:27',
    'GET /rss none src/index.ts:22',
    // ':id{[0-9]+}': a parameter with a regex constraint
    'GET /users/{id} none src/index.ts:26',
    'GET /v2/status none src/index.ts:31',
    'GET /wild/{*}/card none src/index.ts:28',
    'OPTIONS /posts none src/index.ts:10',
    'PATCH /posts/{id} none src/index.ts:8',
    'POST /posts none src/index.ts:6',
    'PUT /books/{isbn} none src/index.ts:16',
    'PUT /flags/{name} none src/index.ts:21',
    'PUT /posts/{id} none src/index.ts:7',
  ]);
  assert.ok(r.codeEndpoints.every((e) => e.framework === 'hono' && e.server === 'src/index.ts:3' && e.service === '.'));
  // on('PURGE', ...) is served but has no place in the inventory: said, not dropped silently
  assert.equal(notificationLines(r), ['custom-method src/index.ts:20']);
});

test('basePath, route() across files (prefixes accumulate), basePath clones share routes, route() copies a snapshot', async () => {
  const r = await scanDir(`${FX}/mounts`);
  assert.equal(endpointLines(r), [
    // books is new Hono().basePath('/catalog'): its routes carry its base path under the mount
    'GET /api/books/catalog none src/routes/books.ts:5',
    'GET /api/health none src/index.ts:8',
    'GET /api/users none src/routes/users.ts:6',
    'GET /api/users/{id} none src/routes/users.ts:7',
    // users.route('/:id/profile', profile) inside a sub-app mounted at /api/users
    'GET /api/users/{id}/profile none src/routes/profile.ts:4',
    // v1 = app.basePath('/v1') shares app's routes; v1.route('/admin', admin) mounts under /api/v1
    'GET /api/v1/admin/stats none src/routes/admin.ts:5',
    'GET /api/v1/ping none src/index.ts:14',
    'POST /api/books/catalog none src/routes/books.ts:6',
    'PUT /api/users/{id}/profile none src/routes/profile.ts:5',
  ]);
  // admin.get('/late') runs after app.route() copied admin's routes: Hono does not serve it
  assert.not.ok(r.codeEndpoints.some((e) => e.path.endsWith('/late')));
  // one server: the root app, where new Hono() is called (sub-apps that are mounted are not servers)
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.server))], ['src/index.ts:6']);
});

test('@hono/zod-openapi: createRoute() + app.openapi() with {id} paths, route middleware, app.doc()', async () => {
  const r = await scanDir(`${FX}/openapi`);
  assert.equal(endpointLines(r), [
    // security: [...] in a route definition only documents; nothing checks it
    'DELETE /api/orgs/{orgId}/members/{memberId} none src/app.ts:29',
    'GET /api/doc none src/app.ts:30',
    'GET /api/users/{id} none src/app.ts:27',
    // middleware: [bearerAuth(...)] in createRoute runs before the handler
    'POST /api/users required src/app.ts:28',
  ]);
  const post = r.codeEndpoints.find((e) => e.method === 'POST')!;
  assert.equal(post.evidence.map((e) => `${e.kind} ${e.name} ${e.auth}`), ["middleware bearerAuth({ token: 'admin-token' }) required"]);
});

test('served by something else: static files, app.mount() of another application, a sub-app the scan cannot see', async () => {
  const r = await scanDir(`${FX}/edges`);
  assert.equal(endpointLines(r), [
    // mount('/legacy', other.fetch) registers ALL '/legacy/*'
    'ALL /legacy/{*} none src/index.ts:9',
    'GET /health none src/index.ts:11',
    // use('/static/*', serveStatic(...)) serves files
    'GET /static/{*} none src/index.ts:8',
  ]);
  // route('/partners', partnerRoutes) from a package: its routes are unknown, and said so
  assert.equal(notificationLines(r), ['mount-unresolved src/index.ts:10']);
});

test.run();
