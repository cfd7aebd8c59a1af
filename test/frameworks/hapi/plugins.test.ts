// hapi plugins: register() with route prefixes that nest, arrays of plugins, module shapes, realm prefix, Glue.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';

const FX = 'test/frameworks/hapi/fixtures';

test('register(): { plugin, options } + routes.prefix, nested plugins, arrays, { pkg, register }, default export, realm prefix', async () => {
  const r = await scanDir(`${FX}/plugins`);
  assert.equal(endpointLines(r), [
    // server.realm.modifiers.route.prefix = '/api' applies to routes the root server adds afterwards
    'GET /api/version none src/server.ts:17',
    // registered by the /v1 plugin with its own routes.prefix: hapi uses the item's prefix instead of '/v1'
    'GET /audit/events none src/plugins/audit.ts:4',
    // module namespace with `export const plugin = { pkg, register }`, no prefix
    'GET /healthz none src/plugins/health.ts:4',
    'GET /legacy/reports/{year} none src/plugins/legacy.ts:2',
    'GET /legacy/reports/{year}/{month} none src/plugins/legacy.ts:2',
    // a route at '/' in a prefixed plugin is served at the prefix itself
    'GET /shop none src/plugins/catalog.ts:5',
    'GET /shop/products none src/plugins/catalog.ts:4',
    // register(child, { routes: { prefix: '/orders' } }) inside the /v1 plugin: prefixes nest
    'GET /v1/orders none src/plugins/orders.ts:4',
    'GET /v1/users none src/plugins/users.ts:10',
    'GET /v1/users/{id} none src/plugins/users.ts:11',
    'POST /v1/orders/{orderId}/cancel none src/plugins/orders.ts:5',
  ]);
  // every route belongs to the one server, wherever the plugin is
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.server))], ['src/server.ts:9']);
});

test('Glue.compose(manifest, { relativeTo: __dirname }): plugin paths, per-plugin prefixes, packages skipped', async () => {
  const r = await scanDir(`${FX}/glue`);
  assert.equal(endpointLines(r), [
    'GET /api/owners/{ownerId}/pets none lib/routes/owners.js:3',
    'GET /api/pets none lib/routes/pets.js:7',
    'GET /api/pets/{petId} none lib/routes/pets.js:9',
    'GET /status none lib/routes/status.js:5',
    'POST /api/pets none lib/routes/pets.js:8',
  ]);
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.server))], ['lib/start.js:6']);
});

test('Glue manifest from a Confidence store ($filter → $default, $meta dropped); default set by an auth plugin', async () => {
  const r = await scanDir(`${FX}/glue-confidence`);
  assert.equal(endpointLines(r), [
    // server.auth.default('session') inside the session plugin applies to the whole server
    'GET /api/tasks required lib/api/tasks.js:8',
    'GET /api/tasks/feed.xml none lib/api/tasks.js:16',
    'GET /api/tasks/shared optional lib/api/tasks.js:9',
    // { scope: 'editor' } names no strategy: merged with the default
    'POST /api/tasks required lib/api/tasks.js:10',
    // mode 'optional', but the pre method from a factory answers 403 when the caller is not the owner
    'PUT /api/users/{userId}/tasks/{taskId} required lib/api/tasks.js:11',
  ]);
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.server))], ['index.js:6']);
  const put = r.codeEndpoints.find((e) => e.method === 'PUT')!;
  assert.equal(put.evidence.map((e) => `${e.kind} ${e.name} ${e.auth}`), ["config auth: { mode: 'optional' } with the default server.auth.default('session') optional", 'middleware pre owned required']);
});

test.run();
