// Fastify: instances, register() encapsulation with prefixes, fastify-plugin, hooks with Fastify's scoping rules,
// @fastify/autoload directory rules, and the auth plugins of the ecosystem.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';
import type { ScanResult } from '../../../src/scan.js';
import { fastifyPath } from '../../../src/frameworks/fastify/path-syntax.js';
import { render } from '../../../src/resolve/paths.js';

const FX = 'test/frameworks/fastify/fixtures';

const find = (r: ScanResult, method: string, path: string) => {
  const e = r.codeEndpoints.find((x) => x.method === method && x.path === path);
  assert.ok(e, `${method} ${path} should be an endpoint`);
  return e!;
};
const evidence = (r: ScanResult, method: string, path: string) => find(r, method, path).evidence.map((e) => `${e.kind} ${e.name} ${e.auth}`);

test('path syntax: params, regex constraints, multi-params in a segment, ::, wildcard, optional last param', () => {
  const r = (p: string) => fastifyPath(p).map(render);
  assert.equal(r('/users/:id'), ['/users/{id}']);
  assert.equal(r('/users/:id(^\\d+)/posts'), ['/users/{id}/posts']);
  assert.equal(r('/near/:lat-:lng'), ['/near/{lat}-{lng}']);
  assert.equal(r('/at/:hour(^\\d{2})h:minute(^\\d{2})m'), ['/at/{hour}h{minute}m']);
  assert.equal(r('/name::verb'), ['/name:verb']);
  assert.equal(r('/static/*'), ['/static/{*}']);
  assert.equal(r('/posts/:id?'), ['/posts/{id}', '/posts']);
  assert.equal(r('/'), ['/']);
  assert.equal(r('/api/'), ['/api']);
});

test('instances and verbs: default, named and CommonJS imports; shorthand with options; route() with method arrays; url and path', async () => {
  const r = await scanDir(`${FX}/basics`);
  assert.equal(endpointLines(r), [
    'ALL /echo none src/server.ts:15',
    'DELETE /cache none src/server.ts:22',
    'DELETE /orders/{orderId}/items/{itemId} none src/server.ts:12',
    'GET / none src/named.ts:4',
    'GET /at/{hour}h{minute}m none src/server.ts:25',
    'GET /files/{*} none src/server.ts:26',
    'GET /geo/near/{lat}-{lng}/radius/{r} none src/server.ts:24',
    'GET /health none src/server.ts:5',
    'GET /legacy/status none src/legacy.js:4',
    // `:id?` matches with and without the parameter
    'GET /posts none src/server.ts:28',
    'GET /posts/{id} none src/server.ts:28',
    'GET /rpc/name:verb none src/server.ts:27',
    'GET /search none src/server.ts:17',
    'HEAD /ping none src/server.ts:14',
    'OPTIONS /orders none src/server.ts:13',
    'PATCH /orders/{id} none src/server.ts:11',
    'POST /orders none src/server.ts:6',
    'POST /search none src/server.ts:17',
    'PUT /orders/{id} none src/server.ts:10',
  ]);
  assert.ok(r.frameworks.includes('fastify'));
  assert.equal(find(r, 'GET', '/health').framework, 'fastify');
  assert.equal(find(r, 'GET', '/health').server, 'src/server.ts:3');
  assert.equal(find(r, 'GET', '/legacy/status').server, 'src/legacy.js:3');
});

test('register(plugin, { prefix }): prefixes accumulate across files; fastify-plugin ignores prefix; CJS with done; inline; import()', async () => {
  const r = await scanDir(`${FX}/plugins-nesting`);
  assert.equal(endpointLines(r), [
    'GET /api none src/routes/api.ts:5',
    'GET /api/v1/status none src/routes/v1/index.ts:6',
    'GET /api/v1/users none src/routes/v1/users.ts:4',
    'GET /api/v1/users/{id} none src/routes/v1/users.ts:5',
    'GET /docs none src/routes/docs.ts:4',
    // prefix 'legacy/' gets its missing leading slash
    'GET /legacy/ping none src/routes/legacy.js:2',
    // fp(...) runs on the parent instance: its { prefix: '/ignored' } has no effect
    'GET /metrics none src/routes/metrics.ts:4',
    'GET /scoped/inline none src/app.ts:11',
    'POST /api/v1/users none src/routes/v1/users.ts:6',
  ]);
  // every route belongs to the one root instance
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.server))], ['src/app.ts:6']);
});

test('hooks: scoped to the plugin and its children, before or after the routes; fastify-plugin hooks escape; per-route hooks', async () => {
  const r = await scanDir(`${FX}/hooks-scope`);
  assert.equal(endpointLines(r), [
    // admin's preHandler hook is added after /dashboard but in the same context: it applies to every admin route
    'DELETE /admin/users/{id} required src/routes/admin.ts:13',
    'GET /account/settings required src/routes/account.ts:17',
    'GET /admin/dashboard required src/routes/admin.ts:11',
    // a child of admin inherits the hook
    'GET /admin/reports required src/routes/admin.ts:15',
    // api-key is wrapped in fastify-plugin: its hook lands on the partners context (not only inside api-key)
    'GET /partners/catalog required src/server.ts:17',
    'GET /partners/catalog/{sku} required src/server.ts:21',
    // siblings and the parent are untouched by admin's hook and by the partners' api key
    'GET /public/news none src/routes/public.ts:4',
    'GET /status none src/server.ts:11',
    // only the audit hook (logging) in front
    'POST /account/logout none src/routes/account.ts:19',
    'PUT /account/settings required src/routes/account.ts:18',
  ]);
  assert.equal(find(r, 'GET', '/account/settings').middleware, ['inline function at src/plugins/request-id.ts:5', 'audit', 'checkSession']);
  assert.equal(evidence(r, 'GET', '/account/settings'), ['middleware checkSession required']);
  assert.equal(evidence(r, 'GET', '/admin/reports'), ['middleware requireAdmin required']);
  assert.equal(evidence(r, 'GET', '/status'), []);
  assert.equal(evidence(r, 'GET', '/partners/catalog'), ['middleware inline function at src/plugins/api-key.ts:7 required']);
});

test('auth: @fastify/jwt decorators, @fastify/auth relations, @fastify/basic-auth, httpErrors, decorator encapsulation', async () => {
  const r = await scanDir(`${FX}/auth-jwt`);
  assert.equal(endpointLines(r), [
    // throw fastify.httpErrors.unauthorized() when the Authorization header is missing
    'GET /feed required src/routes/feed.ts:9',
    // requireTenant is decorated inside the tenants plugin (no fastify-plugin): not visible to a sibling
    'GET /lonely unknown src/routes/lonely.ts:5',
    // fastify.auth([verifyJWT, verifyGuest]): relation 'or', and verifyGuest lets everyone in
    'GET /ops/board none src/routes/ops.ts:12',
    'GET /ops/metrics required src/routes/ops.ts:4',
    'GET /orders required src/routes/orders.ts:5',
    'GET /profile required src/routes/profile.ts:4',
    // jwtVerify() whose error is caught and dropped: the token is read, not required
    'GET /profile/maybe optional src/routes/profile.ts:7',
    'GET /profile/public none src/routes/profile.ts:6',
    // the handler calls request.jwtVerify() itself
    'GET /profile/self-check required src/routes/profile.ts:8',
    'GET /tenants required src/routes/tenants.ts:10',
    'PATCH /profile required src/routes/profile.ts:5',
    'POST /login none src/app.ts:18',
    'POST /ops/restart required src/routes/ops.ts:5',
    'POST /orders required src/routes/orders.ts:6',
  ]);
  assert.equal(evidence(r, 'GET', '/profile'), ['middleware fastify.authenticate required']);
  assert.equal(evidence(r, 'POST', '/orders'), ['middleware fastify.authenticate required']);
  assert.equal(evidence(r, 'GET', '/ops/metrics'), ['middleware fastify.basicAuth required']);
  assert.equal(evidence(r, 'GET', '/ops/board'), ['middleware fastify.auth([fastify.verifyJWT, fastify.verifyGuest]) none']);
  assert.equal(evidence(r, 'GET', '/lonely'), ['middleware fastify.requireTenant unknown']);
  assert.equal(evidence(r, 'GET', '/profile/self-check').map((x) => x.split(' ')[0]), ['handler']);
});

test('@fastify/autoload: folder prefixes, index files, autoPrefix, route objects, options.prefix, ESM __dirname', async () => {
  const r = await scanDir(`${FX}/autoload`);
  assert.equal(endpointLines(r), [
    'DELETE /api/items/{id} required src/routes/items/detail.ts:5',
    'GET /api none src/routes/root.ts:4',
    'GET /api/admin required src/routes/admin/index.ts:5',
    // a route object exported instead of a plugin
    'GET /api/health none src/routes/health.ts:1',
    // items/ has no index file: every script in it is a plugin with the folder's prefix
    'GET /api/items none src/routes/items/list.ts:4',
    'GET /api/items/legacy none src/routes/items/_legacy.ts:5',
    'GET /api/items/{id} none src/routes/items/detail.ts:4',
    // decorated by an fp plugin loaded from plugins/ on the root instance
    'GET /api/users required src/routes/users/index.ts:4',
    'GET /api/users/{id} required src/routes/users/index.ts:5',
    // export const autoPrefix = '/hooks' replaces the folder prefix
    'POST /api/hooks/stripe none src/routes/webhooks.ts:6',
    // admin/settings is registered by autoload beside admin/index.ts, not inside it: admin's hook does not apply
    'PUT /api/admin/settings none src/routes/admin/settings/index.ts:4',
  ]);
  // users/helpers.ts is never loaded (users/ has an index file): not an endpoint
  assert.not.ok(r.codeEndpoints.some((e) => e.location.file === 'src/routes/users/helpers.ts'));
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.server))], ['src/app.ts:8']);
});

test('fastify-cli app: the exported plugin is the root; autoHooks with cascadeHooks; routeParams; module.exports.autoPrefix', async () => {
  const r = await scanDir(`${FX}/autoload-cli`);
  assert.equal(endpointLines(r), [
    'GET / none routes/root.js:4',
    // autoPrefix replaces the folder prefix (/secure/nested); the secure/ autohooks cascade into nested/
    'GET /audit-log required routes/secure/nested/audit.js:4',
    'GET /example none routes/example/index.js:4',
    'GET /secure/data required routes/secure/data.js:4',
    // routeParams: true turns the _id folder into :id
    'GET /users/{id}/posts none routes/users/_id/posts.js:4',
    'POST /secure/data required routes/secure/data.js:5',
  ]);
  assert.equal(evidence(r, 'GET', '/secure/data'), ['middleware inline function at routes/secure/autohooks.js:4 required']);
  assert.ok(find(r, 'GET', '/').notes.some((n) => n.includes('fastify-cli')));
  assert.equal(find(r, 'GET', '/').unresolved, []);
});

test('unknown is an answer: a plugin no visible code registers keeps a {?} prefix; a computed method is reported', async () => {
  const r = await scanDir(`${FX}/unreached`);
  assert.equal(endpointLines(r), [
    'GET / none src/server.ts:17',
    'GET /echo none src/server.ts:13',
    'GET /{?}/invoices none src/modules/billing.ts:4',
    'POST /echo none src/server.ts:13',
  ]);
  const inv = find(r, 'GET', '/{?}/invoices');
  assert.equal(inv.unresolved.length, 1);
  assert.ok(inv.notes.some((n) => n.includes('stands in for a Fastify instance')));
  assert.ok(r.notifications.some((n) => n.code === 'computed-method' && n.file === 'src/server.ts' && n.line === 15));
});

test('hook exemptions: early return on request.url (includes/startsWith), route config.public, request decorators', async () => {
  const r = await scanDir(`${FX}/hook-exemptions`);
  assert.equal(endpointLines(r), [
    // preHandler calls request.requireRole (decorateRequest) which answers 403
    'DELETE /admin/cache required src/server.ts:37',
    // admin's hook lets some requests through on a secret header the scan cannot evaluate: unknown, not required
    'GET /admin/jobs unknown src/server.ts:36',
    // config: { public: true } and the hook returns early on request.routeOptions.config.public
    'GET /catalog none src/server.ts:23',
    // request.url.startsWith('/docs')
    'GET /docs/openapi.json none src/server.ts:22',
    // PUBLIC_PATHS.includes(request.url)
    'GET /health none src/server.ts:20',
    'GET /orders required src/server.ts:24',
    'POST /auth/login none src/server.ts:21',
  ]);
  assert.equal(evidence(r, 'GET', '/health'), ['middleware inline function at src/server.ts:9 none']);
  assert.equal(evidence(r, 'GET', '/orders'), ['middleware inline function at src/server.ts:9 required']);
  assert.equal(evidence(r, 'DELETE', '/admin/cache').slice(1), ['middleware inline function at src/server.ts:32 unknown', 'middleware inline function at src/server.ts:37 required']);
});

test.run();
