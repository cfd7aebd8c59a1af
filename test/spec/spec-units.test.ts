import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec, looksLikeSpec } from '../../src/spec/index.js';
import { joinPath, securityOf, serverBasePath, serversBasePaths } from '../../src/spec/paths.js';
import { formatPointer, parsePointer } from '../../src/spec/source.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A throw-away repository: `files` written under a fresh temporary root. */
function repo(files: Record<string, string>): { root: string; done: () => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'apilantern-spec-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return { root, done: () => rmSync(root, { recursive: true, force: true }) };
}

// ------------------------------------------------------------ looksLikeSpec

test('looksLikeSpec: top-level version keys in YAML and JSON', () => {
  assert.is(looksLikeSpec('openapi: 3.0.3\ninfo: {}\n'), true);
  assert.is(looksLikeSpec("swagger: '2.0'\n"), true);
  assert.is(looksLikeSpec('"openapi": "3.1.0"\n'), true);
  assert.is(looksLikeSpec('\uFEFF# API\n---\nopenapi: 3.1.0\n'), true);
  assert.is(looksLikeSpec('{"openapi":"3.0.0","info":{}}'), true);
  assert.is(looksLikeSpec('{\n  "info": {"title": "t", "openapi": "x"},\n  "swagger": "2.0"\n}'), true);
  for (const f of ['swagger2/api.yaml', 'oas30/api.json', 'oas31/openapi.yaml']) {
    assert.is(looksLikeSpec(readFileSync(path.join(fixtures, f), 'utf8')), true, f);
  }
});

test('looksLikeSpec: mentions that are not a top-level version key', () => {
  const mentions = readFileSync(path.join(fixtures, 'looks/mentions.yaml'), 'utf8');
  assert.is(looksLikeSpec(mentions), false);
  assert.is(looksLikeSpec('# openapi: 3.0.0\nname: x\n'), false);
  assert.is(looksLikeSpec('tools:\n  openapi: 3.0.0\n'), false);
  assert.is(looksLikeSpec('openapi:\n  output: ./spec.yaml\n'), false); // a config section, not a version
  assert.is(looksLikeSpec('{"x": {"openapi": "3.0.0"}}'), false);
  assert.is(looksLikeSpec('{"description": "openapi: 3.0.0", "swagger_ui": true}'), false);
  assert.is(looksLikeSpec('{"name": "openapi", "dependencies": {"swagger": "^2.0"}}'), false);
  assert.is(looksLikeSpec(''), false);
  // only the first 4 KB are read
  assert.is(looksLikeSpec(`{"info": {"description": "${'x'.repeat(5000)}"}, "openapi": "3.0.0"}`), false);
  assert.is(looksLikeSpec(`openapi: 3.0.0\ninfo:\n  description: "${'x'.repeat(50_000)}"\n`), true);
});

// ------------------------------------------------------------ helpers

test('server URLs: scheme and host dropped, variables substituted, relative kept', () => {
  assert.is(serverBasePath('https://api.example.com/v1', undefined), '/v1');
  assert.is(serverBasePath('https://api.example.com', undefined), '');
  assert.is(serverBasePath('https://api.example.com/', undefined), '');
  assert.is(serverBasePath('/api', undefined), '/api');
  assert.is(serverBasePath('api/v2/', undefined), '/api/v2');
  assert.is(serverBasePath('./v3', undefined), '/v3');
  assert.is(serverBasePath('//cdn.example.com/edge', undefined), '/edge');
  assert.is(serverBasePath('localhost:8080/v1', undefined), '/v1');
  assert.is(serverBasePath('api.example.com/v1', undefined), '/v1');
  assert.is(serverBasePath('https://example.com/v1?x=1#frag', undefined), '/v1');
  const vars = { scheme: { default: 'https' }, host: { default: 'x.io' }, basePath: { default: 'v2' }, port: { default: 8443 } };
  assert.is(serverBasePath('{scheme}://{host}:{port}/{basePath}/', vars), '/v2');
  assert.is(serverBasePath('https://x.io/{unknown}/v1', vars), '/{unknown}/v1');
  assert.equal(serversBasePaths([{ url: '/a' }, { url: 'https://h/a/' }, { url: '/b' }, { nope: 1 }]), ['/a', '/b']);
  assert.is(serversBasePaths([]), undefined);
  assert.is(serversBasePaths('nope'), undefined);
});

test('joinPath: one slash between parts, none at the end except for /', () => {
  assert.is(joinPath('', '/'), '/');
  assert.is(joinPath('/api', '/'), '/api');
  assert.is(joinPath('/api', '/users/'), '/api/users');
  assert.is(joinPath('/api', 'users'), '/api/users');
  assert.is(joinPath('', '//users//{id}'), '/users/{id}');
});

test('securityOf', () => {
  assert.equal(securityOf(undefined), { security: 'none', schemes: [] });
  assert.equal(securityOf([]), { security: 'none', schemes: [] });
  assert.equal(securityOf([{}]), { security: 'none', schemes: [] });
  assert.equal(securityOf([{ b: [] }, { a: ['x'], b: [] }]), { security: 'required', schemes: ['a', 'b'] });
  assert.equal(securityOf([{ jwt: [] }, {}]), { security: 'optional', schemes: ['jwt'] });
});

test('JSON pointers: ~0 ~1 and percent-encoding', () => {
  assert.equal(parsePointer('/paths/~1users~1%7Bid%7D/get'), ['paths', '/users/{id}', 'get']);
  assert.equal(parsePointer('/a~0b/~01'), ['a~b', '~1']);
  assert.equal(parsePointer(''), []);
  assert.is(parsePointer('plain-name'), undefined);
  assert.is(formatPointer(['paths', '/users/{id}', 'a~b']), '/paths/~1users~1{id}/a~0b');
});

// ------------------------------------------------------------ loading edge cases

test('a symbolic link leading outside the root is not followed', async () => {
  const outside = repo({ 'secret.yaml': 'get:\n  responses: {}\n' });
  const r = repo({
    'openapi.yaml': "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    $ref: './link.yaml'\n",
  });
  try {
    symlinkSync(path.join(outside.root, 'secret.yaml'), path.join(r.root, 'link.yaml'));
    const out = await loadSpec(path.join(r.root, 'openapi.yaml'), { root: r.root });
    assert.equal(out.doc!.operations, []);
    assert.equal(
      out.notifications.map((n) => `${n.code} ${n.message}`),
      ['spec-ref-outside openapi.yaml:5: $ref "./link.yaml" points outside the repository root; not read.'],
    );
  } finally {
    r.done();
    outside.done();
  }
});

test('path item $ref with sibling operations and servers in the referenced file', async () => {
  const r = repo({
    'api/openapi.yaml': [
      'openapi: 3.0.3', // 1
      "info: {title: t, version: '1'}", // 2
      'servers: [{url: /root}]', // 3
      'paths:', // 4
      '  /things:', // 5
      "    $ref: 'things.yaml#/item'", // 6
      '    post:', // 7
      '      operationId: localPost', // 8
      "      responses: {'201': {description: ok}}", // 9
    ].join('\n'),
    'api/things.yaml': [
      'item:', // 1
      '  servers:', // 2
      '    - url: https://things.example.com/t', // 3
      '  get:', // 4
      '    operationId: remoteGet', // 5
      "    responses: {'200': {description: ok}}", // 6
      '  post:', // 7
      '    operationId: shadowed', // 8
      "    responses: {'201': {description: ok}}", // 9
    ].join('\n'),
  });
  try {
    const out = await loadSpec(path.join(r.root, 'api/openapi.yaml'), { root: r.root, validate: false });
    assert.equal(out.notifications, []);
    assert.equal(
      out.doc!.operations.map((o) => [o.method, o.path, o.file, o.line, o.pathLine, o.operationId]),
      [
        ['POST', '/t/things', 'api/openapi.yaml', 7, 5, 'localPost'],
        ['GET', '/t/things', 'api/things.yaml', 4, 5, 'remoteGet'],
      ],
    );
  } finally {
    r.done();
  }
});

test('YAML merge keys, numeric version, duplicate keys', async () => {
  const r = repo({
    'openapi.yaml': [
      'openapi: 3.0', // 1  (YAML reads the number 3: the text as written is used)
      "info: {title: t, version: '1'}", // 2
      'x-common: &common', // 3
      '  get:', // 4
      "    responses: {'200': {description: ok}}", // 5
      'paths:', // 6
      '  /merged:', // 7
      '    <<: *common', // 8
      '    delete:', // 9
      "      responses: {'204': {description: ok}}", // 10
      '  /dup:', // 11
      '    get: {operationId: first}', // 12
      '    get: {operationId: second}', // 13
    ].join('\n'),
  });
  try {
    const out = await loadSpec(path.join(r.root, 'openapi.yaml'), { root: r.root, validate: false });
    assert.is(out.doc!.version, '3.0');
    assert.equal(
      out.doc!.operations.map((o) => [o.method, o.path, o.line, o.operationId ?? '-']),
      [
        ['GET', '/merged', 4, '-'], // written at the anchor
        ['DELETE', '/merged', 9, '-'],
        ['GET', '/dup', 13, 'second'], // the last duplicate wins, and its line is given
      ],
    );
    assert.equal(
      out.notifications.map((n) => `${n.level} ${n.code} ${n.line}`),
      ['warning spec-duplicate-key 13'],
    );
  } finally {
    r.done();
  }
});

test('JSON with a key longer than YAML allows still loads (lines fall back)', async () => {
  const long = 'k'.repeat(1100);
  const r = repo({
    'api.json': JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, 'x-long': { [long]: 1 }, paths: { '/a': { get: { responses: { 200: { description: 'ok' } } } } } }),
  });
  try {
    const out = await loadSpec(path.join(r.root, 'api.json'), { root: r.root });
    assert.equal(
      out.doc!.operations.map((o) => [o.method, o.path, o.line]),
      [['GET', '/a', 1]],
    );
    assert.equal(out.notifications, []);
  } finally {
    r.done();
  }
});

test('a big spec loads and validates in reasonable time', async () => {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < 1500; i++) {
    paths[`/r${i}/{id}`] = {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: `get${i}`, responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/M' } } } } } },
      delete: { operationId: `del${i}`, responses: { 204: { description: 'gone' } } },
    };
  }
  const doc = { openapi: '3.0.3', info: { title: 'big', version: '1' }, paths, components: { schemas: { M: { type: 'object', properties: { self: { $ref: '#/components/schemas/M' } } } } } };
  const r = repo({ 'big.json': JSON.stringify(doc, null, 2) });
  try {
    const out = await loadSpec(path.join(r.root, 'big.json'), { root: r.root });
    assert.is(out.doc!.operations.length, 3000);
    assert.equal(out.notifications, []);
    const last = out.doc!.operations[2999]!;
    assert.equal([last.method, last.path, last.operationId], ['DELETE', '/r1499/{id}', 'del1499']);
  } finally {
    r.done();
  }
});

test.run();
