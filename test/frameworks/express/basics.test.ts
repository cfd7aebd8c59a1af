// Express basics: app and router factories, every verb, route() chains, and Express 4 / Express 5 path syntax.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';

const FX = 'test/frameworks/express/fixtures';

test('verbs: express(), express.Router(), Router() from express; app.get(setting) is not a route', async () => {
  const r = await scanDir(`${FX}/verbs`);
  assert.equal(endpointLines(r), [
    'ALL /ping none src/app.ts:21',
    'DELETE /api/items/{id} none src/app.ts:17',
    'GET /api/items none src/app.ts:13',
    'HEAD /api/items none src/app.ts:19',
    'OPTIONS /api/items none src/app.ts:18',
    'PATCH /api/items/{id} none src/app.ts:16',
    'POST /api/items none src/app.ts:14',
    'PUT /api/items/{id} none src/app.ts:15',
  ]);
  assert.equal(r.frameworks, ['express']);
  // every endpoint belongs to the one app created on line 4
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.server))], ['src/app.ts:4']);
  assert.equal(r.codeEndpoints.map((e) => e.unresolved).flat(), []);
});

test('route() chains: one endpoint per verb, on the line of that verb', async () => {
  const r = await scanDir(`${FX}/routes-chain`);
  assert.equal(endpointLines(r), [
    'DELETE /library/books/{bookId} none src/routes/books.js:19',
    'GET /about none src/app.js:8',
    'GET /library/books none src/routes/books.js:13',
    'GET /library/books/{bookId} none src/routes/books.js:17',
    'POST /library/books none src/routes/books.js:14',
    'PUT /library/books/{bookId} none src/routes/books.js:18',
  ]);
});

test('express 4 paths: arrays, :param, optional :param?, regex constraint, * wildcard, regex literal', async () => {
  const r = await scanDir(`${FX}/paths-express4`);
  assert.equal(endpointLines(r), [
    'GET /about none src/app.js:6',
    'GET /about-us none src/app.js:6',
    'GET /files/{*} none src/app.js:11',
    'GET /orders/{id} none src/app.js:10',
    'GET /posts none src/app.js:9',
    'GET /posts/{page} none src/app.js:9',
    'GET /users/{userId} none src/app.js:7',
    'GET /users/{userId}/books/{bookId} none src/app.js:8',
    'GET /{?} none src/app.js:12',
  ]);
  const legacy = r.codeEndpoints.find((e) => e.path === '/{?}');
  assert.ok(legacy, 'the regular-expression route is an endpoint');
  assert.is(legacy!.unresolved.length, 1);
  assert.match(legacy!.unresolved[0]!.reason, /regular.expression/i);
  assert.match(legacy!.unresolved[0]!.text, /legacy/);
  // only the regex route has holes
  assert.equal(r.codeEndpoints.filter((e) => e.unresolved.length).map((e) => e.path), ['/{?}']);
});

test('express 5 paths: named wildcard *splat, optional group {/:param}, arrays of paths', async () => {
  const r = await scanDir(`${FX}/paths-express5`);
  assert.equal(endpointLines(r), [
    'DELETE /sessions/{sid} none src/app.mjs:9',
    'DELETE /tokens/{sid} none src/app.mjs:9',
    'GET /assets/{splat*} none src/app.mjs:6',
    'GET /docs none src/app.mjs:7',
    'GET /docs/{section} none src/app.mjs:7',
    'GET /users/{id} none src/app.mjs:8',
  ]);
});

test.run();
