// hapi auth as hapi decides it: route auth config, the server default (and when it applies), modes, schemes,
// lifecycle extensions, pre methods and handlers that reject requests without credentials.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';
import type { ScanResult } from '../../../src/scan.js';

const FX = 'test/frameworks/hapi/fixtures';

const find = (r: ScanResult, method: string, path: string) => {
  const e = r.codeEndpoints.find((x) => x.method === method && x.path === path);
  assert.ok(e, `${method} ${path} should be an endpoint`);
  return e!;
};
const evidence = (r: ScanResult, method: string, path: string) => find(r, method, path).evidence.map((e) => `${e.kind} ${e.name} ${e.auth}`);

test('strategies and the default: auth false, strategy names, modes, bell sign-in, default set after a route', async () => {
  const r = await scanDir(`${FX}/auth`);
  assert.equal(endpointLines(r), [
    // auth: 'session' (cookie scheme), mode required
    'DELETE /sessions required src/server.js:30',
    // added BEFORE server.auth.default('jwt') with no auth config: the default applies at request time
    'GET /account required src/server.js:19',
    // added before the default with { mode: 'try' } and no strategy: merged with the default at add time, there was
    // none (hapi refuses to start)
    'GET /early-feed unknown src/server.js:20',
    // { mode: 'try' } after the default: jwt in try mode
    'GET /feed optional src/server.js:26',
    'GET /health none src/server.js:25',
    // default { strategy: 'session', mode: 'try' }
    'GET /home optional src/site.js:10',
    // hapi 16: auth false; strategy(name, scheme, true, options) makes it the default
    'GET /legacy/ping none src/legacy.js:10',
    // bell: third-party sign-in flow, open to anonymous callers
    'GET /login/github none src/server.js:29',
    'GET /news optional src/server.js:27',
    'GET /orders required src/server.js:31',
    // strategy from an environment variable
    'GET /partner/{id} unknown src/server.js:32',
    'POST /admin/reindex required src/server.js:28',
    // { mode: 'required' } overrides the default's 'try'
    'POST /checkout required src/site.js:11',
    'POST /login/github none src/server.js:29',
    'PUT /legacy/settings required src/legacy.js:11',
  ]);
  assert.equal(evidence(r, 'GET', '/account'), ["config server.auth.default('jwt') required"]);
  assert.equal(evidence(r, 'GET', '/health'), ['config auth: false none']);
  assert.equal(evidence(r, 'POST', '/admin/reindex'), ["config auth: { strategies: ['simple', 'jwt'] } required"]);
  assert.ok(find(r, 'GET', '/login/github').evidence[0]!.reason.includes('@hapi/bell'));
  assert.ok(find(r, 'GET', '/feed').evidence[0]!.reason.includes("mode 'try'"));
  const servers = new Set(r.codeEndpoints.map((e) => e.server));
  assert.equal([...servers].sort(), ['src/legacy.js:4', 'src/server.js:11', 'src/site.js:5']);
});

test('code checks: server.ext (sandboxed to a plugin), pre methods, handlers; login handlers; stand-in server', async () => {
  const r = await scanDir(`${FX}/auth-code`);
  assert.equal(endpointLines(r), [
    // onPreAuth extension of the admin plugin (sandbox: 'plugin') rejects without the admin token
    'GET /admin/stats required src/admin.js:13',
    // a function nothing calls, given a server: its default auth strategy is not visible
    'GET /extra unknown src/extra-routes.js:3',
    'GET /extra/open none src/extra-routes.js:4',
    // the handler answers 401 without an Authorization header
    'GET /me required src/server.js:16',
    // the admin extension is sandboxed to its plugin: not in front of the root server's routes
    'GET /public none src/server.js:15',
    // a login handler answering 401 to a wrong password is not a protected endpoint
    'POST /login none src/server.js:25',
    'POST /reports required src/server.js:34',
  ]);
  assert.equal(evidence(r, 'POST', '/reports'), ['middleware requireApiKey required']);
  assert.equal(evidence(r, 'GET', '/admin/stats'), ["middleware server.ext('onPreAuth', checkAdminToken) required"]);
  assert.equal(find(r, 'GET', '/public').middleware, ["server.ext('onRequest', inline function at src/server.js:10)"]);
  assert.equal(evidence(r, 'GET', '/me'), ['handler handler required']);
  assert.ok(find(r, 'GET', '/extra').notes.some((n) => n.includes('stands in for a hapi server')));
});

test.run();
