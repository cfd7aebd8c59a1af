// Koa routes: @koa/router and koa-router verbs, prefixes, named routes, register(), path lists, nesting across files
// (prefixes accumulate, the nested stack is copied at use() time), koa-mount, koa-combine-routers, monorepos.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, notificationLines, scanDir } from '../../helpers.js';

const FX = 'test/frameworks/koa/fixtures';

test('verbs, prefix option and prefix(), named routes, register(), path lists, (.*) and :opt?, allowedMethods()', async () => {
  const r = await scanDir(`${FX}/basics`);
  assert.equal(endpointLines(r), [
    'ALL /api/echo none src/server.js:17',
    'DELETE /api/items/{id} none src/server.js:13',
    // del() is delete()
    'DELETE /api/legacy/{id} none src/server.js:14',
    // admin.prefix('/admin') after new Router()
    'GET /admin/stats none src/server.js:29',
    // Koa's (.*) is a wildcard, not an unresolved regular expression
    'GET /api/files/{*} none src/server.js:23',
    'GET /api/health none src/server.js:24',
    'GET /api/healthz none src/server.js:24',
    'GET /api/items none src/server.js:9',
    // registered after app.use(router.routes()): routes() reads the router's stack per request
    'GET /api/late none src/server.js:36',
    'GET /api/reports/{year} none src/server.js:22',
    'GET /api/reports/{year}/{month} none src/server.js:22',
    // router.get('user', '/users/:id', ...): 'user' is the route's name
    'GET /api/users/{id} none src/server.js:20',
    'HEAD /api/ping none src/server.js:16',
    'OPTIONS /api/items none src/server.js:15',
    'PATCH /api/items/{id} none src/server.js:12',
    'POST /api/bulk none src/server.js:25',
    'POST /api/items none src/server.js:10',
    'PUT /api/bulk none src/server.js:25',
    'PUT /api/items/{id} none src/server.js:11',
  ]);
  assert.ok(r.codeEndpoints.every((e) => e.framework === 'koa' && e.server === 'src/server.js:5' && e.service === '.'));
  // (express is listed too: its entry test matches any `router.get('...` call; reported to the lead)
  assert.ok(r.frameworks.includes('koa'));
  // koa-bodyparser and allowedMethods() are middleware, not endpoints nor auth
  assert.equal(r.codeEndpoints.find((e) => e.path === '/api/items' && e.method === 'GET')!.middleware, ['bodyParser()']);
});

test('nesting across files: router.use(path, child.routes()) accumulates prefixes; the child stack is copied at use() time', async () => {
  const r = await scanDir(`${FX}/nesting`);
  assert.equal(endpointLines(r), [
    'GET /api/v1/forums/{fid} none src/routes/forums.ts:6',
    'GET /api/v1/forums/{fid}/posts none src/routes/posts.ts:5',
    'GET /api/v1/forums/{fid}/posts/{pid} none src/routes/posts.ts:8',
    // a CommonJS module exporting router.routes() itself, nested with api.use(tags)
    'GET /api/v1/tags none src/routes/tags.js:6',
    'GET /api/v1/users none src/routes/users.ts:5',
    'GET /api/v1/users/{id} none src/routes/users.ts:8',
    // child.get('/late') comes after parent.use('/child', child.routes()): the parent never got it
    'GET /child/early none src/late.ts:6',
    // ctx.assert(ctx.state.user, new UnauthorizedError()) in requireMember
    'POST /api/v1/tags required src/routes/tags.js:9',
  ]);
  assert.equal(notificationLines(r), ['koa-route-after-nesting src/late.ts:11']);
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.server))].sort(), ['src/app.ts:7', 'src/late.ts:15']);
});

test('koa-mount (apps, routes(), file servers, GraphQL), koa-combine-routers, a router no app uses', async () => {
  const r = await scanDir(`${FX}/mount`);
  assert.equal(endpointLines(r), [
    'ALL /graphql none src/server.ts:12',
    'GET /assets/{*} none src/server.ts:11',
    'GET /library/authors/{id} none src/routes/index.ts:9',
    'GET /library/books none src/routes/index.ts:5',
    'GET /v1/ping none src/v1.ts:6',
    'GET /{?}/lost none src/routes/orphan.ts:5',
  ]);
  const lost = r.codeEndpoints.find((e) => e.path === '/{?}/lost')!;
  assert.match(lost.unresolved[0]!.reason, /not mounted on any app/);
  // the mounted sub-app serves through the app that mounts it
  assert.equal(r.codeEndpoints.find((e) => e.path === '/v1/ping')!.server, 'src/server.ts:9');
});

test('monorepo: each service and server; koa-router 7 called without new', async () => {
  const r = await scanDir(`${FX}/monorepo`);
  assert.equal(
    r.codeEndpoints.map((e) => `${e.method} ${e.path} ${e.service} ${e.server}`).sort(),
    ['GET /invoices services/billing services/billing/src/main.ts:9', 'GET /users services/users services/users/src/main.js:9'],
  );
});

test.run();
