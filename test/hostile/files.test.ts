/**
 * What the scan reads from a hostile repository: only regular files of bounded size inside it. Links to devices or
 * out of the repository, named pipes, unreadable directories, names that are not UTF-8 and config that points outside
 * are refused or reported, never read, never blocking, and the valid neighbour routes are still found.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { scanDir, REPO } from '../helpers.js';
import { removeTempDirs, runCli, show, tempDir } from '../cli/run-cli.js';
import { assertGood, brief, endpoints, hostileRepo, noticeOf } from './helpers.js';
import { isInside } from '../../src/discover/safe-read.js';

test.after(removeTempDirs);

const link = (dir: string, rel: string, target: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.rmSync(path.join(dir, rel), { force: true });
  fs.symlinkSync(target, path.join(dir, rel));
};
const fifo = (dir: string, rel: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  execFileSync('mkfifo', [path.join(dir, rel)]);
};

test('package.json, tsconfig.json and a source linked to /dev/zero are never read; the routes around them are found', async () => {
  const dir = hostileRepo('devzero');
  link(dir, 'package.json', '/dev/zero');
  link(dir, 'tsconfig.json', '/dev/zero');
  link(dir, 'src/zero.ts', '/dev/zero');
  link(dir, 'packages/api/package.json', '/dev/zero');
  const r = await scanDir(dir);
  assertGood(r);
  for (const f of ['package.json', 'packages/api/package.json', 'src/zero.ts']) {
    const n = noticeOf(r, 'link-skipped', f);
    assert.is(n.message, `${f}: a symbolic link that leads out of the scanned directory; skipped.`);
  }
  // and through the CLI (config discovery reads package.json#apilantern): it finishes, nothing is an error
  const cli = await runCli(['scan', dir, '--fail-on', 'none', '--format', 'json']);
  assert.is(cli.code, 0, show(cli));
});

test('type-aware resolution reads no link to /dev/zero either (tsconfig.json, an imported module)', async () => {
  const dir = tempDir('typed-zero');
  fs.cpSync(path.join(REPO, 'test/resolve/fixtures/typed-paths'), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, '.git'));
  const config = path.join(dir, 'src/config.ts');
  fs.writeFileSync(config, `import './extra';\nimport type { Zero } from './zero-types';\n${fs.readFileSync(config, 'utf8')}`);
  link(dir, 'src/extra.ts', '/dev/zero');
  link(dir, 'src/zero-types.d.ts', '/dev/zero');
  link(dir, 'tsconfig.json', '/dev/zero');
  const r = await scanDir(dir);
  assert.ok(endpoints(r).includes('GET /v2/users'), `${endpoints(r).join(', ')}\n${brief(r)}`);
  assert.ok(endpoints(r).includes('GET /eu/status'), endpoints(r).join(', '));
});

test('a config file linked to /dev/zero or a named pipe: exit 2 with the reason, without reading or blocking', async () => {
  const dir = hostileRepo('config-zero');
  link(dir, 'apilantern.config.json', '/dev/zero');
  let r = await runCli(['scan', dir]);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /apilantern\.config\.json: config file cannot be read \(a symbolic link that leads out of the scanned directory\)/);

  const pipe = hostileRepo('config-fifo');
  fifo(pipe, '.apilantern.yml');
  r = await runCli(['scan', pipe]);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /\.apilantern\.yml: config file cannot be read \(a named pipe, not a regular file\)/);
});

test('named pipes as a source, a spec and a .gitignore are reported and never opened for a blocking read', async () => {
  const dir = hostileRepo('fifo');
  fifo(dir, 'src/pipe.ts');
  fifo(dir, 'docs/openapi.yaml');
  fifo(dir, '.gitignore');
  const r = await scanDir(dir);
  assertGood(r);
  assert.is(noticeOf(r, 'file-not-regular', 'src/pipe.ts').message, 'src/pipe.ts: a named pipe, not a regular file; not read.');
  assert.is(noticeOf(r, 'file-not-regular', 'docs/openapi.yaml').message, 'docs/openapi.yaml: a named pipe, not a regular file; not read.');
  assert.is(noticeOf(r, 'ignore-file-refused', '.gitignore').message, '.gitignore: a named pipe, not a regular file; its ignore rules were not applied.');
  assert.is(noticeOf(r, 'ignore-file-refused', '.gitignore').level, 'warning');
});

test('links inside the repository are followed (a spec through one is named); links out of it never are', async () => {
  const outside = tempDir('outside');
  fs.writeFileSync(path.join(outside, 'secret.ts'), "import express from 'express';\nconst app = express();\napp.get('/outside/secret', (req, res) => res.send('x'));\n");
  fs.writeFileSync(path.join(outside, 'openapi.yaml'), "openapi: 3.0.3\ninfo: { title: outside, version: '1' }\npaths:\n  /outside/doc:\n    get:\n      responses: { '200': { description: ok } }\n");
  const dir = hostileRepo('links', {
    files: {
      'specs/real.yaml': "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /good/list:\n    get:\n      responses: { '200': { description: ok } }\n",
    },
  });
  link(dir, 'src/secret.ts', path.join(outside, 'secret.ts'));
  link(dir, 'docs/outside.yaml', path.join(outside, 'openapi.yaml'));
  link(dir, 'docs/api.yaml', '../specs/real.yaml');
  const r = await scanDir(dir);
  assertGood(r);
  assert.not.ok(endpoints(r).includes('GET /outside/secret'), 'a source linked from outside is not read');
  assert.is(noticeOf(r, 'link-skipped', 'src/secret.ts').message, 'src/secret.ts: a symbolic link that leads out of the scanned directory; skipped.');
  assert.is(noticeOf(r, 'link-skipped', 'docs/outside.yaml').message, 'docs/outside.yaml: a symbolic link that leads out of the scanned directory; skipped.');
  assert.is(noticeOf(r, 'spec-through-link', 'docs/api.yaml').message, 'docs/api.yaml: a symbolic link to specs/real.yaml; read as a spec candidate.');
  assert.equal(r.specs.map((s) => s.file).sort(), ['docs/api.yaml', 'specs/real.yaml']);
  assert.not.ok(r.specs.some((s) => s.operations.some((o) => o.path === '/outside/doc')), 'the outside spec is not read');
});

test('config cannot reach outside the repository: include globs and specs are refused with exit 2; the command line may', async () => {
  const top = tempDir('escape');
  fs.mkdirSync(path.join(top, 'outside'));
  fs.writeFileSync(path.join(top, 'outside/extra.ts'), "import express from 'express';\nconst app = express();\napp.get('/outside/extra', (req, res) => res.send('x'));\n");
  fs.writeFileSync(path.join(top, 'outside/api.yaml'), "openapi: 3.0.3\ninfo: { title: o, version: '1' }\npaths:\n  /good/list:\n    get:\n      responses: { '200': { description: ok } }\n");
  const make = (label: string, config: unknown) => {
    const d = hostileRepo(label, { files: { 'apilantern.config.json': JSON.stringify(config) } });
    const inTop = path.join(top, label);
    fs.renameSync(d, inTop);
    return inTop;
  };
  let dir = make('include', { include: ['src/**/*.ts', '../outside/*.ts'] });
  let r = await runCli(['scan', dir, '--format', 'sarif']);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /'include\[1\]' '\.\.\/outside\/\*\.ts' points outside the scanned directory; config files may only select files inside it/);
  assert.not.match(r.stdout, /outside/);

  dir = make('abs-include', { include: ['/etc/*.ts'] });
  r = await runCli(['scan', dir]);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /'include\[0\]' '\/etc\/\*\.ts' points outside/);

  dir = make('specs', { specs: ['../../etc/passwd'] });
  r = await runCli(['scan', dir]);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /specs entry '\.\.\/\.\.\/etc\/passwd' is outside the scanned repository; config files may only name files inside it \(name an outside spec with --spec on the command line\)/);

  // a spec path inside the repository that is a link out of it
  dir = make('spec-link', { specs: ['docs/api.yaml'] });
  link(dir, 'docs/api.yaml', path.join(top, 'outside/api.yaml'));
  r = await runCli(['scan', dir]);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /specs entry 'docs\/api\.yaml' is outside the scanned repository/);

  // the user names the outside spec on the command line: that is allowed
  dir = make('cli-spec', {});
  r = await runCli(['scan', dir, '--spec', path.join(top, 'outside/api.yaml'), '--fail-on', 'none', '--format', 'json']);
  assert.is(r.code, 0, show(r));
  assert.equal(JSON.parse(r.stdout).specs.map((s: { operations: number }) => s.operations), [1]);
});

test('a config file linked to another file of the same repository (a monorepo\'s shared config) is read', async () => {
  const dir = hostileRepo('config-shared', { files: { 'shared/apilantern.yml': 'failOn: none\n' } });
  fs.mkdirSync(path.join(dir, 'svc'));
  fs.renameSync(path.join(dir, 'src'), path.join(dir, 'svc/src'));
  fs.renameSync(path.join(dir, 'package.json'), path.join(dir, 'svc/package.json'));
  link(dir, 'svc/.apilantern.yml', '../shared/apilantern.yml');
  const r = await runCli(['scan', path.join(dir, 'svc')]);
  assert.is(r.code, 0, show(r)); // failOn: none from the shared config (without it, the unauthenticated write fails the run)
  // and a name that merely starts with two dots is inside
  assert.ok(isInside(dir, path.join(dir, '..gen/a.ts')));
  assert.not.ok(isInside(dir, path.join(dir, '../gen/a.ts')));
});

test('exclude ["**"] leaves nothing to scan: a warning names the config file', async () => {
  const dir = hostileRepo('exclude-all', { files: { 'apilantern.config.json': JSON.stringify({ exclude: ['**'] }) } });
  const r = await runCli(['scan', dir, '--format', 'json']);
  assert.is(r.code, 0, show(r));
  assert.match(r.stderr, /apilantern: warning: apilantern\.config\.json: include\/exclude leave no JavaScript or TypeScript source file to scan under \.; the inventory from code is empty\./);
  const n = JSON.parse(r.stdout).notifications.find((x: { code: string }) => x.code === 'no-sources');
  assert.equal(n && { level: n.level, file: n.file }, { level: 'warning', file: 'apilantern.config.json' });
});

test('a file name that is not valid UTF-8 is reported, not taken for a dangling link; the others are read', async () => {
  const dir = hostileRepo('utf8');
  const bad = Buffer.concat([Buffer.from(path.join(dir, 'src') + '/'), Buffer.from([0x72, 0xff, 0xfe, 0x2e, 0x74, 0x73])]); // r\xff\xfe.ts
  fs.writeFileSync(bad, "import express from 'express';\nexport const r = express.Router();\nr.get('/latin1', (req, res) => res.send('x'));\n");
  const r = await scanDir(dir);
  assertGood(r);
  const n = noticeOf(r, 'file-name-not-utf8');
  assert.is(n.level, 'warning');
  assert.is(n.message, 'src/r\ufffd\ufffd.ts: its name is not valid UTF-8 and cannot be read by name; skipped.');
  assert.not.ok(r.notifications.some((x) => x.code === 'file-unreadable'), brief(r));
});

test('a directory that cannot be listed (its path is longer than the system allows) is reported; the rest is scanned', async () => {
  const dir = hostileRepo('long-path');
  const seg = 'd'.repeat(250);
  const cwd = process.cwd();
  // made through relative steps: no absolute path of that length can be created or listed
  process.chdir(path.join(dir, 'src'));
  try {
    for (let i = 0; i < 20; i++) {
      fs.mkdirSync(seg);
      process.chdir(seg);
    }
    fs.writeFileSync('x.ts', 'export const x = 1;\n');
  } finally {
    process.chdir(cwd);
  }
  const r = await scanDir(dir);
  assertGood(r);
  const deep = r.notifications.filter((n) => n.code === 'directory-unreadable');
  assert.is(deep.length, 1, brief(r));
  assert.is(deep[0]!.level, 'warning');
  assert.match(deep[0]!.message, new RegExp(`^src/(${seg}/)+: cannot be listed \\(ENAMETOOLONG\\); the files under it are not in the inventory\\.$`));
  // (removed here, by relative steps too: a recursive removal by absolute path could not reach it)
  process.chdir(path.join(dir, 'src'));
  try {
    execFileSync('rm', ['-rf', seg]);
  } finally {
    process.chdir(cwd);
  }
});

test('a directory that cannot be listed is reported (run as an unprivileged user when the tests run as root)', () => {
  const dir = hostileRepo('locked');
  fs.mkdirSync(path.join(dir, 'src/locked'));
  fs.writeFileSync(path.join(dir, 'src/locked/x.ts'), "export const x = 1;\n");
  fs.chmodSync(path.join(dir, 'src/locked'), 0);
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) if (d.startsWith(path.dirname(dir))) fs.chmodSync(d, fs.statSync(d).mode | 0o055);
  const script = `const m = await import(${JSON.stringify(path.join(REPO, 'src/cli/main.ts'))});
const out = [];
const code = await m.main(['scan', ${JSON.stringify(dir)}, '--format', 'json', '--fail-on', 'none'], { stdout: (s) => out.push(s), stderr: (s) => process.stderr.write(s), stdoutIsTTY: false, stderrIsTTY: false, env: {}, cwd: ${JSON.stringify(dir)} });
process.stdout.write(JSON.stringify({ code, endpoints: JSON.parse(out.join('')).endpoints.map((e) => e.method + ' ' + e.path) }));`;
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // as root no permission stops a read: the scan runs as `nobody`, which needs to read this checkout
    const probe = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(path.join(REPO, 'node_modules/tsx/package.json'))})`], { encoding: 'utf8' });
    if (probe.status !== 0) {
      console.log(`  (skipped: an unprivileged user cannot read ${REPO}; the long-path test covers the same report)`);
      return;
    }
  }
  const argv = [...(asRoot ? ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath] : []), '--import', 'tsx', '--input-type=module', '-e', script];
  const res = spawnSync(asRoot ? 'setpriv' : process.execPath, argv, { cwd: REPO, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FORCE_COLOR: '0' } });
  assert.is(res.status, 0, `${res.stderr}\n${res.stdout}`);
  const got = JSON.parse(res.stdout) as { code: number; endpoints: string[] };
  assert.is(got.code, 0);
  assert.equal(got.endpoints.sort(), ['GET /good/list', 'POST /good/create']);
  assert.match(res.stderr, /apilantern: warning: src\/locked\/: cannot be listed \(EACCES\); the files under it are not in the inventory\./);
  fs.chmodSync(path.join(dir, 'src/locked'), 0o755);
});

test.run();
