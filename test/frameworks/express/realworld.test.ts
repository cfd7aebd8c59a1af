import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, findingLines, notificationLines, scanDir } from '../../helpers.js';

// Lessons from scanning open-source Express apps (juice-shop, realworld, node-express-boilerplate,
// typescript-express-starter), each reduced to a small fixture of our own.
const fx = (name: string) => `test/frameworks/express/fixtures/${name}`;

test('controllers taking (req, res, next) are endpoints; login answering 401 stays unauthenticated; helper-based checks count', async () => {
  const r = await scanDir(fx('rw-handlers-next'));
  assert.equal(endpointLines(r), [
    'GET /me required app.js:12',
    'GET /orders required app.js:18',
    'GET /public none app.js:22',
    'GET /users/captcha required users.js:4',
    'POST /login none app.js:15',
    'POST /users/signup none users.js:9',
  ]);
  const orders = r.codeEndpoints.find((e) => e.path === '/orders')!;
  assert.equal(orders.evidence.map((e) => e.kind), ['handler']);
});

test('routes registered in .then() callbacks and in callbacks handed to packages', async () => {
  const r = await scanDir(fx('rw-then'));
  assert.equal(endpointLines(r), ['GET /health none server.js:6', 'GET /items none server.js:10', 'POST /api/jobs none server.js:15']);
});

test('an auth factory wrapping passport.authenticate in a Promise is required', async () => {
  const r = await scanDir(fx('rw-promise-auth'));
  assert.equal(endpointLines(r), ['GET /me required src/app.js:4']);
  assert.match(r.codeEndpoints[0]!.evidence[0]!.reason, "passport.authenticate('jwt')");
});

test('file servers (GET below their path) and answering closures (ALL) mounted at a path are endpoints; look-aheads and regex groups in paths', async () => {
  const r = await scanDir(fx('rw-file-servers'));
  assert.equal(endpointLines(r), [
    'ALL /ftp/{file} none app.js:11',
    'GET /ab{?}e none app.js:14',
    'GET /assets/{*} none app.js:12',
    'GET /docs/{file} none app.js:13',
    'GET /ftp/{*} none app.js:10',
  ]);
  const ab = r.codeEndpoints.find((e) => e.path === '/ab{?}e')!;
  assert.equal(ab.unresolved.map((u) => `${u.text} ${u.reason}`), ['(cd) regular-expression group in the path']);
});

test('an app handed to a package: Apollo applyMiddleware modelled, others reported', async () => {
  const r = await scanDir(fx('rw-handed'));
  assert.equal(endpointLines(r), ['ALL /graphql none app.js:8']);
  assert.equal(notificationLines(r), ['app-passed-to-package app.js:9']);
});

test('wiring three files away: main → bootstrap → App class with route objects', async () => {
  const r = await scanDir(fx('rw-wiring'));
  assert.equal(endpointLines(r), ['GET /users none routes/users.route.js:5']);
  assert.is(r.codeEndpoints[0]!.server, 'app.js:4');
});

test('not endpoints: pass-through all(), 404 fallbacks, redirect-only mounts; endpoints: OAuth entry, controllers that fall through with next()', async () => {
  const r = await scanDir(fx('rw-not-endpoints'));
  assert.equal(endpointLines(r), [
    'GET /account/unlink/{provider} required app.js:22',
    'GET /api/status none app.js:8',
    'GET /auth/google none app.js:13',
    'GET /docs/{*} none app.js:12',
    'GET /profile required app.js:19',
    'GET /projects/{id} required app.js:14',
  ]);
  const google = r.codeEndpoints.find((e) => e.path === '/auth/google')!;
  assert.match(google.evidence[0]!.reason, 'sign-in flow');
});

test('closures made by one wrapper keep their own verdicts; auth only when a token is present is optional', async () => {
  const r = await scanDir(fx('rw-auth-wrappers'));
  assert.equal(endpointLines(r), [
    'DELETE /admin/users/{id} required app.js:17',
    'GET /forum/categories optional app.js:21',
    'GET /health none app.js:18',
    'POST /contact none app.js:19',
    'POST /forum/topics optional app.js:22',
  ]);
});

test('load order as Node runs it: the file that starts the server first, so require cycles resolve the same way', async () => {
  const r = await scanDir(fx('rw-load-order'));
  assert.equal(endpointLines(r), ['GET /about none routes.js:3', 'GET /admin/dashboard none admin.js:5', 'GET /pricing none routes.js:4']);
});

test('routes registered by a helper are reported where the helper is called, with middleware named by origin', async () => {
  const r = await scanDir(fx('rw-helpers'));
  assert.equal(endpointLines(r), ['DELETE /api/v3/users/{uid} required routes/users.js:6', 'GET /api/v3/users/{uid} required routes/users.js:5']);
  assert.equal(r.codeEndpoints[0]!.middleware, ['requestId', 'ensureLoggedIn']);
});

test('names are hints by their words: xssProtection and validate(login) are not auth', async () => {
  const r = await scanDir(fx('rw-name-hints'));
  assert.equal(endpointLines(r), ['GET / none app.js:10', 'POST /auth/login none app.js:11', 'POST /auth/register none app.js:12']);
});

test('a session used for flash messages does not make endpoints optional', async () => {
  const r = await scanDir(fx('rw-session-flash'));
  assert.equal(endpointLines(r), ['POST /feedback none app.js:15']);
});

test('a guard that checks a project flag and delegates the 401 to a helper is required', async () => {
  const r = await scanDir(fx('rw-login-flag'));
  assert.equal(endpointLines(r), ['DELETE /api/posts/{pid} required app.js:12']);
  assert.equal(r.codeEndpoints[0]!.middleware, ['inline function at app.js:6', 'ensureLoggedIn']);
});

test('middleware handed in through a parameter of a function no visible code calls is unknown, not none', async () => {
  const r = await scanDir(fx('rw-stand-in-params'));
  assert.equal(endpointLines(r), ['POST /api/post/upload unknown routes/api.js:6']);
});

test('a workspace package whose entry shim requires build output resolves to its sources', async () => {
  const r = await scanDir(fx('rw-workspace-shim'));
  assert.equal(endpointLines(r), ['GET /api/v1/features none packages/api/src/app.ts:9', 'POST /api/v1/features none packages/api/src/app.ts:9']);
});

test('a root regex or catch-all does not document every spec operation; a regex matches what it accepts', async () => {
  const r = await scanDir(fx('rw-spec-unresolved'));
  assert.equal(findingLines(r).filter((l) => l.includes('zombie')), [
    'medium zombie-endpoint GET /orders openapi.yaml:7',
    'medium zombie-endpoint POST /orders openapi.yaml:8',
    'medium zombie-endpoint DELETE /orders/{id}/items openapi.yaml:10',
  ]);
  assert.equal(r.inventory.filter((e) => e.code.length && e.spec.length).map((e) => `${e.method} ${e.path}`), ['GET /users']);
});

test('route tables kept in a Map, iterated with for-of and forEach', async () => {
  const r = await scanDir(fx('rw-maps'));
  assert.equal(endpointLines(r), ['GET /blog none app.js:11', 'GET /faq none app.js:11', 'GET /js/lib/chart.js none app.js:8', 'GET /js/lib/jquery.js none app.js:8']);
});

test('a dispatch table called with a key not known statically runs each of its functions; the key stays unresolved', async () => {
  const r = await scanDir(fx('rw-dispatch'));
  assert.equal(endpointLines(r), ['GET /{?}/dashboard none admin.js:2', 'GET /{?}/profile none user.js:2']);
  assert.equal(r.codeEndpoints[0]!.unresolved.map((u) => u.text), ['Object.keys(...)[i]']);
});

test('unless({ path, method }): each condition exempts on its own, as express-unless does', async () => {
  const r = await scanDir(fx('unless-or'));
  assert.equal(endpointLines(r), ['GET /orders required app.js:7', 'OPTIONS /orders none app.js:6', 'POST /login none app.js:5']);
});

test.run();
