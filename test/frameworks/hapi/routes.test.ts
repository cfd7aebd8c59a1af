// hapi routes: servers, server.route() with objects and arrays (imported from route files), methods, path syntax.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';

const FX = 'test/frameworks/hapi/fixtures';

test('Hapi.server(): route objects, method arrays and *, options/config handlers, {id?}, {p*}, {p*2}, {a}.{b}', async () => {
  const r = await scanDir(`${FX}/basics`);
  assert.equal(endpointLines(r), [
    // method '*' answers every method
    'ALL /echo none src/server.js:15',
    'DELETE /books/{isbn} none src/routes/books.js:22',
    'GET / none src/server.js:9',
    // {file*}: any number of segments
    'GET /assets/{file*} none src/routes/files.ts:6',
    'GET /books none src/routes/books.js:4',
    // method names are case-insensitive ('get')
    'GET /books/{isbn} none src/routes/books.js:17',
    'GET /downloads/{name}.{ext} none src/routes/files.ts:8',
    // {size*2}: exactly two segments
    'GET /thumbs/{size1}/{size2} none src/routes/files.ts:7',
    // method: ['PUT', 'PATCH'] on an optional last segment: two methods x two paths
    'PATCH /profile none src/server.js:10',
    'PATCH /profile/{section} none src/server.js:10',
    'POST /books none src/routes/books.js:9',
    'PUT /profile none src/server.js:10',
    'PUT /profile/{section} none src/server.js:10',
  ]);
  assert.equal(r.frameworks, ['hapi']);
  assert.equal([...new Set(r.codeEndpoints.map((e) => `${e.framework} ${e.service} ${e.server}`))], ['hapi . src/server.js:7']);
  assert.equal(r.codeEndpoints.flatMap((e) => e.unresolved), []);
});

test('new Hapi.Server() and new Server() from named import: each route attributed to its own server', async () => {
  const r = await scanDir(`${FX}/second`);
  assert.equal(endpointLines(r), [
    'DELETE /cache none src/index.ts:12',
    'GET /metrics none src/index.ts:11',
    'GET /status none src/index.ts:6',
    'POST /cache none src/index.ts:12',
  ]);
  const servers = Object.fromEntries(r.codeEndpoints.map((e) => [`${e.method} ${e.path}`, e.server]));
  assert.equal(servers['GET /status'], 'src/index.ts:5');
  assert.equal(servers['GET /metrics'], 'src/index.ts:9');
  assert.equal(servers['DELETE /cache'], 'src/index.ts:9');
});

test.run();
