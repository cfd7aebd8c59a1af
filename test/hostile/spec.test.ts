/**
 * Hostile specs: nesting 10,000 levels deep (JSON, YAML, YAML aliases, schemas, `$ref` chains), big specs, spec files
 * that are links to devices, named pipes, directories, links out of the repository, and output that must be the same
 * on every run. Every spec is built here, in a temporary repository, at test time.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec, type LoadSpecResult } from '../../src/spec/index.js';
import { MAX_SPEC_DEPTH, MAX_VALIDATE_DEPTH, boundDepth } from '../../src/spec/depth.js';
import { MAX_NOTES_PER_CODE, MAX_REF_NESTING } from '../../src/spec/source.js';
import { removeTempDirs, runCli, show, tempDir } from '../cli/run-cli.js';
import { GOOD, hostileRepo } from './helpers.js';

test.after(removeTempDirs);

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `level code file:line message` per notification. */
const notes = (r: LoadSpecResult): string[] => r.notifications.map((n) => `${n.level} ${n.code} ${n.file}:${n.line ?? '-'} ${n.message}`);
/** `METHOD path file:line` per operation. */
const ops = (r: LoadSpecResult): string[] => (r.doc?.operations ?? []).map((o) => `${o.method} ${o.path} ${o.file}:${o.line}`);

/** A repository holding these files (and the good Express app); returns its root. */
function repo(label: string, files: Record<string, string>): string {
  return hostileRepo(`spec-${label}`, { files });
}

const load = (root: string, rel: string, validate = true): Promise<LoadSpecResult> => loadSpec(path.join(root, rel), { root, validate });

/** No stack frame, V8 message or stack overflow in this text. */
function assertNoFrames(text: string, what: string): void {
  assert.not.ok(/\n\s+at |Maximum call stack|RangeError|PromiseRejectCallback|node:internal/.test(text), `${what} shows a stack trace or V8 message:\n${text.slice(0, 3000)}`);
}

const DEEP = 10_000;
const RESPONSES_JSON = '"responses": { "200": { "description": "ok" } }';

/** A JSON spec with `x-deep` nested DEEP levels before its paths (line 4), and two operations after it. */
function deepJson(): string {
  return [
    '{', // 1
    '  "openapi": "3.0.3",', // 2
    '  "info": { "title": "deep", "version": "1" },', // 3
    `  "x-deep": ${'['.repeat(DEEP)}${']'.repeat(DEEP)},`, // 4
    '  "paths": {', // 5
    `    "/one": { "get": { "operationId": "one", ${RESPONSES_JSON} } },`, // 6
    '    "/two": {', // 7
    `      "post": { "operationId": "two", ${RESPONSES_JSON} }`, // 8
    '    }', // 9
    '  }', // 10
    '}', // 11
    '',
  ].join('\n');
}

function deepYaml(): string {
  return [
    'openapi: 3.0.3', // 1
    'info: { title: deep, version: "1" }', // 2
    'paths:', // 3
    '  /one:', // 4
    '    get:', // 5
    "      responses: { '200': { description: ok } }", // 6
    `x-deep: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}`, // 7
    `x-deep-map: ${'{a: '.repeat(DEEP)}1${'}'.repeat(DEEP)}`, // 8
    'x-after: 1', // 9
    '',
  ].join('\n');
}

const TOO_DEEP = (n: number): string =>
  `values nested more than ${MAX_SPEC_DEPTH} levels deep were skipped (${n === 1 ? 'one value, here' : `${n} values, the first here`}); they are read as empty, the rest of the spec is loaded.`;

test('deep specs: a JSON extension nested 10,000 levels keeps the operations and says what was skipped', async () => {
  const root = repo('deep-json', { 'api.json': deepJson() });
  const r = await load(root, 'api.json');
  assert.equal(ops(r), ['GET /one api.json:6', 'POST /two api.json:8']);
  assert.equal(notes(r), [`warning spec-too-deep api.json:4 api.json:4: ${TOO_DEEP(1)}`]);
  // the operations around it are read as written
  assert.is(r.doc!.operations[1]!.operationId, 'two');
});

test('deep specs: YAML flow sequences and mappings nested 10,000 levels', async () => {
  const root = repo('deep-yaml', { 'api.yaml': deepYaml() });
  const r = await load(root, 'api.yaml');
  assert.equal(ops(r), ['GET /one api.yaml:5']);
  assert.equal(notes(r), [`warning spec-too-deep api.yaml:7 api.yaml:7: ${TOO_DEEP(2)}`]);
});

test('deep specs: YAML block mappings nested deeper than the bound, one line each', async () => {
  const lines = ['openapi: 3.0.3', 'info: { title: deep, version: "1" }', 'x-deep:'];
  for (let i = 0; i < 600; i++) lines.push(`${' '.repeat(i + 1)}k${i}:`); // lines 4..603
  lines.push(`${' '.repeat(601)}leaf`);
  lines.push('paths:', '  /one:', '    get:', "      responses: { '200': { description: ok } }");
  const root = repo('deep-block', { 'api.yaml': lines.join('\n') + '\n' });
  const r = await load(root, 'api.yaml');
  assert.equal(ops(r), ['GET /one api.yaml:607']);
  // x-deep is level 1, k0 holds level 2, ... the mapping held by k254 is the first one too deep
  assert.equal(notes(r), [`warning spec-too-deep api.yaml:${4 + MAX_SPEC_DEPTH - 1} api.yaml:${4 + MAX_SPEC_DEPTH - 1}: ${TOO_DEEP(1)}`]);
});

test('deep specs: YAML aliases nested in one another (shallow text, deep value)', async () => {
  const lines = ['openapi: 3.0.3', 'info: { title: t, version: "1" }', 'x-a0: &a0 [1]'];
  for (let i = 1; i < 6; i++) lines.push(`x-a${i}: &a${i} ${'['.repeat(200)}*a${i - 1}${']'.repeat(200)}`); // lines 4..8
  lines.push('paths:', '  /one:', '    get:', "      responses: { '200': { description: ok } }");
  const root = repo('deep-alias', { 'api.yaml': lines.join('\n') + '\n' });
  const r = await load(root, 'api.yaml');
  assert.equal(ops(r), ['GET /one api.yaml:11']);
  // x-a2 is the first value deeper than the bound (1 + 200 + 200 levels); the later ones contain it, and the cuts are
  // made in the values they share (the line is that of one of the places that reach a cut)
  assert.equal(notes(r), [`warning spec-too-deep api.yaml:7 api.yaml:7: ${TOO_DEEP(4)}`]);
});

test('deep specs: a schema nested 10,000 levels (properties and items) finishes with the warning', async () => {
  let schema = '{ "type": "string" }';
  for (let i = 0; i < DEEP; i++) schema = i % 2 ? `{ "type": "object", "properties": { "a": ${schema} } }` : `{ "type": "array", "items": ${schema} }`;
  const text = [
    '{',
    '  "openapi": "3.0.3",',
    '  "info": { "title": "deep", "version": "1" },',
    '  "paths": {',
    `    "/one": { "get": { "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": ${schema} } } } } } },`, // 5
    `    "/two": { "delete": { ${RESPONSES_JSON} } }`, // 6
    '  }',
    '}',
  ].join('\n');
  const root = repo('deep-schema', { 'api.json': text });
  const r = await load(root, 'api.json');
  assert.equal(ops(r), ['GET /one api.json:5', 'DELETE /two api.json:6']);
  assert.equal(notes(r), [`warning spec-too-deep api.json:5 api.json:5: ${TOO_DEEP(1)}`]);
});

test('deep specs: a chain of 10,000 schemas by $ref is validated down to the bound, then skipped with a warning', async () => {
  const schemas: Record<string, unknown> = {};
  for (let i = 0; i < DEEP; i++) schemas[`S${i}`] = { type: 'object', properties: { next: { $ref: `#/components/schemas/S${i + 1}` } } };
  schemas[`S${DEEP}`] = { type: 'string' };
  const spec = {
    openapi: '3.0.3',
    info: { title: 'chain', version: '1' },
    paths: {
      '/one': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/S0' } } } } } } },
      '/two': { get: { responses: { 200: { description: 'ok' } } } },
    },
    components: { schemas },
  };
  const root = repo('ref-chain', { 'api.json': JSON.stringify(spec, null, 1) });
  const r = await load(root, 'api.json');
  assert.equal(
    r.doc!.operations.map((o) => `${o.method} ${o.path}`),
    ['GET /one', 'GET /two'],
  );
  // each schema of the chain sits both near the top (in components) and deep down the chain: those reached from
  // deeper than the bound by the chain are not validated below it; the line is where the chain reaches the bound (S82's `next`: 9 levels down to S0, 3 more per schema)
  assert.equal(notes(r), [`warning spec-too-deep api.json:694 api.json:694: with its $refs followed, the spec nests more than ${MAX_VALIDATE_DEPTH} levels deep; 9918 values were not validated (the first here).`]);
});

test('deep specs: a pointer through 10,000 nested $refs is not followed past the bound', async () => {
  // X0/y is found through X1/y, X1/y through X2/y, ...: each resolution nests another one
  const x: Record<string, unknown> = {};
  for (let i = 0; i < DEEP; i++) x[`X${i}`] = { $ref: `#/components/x/X${i + 1}/y` };
  x[`X${DEEP}`] = { y: { get: { responses: { 200: { description: 'ok' } } } } };
  const spec = {
    openapi: '3.0.3',
    info: { title: 'chain', version: '1' },
    paths: { '/one': { $ref: '#/components/x/X0' }, '/two': { get: { responses: { 200: { description: 'ok' } } } } },
    components: { x },
  };
  const root = repo('ref-nesting', { 'api.json': JSON.stringify(spec, null, 1) });
  const r = await load(root, 'api.json', false);
  assert.equal(
    r.doc!.operations.map((o) => `${o.method} ${o.path}`),
    ['GET /two'],
  );
  const codes = new Set(r.notifications.map((n) => n.code));
  assert.ok(codes.has('spec-ref-too-deep'), notes(r).join('\n'));
  assert.ok(r.notifications.some((n) => n.message.includes(`is reached through more than ${MAX_REF_NESTING} nested $refs; not resolved.`)));
  // bounded output: never more than the cap of one code, then one line that counts the rest
  const tooDeep = r.notifications.filter((n) => n.code === 'spec-ref-too-deep');
  assert.ok(tooDeep.length <= MAX_NOTES_PER_CODE + 1, `${tooDeep.length} spec-ref-too-deep notifications`);
});

test('deep specs: the CLI prints no stack frame and keeps the code routes (JSON and YAML, in a child process)', () => {
  const dir = hostileRepo('spec-deep-cli', { files: { 'api.json': deepJson(), 'openapi.yaml': deepYaml(), 'apilantern.config.json': JSON.stringify({ specs: ['api.json', 'openapi.yaml'] }) } });
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', `import { main } from ${JSON.stringify(path.join(REPO, 'src/cli/main.ts'))}; process.exitCode = await main(process.argv.slice(1));`, 'scan', dir, '--format', 'json'],
    { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '' }, timeout: 120_000 },
  );
  assertNoFrames(res.stderr, 'stderr');
  assert.ok(res.stdout.length > 0, `no report; stderr:\n${res.stderr}`);
  const report = JSON.parse(res.stdout) as { endpoints?: Array<{ method: string; path: string }>; notifications?: Array<{ code: string; message: string; file?: string; line?: number }> };
  assertNoFrames(JSON.stringify(report), 'the report');
  const text = JSON.stringify(report);
  for (const g of GOOD) {
    const [m, p] = g.split(' ');
    assert.ok(text.includes(`"${p}"`) && text.includes(`"${m}"`), `${g} missing from the report`);
  }
  const deep = (report.notifications ?? []).filter((n) => n.code === 'spec-too-deep').map((n) => `${n.file}:${n.line}`);
  assert.equal(deep.sort(), ['api.json:4', 'openapi.yaml:7']);
  assert.match(res.stderr, `api.json:4: ${TOO_DEEP(1)}`);
});

test('deep specs: 300 files inlined into one another are validated down to the bound', async () => {
  const files: Record<string, string> = {
    'openapi.yaml': [
      'openapi: 3.0.3', // 1
      "info: { title: t, version: '1' }", // 2
      'paths:', // 3
      '  /one:', // 4
      '    get:', // 5
      '      responses:', // 6
      "        '200':", // 7
      '          description: ok', // 8
      '          content:', // 9
      "            application/json: { schema: { $ref: './s/s0.yaml' } }", // 10
      '',
    ].join('\n'),
  };
  for (let i = 0; i < 300; i++) files[`s/s${i}.yaml`] = i < 299 ? `type: object\nproperties:\n  next:\n    $ref: './s${i + 1}.yaml'\n` : 'type: string\n';
  const root = repo('file-chain', files);
  const r = await load(root, 'openapi.yaml');
  assert.equal(ops(r), ['GET /one openapi.yaml:5']);
  // 9 levels down to s0's schema, then 3 more per file (properties, next, the next file): s82's `next` is past 256
  assert.equal(notes(r), [`warning spec-too-deep s/s82.yaml:3 s/s82.yaml:3: spec files inlined into one another nest more than ${MAX_VALIDATE_DEPTH} levels deep; not validated below that depth.`]);
});

test('deep specs: after the cut, no walk that inlines $refs goes deeper than the bound, wherever the $ref sits', () => {
  const max = 40;
  /** Nested arrays `n` deep around `inner`. */
  const nest = (n: number, inner: unknown): unknown => {
    let v = inner;
    for (let i = 0; i < n; i++) v = [v];
    return v;
  };
  /** The deepest a walker that replaces each `{ $ref }` by its target reaches (containers counted, root 0). */
  const walkDepth = (root: unknown, target: (h: Record<string, unknown>) => object | undefined): number => {
    let deepest = 0;
    const stack: Array<[unknown, number]> = [[root, 0]];
    while (stack.length) {
      const [v, d] = stack.pop()!;
      if (v === null || typeof v !== 'object') continue;
      deepest = Math.max(deepest, d);
      const rec = v as Record<string, unknown>;
      const t = !Array.isArray(v) && typeof rec.$ref === 'string' ? target(rec) : undefined;
      if (t) stack.push([t, d]);
      for (const c of Object.values(rec)) stack.push([c, d + 1]);
    }
    return deepest;
  };
  for (let at = max - 4; at <= max + 2; at++) {
    // the target is in the document (reached by its own path too) or only through the `$ref`
    const doc: Record<string, unknown> = { deep: nest(3 * max, 'leaf'), shallow: null, holder: null };
    const elsewhere = nest(3 * max, 'leaf') as object;
    const shared = { $ref: '#/deep' };
    doc.shallow = nest(2, shared); // the same holder, near the top
    doc.holder = nest(at, shared); // and deep down
    doc.other = nest(at, { $ref: '#/elsewhere' });
    const target = (h: Record<string, unknown>): object | undefined => (h.$ref === '#/deep' ? (doc.deep as object) : h.$ref === '#/elsewhere' ? elsewhere : undefined);
    assert.ok(walkDepth(doc, target) > max);
    const bound = boundDepth(doc, max, { target });
    assert.ok(bound.cuts > 0, `holder at ${at}: nothing cut`);
    assert.ok(walkDepth(doc, target) <= max, `holder at ${at}: still ${walkDepth(doc, target)} deep`);
  }
});

// ------------------------------------------------------------------ size

/** A pretty-printed JSON spec with `n` paths of two operations; the line of each operation follows from `n`. */
function bigJson(n: number): { text: string; lineOf: (i: number, method: 'get' | 'post') => number } {
  const lines = ['{', '  "openapi": "3.0.3",', '  "info": { "title": "big", "version": "1" },', '  "paths": {'];
  for (let i = 0; i < n; i++) {
    lines.push(`    "/r${i}/{id}": {`);
    lines.push(`      "get": { "operationId": "g${i}", "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }], ${RESPONSES_JSON} },`);
    lines.push(`      "post": { "operationId": "p${i}", "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }], "responses": { "201": { "description": "made" } } }`);
    lines.push(i === n - 1 ? '    }' : '    },');
  }
  lines.push('  }', '}', '');
  return { text: lines.join('\n'), lineOf: (i, m) => 5 + 4 * i + (m === 'get' ? 1 : 2) };
}

function bigYaml(n: number): { text: string; lineOf: (i: number, method: 'get' | 'post') => number } {
  const lines = ['openapi: 3.0.3', 'info:', '  title: big', "  version: '1'", 'paths:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  /r${i}/{id}:`, '    parameters:', '      - { name: id, in: path, required: true, schema: { type: string } }');
    lines.push('    get:', `      operationId: g${i}`, "      responses: { '200': { description: ok } }");
    lines.push('    post:', `      operationId: p${i}`, "      responses: { '201': { description: made } }");
  }
  return { text: lines.join('\n') + '\n', lineOf: (i, m) => 6 + 9 * i + (m === 'get' ? 3 : 6) };
}

for (const [kind, make] of [
  ['JSON', bigJson],
  ['YAML', bigYaml],
] as const) {
  test(`size: a ${kind} spec with 4,000 paths loads and validates every operation, on its line`, async () => {
    const n = 4000;
    const big = make(n);
    const file = kind === 'JSON' ? 'big.json' : 'big.yaml';
    const root = repo(`big-${kind}`, { [file]: big.text });
    const r = await load(root, file);
    assert.equal(notes(r), []);
    const got = r.doc!.operations;
    assert.is(got.length, 2 * n);
    for (const i of [0, 1, 1234, n - 1]) {
      for (const [k, m] of [
        [2 * i, 'get'],
        [2 * i + 1, 'post'],
      ] as const) {
        const o = got[k]!;
        assert.equal([o.method, o.path, o.operationId, o.line], [m.toUpperCase(), `/r${i}/{id}`, `${m[0]}${i}`, big.lineOf(i, m)]);
      }
    }
  });
}

test('size: duplicate keys are found in one pass, with the line of the later key (JSON and YAML)', async () => {
  const json = ['{', '  "openapi": "3.0.3",', '  "info": { "title": "t", "version": "1" },', '  "paths": {', `    "/a": { "get": { "operationId": "first", ${RESPONSES_JSON} } },`, `    "/a": { "get": { "operationId": "second", ${RESPONSES_JSON} } }`, '  }', '}'].join('\n');
  const yaml = ['openapi: 3.0.3', 'info: { title: t, version: "1" }', 'paths:', '  /a:', '    get: { operationId: first }', '  "/a":', '    get: { operationId: second }', '  1: {}', "  '1': {}"].join('\n');
  const root = repo('dup', { 'api.json': json, 'api.yaml': yaml });
  const j = await load(root, 'api.json', false);
  assert.equal(ops(j), ['GET /a api.json:6']);
  assert.is(j.doc!.operations[0]!.operationId, 'second');
  assert.equal(notes(j), ['warning spec-duplicate-key api.json:6 api.json:6: duplicate key (Map keys must be unique); the last value is used.']);
  const y = await load(root, 'api.yaml', false);
  assert.equal(
    y.doc!.operations.map((o) => `${o.method} ${o.path}:${o.line} ${o.operationId}`),
    ['GET /a:7 second'],
  );
  // the number 1 and the string '1' are different YAML keys
  assert.equal(notes(y), ['warning spec-duplicate-key api.yaml:6 api.yaml:6: duplicate key (Map keys must be unique); the last value is used.']);
});

test('size: JSON keys named like JavaScript internals stay data', async () => {
  const text = JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: JSON.parse(`{"/__proto__": {"get": {"operationId": "p", ${RESPONSES_JSON}}}, "__proto__": {"get": {}}, "/constructor": {"constructor": {}, "get": {"operationId": "c", ${RESPONSES_JSON}}}}`) });
  const root = repo('proto', { 'api.json': text.replace('"paths":{', '"paths":{"__proto__":{"polluted":true},') });
  const r = await load(root, 'api.json', false);
  assert.equal(
    r.doc!.operations.map((o) => `${o.method} ${o.path} ${o.operationId ?? '-'}`),
    ['GET /__proto__ -', 'GET /__proto__ p', 'GET /constructor c'],
  );
  assert.equal(notes(r), ['warning spec-duplicate-key api.json:1 api.json:1: duplicate key (Map keys must be unique); the last value is used.']);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

// ------------------------------------------------------------------ reads

test('reads: a spec that is a link to /dev/zero is refused, never read', async () => {
  const root = repo('devzero', { 'ref.yaml': "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    $ref: './zero.yaml#/a'\n" });
  fs.symlinkSync('/dev/zero', path.join(root, 'openapi.yaml'));
  fs.symlinkSync('/dev/zero', path.join(root, 'zero.yaml'));
  const r = await load(root, 'openapi.yaml');
  assert.equal(notes(r), ['error spec-read-error openapi.yaml:- openapi.yaml: cannot read the spec: the file is a symbolic link that leads out of the scanned directory.']);
  // as a $ref target
  const viaRef = await load(root, 'ref.yaml');
  assert.equal(notes(viaRef), ['warning spec-ref-outside ref.yaml:5 ref.yaml:5: $ref "./zero.yaml#/a" points outside the repository root; not read.']);
  // named outside the repository (on the command line): followed, but a device is not a regular file
  const elsewhere = tempDir('spec-devzero-elsewhere');
  const named = await loadSpec(path.join(root, 'openapi.yaml'), { root: elsewhere });
  assert.is(named.notifications.length, 1);
  assert.match(named.notifications[0]!.message, /: cannot read the spec: the file is a character device, not a regular file\.$/);
});

test('reads: a named pipe as the spec or as a $ref target is refused without blocking', async () => {
  const root = repo('fifo', { 'ref.yaml': "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    $ref: './pipe.yaml#/a'\n  /b:\n    get:\n      responses: { '200': { description: ok } }\n" });
  execFileSync('mkfifo', [path.join(root, 'openapi.yaml'), path.join(root, 'pipe.yaml')]);
  const r = await load(root, 'openapi.yaml');
  assert.equal(notes(r), ['error spec-read-error openapi.yaml:- openapi.yaml: cannot read the spec: the file is a named pipe, not a regular file.']);
  const viaRef = await load(root, 'ref.yaml', false);
  assert.equal(ops(viaRef), ['GET /b ref.yaml:7']);
  assert.equal(notes(viaRef), ['warning spec-ref-unreadable ref.yaml:5 ref.yaml:5: $ref "./pipe.yaml#/a": file pipe.yaml is a named pipe, not a regular file; not read.']);
});

test('reads: a directory and a dangling link, as the spec or as a $ref target, are named', async () => {
  const root = repo('dir', { 'ref.yaml': "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    $ref: './dangling.yaml#/a'\n  /b:\n    $ref: './folder.yaml#/b'\n" });
  fs.mkdirSync(path.join(root, 'folder.yaml'));
  fs.symlinkSync('nowhere.yaml', path.join(root, 'dangling.yaml'));
  assert.equal(notes(await load(root, 'folder.yaml')), ['error spec-read-error folder.yaml:- folder.yaml: cannot read the spec: the file is a directory, not a regular file.']);
  assert.equal(notes(await load(root, 'dangling.yaml')), ['error spec-read-error dangling.yaml:- dangling.yaml: cannot read the spec: the file is a dangling symbolic link.']);
  assert.equal(notes(await load(root, 'ref.yaml', false)), [
    'warning spec-ref-missing ref.yaml:5 ref.yaml:5: $ref "./dangling.yaml#/a": file dangling.yaml is a dangling symbolic link.',
    'warning spec-ref-unreadable ref.yaml:7 ref.yaml:7: $ref "./folder.yaml#/b": file folder.yaml is a directory, not a regular file; not read.',
  ]);
});

test('reads: a $ref through an in-repository link to a file outside the repository is refused', async () => {
  const outside = tempDir('spec-outside');
  fs.writeFileSync(path.join(outside, 'secret.yaml'), "a:\n  get:\n    operationId: leaked\n    responses: { '200': { description: ok } }\n");
  const root = repo('link-out', {
    'openapi.yaml': "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    $ref: './shared/secret.yaml#/a'\n  /b:\n    $ref: './shared/secret.yaml#/a'\n",
  });
  fs.symlinkSync(outside, path.join(root, 'shared'));
  const r = await load(root, 'openapi.yaml');
  assert.equal(ops(r), []);
  assert.equal(notes(r), [
    'warning spec-ref-outside openapi.yaml:5 openapi.yaml:5: $ref "./shared/secret.yaml#/a" points outside the repository root; not read.',
    'warning spec-ref-outside openapi.yaml:7 openapi.yaml:7: $ref "./shared/secret.yaml#/a" points outside the repository root; not read.',
  ]);
  assert.not.ok(JSON.stringify(r).includes('leaked'));
  // a link that stays inside the repository is followed
  fs.mkdirSync(path.join(root, 'real'));
  fs.writeFileSync(path.join(root, 'real/item.yaml'), "a:\n  get:\n    operationId: inside\n    responses: { '200': { description: ok } }\n");
  fs.symlinkSync('real', path.join(root, 'alias'));
  fs.writeFileSync(path.join(root, 'in.yaml'), "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    $ref: './alias/item.yaml#/a'\n");
  const inside = await load(root, 'in.yaml');
  assert.equal(notes(inside), []);
  assert.equal(ops(inside), ['GET /a alias/item.yaml:2']);
});

test('reads: at most a bounded number of notifications of one code, then a count', async () => {
  const lines = ['openapi: 3.0.3', "info: { title: t, version: '1' }", 'paths:'];
  for (let i = 0; i < 200; i++) lines.push(`  /r${i}:`, `    $ref: './missing-${i}.yaml#/a'`);
  lines.push('  /ok:', '    get:', "      responses: { '200': { description: ok } }");
  const root = repo('many', { 'api.yaml': lines.join('\n') + '\n' });
  const r = await load(root, 'api.yaml', false);
  assert.equal(ops(r), [`GET /ok api.yaml:${4 + 400 + 1}`]);
  assert.is(r.notifications.length, MAX_NOTES_PER_CODE + 1);
  assert.equal(notes(r).slice(-2), [
    `warning spec-ref-missing api.yaml:${3 + 2 * MAX_NOTES_PER_CODE} api.yaml:${3 + 2 * MAX_NOTES_PER_CODE}: $ref "./missing-${MAX_NOTES_PER_CODE - 1}.yaml#/a": file missing-${MAX_NOTES_PER_CODE - 1}.yaml does not exist.`,
    `warning spec-ref-missing api.yaml:- api.yaml: ${200 - MAX_NOTES_PER_CODE} more spec-ref-missing notifications like the ones above are not listed.`,
  ]);
});

// ------------------------------------------------------------------ determinism

test('determinism: two scans of the same repository give byte-identical JSON reports', async () => {
  const big = bigYaml(1500);
  const dir = hostileRepo('spec-same', {
    files: {
      'openapi.yaml': big.text.replace('paths:\n', `x-deep: ${'['.repeat(2000)}${']'.repeat(2000)}\npaths:\n  /good/list:\n    get:\n      responses: { '200': { description: ok } }\n`),
      'broken.json': deepJson().replace('"3.0.3"', '"3.0.3", "info": 7'),
      'apilantern.config.json': JSON.stringify({ specs: ['openapi.yaml', 'broken.json'] }),
    },
  });
  const a = await runCli(['scan', dir, '--format', 'json']);
  const b = await runCli(['scan', dir, '--format', 'json']);
  assert.ok(a.stdout.length > 1000, show(a));
  assert.ok(a.stdout === b.stdout, 'the two JSON reports differ');
  assert.is(a.code, b.code);
  // the spec was loaded and validated: its notifications are in the report, without any timing
  const report = JSON.parse(a.stdout) as { notifications?: Array<{ code: string; message: string }> };
  const codes = (report.notifications ?? []).map((n) => n.code);
  assert.ok(codes.includes('spec-too-deep') && codes.includes('spec-duplicate-key'), codes.join(', '));
  for (const n of report.notifications ?? []) assert.not.match(n.message, /\d\s*ms\b|took \d/, n.message);
});

test.run();
