import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { validateSarif } from '../report/sarif-validate.js';
import { copyFixture, removeTempDirs, runCli, show, tempDir } from './run-cli.js';

const SHOPFRONT = 'examples/shopfront';
const CLEAN = 'test/cli/fixtures/clean';
const MEDIUM_ONLY = 'test/cli/fixtures/medium-only';
const WEBHOOK = 'test/cli/fixtures/webhook';

interface JsonReport {
  endpoints: Array<{ method: string; path: string; auth: string }>;
  findings: Array<{ ruleId: string; severity: string; endpoint: string }>;
}

const findingsOf = (stdout: string) => (JSON.parse(stdout) as JsonReport).findings.map((f) => `${f.severity} ${f.ruleId} ${f.endpoint}`);
const endpointOf = (stdout: string, label: string) => (JSON.parse(stdout) as JsonReport).endpoints.find((e) => `${e.method} ${e.path}` === label);

/** Runs `fn` with process.exit and a global marker watched, so that executed config code is caught, not obeyed. */
async function watchExecution<T>(fn: () => Promise<T>): Promise<{ value: T; exitCalls: unknown[]; executed: unknown }> {
  const g = globalThis as { __apilanternExecuted?: unknown };
  delete g.__apilanternExecuted;
  const exitCalls: unknown[] = [];
  const realExit = process.exit;
  process.exit = ((code?: number) => {
    exitCalls.push(code);
    throw new Error(`process.exit(${code}) called by scanned code`);
  }) as typeof process.exit;
  try {
    const value = await fn();
    return { value, exitCalls, executed: g.__apilanternExecuted };
  } finally {
    process.exit = realExit;
    delete g.__apilanternExecuted;
  }
}

const EXECUTABLE_CONFIG = `globalThis.__apilanternExecuted = __filename;
process.exit(3);
throw new Error('executed!');
module.exports = { failOn: 'none' };
`;

test.after(() => removeTempDirs());

// ---------------------------------------------------------------- exit codes

test('exit 0: no finding at or above --fail-on (--fail-on none on shopfront)', async () => {
  const r = await runCli(['scan', SHOPFRONT, '--fail-on', 'none']);
  assert.is(r.code, 0, show(r));
  assert.match(r.stdout, /^apilantern: API posture/);
});

test('exit 0: a clean app (every endpoint authenticated and documented) with the default --fail-on', async () => {
  const r = await runCli(['scan', CLEAN, '--format', 'json']);
  assert.is(r.code, 0, show(r));
  assert.equal(findingsOf(r.stdout), ['note write-endpoint POST /api/items']);
  // the note still fails the run when asked to
  assert.is((await runCli(['scan', CLEAN, '--fail-on', 'note'])).code, 1);
});

test('exit 1: shopfront with the default --fail-on (high)', async () => {
  const r = await runCli(['scan', SHOPFRONT]);
  assert.is(r.code, 1, show(r));
  assert.match(r.stdout, /CRITICAL \(2\)/);
});

test('exit 2: the path to scan does not exist', async () => {
  const r = await runCli(['scan', 'no/such/dir', '--format', 'json']);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /no\/such\/dir/);
  assert.is(r.stdout, '', 'no report');
});

test('exit 2: --config with an unknown key names the key', async () => {
  const dir = tempDir('config');
  const cfg = path.join(dir, 'apilantern.config.json');
  fs.writeFileSync(cfg, JSON.stringify({ severty: { 'shadow-endpoint': 'low' } }));
  const r = await runCli(['scan', CLEAN, '--config', cfg]);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /'severty'/);
  assert.match(r.stderr, /apilantern\.config\.json/);
  assert.is(r.stdout, '');
});

test('exit 2: --config with invalid JSON names the file', async () => {
  const dir = tempDir('config');
  const cfg = path.join(dir, 'broken-config.json');
  fs.writeFileSync(cfg, '{ "failOn": "high", }\n');
  const r = await runCli(['scan', CLEAN, '--config', cfg]);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /broken-config\.json/);
  assert.match(r.stderr, /not valid JSON/);
  assert.is(r.stdout, '');
});

test('exit 2: an unknown --format, and no scan is run', async () => {
  const r = await runCli(['scan', CLEAN, '--format', 'yaml']);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /yaml/);
  assert.is(r.stdout, '', 'no report is printed after a usage error');
});

test('exit 2: other invalid options (unknown flag, bad --fail-on / --min-severity value)', async () => {
  for (const argv of [
    ['scan', CLEAN, '--bogus'],
    ['scan', CLEAN, '--fail-on', 'extreme'],
    ['scan', CLEAN, '--min-severity', 'loud'],
  ]) {
    const r = await runCli(argv);
    assert.is(r.code, 2, `${argv.join(' ')}: ${show(r)}`);
    assert.is(r.stdout, '', `${argv.join(' ')}: no report after a usage error`);
  }
});

test('exit 2: a --spec file that does not exist', async () => {
  const r = await runCli(['scan', CLEAN, '--spec', 'test/cli/fixtures/nope.yaml']);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /nope\.yaml/);
});

test('exit 2: a --spec file that is invalid YAML, after the reports are written; errors win over findings', async () => {
  const dir = tempDir('spec');
  const spec = path.join(dir, 'broken.yaml');
  fs.writeFileSync(spec, 'openapi: 3.0.3\ninfo: { title: x\npaths:\n  /status: {}\n');
  const out = path.join(dir, 'report.json');
  const sarif = path.join(dir, 'report.sarif');
  const r = await runCli(['scan', MEDIUM_ONLY, '--spec', spec, '--format', 'json', '--output', out, '--sarif-output', sarif]);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /broken\.yaml/);
  const j = JSON.parse(fs.readFileSync(out, 'utf8')) as JsonReport & { notifications: Array<{ code: string }> };
  assert.equal(j.endpoints.map((e) => `${e.method} ${e.path}`), ['GET /status'], 'the code was scanned');
  assert.ok(j.notifications.some((n) => n.code === 'spec-parse-error'), 'the report says why');
  assert.ok(fs.existsSync(sarif), 'SARIF written too');
  // shopfront has critical findings, but the tool could not do its job: 2, not 1
  const s = await runCli(['scan', SHOPFRONT, '--spec', spec]);
  assert.is(s.code, 2, show(s));
});

// ---------------------------------------------------------------- severities

test('--min-severity filters what is reported; --fail-on still counts every finding', async () => {
  // medium-only: one medium finding
  const all = await runCli(['scan', MEDIUM_ONLY, '--format', 'json', '--fail-on', 'medium']);
  assert.equal(findingsOf(all.stdout), ['medium unauthenticated-endpoint GET /status']);
  assert.is(all.code, 1);
  const high = await runCli(['scan', MEDIUM_ONLY, '--format', 'json', '--fail-on', 'medium', '--min-severity', 'high']);
  assert.equal(findingsOf(high.stdout), [], 'the medium finding is not reported');
  assert.is(high.code, 1, `but it still fails the run: ${show(high)}`);
  // shopfront: only the criticals are reported, the highs still fail the default --fail-on
  const crit = await runCli(['scan', SHOPFRONT, '--format', 'json', '--min-severity', 'critical']);
  const reported = findingsOf(crit.stdout);
  assert.is(reported.length, 2);
  assert.ok(reported.every((f) => f.startsWith('critical ')));
  assert.is(crit.code, 1);
  const sev = await runCli(['scan', SHOPFRONT, '--format', 'json', '--min-severity', 'high']);
  assert.ok(findingsOf(sev.stdout).every((f) => /^(critical|high) /.test(f)));
  assert.is(findingsOf(sev.stdout).length, 7);
});

// ---------------------------------------------------------------- outputs

test('--sarif-output writes SARIF and prints the text report', async () => {
  const file = path.join(tempDir('out'), 'nested', 'apilantern.sarif');
  const r = await runCli(['scan', SHOPFRONT, '--sarif-output', file]);
  assert.is(r.code, 1, show(r));
  assert.match(r.stdout, /^apilantern: API posture/);
  const log = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string; runs: Array<{ results: unknown[] }> };
  assert.is(log.version, '2.1.0');
  assert.is(log.runs[0]!.results.length, 28);
  const errors = validateSarif(file);
  assert.equal(errors, [], errors.join('\n'));
});

test('several formats with --output dir/report write report.json and report.sarif', async () => {
  const dir = path.join(tempDir('out'), 'reports');
  const r = await runCli(['scan', SHOPFRONT, '--format', 'json', '--format', 'sarif', '--output', path.join(dir, 'report')]);
  assert.is(r.code, 1, show(r));
  assert.is(r.stdout, '', 'reports go to files');
  assert.equal(fs.readdirSync(dir).sort(), ['report.json', 'report.sarif']);
  assert.is((JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as { version: number }).version, 1);
  assert.is((JSON.parse(fs.readFileSync(path.join(dir, 'report.sarif'), 'utf8')) as { version: string }).version, '2.1.0');
});

test('--quiet prints no warnings on stderr', async () => {
  // a file with a syntax error: a warning notification
  const dir = copyFixture('test/bad-input/fixtures/syntax-recoverable', 'quiet');
  const loud = await runCli(['scan', dir]);
  assert.match(loud.stderr, /warning: src\/app\.ts:8/, show(loud));
  const quiet = await runCli(['scan', dir, '--quiet'], { stderrIsTTY: true });
  assert.not.match(quiet.stderr, /warning/, show(quiet));
  assert.is(quiet.stderr, '', 'nothing at all on stderr');
  assert.match(quiet.stdout, /^apilantern: API posture/, 'the report is still printed');
  assert.is(quiet.code, loud.code);
});

// ---------------------------------------------------------------- configuration

test('config discovery: apilantern.config.json in the scanned directory (severity override)', async () => {
  const dir = copyFixture(WEBHOOK, 'config');
  const before = findingsOf((await runCli(['scan', dir, '--format', 'json'])).stdout);
  assert.ok(before.includes('critical unauthenticated-write POST /hooks/payment'), before.join('\n'));
  fs.writeFileSync(path.join(dir, 'apilantern.config.json'), JSON.stringify({ severity: { 'unauthenticated-write': 'low' } }, null, 2));
  const r = await runCli(['scan', dir, '--format', 'json']);
  assert.ok(findingsOf(r.stdout).includes('low unauthenticated-write POST /hooks/payment'), findingsOf(r.stdout).join('\n'));
  assert.not.ok(findingsOf(r.stdout).some((f) => f.startsWith('critical ')));
  assert.is(r.code, 0, 'nothing at or above high any more');
});

test('config discovery: .apilantern.yml declaring a middleware as auth changes the endpoint', async () => {
  const dir = copyFixture(WEBHOOK, 'config');
  assert.is(endpointOf((await runCli(['scan', dir, '--format', 'json'])).stdout, 'POST /hooks/payment')?.auth, 'none');
  fs.writeFileSync(path.join(dir, '.apilantern.yml'), 'auth:\n  middleware:\n    checkPartner: required\n');
  const r = await runCli(['scan', dir, '--format', 'json']);
  assert.is(endpointOf(r.stdout, 'POST /hooks/payment')?.auth, 'required');
  assert.is(endpointOf(r.stdout, 'GET /health')?.auth, 'none', 'other endpoints unchanged');
  assert.not.ok(findingsOf(r.stdout).some((f) => f.includes('unauthenticated-write')), findingsOf(r.stdout).join('\n'));
});

test('config discovery: package.json#apilantern', async () => {
  const dir = copyFixture(WEBHOOK, 'config');
  const pj = path.join(dir, 'package.json');
  fs.writeFileSync(pj, JSON.stringify({ ...JSON.parse(fs.readFileSync(pj, 'utf8')), apilantern: { severity: { 'unauthenticated-endpoint': 'high' } } }, null, 2));
  const r = await runCli(['scan', dir, '--format', 'json']);
  assert.ok(findingsOf(r.stdout).includes('high unauthenticated-endpoint GET /health'), findingsOf(r.stdout).join('\n'));
  // apilantern.config.json comes first in the lookup order
  fs.writeFileSync(path.join(dir, 'apilantern.config.json'), JSON.stringify({ severity: { 'unauthenticated-endpoint': 'low' } }));
  assert.ok(findingsOf((await runCli(['scan', dir, '--format', 'json'])).stdout).includes('low unauthenticated-endpoint GET /health'));
});

test('a .js config is refused with exit 2 and never executed', async () => {
  const dir = tempDir('config');
  const cfg = path.join(dir, 'apilantern.config.js');
  fs.writeFileSync(cfg, EXECUTABLE_CONFIG);
  const { value: r, exitCalls, executed } = await watchExecution(() => runCli(['scan', CLEAN, '--config', cfg]));
  assert.equal(exitCalls, [], 'process.exit never called');
  assert.is(executed, undefined, 'the config was executed');
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /apilantern\.config\.js/);
  assert.match(r.stderr, /JSON or YAML/);
});

test('executable config files in the scanned directory are never executed', async () => {
  const dir = copyFixture(CLEAN, 'config');
  for (const name of ['apilantern.config.js', 'apilantern.config.mjs', 'apilantern.config.cjs', 'apilantern.config.ts', '.apilantern.js']) {
    fs.writeFileSync(path.join(dir, name), EXECUTABLE_CONFIG);
  }
  const { value: r, exitCalls, executed } = await watchExecution(() => runCli(['scan', dir, '--format', 'json']));
  assert.equal(exitCalls, []);
  assert.is(executed, undefined);
  assert.ok(r.code !== 3, show(r));
  assert.is((JSON.parse(r.stdout) as JsonReport).endpoints.length, 3, 'the scan completed');
});

test.run();
