import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { validateSarif } from '../report/sarif-validate.js';
import { removeTempDirs, runCli, show, tempDir } from '../cli/run-cli.js';

interface JsonReport {
  endpoints: Array<{ method: string; path: string }>;
  findings: Array<{ ruleId: string; severity: string; endpoint: string; file: string; line: number }>;
  suppressed?: Array<{ ruleId: string; endpoint: string; reason: string; suppressedAt: { file: string; line: number } }>;
  baseline?: { file?: string; ref?: string; suppressed: number; prunable?: number; newEndpoints?: Array<{ method: string; path: string; auth: string; write: boolean }> };
  notifications: Array<{ level: string; code: string; file?: string; line?: number }>;
}

const json = (s: string) => JSON.parse(s) as JsonReport;
const lines = (r: JsonReport) => r.findings.map((f) => `${f.ruleId} ${f.endpoint}`).sort();
const notes = (r: JsonReport, prefix: string) => r.notifications.filter((n) => n.code.startsWith(prefix)).map((n) => `${n.code} ${n.file}:${n.line}`);

const PKG = JSON.stringify({ name: 'app', main: 'app.js', dependencies: { express: '4' } });
const APP = `const express = require('express');
const app = express();
app.get('/health', (req, res) => res.send('ok'));
app.post('/orders', (req, res) => res.send('ok'));
app.listen(3000);
`;

function project(files: Record<string, string>): string {
  const d = tempDir('baseline');
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    fs.writeFileSync(path.join(d, f), text);
  }
  return d;
}

test.after.each(() => removeTempDirs());

test('baseline: written sorted and deterministic, keyed by fingerprint, never by line', async () => {
  const d = project({ 'package.json': PKG, 'app.js': APP });
  const r = await runCli(['baseline', d, '--output', path.join(d, 'apilantern-baseline.json')]);
  assert.is(r.code, 0, show(r));
  const text = fs.readFileSync(path.join(d, 'apilantern-baseline.json'), 'utf8');
  const b = JSON.parse(text) as { version: number; tool: { name: string }; entries: Array<Record<string, string>> };
  assert.is(b.version, 1);
  assert.is(b.tool.name, 'apilantern');
  assert.equal(
    b.entries.map((e) => `${e.ruleId} ${e.endpoint}`),
    ['unauthenticated-endpoint GET /health', 'unauthenticated-write POST /orders', 'write-endpoint POST /orders'],
  );
  for (const e of b.entries) {
    assert.equal(Object.keys(e).sort(), ['endpoint', 'fingerprint', 'ruleId']);
    assert.match(e.fingerprint!, /^[0-9a-f]{32}$/);
  }
  assert.not.match(text, /"line"/);
  // moving code around changes nothing
  fs.writeFileSync(path.join(d, 'app.js'), `// a comment\n\n\n${APP}`);
  await runCli(['baseline', d, '--output', path.join(d, 'again.json')]);
  assert.is(fs.readFileSync(path.join(d, 'again.json'), 'utf8'), text);
});

test('scan --baseline: only new findings, in every format; exit code counts only them', async () => {
  const d = project({ 'package.json': PKG, 'app.js': APP });
  const base = path.join(d, 'b.json');
  await runCli(['baseline', d, '-o', base]);
  // nothing new: clean exit although the baseline holds a critical finding
  const clean = await runCli(['scan', d, '--baseline', base, '-f', 'json']);
  assert.is(clean.code, 0, show(clean));
  assert.equal(json(clean.stdout).findings, []);
  assert.equal(json(clean.stdout).baseline, { file: base, suppressed: 3, prunable: 0 });
  // moved lines and a new unauthenticated DELETE
  fs.writeFileSync(path.join(d, 'app.js'), `\n\n${APP.replace('app.listen', "app.delete('/orders/:id', (req, res) => res.send('ok'));\napp.listen")}`);
  const r = await runCli(['scan', d, '--baseline', base, '-f', 'json']);
  assert.is(r.code, 1, show(r));
  assert.equal(lines(json(r.stdout)), ['unauthenticated-write DELETE /orders/{id}', 'write-endpoint DELETE /orders/{id}']);
  const sarif = await runCli(['scan', d, '--baseline', base, '-f', 'sarif']);
  const results = (JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ ruleId: string }> }> }).runs[0]!.results;
  assert.equal(results.map((x) => x.ruleId).sort(), ['unauthenticated-write', 'write-endpoint']);
  const text = await runCli(['scan', d, '--baseline', base]);
  assert.match(text.stdout, /Findings \(2 new since baseline/);
  assert.not.match(text.stdout, /GET \/health is served/);
  const md = await runCli(['scan', d, '--baseline', base, '-f', 'markdown']);
  assert.match(md.stdout, /DELETE \/orders\/\{id\}/);
  assert.not.match(md.stdout, /`POST \/orders` \|/);
  // below --fail-on: exit 0
  const low = await runCli(['scan', d, '--baseline', base, '--fail-on', 'critical', '--min-severity', 'critical', '-f', 'json']);
  assert.is(low.code, 1);
  const none = await runCli(['scan', d, '--baseline', base, '--fail-on', 'none']);
  assert.is(none.code, 0);
});

test('scan --baseline: prunable entries counted on stderr and in JSON; baseline --prune drops them and adds nothing', async () => {
  const d = project({ 'package.json': PKG, 'app.js': APP });
  const base = path.join(d, 'b.json');
  await runCli(['baseline', d, '-o', base]);
  // POST /orders removed (2 entries gone), GET /new added
  fs.writeFileSync(path.join(d, 'app.js'), APP.replace("app.post('/orders'", "app.get('/new'"));
  const r = await runCli(['scan', d, '--baseline', base, '-f', 'json']);
  assert.match(r.stderr, /2 baseline entries are prunable/);
  assert.equal(json(r.stdout).baseline!.prunable, 2);
  assert.equal(lines(json(r.stdout)), ['unauthenticated-endpoint GET /new']);
  const p = await runCli(['baseline', d, '-o', base, '--prune']);
  assert.is(p.code, 0, show(p));
  assert.match(p.stderr, /pruned 2 of 3/);
  const b = JSON.parse(fs.readFileSync(base, 'utf8')) as { entries: Array<{ ruleId: string; endpoint: string }> };
  assert.equal(b.entries.map((e) => `${e.ruleId} ${e.endpoint}`), ['unauthenticated-endpoint GET /health']);
  const after = await runCli(['scan', d, '--baseline', base, '-f', 'json']);
  assert.not.match(after.stderr, /prunable/);
  assert.equal(json(after.stdout).baseline!.prunable, 0);
  assert.equal(lines(json(after.stdout)), ['unauthenticated-endpoint GET /new']);
});

test('scan --baseline: a missing, broken or foreign baseline is exit 2 with a message', async () => {
  const d = project({ 'package.json': PKG, 'app.js': APP, 'bad.json': '{ nope', 'other.json': '{"version":2,"entries":[]}' });
  for (const [file, re] of [
    ['missing.json', /cannot read the baseline \(ENOENT\)/],
    ['bad.json', /not valid JSON/],
    ['other.json', /not an apilantern baseline/],
  ] as const) {
    const r = await runCli(['scan', d, '--baseline', path.join(d, file)]);
    assert.is(r.code, 2, show(r));
    assert.match(r.stderr, re);
    assert.is(r.stdout, '');
  }
  const p = await runCli(['baseline', d, '-o', path.join(d, 'missing.json'), '--prune']);
  assert.is(p.code, 2);
  const both = await runCli(['scan', d, '--baseline', path.join(d, 'bad.json'), '--baseline-ref', 'HEAD']);
  assert.is(both.code, 2);
  const noOut = await runCli(['baseline', d]);
  assert.is(noOut.code, 2);
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('scan --baseline-ref: exactly the endpoint and findings a commit adds, read from git objects', async () => {
  const repo = project({ 'services/api/package.json': PKG, 'services/api/app.js': APP, 'README.md': '# x\n' });
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'one');
  fs.writeFileSync(path.join(repo, 'services/api/app.js'), `\n${APP.replace('app.listen', "app.delete('/orders/:id', (req, res) => res.send('ok'));\napp.listen")}`);
  git(repo, 'commit', '-qam', 'two: an unauthenticated DELETE');
  const status = git(repo, 'status', '--porcelain');
  const r = await runCli(['scan', 'services/api', '--baseline-ref', 'HEAD~1', '-f', 'json'], { cwd: repo });
  assert.is(r.code, 1, show(r));
  const j = json(r.stdout);
  assert.equal(lines(j), ['unauthenticated-write DELETE /orders/{id}', 'write-endpoint DELETE /orders/{id}']);
  assert.equal(j.findings[0]!.file, 'services/api/app.js');
  assert.equal(j.baseline!.ref, 'HEAD~1');
  assert.is(j.baseline!.suppressed, 3);
  assert.equal(j.baseline!.newEndpoints!.map((e) => `${e.method} ${e.path} ${e.auth} ${e.write}`), ['DELETE /orders/{id} none true']);
  assert.is(j.endpoints.length, 3);
  const text = await runCli(['scan', 'services/api', '--baseline-ref', 'HEAD~1'], { cwd: repo });
  assert.match(text.stdout, /New endpoints since HEAD~1 \(1\)\n\s+DELETE\s+\/orders\/\{id\}\s+unauthenticated, write/);
  const md = await runCli(['scan', 'services/api', '--baseline-ref', 'HEAD~1', '-f', 'markdown'], { cwd: repo });
  assert.match(md.stdout, /### New endpoints since `HEAD~1` \(1\)[\s\S]*\| DELETE \| `\/orders\/\{id\}` \| \*\*unauthenticated\*\* \| yes \|/);
  // against HEAD: nothing new
  const same = await runCli(['scan', 'services/api', '--baseline-ref', 'HEAD', '-f', 'json'], { cwd: repo });
  assert.is(same.code, 0, show(same));
  assert.equal(json(same.stdout).findings, []);
  assert.equal(json(same.stdout).baseline!.newEndpoints, []);
  // the working tree and index are untouched, no temporary tree left behind in the repository
  assert.is(git(repo, 'status', '--porcelain'), status);
});

test('scan --baseline-ref: a directory that did not exist at the ref makes everything new', async () => {
  const repo = project({ 'README.md': '# x\n' });
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'one');
  fs.mkdirSync(path.join(repo, 'api'));
  fs.writeFileSync(path.join(repo, 'api/package.json'), PKG);
  fs.writeFileSync(path.join(repo, 'api/app.js'), APP);
  const r = await runCli(['scan', 'api', '--baseline-ref', 'HEAD', '-f', 'json'], { cwd: repo });
  assert.is(r.code, 1, show(r));
  assert.is(json(r.stdout).findings.length, 3);
  assert.is(json(r.stdout).baseline!.newEndpoints!.length, 2);
});

test('scan --baseline-ref: not a git repository, unknown ref: exit 2 with a message', async () => {
  const d = project({ 'package.json': PKG, 'app.js': APP });
  const r = await runCli(['scan', d, '--baseline-ref', 'HEAD']);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /not inside a git repository/);
  git(d, 'init', '-q');
  git(d, 'add', '-A');
  git(d, 'commit', '-qm', 'one');
  const u = await runCli(['scan', d, '--baseline-ref', 'no-such-branch']);
  assert.is(u.code, 2, show(u));
  assert.match(u.stderr, /--baseline-ref no-such-branch: no such commit/);
});

const SUPPRESSED_JS = `const express = require('express');
const app = express();
// apilantern-ignore unauthenticated-endpoint: load balancer health probe
app.get('/health', (req, res) => res.send('ok'));
app.post('/signup', (req, res) => res.send('ok')); // apilantern-ignore unauthenticated-write: public sign-up form
/* apilantern-ignore unauthenticated-write: public webhook, signed payload */
app.post('/hook', (req, res) => res.send('ok'));
// apilantern-ignore unauthenticated-write
app.delete('/items/:id', (req, res) => res.send('ok'));
// apilantern-ignore shadow-endpoint: nothing is here
app.listen(3000);
`;

test('suppressions in JavaScript: line above, same line, block comment; missing reason and unused reported', async () => {
  const d = project({ 'package.json': PKG, 'app.js': SUPPRESSED_JS });
  const r = await runCli(['scan', d, '-f', 'json', '--min-severity', 'medium']);
  const j = json(r.stdout);
  assert.equal(lines(j), ['unauthenticated-write DELETE /items/{id}']);
  assert.equal(
    j.suppressed!.map((s) => `${s.ruleId} ${s.endpoint} ${s.suppressedAt.line} ${s.reason}`).sort(),
    ['unauthenticated-endpoint GET /health 3 load balancer health probe', 'unauthenticated-write POST /hook 6 public webhook, signed payload', 'unauthenticated-write POST /signup 5 public sign-up form'],
  );
  assert.equal(notes(j, 'suppression'), ['suppression-missing-reason app.js:8', 'suppression-unused app.js:10']);
  assert.match(r.stderr, /app\.js:8: apilantern-ignore unauthenticated-write has no reason/);
  assert.match(r.stderr, /app\.js:10: apilantern-ignore shadow-endpoint matches no finding/);
  // SARIF: suppressed results left out unless --show-suppressed
  const s = await runCli(['scan', d, '-f', 'sarif', '--min-severity', 'medium']);
  type Sarif = { runs: Array<{ results: Array<{ ruleId: string; properties: { endpoint: string }; suppressions?: Array<{ kind: string; justification: string }> }> }> };
  assert.equal((JSON.parse(s.stdout) as Sarif).runs[0]!.results.map((x) => x.properties.endpoint), ['DELETE /items/{id}']);
  const shown = await runCli(['scan', d, '-f', 'sarif', '--min-severity', 'medium', '--show-suppressed']);
  const res = (JSON.parse(shown.stdout) as Sarif).runs[0]!.results;
  assert.is(res.length, 4);
  assert.equal(res.find((x) => x.properties.endpoint === 'GET /health')!.suppressions, [{ kind: 'inSource', justification: 'load balancer health probe' }]);
  assert.is(res.find((x) => x.properties.endpoint === 'DELETE /items/{id}')!.suppressions, undefined);
  const file = path.join(d, 'shown.sarif');
  fs.writeFileSync(file, shown.stdout);
  assert.equal(validateSarif(file), []);
  // text and markdown leave them out
  const t = await runCli(['scan', d, '--min-severity', 'medium']);
  assert.not.match(t.stdout, /POST \/signup accepts writes/);
  assert.match(t.stdout, /3 finding\(s\) suppressed/);
});

test('suppressions: a suppressed critical finding does not fail the run; a baseline does not count it as prunable', async () => {
  const d = project({ 'package.json': PKG, 'app.js': SUPPRESSED_JS.replace(/app\.delete.*\n/, '') });
  const r = await runCli(['scan', d, '--fail-on', 'medium']);
  assert.is(r.code, 0, show(r));
});

test('suppressions in TypeScript (decorated NestJS-free express app, types)', async () => {
  const d = project({
    'package.json': JSON.stringify({ name: 'app', main: 'src/app.ts', dependencies: { express: '4' } }),
    'src/app.ts': `import express, { Request, Response } from 'express';
const app = express();
/* apilantern-ignore unauthenticated-write, write-endpoint: internal admin network only */
app.put('/config', (req: Request, res: Response) => res.send('ok'));
app.get('/status', (req: Request, res: Response): void => void res.send('ok')); /* apilantern-ignore unauthenticated-endpoint: status page */
app.listen(3000);
`,
  });
  const r = await runCli(['scan', d, '-f', 'json']);
  const j = json(r.stdout);
  assert.equal(lines(j), []);
  assert.equal(j.suppressed!.map((s) => `${s.ruleId} ${s.endpoint}`).sort(), ['unauthenticated-endpoint GET /status', 'unauthenticated-write PUT /config', 'write-endpoint PUT /config']);
  assert.equal(notes(j, 'suppression'), []);
  assert.is(r.code, 0);
});

test('suppressions in a spec: x-apilantern-ignore as a list or a map; unused ones reported', async () => {
  const d = project({
    'package.json': PKG,
    'app.js': APP,
    'openapi.yaml': `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /health:
    get:
      x-apilantern-ignore: [unauthenticated-endpoint]
      responses: { '200': { description: ok } }
  /orders:
    post:
      x-apilantern-ignore:
        unauthenticated-write: orders are taken from anonymous carts
        zombie-endpoint: never fires here
      responses: { '200': { description: ok } }
  /legacy:
    get:
      x-apilantern-ignore: { zombie-endpoint: kept for old mobile clients until 2027 }
      responses: { '200': { description: ok } }
`,
  });
  const r = await runCli(['scan', d, '-f', 'json']);
  const j = json(r.stdout);
  assert.equal(
    j.suppressed!.map((s) => `${s.ruleId} ${s.endpoint} ${s.reason}`).sort(),
    [
      'unauthenticated-endpoint GET /health listed in x-apilantern-ignore',
      'unauthenticated-write POST /orders orders are taken from anonymous carts',
      'zombie-endpoint GET /legacy kept for old mobile clients until 2027',
    ],
  );
  assert.not.ok(j.findings.some((f) => f.endpoint === 'GET /legacy' || (f.endpoint === 'GET /health' && f.ruleId === 'unauthenticated-endpoint')));
  assert.equal(notes(j, 'suppression'), ['suppression-unused openapi.yaml:12']);
});

test.run();
