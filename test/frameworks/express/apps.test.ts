// Whole-application shapes: class-based TypeScript starters and monorepos with one server per package.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';

const FX = 'test/frameworks/express/fixtures';

test('class-based server: App class mounts route classes passed to its constructor', async () => {
  const r = await scanDir(`${FX}/class-based`);
  assert.equal(endpointLines(r), [
    'DELETE /users/{id} required src/routes/users.route.ts:20',
    'GET / none src/routes/index.route.ts:15',
    'GET /users none src/routes/users.route.ts:16',
    'GET /users/{id} none src/routes/users.route.ts:17',
    'POST /login none src/routes/auth.route.ts:17',
    'POST /logout required src/routes/auth.route.ts:18',
    'POST /signup none src/routes/auth.route.ts:16',
    'POST /users required src/routes/users.route.ts:18',
    'PUT /users/{id} required src/routes/users.route.ts:19',
  ]);
  // one server: the express() in the App class field
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.server))], ['src/app.ts:5']);
  const post = r.codeEndpoints.find((e) => e.method === 'POST' && e.path === '/users')!;
  assert.equal(post.evidence.map((e) => `${e.kind} ${e.name} ${e.auth}`), ['middleware authMiddleware required']);
});

test('monorepo: each endpoint belongs to the package of its server; a shared router is served by both', async () => {
  const r = await scanDir(`${FX}/monorepo`);
  assert.equal(r.codeEndpoints.map((e) => `${e.service} ${e.method} ${e.path}`).sort(), [
    'packages/admin DELETE /cache',
    'packages/admin GET /dashboard',
    'packages/admin GET /health/live',
    'packages/admin GET /health/ready',
    'packages/api GET /health/live',
    'packages/api GET /health/ready',
    'packages/api GET /v1/orders',
    'packages/api POST /v1/orders',
  ]);
  assert.equal(endpointLines(r), [
    'DELETE /cache none packages/admin/src/server.js:8',
    'GET /dashboard none packages/admin/src/server.js:7',
    'GET /health/live none packages/shared/src/index.ts:5',
    'GET /health/live none packages/shared/src/index.ts:5',
    'GET /health/ready none packages/shared/src/index.ts:6',
    'GET /health/ready none packages/shared/src/index.ts:6',
    'GET /v1/orders none packages/api/src/routes/orders.ts:5',
    'POST /v1/orders none packages/api/src/routes/orders.ts:6',
  ]);
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.server))].sort(), ['packages/admin/src/server.js:4', 'packages/api/src/index.ts:5']);
});

test.run();
