import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../../src/spec/index.js';
import type { Notification, SpecOperation } from '../../src/model.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const load = (rel: string, extra: { allowRemoteRefs?: boolean; validate?: boolean } = {}) => loadSpec(path.join(root, rel), { root, ...extra });

/** The fields that locate and classify an operation, in one line per operation. */
function brief(ops: SpecOperation[] | undefined): string[] {
  return (ops ?? []).map(
    (o) => `${o.method} ${o.path} ${o.file}:${o.line} path@${o.pathLine} ${o.security}[${o.securitySchemes.join(',')}] ${o.operationId ?? '-'}`,
  );
}

function codes(ns: Notification[]): string[] {
  return ns.map((n) => `${n.level} ${n.code} ${n.file}:${n.line ?? '-'}`);
}

test('swagger 2.0 yaml with basePath: every field of every operation', async () => {
  const r = await load('swagger2/api.yaml');
  assert.equal(r.notifications, []);
  assert.ok(r.doc);
  const { operations, ...doc } = r.doc!;
  assert.equal(doc, { file: 'swagger2/api.yaml', version: '2.0', basePaths: ['/api/v2'], pathsLine: 13, title: 'Pets (Swagger 2)' });
  const common = { basePaths: ['/api/v2'], spec: 'swagger2/api.yaml', file: 'swagger2/api.yaml' };
  assert.equal(operations, [
    { method: 'GET', path: '/api/v2/pets', rawPath: '/pets', ...common, line: 15, pathLine: 14, security: 'required', securityDeclared: true, securitySchemes: ['apiKey'], operationId: 'listPets' },
    { method: 'POST', path: '/api/v2/pets', rawPath: '/pets', ...common, line: 20, pathLine: 14, security: 'required', securityDeclared: true, securitySchemes: ['apiKey'], operationId: 'createPet', deprecated: true },
    // trailing slash of the path key dropped; `security: []` overrides the global requirement
    { method: 'DELETE', path: '/api/v2/pets/{id}', rawPath: '/pets/{id}/', ...common, line: 32, pathLine: 26, security: 'none', securityDeclared: true, securitySchemes: [], operationId: 'deletePet' },
  ]);
});

test('openapi 3.0 json: server variables, several servers, path-item and operation servers', async () => {
  const r = await load('oas30/api.json');
  assert.equal(r.notifications, []);
  const doc = r.doc!;
  assert.is(doc.version, '3.0');
  assert.is(doc.title, 'Shop');
  assert.is(doc.pathsLine, 15);
  // https://{region}.example.com/{base}/v1 with defaults, /internal, and a duplicate of the first
  assert.equal(doc.basePaths, ['/shop/v1', '/internal']);
  assert.equal(brief(doc.operations), [
    'GET /shop/v1/orders oas30/api.json:17 path@16 none[] listOrders',
    'PUT /orders/{id} oas30/api.json:24 path@22 none[] replaceOrder',
    'PATCH /edge/orders/{id} oas30/api.json:29 path@22 none[] patchOrder',
  ]);
  assert.equal(
    doc.operations.map((o) => o.basePaths),
    [['/shop/v1', '/internal'], [''], ['/edge']],
  );
  assert.equal(
    doc.operations.map((o) => o.rawPath),
    ['/orders', '/orders/{id}', '/orders/{id}'],
  );
});

test('openapi 3.1 yaml: relative server, root path, head/trace; webhooks are not served paths', async () => {
  const r = await load('oas31/openapi.yaml');
  assert.equal(r.notifications, []);
  assert.is(r.doc!.version, '3.1');
  assert.equal(r.doc!.basePaths, ['/api']);
  assert.equal(brief(r.doc!.operations), [
    'GET /api oas31/openapi.yaml:9 path@8 none[] root',
    'HEAD /api/events oas31/openapi.yaml:15 path@14 none[] -',
    'TRACE /api/events oas31/openapi.yaml:19 path@14 none[] traceEvents',
  ]);
  assert.is(r.doc!.operations[1]!.operationId, undefined);
  assert.is(r.doc!.operations[1]!.deprecated, undefined);
});

test('split files: path items in other files keep their own file and lines', async () => {
  const r = await load('split/openapi.yaml');
  assert.equal(r.notifications, []);
  const ops = r.doc!.operations;
  assert.equal(brief(ops), [
    'GET /users split/paths/users.yaml:2 path@6 none[] listUsers',
    'POST /users split/paths/users.yaml:13 path@6 required[bearer] createUser',
    // `paths/by-id.yaml#/~1users~1%7Bid%7D`: percent-encoding and ~1 escaping
    'GET /users/{id} split/paths/by-id.yaml:8 path@8 none[] getUser',
    'DELETE /users/{id} split/paths/by-id.yaml:13 path@8 none[] deleteUser',
    // `#/x-paths/teams`: an internal $ref, written further down the root file
    'GET /teams split/openapi.yaml:20 path@10 none[] listTeams',
    'GET /health split/openapi.yaml:13 path@12 none[] health',
  ]);
  for (const o of ops) assert.is(o.spec, 'split/openapi.yaml');
});

test('circular $refs: no loop, no crash; path-item and pointer cycles are reported', async () => {
  const r = await load('circular/openapi.yaml');
  assert.equal(brief(r.doc!.operations), ['GET /ok circular/openapi.yaml:7 path@6 none[] -']);
  assert.equal(codes(r.notifications), [
    'warning spec-ref-circular circular/openapi.yaml:25', // x-items/b → x-items/a → x-items/b
    'warning spec-ref-circular circular/loop.yaml:1', // /loop → loop.yaml → back to /loop
    'warning spec-ref-circular circular/openapi.yaml:20', // #/x-p/q/r goes through x-p: {$ref: '#/x-p/q'}
    'warning spec-ref-circular circular/openapi.yaml:27',
  ]);
  // recursive schemas (internal, across files, and a self-referencing YAML alias) are legal: no spec-invalid
  assert.not.ok(r.notifications.some((n) => n.code === 'spec-invalid'));
});

test('missing file, missing pointer, outside the root: warnings with file and line, the rest still loads', async () => {
  const r = await load('refs-bad/openapi.yaml');
  assert.equal(brief(r.doc!.operations), ['GET /fine refs-bad/openapi.yaml:19 path@18 none[] -']);
  const byLine = new Map(r.notifications.map((n) => [`${n.file}:${n.line}`, n]));
  const missing = byLine.get('refs-bad/openapi.yaml:7')!;
  assert.is(missing.code, 'spec-ref-missing');
  assert.is(missing.level, 'warning');
  assert.is(missing.message, 'refs-bad/openapi.yaml:7: $ref "./nope.yaml": file refs-bad/nope.yaml does not exist.');
  assert.is(byLine.get('refs-bad/openapi.yaml:9')!.code, 'spec-ref-missing');
  assert.is(byLine.get('refs-bad/openapi.yaml:9')!.message, 'refs-bad/openapi.yaml:9: $ref "#/x-paths/nothing": /x-paths/nothing not found in refs-bad/openapi.yaml.');
  assert.is(byLine.get('refs-bad/openapi.yaml:15')!.code, 'spec-ref-outside');
  assert.is(byLine.get('refs-bad/openapi.yaml:17')!.code, 'spec-ref-outside'); // /etc/hosts
  // a referenced file that does not parse: reported on that file, at the error's line
  const broken = byLine.get('refs-bad/broken.yaml:4')!;
  assert.is(broken.code, 'spec-parse-error');
  assert.is(broken.level, 'error');
  // the `{}` standing in for the unresolved response must not cause a spec-invalid warning
  assert.not.ok(r.notifications.some((n) => n.code === 'spec-invalid'));
});

test('remote $refs are refused with the file and line; nothing is fetched or read by the validator', async () => {
  const { createRequire } = await import('node:module');
  const fsCjs = createRequire(import.meta.url)('fs') as typeof import('fs');
  const realFetch = globalThis.fetch;
  const realReadFile = fsCjs.readFile;
  const fetched: string[] = [];
  const read: string[] = [];
  globalThis.fetch = (async (u: unknown) => {
    fetched.push(String(u));
    throw new Error('network used');
  }) as typeof fetch;
  (fsCjs as { readFile: unknown }).readFile = (...args: unknown[]) => {
    read.push(String(args[0]));
    return (realReadFile as (...a: unknown[]) => void)(...args);
  };
  try {
    const refused = await load('refs-bad/openapi.yaml');
    const remote = refused.notifications.filter((n) => n.code === 'spec-ref-remote');
    assert.equal(
      remote.map((n) => n.message),
      [
        'refs-bad/openapi.yaml:11: remote $ref "https://example.com/specs/paths.yaml#/pets" not fetched; pass --allow-remote-refs to permit.',
        'refs-bad/openapi.yaml:13: remote $ref "//example.com/paths.yaml" not fetched; pass --allow-remote-refs to permit.',
        'refs-bad/openapi.yaml:22: remote $ref "https://example.com/responses.yaml#/Ok" not fetched; pass --allow-remote-refs to permit.',
      ],
    );
    for (const n of remote) assert.is(n.level, 'warning');

    const allowed = await load('refs-bad/openapi.yaml', { allowRemoteRefs: true });
    const msgs = allowed.notifications.filter((n) => n.code === 'spec-ref-remote').map((n) => n.message);
    assert.is(msgs.length, 3);
    assert.is(msgs[0], 'refs-bad/openapi.yaml:11: remote $ref "https://example.com/specs/paths.yaml#/pets" not fetched: fetching remote $refs is not implemented.');
    assert.equal(fetched, []);
    assert.equal(read, []);
  } finally {
    globalThis.fetch = realFetch;
    (fsCjs as { readFile: unknown }).readFile = realReadFile;
  }
});

test('a failure met through a chain of $refs names its cause', async () => {
  const r = await load('refs-bad/chain.yaml');
  assert.equal(r.doc!.operations, []);
  assert.equal(
    r.notifications.map((n) => `${n.code} ${n.message}`),
    [
      'spec-ref-remote refs-bad/chain.yaml:7: $ref "#/x-remote/pets" cannot be resolved because of refs-bad/chain.yaml:11: remote $ref "https://example.com/x.yaml" not fetched; pass --allow-remote-refs to permit.',
      'spec-ref-missing refs-bad/chain.yaml:9: $ref "chain-part.yaml#/deep/pets" cannot be resolved because of refs-bad/chain-part.yaml:2: $ref "./not-there.yaml": file refs-bad/not-there.yaml does not exist.',
      'spec-ref-remote refs-bad/chain.yaml:11: remote $ref "https://example.com/x.yaml" not fetched; pass --allow-remote-refs to permit.',
    ],
  );
});

test('invalid YAML and JSON: an error at the right line, no document', async () => {
  const y = await load('bad/invalid.yaml');
  assert.is(y.doc, undefined);
  assert.equal(y.notifications, [
    {
      level: 'error',
      code: 'spec-parse-error',
      message: 'bad/invalid.yaml:8: cannot parse YAML: Nested mappings are not allowed in compact mappings.',
      file: 'bad/invalid.yaml',
      line: 8,
    },
  ]);
  const j = await load('bad/invalid.json');
  assert.is(j.doc, undefined);
  assert.equal(codes(j.notifications), ['error spec-parse-error bad/invalid.json:5']);
  assert.ok(j.notifications[0]!.message.startsWith('bad/invalid.json:5: cannot parse JSON:'));
});

test('YAML alias bomb is refused (spec-alias-limit), never expanded', async () => {
  const r = await load('bad/bomb.yaml');
  assert.is(r.doc, undefined);
  assert.equal(codes(r.notifications), ['error spec-alias-limit bad/bomb.yaml:5']);
  assert.match(r.notifications[0]!.message, /billion laughs/);
});

test('no paths: a document with zero operations and a warning', async () => {
  const r = await load('bad/nopaths.yaml');
  assert.ok(r.doc);
  assert.equal(r.doc!.operations, []);
  assert.is(r.doc!.pathsLine, 1);
  assert.equal(r.notifications, [
    { level: 'warning', code: 'spec-no-paths', message: 'bad/nopaths.yaml:1: the spec declares no paths; it documents no operations.', file: 'bad/nopaths.yaml', line: 1 },
  ]);
  const e = await load('bad/emptypaths.yaml');
  assert.equal(e.doc!.operations, []);
  assert.is(e.doc!.version, '2.0');
  assert.equal(codes(e.notifications), ['warning spec-no-paths bad/emptypaths.yaml:5']);
});

test('not a spec: unknown version, list, empty file, no version key, missing file', async () => {
  const v4 = await load('bad/v4.yaml');
  assert.is(v4.doc, undefined);
  assert.equal(v4.notifications, [
    {
      level: 'error',
      code: 'spec-unsupported-version',
      message: 'bad/v4.yaml:2: unsupported openapi version "4.0" (supported: Swagger 2.0, OpenAPI 3.0 and 3.1).',
      file: 'bad/v4.yaml',
      line: 2,
    },
  ]);
  assert.equal(codes((await load('bad/list.yaml')).notifications), ['error spec-not-object bad/list.yaml:1']);
  assert.equal(codes((await load('bad/empty.yaml')).notifications), ['error spec-not-object bad/empty.yaml:1']);
  assert.equal(codes((await load('bad/noversion.yaml')).notifications), ['error spec-unsupported-version bad/noversion.yaml:1']);
  const missing = await load('bad/does-not-exist.yaml');
  assert.is(missing.doc, undefined);
  assert.equal(codes(missing.notifications), ['error spec-read-error bad/does-not-exist.yaml:-']);
});

test('security: global, per-operation override, security: [], optional {} alternative', async () => {
  const r = await load('security/openapi.yaml');
  assert.equal(r.notifications, []);
  assert.equal(brief(r.doc!.operations), [
    'GET /global security/openapi.yaml:22 path@21 required[oauth] -',
    'GET /override security/openapi.yaml:27 path@26 required[apiKey] -',
    'GET /public security/openapi.yaml:34 path@33 none[] -',
    'GET /optional security/openapi.yaml:40 path@39 optional[apiKey,oauth] -',
    'GET /anonymous-only security/openapi.yaml:49 path@48 none[] -',
  ]);
  // a global requirement exists, so every operation has declared security (even `security: []`)
  assert.equal(r.doc!.operations.map((o) => o.securityDeclared), [true, true, true, true, true]);
});

test('security: swagger 2.0 with no global security', async () => {
  const r = await load('security/none.yaml');
  assert.equal(r.notifications, []);
  assert.equal(brief(r.doc!.operations), [
    'GET /open security/none.yaml:7 path@6 none[] -',
    'GET /locked security/none.yaml:12 path@11 required[basic] -',
  ]);
  // /open says nothing about security: `none`, but undeclared (unlike an explicit `security: []`)
  assert.equal(r.doc!.operations.map((o) => o.securityDeclared), [false, true]);
});

test('validation problems are warnings naming the file and line; operations are still returned', async () => {
  const r = await load('bad/invalid-schema.yaml');
  assert.equal(brief(r.doc!.operations), ['GET /items bad/invalid-schema.yaml:7 path@6 none[] listItems']);
  assert.equal(r.notifications, [
    {
      level: 'warning',
      code: 'spec-invalid',
      message: "bad/invalid-schema.yaml:10: spec is invalid at /paths/~1items/get/responses/200: must have required property 'description'.",
      file: 'bad/invalid-schema.yaml',
      line: 10,
    },
  ]);
  const d = await load('bad/dup-opid.yaml');
  assert.is(d.doc!.operations.length, 2);
  assert.equal(d.notifications, [
    {
      level: 'warning',
      code: 'spec-invalid',
      message: "bad/dup-opid.yaml:5: spec is invalid: Validation failed. Duplicate operation id 'same'.",
      file: 'bad/dup-opid.yaml',
      line: 5,
    },
  ]);
  const skipped = await load('bad/invalid-schema.yaml', { validate: false });
  assert.equal(skipped.notifications, []);
});

test('validation messages: one per place, the most specific, at the line of the offending key', async () => {
  const r = await load('bad/messy.yaml');
  assert.equal(brief(r.doc!.operations), ['GET /a bad/messy.yaml:6 path@5 none[] -']); // `GET:` is not an operation key
  assert.equal(
    r.notifications.map((n) => `${n.level} ${n.code} ${n.message}`),
    [
      "warning spec-invalid bad/messy.yaml:2: spec is invalid at /info: must have required property 'version'.",
      'warning spec-invalid bad/messy.yaml:14: spec is invalid at /paths/~1a: must NOT have additional properties (GET).',
      'warning spec-invalid bad/messy.yaml:13: spec is invalid at /paths/~1a/get: must NOT have additional properties (summery).',
      'warning spec-invalid bad/messy.yaml:9: spec is invalid at /paths/~1a/get/parameters/0/in: must be one of "path", "query", "header", "cookie".',
      'warning spec-invalid bad/messy.yaml:20: spec is invalid at /components/schemas/X/required: must be array.',
    ],
  );
});

test('a validation error inside a split file points into that file', async () => {
  const r = await load('split-invalid/openapi.yaml');
  assert.equal(brief(r.doc!.operations), ['GET /things split-invalid/item.yaml:1 path@6 none[] listThings']);
  assert.equal(r.notifications, [
    {
      level: 'warning',
      code: 'spec-invalid',
      message: 'split-invalid/item.yaml:6: spec is invalid at /paths/~1things/get: must NOT have additional properties (sumary).',
      file: 'split-invalid/item.yaml',
      line: 6,
    },
  ]);
});

test('deterministic: two loads give the same result', async () => {
  const a = await load('split/openapi.yaml');
  const b = await load('split/openapi.yaml');
  assert.equal(a, b);
});

test('a fragment with paths but no version key is read as Swagger 2.0, with a warning', async () => {
  const r = await load('bad/fragment.yaml');
  assert.equal(codes(r.notifications).filter((c) => !c.includes('spec-invalid')), ['warning spec-version-missing bad/fragment.yaml:1']);
  assert.is(r.doc?.version, '2.0');
  assert.equal(r.doc?.operations.map((o) => `${o.method} ${o.path} ${o.line}`), ['GET /users 6']);
});

test.run();
