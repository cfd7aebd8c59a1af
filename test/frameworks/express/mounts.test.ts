// Routers mounted across files: ESM (default, named, re-exports, export *), CommonJS (module.exports, require,
// factories, `require('./routes')(app)`), index files, tsconfig paths/baseUrl and NodeNext `.js` specifiers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';

const FX = 'test/frameworks/express/fixtures';

test('ESM: default and named imports, re-export of a default, export *, routers four files deep, guarded mount', async () => {
  const r = await scanDir(`${FX}/mounts-esm`);
  assert.equal(endpointLines(r), [
    'DELETE /api/admin/users/{userId} required src/routes/admin.ts:6',
    'GET /api/admin/stats required src/routes/admin.ts:5',
    'GET /api/users none src/routes/users.ts:6',
    'GET /api/users/{userId} none src/routes/users.ts:7',
    'GET /api/users/{userId}/posts none src/routes/posts.ts:5',
    'GET /health none src/health.ts:5',
    'POST /api/users/{userId}/posts none src/routes/posts.ts:6',
  ]);
  // the app is created in app.ts; server.ts only starts it
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.server))], ['src/app.ts:5']);
  const stats = r.codeEndpoints.find((e) => e.path === '/api/admin/stats')!;
  assert.equal(stats.evidence.map((e) => `${e.kind} ${e.name} ${e.auth}`), ['middleware requireAdmin required']);
  assert.equal(r.codeEndpoints.flatMap((e) => e.unresolved), []);
});

test('CommonJS: module.exports = router, require(), index.js, require(x)() factories, require(x)(app)', async () => {
  const r = await scanDir(`${FX}/mounts-cjs`);
  assert.equal(endpointLines(r), [
    'GET /api none src/routes/index.js:6',
    'GET /api/users none src/routes/users.js:5',
    'GET /api/users/{id} none src/routes/users.js:6',
    'GET /status none src/routes/legacy.js:2',
    'GET /version none src/routes/legacy.js:3',
    'POST /auth/logout none src/routes/auth.js:6',
    'POST /auth/register none src/routes/auth.js:5',
    'POST /webhooks/stripe none src/routes/webhooks.js:5',
  ]);
  assert.equal(r.codeEndpoints.flatMap((e) => e.unresolved), []);
});

test('tsconfig: paths alias @/… and baseUrl-relative imports (with comments and trailing commas in tsconfig)', async () => {
  const r = await scanDir(`${FX}/mounts-tsconfig`);
  assert.equal(endpointLines(r), [
    'GET /inventory/v1/users none src/routes/users.ts:5',
    'GET /inventory/v1/warehouses/{warehouseId}/stock none src/routes/warehouses.ts:5',
    'POST /inventory/v1/users none src/routes/users.ts:6',
  ]);
  assert.equal(r.codeEndpoints.flatMap((e) => e.unresolved), []);
});

test('NodeNext: .js specifiers that name .ts sources, including an index.js inside a folder', async () => {
  const r = await scanDir(`${FX}/mounts-nodenext`);
  assert.equal(endpointLines(r), [
    'GET /notes none src/routes/notes.ts:6',
    'GET /notes/{noteId} none src/routes/notes.ts:7',
    'GET /tags none src/routes/tags/index.ts:5',
    'POST /notes/{noteId}/share none src/routes/share.ts:5',
  ]);
  assert.equal(r.codeEndpoints.flatMap((e) => e.unresolved), []);
});

test.run();
