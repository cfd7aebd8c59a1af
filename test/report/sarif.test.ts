import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { REPO } from '../helpers.js';
import { removeTempDirs, runCli, show, tempDir } from '../cli/run-cli.js';
import { runSarifValidator } from './sarif-validate.js';

const SHOPFRONT = 'examples/shopfront';

/** Runs `apilantern scan <dir> --format sarif --output <tmp>` and returns the file, its text and the parsed log. */
async function sarifOf(dir: string, extra: string[] = [], exits = [0, 1]): Promise<{ file: string; text: string; log: Log; exit: number }> {
  const file = path.join(tempDir('sarif'), 'report.sarif');
  const r = await runCli(['scan', dir, '--format', 'sarif', '--output', file, ...extra]);
  assert.ok(exits.includes(r.code), `scan of ${dir}: exit ${r.code}, expected ${exits.join(' or ')}: ${show(r)}`);
  assert.is(r.stdout, '', 'with --output, nothing goes to stdout');
  const text = fs.readFileSync(file, 'utf8');
  return { file, text, log: JSON.parse(text) as Log, exit: r.code };
}

function assertValid(file: string, what: string): void {
  const v = runSarifValidator(file);
  if (v.warnings.length) console.log(`  SARIF multitool warnings for ${what}:\n    ${v.warnings.join('\n    ')}`);
  assert.equal(v.errors, [], `SARIF multitool errors for ${what}:\n${v.errors.join('\n')}`);
}

test.after(() => removeTempDirs());

test('shopfront SARIF passes the SARIF multitool (schema + SARIF + GitHub ingestion rules)', async () => {
  const { file, log, exit } = await sarifOf(SHOPFRONT);
  assert.is(exit, 1, 'shopfront has critical findings');
  assert.ok(log.runs[0]!.results!.length > 0);
  assertValid(file, 'shopfront');
});

test('SARIF run: one run, tool driver with name, versions and informationUri', async () => {
  const { log } = await sarifOf(SHOPFRONT);
  assert.is(log.version, '2.1.0');
  assert.type(log.$schema, 'string');
  assert.is(log.runs.length, 1);
  const driver = log.runs[0]!.tool.driver;
  assert.is(driver.name, 'apilantern');
  assert.match(driver.semanticVersion ?? '', /^\d+\.\d+\.\d+/);
  assert.match(driver.informationUri ?? '', /^https:\/\//);
});

test('every result: exactly one location, relative forward-slash uri, 1-based region, fingerprints, known rule', async () => {
  const { log } = await sarifOf(SHOPFRONT);
  const run = log.runs[0]!;
  const rules = run.tool.driver.rules ?? [];
  const results = run.results ?? [];
  assert.is(results.length, 28, 'shopfront has 28 findings');
  for (const r of results as Result[]) {
    const label = `${r.ruleId} ${(r.properties as { endpoint?: string } | undefined)?.endpoint ?? ''}`;
    assert.type(r.ruleId, 'string', label);
    assert.ok(['error', 'warning', 'note'].includes(r.level ?? ''), `${label}: level ${r.level}`);
    assert.ok(r.message.text && r.message.text.length > 0, `${label}: message.text`);
    assert.is(r.locations?.length, 1, `${label}: exactly one location`);
    const pl = r.locations![0]!.physicalLocation!;
    const uri = pl.artifactLocation!.uri!;
    assert.type(uri, 'string', `${label}: uri`);
    assert.not.match(uri, /^\//, `${label}: uri ${uri} must be relative`);
    assert.not.match(uri, /^[a-z][a-z0-9+.-]*:/i, `${label}: uri ${uri} must have no scheme`);
    assert.not.match(uri, /\\/, `${label}: uri ${uri} must use forward slashes`);
    assert.not.ok(uri.split('/').includes('..'), `${label}: uri ${uri} must not leave the root`);
    assert.ok(Number.isInteger(pl.region?.startLine) && pl.region!.startLine! >= 1, `${label}: startLine ${pl.region?.startLine}`);
    if (pl.region?.startColumn !== undefined) assert.ok(pl.region.startColumn >= 1, `${label}: startColumn ${pl.region.startColumn}`);
    // a real file holds that line (repository-relative, or relative to the scanned directory: see the last test)
    const abs = [path.join(REPO, uri), path.join(REPO, SHOPFRONT, uri)].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    assert.ok(abs, `${label}: ${uri} is not a file`);
    assert.ok(fs.readFileSync(abs!, 'utf8').split('\n').length >= pl.region!.startLine!, `${label}: line ${pl.region!.startLine} beyond the end of ${uri}`);
    // fingerprints
    const fp = r.partialFingerprints ?? {};
    assert.type(fp.primaryLocationLineHash, 'string', `${label}: primaryLocationLineHash`);
    assert.ok(fp.primaryLocationLineHash!.length > 0);
    assert.type(fp['apilantern/v1'], 'string', `${label}: our own fingerprint`);
    // the rule it points at
    assert.ok(rules.some((x) => x.id === r.ruleId), `${label}: rule listed in tool.driver.rules`);
    if (r.ruleIndex !== undefined) assert.is(rules[r.ruleIndex]?.id, r.ruleId, `${label}: ruleIndex`);
    for (const rl of r.relatedLocations ?? []) {
      const u = rl.physicalLocation?.artifactLocation?.uri ?? '';
      assert.not.match(u, /^\/|^[a-z]+:|\\/i, `${label}: related uri ${u}`);
      assert.ok((rl.physicalLocation?.region?.startLine ?? 0) >= 1, `${label}: related startLine`);
    }
  }
});

test('every rule: id, name, descriptions, help text+markdown, level, tags, precision, security-severity string', async () => {
  const { log } = await sarifOf(SHOPFRONT);
  const rules = log.runs[0]!.tool.driver.rules as ReportingDescriptor[];
  assert.equal(
    rules.map((r) => r.id),
    ['shadow-endpoint', 'zombie-endpoint', 'method-mismatch', 'unauthenticated-write', 'unauthenticated-endpoint', 'spec-auth-mismatch', 'write-endpoint', 'undocumented-traffic', 'unknown-traffic', 'unused-endpoint', 'missing-rate-limit'],
  );
  for (const r of rules) {
    assert.match(r.id, /^[a-z][a-z0-9-]*$/, `id ${r.id}`);
    assert.match(r.name ?? '', /^[A-Z][A-Za-z0-9]*$/, `${r.id}: name ${r.name}`);
    const short = r.shortDescription?.text ?? '';
    const full = r.fullDescription?.text ?? '';
    assert.ok(short.length > 0 && short.length <= 1024, `${r.id}: shortDescription (${short.length} chars)`);
    assert.ok(full.length > 0 && full.length <= 1024, `${r.id}: fullDescription (${full.length} chars)`);
    assert.ok((r.help?.text ?? '').length > 0, `${r.id}: help.text`);
    assert.ok((r.help?.markdown ?? '').length > 0, `${r.id}: help.markdown`);
    assert.ok(['error', 'warning', 'note'].includes(r.defaultConfiguration?.level ?? ''), `${r.id}: defaultConfiguration.level`);
    const props = (r.properties ?? {}) as { tags?: string[]; precision?: string; 'security-severity'?: unknown };
    assert.ok(Array.isArray(props.tags) && props.tags.length > 0 && props.tags.length <= 20, `${r.id}: tags (${props.tags?.length})`);
    if (r.id === 'write-endpoint') assert.not.ok(props.tags!.includes('security'), 'write-endpoint is an inventory note, not a security alert');
    else assert.ok(props.tags!.includes('security'), `${r.id}: tags include 'security'`);
    assert.ok(['very-high', 'high', 'medium', 'low'].includes(props.precision ?? ''), `${r.id}: precision ${props.precision}`);
    const sev = props['security-severity'];
    assert.type(sev, 'string', `${r.id}: security-severity must be a string`);
    assert.match(sev as string, /^\d+(\.\d)?$/, `${r.id}: security-severity ${sev}`);
    const n = Number(sev);
    assert.ok(n >= 0.1 && n <= 10, `${r.id}: security-severity ${sev} within 0.1..10.0`);
  }
});

test('no absolute path anywhere in the SARIF file', async () => {
  const { text } = await sarifOf(SHOPFRONT);
  assert.not.ok(text.includes('/work/'), 'no /work/ in the SARIF');
  assert.not.ok(text.includes(REPO), 'no repository path in the SARIF');
  assert.not.ok(text.includes('file://'), 'no file:// URI in the SARIF');
  assert.not.match(text, /"uri":\s*"\//, 'no uri starting with /');
});

test('automationDetails only when --category is passed', async () => {
  const without = await sarifOf(SHOPFRONT);
  assert.not.ok('automationDetails' in without.log.runs[0]!, 'no automationDetails without --category');
  const withCat = await sarifOf(SHOPFRONT, ['--category', 'apilantern/shopfront']);
  const id = withCat.log.runs[0]!.automationDetails?.id ?? '';
  assert.ok(id === 'apilantern/shopfront' || id === 'apilantern/shopfront/', `automationDetails.id ${id}`);
  assertValid(withCat.file, 'shopfront --category');
});

test('SARIF with tool notifications and no results is valid too', async () => {
  // a file that cannot be parsed and an invalid spec: toolExecutionNotifications with locations
  // (a spec named with --spec that cannot be parsed is an error: the run exits 2, errors winning over findings, and
  // still writes SARIF; discovered, the same spec is a warning)
  const cases = [
    ['test/bad-input/fixtures/unparseable', [], 1],
    ['test/bad-input/fixtures/spec-invalid-yaml', [], 1],
    ['test/bad-input/fixtures/spec-invalid-yaml', ['--spec', 'test/bad-input/fixtures/spec-invalid-yaml/openapi.yaml'], 2],
  ] as const;
  for (const [dir, extra, exit] of cases) {
    const { file, log } = await sarifOf(dir, [...extra], [exit]);
    const notes = log.runs[0]!.invocations?.[0]?.toolExecutionNotifications ?? [];
    assert.ok(notes.length > 0, `${dir}: notifications in the SARIF`);
    assert.is(log.runs[0]!.invocations?.[0]?.executionSuccessful, exit !== 2, `${dir}: executionSuccessful`);
    assertValid(file, dir);
  }
  // every finding filtered out: an empty results array
  const { file, log } = await sarifOf('test/cli/fixtures/clean', ['--min-severity', 'critical']);
  assert.equal(log.runs[0]!.results, []);
  assertValid(file, 'clean fixture with no results');
});

test('SARIF uris resolve from the repository root when a subdirectory is scanned (GitHub resolves them there)', async () => {
  // GitHub code scanning maps artifactLocation.uri to a file of the repository from its root (the checkout), so a
  // scan of examples/shopfront run from the repo root must give uris such as examples/shopfront/src/app.ts.
  const { log } = await sarifOf(SHOPFRONT);
  const wrong = (log.runs[0]!.results ?? [])
    .map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri!)
    .filter((uri) => !fs.existsSync(path.join(REPO, uri)));
  assert.equal([...new Set(wrong)], [], `uris that are not files of the repository (relative to the scanned directory instead?): ${[...new Set(wrong)].join(', ')}`);
});

test.run();
