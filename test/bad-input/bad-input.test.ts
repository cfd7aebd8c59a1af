/**
 * Hostile and broken input: the scan goes on, the good endpoints are still found, and a notification names the file
 * (and the line where there is one). Messages never carry stack traces. Large, binary, deeply nested and symlinked
 * inputs are generated in a temporary directory at test time; the rest are fixtures in ./fixtures.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import dns from 'node:dns';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import type { Notification } from '../../src/model.js';
import type { ScanResult } from '../../src/scan.js';
import { scanDir } from '../helpers.js';
import { removeTempDirs, runCli, show, tempDir } from '../cli/run-cli.js';

const FIX = 'test/bad-input/fixtures';
const GOOD = ['GET /good/list', 'POST /good/create'];

const endpoints = (r: ScanResult) => r.codeEndpoints.map((e) => `${e.method} ${e.path}`);
const brief = (r: ScanResult) => r.notifications.map((n) => `${n.level} ${n.code} ${n.file ?? '-'}:${n.line ?? '-'} ${n.message}`).join('\n');

/** A stack trace in a message: `at fn (file:1:2)`, `node:internal`, or several lines. */
const STACK = /\n\s*at\s|\bat\s+\S+\s+\(.*:\d+:\d+\)|\bat\s+(file:\/\/|\/)\S+:\d+:\d+|node:internal/;

function assertNoStacks(r: ScanResult): void {
  for (const n of r.notifications) assert.not.match(n.message, STACK, `stack trace in a notification: ${n.message}`);
}

/** The good endpoints are there (once each), and nothing in the messages is a stack trace. */
function assertGoodEndpoints(r: ScanResult, extra: string[] = []): void {
  const got = endpoints(r);
  for (const e of [...GOOD, ...extra]) assert.is(got.filter((x) => x === e).length, 1, `${e} found once; endpoints: ${got.join(', ')}\nnotifications:\n${brief(r)}`);
  assertNoStacks(r);
}

/** The notification with this code about this file; asserts the message names the file (and line). */
function notification(r: ScanResult, code: string, file: string, line?: number): Notification {
  const n = r.notifications.find((x) => x.code === code && x.file === file && (line === undefined || x.line === line));
  assert.ok(n, `no ${code} notification for ${file}${line ? `:${line}` : ''}; notifications:\n${brief(r)}`);
  assert.ok(n!.message.includes(line ? `${file}:${line}` : file), `the message names ${file}${line ? `:${line}` : ''}: ${n!.message}`);
  return n!;
}

/** A tiny Express app in a fresh temporary directory: the two good routes, plus whatever `app.ts` lines are given. */
function makeApp(label: string, opts: { imports?: string; routes?: string } = {}): string {
  const dir = tempDir(label);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `bad-input-${label}`, private: true, dependencies: { express: '^4.21.0' } }, null, 2));
  fs.writeFileSync(
    path.join(dir, 'src/app.ts'),
    [
      "import express from 'express';",
      opts.imports ?? '',
      '',
      'const app = express();',
      "app.get('/good/list', (req, res) => res.json([]));",
      "app.post('/good/create', (req, res) => res.status(201).end());",
      opts.routes ?? '',
      'app.listen(3000);',
      '',
    ].join('\n'),
  );
  return dir;
}

test.after(() => removeTempDirs());

// ---------------------------------------------------------------- source files

test('a directory the user names that an enclosing .gitignore ignores is scanned anyway, and the report says so', async () => {
  const repo = tempDir('gitignored');
  execFileSync('git', ['init', '-q'], { cwd: repo });
  fs.writeFileSync(path.join(repo, '.gitignore'), 'vendored/\n');
  fs.mkdirSync(path.join(repo, 'vendored/src'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'vendored/src/app.js'), "const app = require('express')();\napp.get('/good/list', (req, res) => res.json([]));\napp.post('/good/create', (req, res) => res.end());\n");
  const r = await scanDir(path.join(repo, 'vendored'));
  assert.equal(endpoints(r).sort(), ['GET /good/list', 'POST /good/create']);
  assert.equal(r.notifications.map((n) => n.code), ['root-gitignored']);
});

test('a code generator with huge loops: its analysis stops within its own budget, named, and the rest is found', async () => {
  const dir = makeApp('generator');
  fs.writeFileSync(
    path.join(dir, 'src/generate.js'),
    [
      "const express = require('express');",
      'function generate() {',
      "  let out = '';",
      '  for (let i = 0; i < 1e6; i++) for (let j = 0; j < 1e6; j++) out += `router.get(\'/r${i}/${j}\', h);\\n`;',
      '  return out;',
      '}',
      'module.exports = generate();',
      '',
    ].join('\n'),
  );
  const r = await scanDir(dir);
  notification(r, 'analysis-budget', 'src/generate.js');
  assertGoodEndpoints(r);
});

test('a TS file with a syntax error in the middle: the routes before the error still count (parse-recovered, line 8)', async () => {
  const r = await scanDir(`${FIX}/syntax-error`);
  assertGoodEndpoints(r);
  notification(r, 'parse-recovered', 'src/app.ts', 8);
});

test('syntax errors the parser recovers from: every route counts (parse-recovered, line 8)', async () => {
  const r = await scanDir(`${FIX}/syntax-recoverable`);
  const n = notification(r, 'parse-recovered', 'src/app.ts', 8);
  assert.is(n.level, 'warning');
  assertGoodEndpoints(r, ['GET /after/error']);
});

test('a file that cannot be parsed at all (merge conflict markers): parse-error at line 1, the other files count', async () => {
  const r = await scanDir(`${FIX}/unparseable`);
  notification(r, 'parse-error', 'src/legacy.js', 1);
  assertGoodEndpoints(r);
  assert.not.ok(endpoints(r).some((e) => e.includes('/legacy/export')), 'nothing invented from the broken file');
});

test('binary content under a .js extension: file-skipped-binary, its route-looking text not counted', async () => {
  const dir = makeApp('binary');
  fs.writeFileSync(
    path.join(dir, 'src/blob.js'),
    Buffer.concat([Buffer.from("const app = require('express')();\napp.get('/from-binary', h);\n"), Buffer.from([0, 0, 1, 2, 0xff, 0xfe, 0]), Buffer.alloc(4096, 0x41)]),
  );
  const r = await scanDir(dir);
  notification(r, 'file-skipped-binary', 'src/blob.js');
  assertGoodEndpoints(r);
  assert.not.ok(endpoints(r).some((e) => e.includes('/from-binary')));
});

test('a minified bundle with route-looking calls: file-skipped-minified, its routes not counted', async () => {
  const r = await scanDir(`${FIX}/minified`);
  notification(r, 'file-skipped-minified', 'src/vendor.bundle.js');
  assertGoodEndpoints(r);
  assert.equal(endpoints(r).filter((e) => e.includes('/bundle/')), [], 'no route from the bundle');
});

test('a generated file over 2 MB: file-skipped-large, its routes not counted', async () => {
  const dir = makeApp('large');
  const head = "import express from 'express';\nconst gen = express();\ngen.get('/generated/route', (req, res) => res.end());\n";
  const filler = 'export const row_000000 = { id: 0, name: "generated", tags: ["a", "b", "c"] };\n';
  fs.writeFileSync(path.join(dir, 'src/generated.ts'), head + filler.repeat(Math.ceil((2.2 * 1024 * 1024) / filler.length)));
  assert.ok(fs.statSync(path.join(dir, 'src/generated.ts')).size > 2 * 1024 * 1024);
  const r = await scanDir(dir);
  notification(r, 'file-skipped-large', 'src/generated.ts');
  assertGoodEndpoints(r);
  assert.not.ok(endpoints(r).some((e) => e.includes('/generated/')));
});

const DEEP: Record<string, (n: number) => string> = {
  'nested arrays': (n) => '[\n'.repeat(n) + ']\n'.repeat(n),
  'nested parentheses': (n) => '(\n'.repeat(n) + '1\n' + ')\n'.repeat(n),
  'nested calls': (n) => 'f(\n'.repeat(n) + '1\n' + ')\n'.repeat(n),
  'a long + chain': (n) => Array(n * 5).fill("'/x'").join(' +\n'),
};

for (const [shape, make] of Object.entries(DEEP)) {
  test(`deeply nested code (${shape}, 20,000 levels) does not crash the scan: a notification names the file`, async () => {
    const dir = makeApp('deep', { imports: "import { PATHS } from './deep';", routes: "app.get(PATHS.deep, (req, res) => res.send('deep'));" });
    // one construct per line, so it is not taken for minified code and really reaches the parser
    fs.writeFileSync(path.join(dir, 'src/deep.ts'), `export const data =\n${make(20000)};\nexport const PATHS = { deep: '/deep', data };\n`);
    let r: ScanResult;
    try {
      r = await scanDir(dir);
    } catch (err) {
      assert.unreachable(`the scan threw ${(err as Error).constructor.name}: ${(err as Error).message}`);
      return;
    }
    assertGoodEndpoints(r);
    const n = r.notifications.find((x) => x.file === 'src/deep.ts');
    assert.ok(n, `a notification names src/deep.ts; notifications:\n${brief(r)}`);
    assert.ok(n!.message.includes('src/deep.ts'), n!.message);
  });
}

test('deeply nested code through the CLI: no internal error, exit code from the findings', async () => {
  const dir = makeApp('deep-cli', { imports: "import { PATHS } from './deep';", routes: "app.get(PATHS.deep, (req, res) => res.send('deep'));" });
  fs.writeFileSync(path.join(dir, 'src/deep.ts'), `export const data =\n${DEEP['nested arrays']!(20000)};\nexport const PATHS = { deep: '/deep', data };\n`);
  const r = await runCli(['scan', dir, '--format', 'json']);
  assert.ok(r.code === 0 || r.code === 1, show(r));
  assert.not.match(r.stderr, /internal error|RangeError|Maximum call stack/, r.stderr);
  assert.match(r.stderr, /src\/deep\.ts/);
});

// ---------------------------------------------------------------- file system oddities

function symlinkOrSkip(target: string, link: string): boolean {
  try {
    fs.symlinkSync(target, link);
    return true;
  } catch (err) {
    console.log(`  (cannot create symbolic links here: ${(err as NodeJS.ErrnoException).code})`);
    return false;
  }
}

function makeLoops(): string | undefined {
  const dir = makeApp('symlink-loop');
  const src = path.join(dir, 'src');
  if (!symlinkOrSkip('.', path.join(src, 'loop'))) return undefined; // src/loop -> src
  symlinkOrSkip('..', path.join(src, 'up')); // src/up -> the root
  symlinkOrSkip('cycle-b', path.join(src, 'cycle-a')); // cycle-a -> cycle-b -> cycle-a (ELOOP)
  symlinkOrSkip('cycle-a', path.join(src, 'cycle-b'));
  return dir;
}

test('a symbolic link loop: the scan finishes, every endpoint once', async () => {
  const dir = makeLoops();
  if (!dir) return;
  const r = await scanDir(dir);
  assertGoodEndpoints(r);
  assert.is(endpoints(r).length, 2, `no endpoint found twice through the loop: ${endpoints(r).join(', ')}`);
});

test('a symbolic link loop: a notification names the links that were not followed', async () => {
  const dir = makeLoops();
  if (!dir) return;
  const r = await scanDir(dir);
  assertGoodEndpoints(r);
  const named = r.notifications.filter((n) => /^src\/(loop|up|cycle-a|cycle-b)$/.test(n.file ?? '')).map((n) => n.file);
  assert.ok(named.includes('src/loop'), `src/loop (a link to its own directory) is named; notifications:\n${brief(r)}`);
  assert.ok(named.includes('src/cycle-a') || named.includes('src/cycle-b'), `the cycle-a/cycle-b cycle is named; notifications:\n${brief(r)}`);
});

test('a dangling symbolic link: the scan goes on and names it', async () => {
  const dir = makeApp('dangling');
  if (!symlinkOrSkip('missing-routes.ts', path.join(dir, 'src/routes.ts'))) return;
  const r = await scanDir(dir);
  assertGoodEndpoints(r);
  const n = r.notifications.find((x) => x.file === 'src/routes.ts');
  assert.ok(n, `a notification names src/routes.ts; notifications:\n${brief(r)}`);
  assert.ok(n!.message.includes('src/routes.ts'), n!.message);
});

test('an unreadable file (EACCES from readFile): file-unreadable, the other files count', async () => {
  const dir = makeApp('unreadable', { imports: "import admin from './admin';", routes: "app.use('/admin', admin);" });
  fs.writeFileSync(path.join(dir, 'src/admin.ts'), "import { Router } from 'express';\nconst router = Router();\nrouter.get('/stats', (req, res) => res.json({}));\nexport default router;\n");
  const denied: string[] = [];
  const readFile = (abs: string): Buffer => {
    if (abs === path.join(dir, 'src/admin.ts')) {
      denied.push(abs);
      throw Object.assign(new Error(`EACCES: permission denied, open '${abs}'`), { code: 'EACCES', errno: -13, syscall: 'open', path: abs });
    }
    return fs.readFileSync(abs);
  };
  const r = await scanDir(dir, { readFile });
  assert.ok(denied.length > 0, 'the injected readFile was used');
  const n = notification(r, 'file-unreadable', 'src/admin.ts');
  assert.match(n.message, /EACCES/);
  assert.not.ok(n.message.includes(dir), `no absolute path in the message: ${n.message}`);
  assertGoodEndpoints(r);
  assert.not.ok(endpoints(r).some((e) => e.includes('/admin/stats')));
});

// ---------------------------------------------------------------- specs

test('spec: invalid YAML (spec-parse-error, line 9): the code scan still runs', async () => {
  const r = await scanDir(`${FIX}/spec-invalid-yaml`);
  // found by its content, not named: a warning (named with --spec or in config it is an error, and the run exits 2)
  const n = notification(r, 'spec-parse-error', 'openapi.yaml', 9);
  assert.is(n.level, 'warning');
  assert.equal(r.specs, []);
  assertGoodEndpoints(r);
  const named = await scanDir(`${FIX}/spec-invalid-yaml`, { specs: [path.resolve(`${FIX}/spec-invalid-yaml/openapi.yaml`)] });
  assert.is(notification(named, 'spec-parse-error', 'openapi.yaml', 9).level, 'error');
});

test('spec: a YAML alias bomb is refused (spec-alias-limit, line 6): the code scan still runs', async () => {
  const r = await scanDir(`${FIX}/spec-alias-bomb`);
  notification(r, 'spec-alias-limit', 'openapi.yaml', 6);
  assert.equal(r.specs, []);
  assertGoodEndpoints(r);
});

test('spec: circular $refs (path items that refer to each other, a recursive schema): the code scan still runs', async () => {
  const r = await scanDir(`${FIX}/spec-circular-ref`);
  notification(r, 'spec-ref-circular', 'openapi.yaml', 16);
  notification(r, 'spec-ref-circular', 'openapi.yaml', 18);
  assert.equal(
    r.specs[0]?.operations.map((o) => `${o.method} ${o.path}`),
    ['GET /good/list'],
    'the rest of the spec is read; the recursive schema is legal',
  );
  assertGoodEndpoints(r);
});

/** Records (and blocks) every attempt to reach the network while `fn` runs. */
async function offline<T>(fn: () => Promise<T>): Promise<{ value: T; attempts: string[] }> {
  const attempts: string[] = [];
  const block = (what: string) => {
    attempts.push(what);
    throw new Error(`network access attempted: ${what}`);
  };
  const saved = {
    connect: net.Socket.prototype.connect,
    lookup: dns.lookup,
    promisesLookup: dns.promises.lookup,
    fetch: globalThis.fetch,
    httpRequest: http.request,
    httpGet: http.get,
    httpsRequest: https.request,
    httpsGet: https.get,
  };
  net.Socket.prototype.connect = function (...args: unknown[]) {
    return block(`net connect ${JSON.stringify(args[0])}`);
  } as typeof net.Socket.prototype.connect;
  (dns as { lookup: unknown }).lookup = (host: string) => block(`dns lookup ${host}`);
  (dns.promises as { lookup: unknown }).lookup = async (host: string) => block(`dns lookup ${host}`);
  globalThis.fetch = (async (url: unknown) => block(`fetch ${String(url)}`)) as typeof fetch;
  (http as { request: unknown }).request = (u: unknown) => block(`http.request ${String(u)}`);
  (http as { get: unknown }).get = (u: unknown) => block(`http.get ${String(u)}`);
  (https as { request: unknown }).request = (u: unknown) => block(`https.request ${String(u)}`);
  (https as { get: unknown }).get = (u: unknown) => block(`https.get ${String(u)}`);
  try {
    return { value: await fn(), attempts };
  } finally {
    net.Socket.prototype.connect = saved.connect;
    (dns as { lookup: unknown }).lookup = saved.lookup;
    (dns.promises as { lookup: unknown }).lookup = saved.promisesLookup;
    globalThis.fetch = saved.fetch;
    (http as { request: unknown }).request = saved.httpRequest;
    (http as { get: unknown }).get = saved.httpGet;
    (https as { request: unknown }).request = saved.httpsRequest;
    (https as { get: unknown }).get = saved.httpsGet;
  }
}

test('spec: remote $refs are refused (spec-ref-remote, lines 14 and 16) and the scan finishes offline', async () => {
  const { value: r, attempts } = await offline(() => scanDir(`${FIX}/spec-remote-ref`));
  assert.equal(attempts, [], 'no network access');
  notification(r, 'spec-ref-remote', 'openapi.yaml', 14);
  notification(r, 'spec-ref-remote', 'openapi.yaml', 16);
  assert.equal(r.specs[0]?.operations.map((o) => `${o.method} ${o.path}`), ['GET /good/list']);
  assertGoodEndpoints(r);
});

test('spec: a remote $ref to a reachable server is not fetched either', async () => {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.setHeader('content-type', 'application/yaml');
    res.end('create:\n  post:\n    responses:\n      "201":\n        description: created\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as net.AddressInfo).port;
    const dir = tempDir('remote');
    fs.cpSync(path.resolve(`${FIX}/spec-remote-ref`), dir, { recursive: true });
    const spec = path.join(dir, 'openapi.yaml');
    fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replaceAll('https://schemas.apilantern.invalid', `http://127.0.0.1:${port}`));
    const r = await scanDir(dir);
    assert.equal(hits, [], 'the server received no request');
    assert.ok(r.notifications.filter((n) => n.code === 'spec-ref-remote').length >= 2, brief(r));
    assertGoodEndpoints(r);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('spec: no paths (spec-no-paths, line 5): the code scan still runs', async () => {
  const r = await scanDir(`${FIX}/spec-no-paths`);
  notification(r, 'spec-no-paths', 'openapi.yaml', 5);
  assert.is(r.specs.length, 1);
  assert.equal(r.specs[0]!.operations, []);
  assertGoodEndpoints(r);
});

// ---------------------------------------------------------------- never execute the scanned code

test('next.config.js that throws and calls process.exit(3) at the top level is never executed', async () => {
  const g = globalThis as { __apilanternExecuted?: unknown };
  delete g.__apilanternExecuted;
  const exits: unknown[] = [];
  const realExit = process.exit;
  process.exit = ((code?: number) => {
    exits.push(code);
    throw new Error(`process.exit(${code}) called by scanned code`);
  }) as typeof process.exit;
  try {
    const r = await scanDir(`${FIX}/next-config`);
    assertGoodEndpoints(r);
    const cli = await runCli(['scan', `${FIX}/next-config`, '--format', 'json']);
    assert.ok(cli.code === 0 || cli.code === 1, show(cli));
    assert.not.match(cli.stderr, /executed!/);
  } finally {
    process.exit = realExit;
  }
  assert.equal(exits, [], 'process.exit was never called');
  assert.is(g.__apilanternExecuted, undefined, 'next.config.js was executed');
});

test('no notification of any bad-input fixture carries a stack trace', async () => {
  for (const d of fs.readdirSync(path.resolve(FIX))) {
    const r = await scanDir(`${FIX}/${d}`);
    assertNoStacks(r);
    for (const n of r.notifications) {
      assert.ok(n.file === undefined || !path.isAbsolute(n.file), `${d}: relative file in ${n.code}: ${n.file}`);
      assert.not.match(n.message, /\/work\/|\/tmp\//, `${d}: no absolute path in ${n.code}: ${n.message}`);
    }
  }
});

test.run();
