/**
 * Errors win over findings: whatever leaves the result incomplete (here a spec that cannot be parsed) makes the run
 * exit 2 even when no finding would fail it, and the reports are still written with what was found.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { removeTempDirs, runCli, show, tempDir } from '../cli/run-cli.js';
import { hostileRepo } from './helpers.js';

test.after(removeTempDirs);

const BROKEN = 'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths:\n  /good/list: { get: { responses: { "200": { description: ok } }\n';

test('an error notification exits 2 with --fail-on none; SARIF and the JSON report still hold the good endpoints', async () => {
  // the spec the config names cannot be parsed: the comparison the user asked for cannot be made
  const dir = hostileRepo('exit2', { files: { 'openapi.yaml': BROKEN, 'apilantern.config.json': JSON.stringify({ specs: ['openapi.yaml'] }) } });
  const out = tempDir('exit2-out');
  const sarif = path.join(out, 'r.sarif');
  const r = await runCli(['scan', dir, '--fail-on', 'none', '--format', 'json', '--sarif-output', sarif]);
  assert.is(r.code, 2, show(r));
  assert.match(r.stderr, /apilantern: error: openapi\.yaml:\d+: cannot parse YAML/);
  assert.match(r.stderr, /apilantern: error: the result is incomplete \(1 error\(s\) above\); exit 2\.\n$/);
  const j = JSON.parse(r.stdout) as { endpoints: Array<{ method: string; path: string }> };
  assert.equal(j.endpoints.map((e) => `${e.method} ${e.path}`).sort(), ['GET /good/list', 'POST /good/create']);
  const log = JSON.parse(fs.readFileSync(sarif, 'utf8'));
  assert.is(log.runs[0].invocations[0].executionSuccessful, false);
  // the baseline command does not write a baseline from an incomplete result
  const b = await runCli(['baseline', dir, '--output', path.join(out, 'baseline.json')]);
  assert.is(b.code, 2, show(b));
  assert.not.ok(fs.existsSync(path.join(out, 'baseline.json')));
});

test('the same broken spec found by its content (not named) is a warning: it does not fail the run', async () => {
  const dir = hostileRepo('exit-discovered', { files: { 'openapi.yaml': BROKEN } });
  const r = await runCli(['scan', dir, '--fail-on', 'none']);
  assert.is(r.code, 0, show(r));
  assert.match(r.stderr, /apilantern: warning: openapi\.yaml:\d+: cannot parse YAML/);
});

test.run();
