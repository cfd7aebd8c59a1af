// Config discovery in the scanned directory (apilantern.config.json, .apilantern.yml, .apilantern.yaml,
// package.json#apilantern, in that order) and the refusal of executable config files. The cases for
// apilantern.config.json, .apilantern.yml and package.json alone are in test/cli/cli.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, removeTempDirs, runCli, show, tempDir } from '../cli/run-cli.js';

const WEBHOOK = 'test/cli/fixtures/webhook';
const CLEAN = 'test/cli/fixtures/clean';

const findings = (stdout: string) =>
  (JSON.parse(stdout) as { findings: Array<{ severity: string; ruleId: string; endpoint: string }> }).findings.map((f) => `${f.severity} ${f.ruleId} ${f.endpoint}`);
const sevOf = (severity: string) => `severity:\n  unauthenticated-write: ${severity}\n`;

test.after(() => removeTempDirs());

test('.apilantern.yaml is discovered', async () => {
  const dir = copyFixture(WEBHOOK, 'config');
  fs.writeFileSync(path.join(dir, '.apilantern.yaml'), sevOf('low'));
  const r = await runCli(['scan', dir, '--format', 'json']);
  assert.ok(findings(r.stdout).includes('low unauthenticated-write POST /hooks/payment'), show(r));
  assert.is(r.code, 0, show(r));
});

test('lookup order: apilantern.config.json, then .apilantern.yml, then .apilantern.yaml, then package.json', async () => {
  const dir = copyFixture(WEBHOOK, 'config');
  const pj = path.join(dir, 'package.json');
  fs.writeFileSync(pj, JSON.stringify({ ...JSON.parse(fs.readFileSync(pj, 'utf8')), apilantern: { severity: { 'unauthenticated-write': 'note' } } }));
  const sev = async () => (findings((await runCli(['scan', dir, '--format', 'json'])).stdout).find((f) => f.includes('unauthenticated-write')) ?? '').split(' ')[0];
  assert.is(await sev(), 'note');
  fs.writeFileSync(path.join(dir, '.apilantern.yaml'), sevOf('low'));
  assert.is(await sev(), 'low');
  fs.writeFileSync(path.join(dir, '.apilantern.yml'), sevOf('medium'));
  assert.is(await sev(), 'medium');
  fs.writeFileSync(path.join(dir, 'apilantern.config.json'), JSON.stringify({ severity: { 'unauthenticated-write': 'high' } }));
  assert.is(await sev(), 'high');
});

test('a discovered config may name its JSON schema with $schema', async () => {
  const dir = copyFixture(WEBHOOK, 'config');
  fs.writeFileSync(
    path.join(dir, 'apilantern.config.json'),
    JSON.stringify({ $schema: './node_modules/apilantern/schema/apilantern.schema.json', failOn: 'none' }),
  );
  const r = await runCli(['scan', dir, '--format', 'json']);
  assert.is(r.code, 0, show(r));
});

test('an invalid discovered config: exit 2, the message names the file and the key', async () => {
  const dir = copyFixture(WEBHOOK, 'config');
  fs.writeFileSync(path.join(dir, '.apilantern.yml'), 'traffic:\n  sessionKey: token\n');
  const r = await runCli(['scan', dir, '--format', 'json']);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /\.apilantern\.yml/);
  assert.match(r.stderr, /'traffic\.sessionKey'/);
  assert.is(r.stdout, '', 'no report when the config is broken');
});

test('executable configs given with --config (.mjs, .cjs, .ts, .mts) are refused with exit 2, never run', async () => {
  const g = globalThis as { __apilanternExecuted?: unknown };
  for (const name of ['apilantern.config.mjs', 'apilantern.config.cjs', 'apilantern.config.ts', 'apilantern.config.mts']) {
    const dir = tempDir('config');
    const cfg = path.join(dir, name);
    fs.writeFileSync(cfg, 'globalThis.__apilanternExecuted = true;\nexport default { failOn: "none" };\n');
    delete g.__apilanternExecuted;
    const r = await runCli(['scan', CLEAN, '--config', cfg]);
    assert.is(g.__apilanternExecuted, undefined, `${name} was executed`);
    assert.is(r.code, 2, show(r));
    assert.ok(r.stderr.includes(name), show(r));
    assert.match(r.stderr, /JSON or YAML/);
  }
});

test.run();
