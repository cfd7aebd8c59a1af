import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import type { Endpoint } from '../../src/model.js';
import { toCsv } from '../../src/report/csv.js';
import type { ReportInput } from '../../src/report/types.js';
import { ANSI, copyFixture, removeTempDirs, runCli, show, tempDir } from '../cli/run-cli.js';

const SHOPFRONT = 'examples/shopfront';

interface JsonReport {
  version: number;
  summary: Record<string, unknown>;
  endpoints: Array<Record<string, unknown> & { method: string; path: string; sources: string[]; code: Array<Record<string, unknown>>; spec: Array<Record<string, unknown>> }>;
  findings: Array<Record<string, unknown> & { ruleId: string; severity: string; endpoint: string; file: string; line: number; fingerprint: string }>;
  notifications: unknown[];
}

async function report(dir: string, format: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}, stdoutIsTTY = false): Promise<string> {
  const r = await runCli(['scan', dir, '--format', format, ...extra], { env, stdoutIsTTY });
  assert.ok(r.code === 0 || r.code === 1, `scan ${dir} --format ${format}: ${show(r)}`);
  return r.stdout;
}

async function json(dir: string, extra: string[] = []): Promise<JsonReport> {
  return JSON.parse(await report(dir, 'json', extra)) as JsonReport;
}

/** RFC 4180 CSV: quoted cells, doubled quotes, newlines inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

test.after(() => removeTempDirs());

// ---------------------------------------------------------------- JSON

test('json: version 1, 27 endpoints, the exact critical and high findings', async () => {
  const j = await json(SHOPFRONT);
  assert.is(j.version, 1);
  assert.is(j.endpoints.length, 27, '24 endpoints in code + 3 spec-only operations');
  const severe = j.findings
    .filter((f) => f.severity === 'critical' || f.severity === 'high')
    .map((f) => `${f.severity} ${f.ruleId} ${f.endpoint}`)
    .sort();
  assert.equal(severe, [
    'critical unauthenticated-write POST /api/v1/internal/cache/flush',
    'critical unauthenticated-write POST /api/v1/webhooks/payment',
    'high shadow-endpoint DELETE /api/v1/admin/users/{id}',
    'high shadow-endpoint GET /api/v1/internal/export-users',
    'high shadow-endpoint GET /healthz',
    'high shadow-endpoint POST /api/v1/internal/cache/flush',
    'high spec-auth-mismatch GET /api/v1/orders/track/{trackingNumber}',
  ]);
});

test('json: contract keys of every endpoint and every finding', async () => {
  const j = await json(SHOPFRONT);
  const endpointKeys = ['method', 'path', 'sources', 'auth', 'write', 'framework', 'code', 'spec', 'evidence'];
  const missing: string[] = [];
  for (const e of j.endpoints) {
    const label = `${e.method} ${e.path}`;
    for (const k of endpointKeys) if (!(k in e)) missing.push(`${label}: ${k}`);
    assert.ok(Array.isArray(e.sources) && e.sources.length > 0, `${label}: sources`);
    assert.ok(Array.isArray(e.code) && Array.isArray(e.spec) && Array.isArray(e.evidence), `${label}: code/spec/evidence are arrays`);
    for (const c of e.code) for (const k of ['file', 'line']) if (!(k in c)) missing.push(`${label}: code[].${k}`);
    for (const s of e.spec) for (const k of ['file', 'line', 'operationId']) if (!(k in s)) missing.push(`${label}: spec[].${k}`);
    for (const c of e.code) assert.ok(typeof c.file === 'string' && Number.isInteger(c.line) && (c.line as number) >= 1, `${label}: code location`);
  }
  assert.equal(missing, [], `keys missing from the JSON contract:\n${missing.join('\n')}`);
  const findingKeys = ['ruleId', 'severity', 'endpoint', 'message', 'file', 'line', 'fingerprint'];
  for (const f of j.findings) for (const k of findingKeys) assert.ok(k in f, `${f.ruleId} ${f.endpoint}: ${k}`);
});

// ---------------------------------------------------------------- text

test('text: opens with the posture summary', async () => {
  const text = await report(SHOPFRONT, 'text');
  const lines = text.split('\n');
  assert.is(lines[0], 'apilantern: API posture');
  assert.match(lines[1]!, /^ {2}Endpoints found in code: 24\b/);
  assert.match(text, /Documented in a spec: 17\/24/);
  assert.match(text, /Write-enabled without authentication: 2\/9/);
  assert.ok(text.indexOf('API posture') < text.indexOf('Endpoints (27)'), 'posture before the inventory');
  assert.ok(text.indexOf('Endpoints (27)') < text.indexOf('Findings ('), 'inventory before the findings');
});

test('text: no ANSI escapes without a TTY, or with NO_COLOR set', async () => {
  assert.not.match(await report(SHOPFRONT, 'text', [], {}, false), ANSI, 'not a TTY');
  assert.not.match(await report(SHOPFRONT, 'text', [], { NO_COLOR: '1' }, true), ANSI, 'NO_COLOR on a TTY');
  assert.not.match(await report(SHOPFRONT, 'text', [], { NO_COLOR: '1', CI: 'true' }, false), ANSI, 'NO_COLOR in CI');
});

test('text: FORCE_COLOR=0 turns colour off, even on a TTY', async () => {
  // FORCE_COLOR=0 means "no colour" for Node (tty.getColorDepth), chalk/supports-color and most CLIs.
  assert.not.match(await report(SHOPFRONT, 'text', [], { FORCE_COLOR: '0' }, true), ANSI, 'FORCE_COLOR=0 on a TTY');
});

test('text: ANSI escapes with FORCE_COLOR=1 (and on a TTY)', async () => {
  assert.match(await report(SHOPFRONT, 'text', [], { FORCE_COLOR: '1' }, false), ANSI, 'FORCE_COLOR=1');
  assert.match(await report(SHOPFRONT, 'text', [], {}, true), ANSI, 'TTY');
});

test('text written with --output has no ANSI escapes even on a TTY', async () => {
  const file = path.join(tempDir('text'), 'report.txt');
  const r = await runCli(['scan', SHOPFRONT, '--output', file], { stdoutIsTTY: true });
  assert.is(r.code, 1, show(r));
  assert.not.match(fs.readFileSync(file, 'utf8'), ANSI);
});

// ---------------------------------------------------------------- markdown

test('markdown: the posture summary table comes first', async () => {
  const md = await report(SHOPFRONT, 'markdown');
  const lines = md.split('\n');
  assert.is(lines[0], '## apilantern: API posture');
  const firstTable = lines.findIndex((l) => l.startsWith('|'));
  assert.match(lines[firstTable]!, /^\| Endpoints \| Documented \| Authenticated \| Write-enabled \| Unauthenticated writes \|$/);
  assert.match(lines[firstTable + 1]!, /^\|[-:|]+\|$/, 'table separator');
  assert.match(lines[firstTable + 2]!, /^\| 24 \| 17 \(71%\) \| 17 \(71%\) \| 9 \(38%\) \| 2 of 9 \(22%\) \|$/);
  assert.ok(firstTable < lines.indexOf('### Findings'), 'summary before findings');
  assert.not.match(md, ANSI);
});

// ---------------------------------------------------------------- CSV

test('csv: fixed header, one row per inventory endpoint, in the inventory order', async () => {
  const csv = await report(SHOPFRONT, 'csv');
  const rows = parseCsv(csv);
  assert.equal(rows[0], ['service', 'server', 'method', 'path', 'in_code', 'in_spec', 'auth', 'write', 'location', 'spec_location', 'middleware']);
  assert.is(csv.split('\n')[0], 'service,server,method,path,in_code,in_spec,auth,write,location,spec_location,middleware');
  const j = await json(SHOPFRONT);
  const body = rows.slice(1);
  assert.is(body.length, 27);
  for (const r of body) assert.is(r.length, 11, `row ${r.join(',')}`);
  assert.equal(
    body.map((r) => `${r[2]} ${r[3]}`),
    j.endpoints.map((e) => `${e.method} ${e.path}`),
  );
  for (const [i, r] of body.entries()) {
    const e = j.endpoints[i]!;
    assert.is(r[4], e.sources.includes('code') ? 'yes' : 'no', `${r[2]} ${r[3]} in_code`);
    assert.is(r[5], e.sources.includes('spec') ? 'yes' : 'no', `${r[2]} ${r[3]} in_spec`);
  }
  for (const [i, r] of body.entries()) {
    const e = j.endpoints[i]!;
    assert.is(r[8], e.code.map((c) => `${c.file}:${c.line}`).join(' '), `${r[2]} ${r[3]} location`);
    assert.is(r[9], e.spec[0] ? `${e.spec[0].file}:${e.spec[0].line}` : '', `${r[2]} ${r[3]} spec_location`);
  }
  const flush = body.find((r) => r[2] === 'POST' && r[3] === '/api/v1/internal/cache/flush')!;
  assert.equal([flush[4], flush[5], flush[6], flush[7]], ['yes', 'no', 'none', 'yes']);
  assert.match(flush[8]!, /(^|\/)src\/routes\/legacy\.ts:22$/);
});

test('csv: a cell starting with = (+ - @ tab CR) is neutralised', () => {
  const ep = (service: string, server: string, p: string, middleware: string[]): Endpoint => ({
    method: 'GET',
    path: p,
    key: p,
    sources: ['code'],
    auth: 'none',
    write: false,
    framework: 'express',
    service,
    code: [
      {
        method: 'GET',
        path: p,
        framework: 'express',
        service,
        server,
        location: { file: 'src/app.ts', line: 3 },
        middleware,
        auth: 'none',
        evidence: [],
        unresolved: [],
        notes: [],
      },
    ],
    spec: [],
    unresolved: [],
  });
  const input: ReportInput = {
    toolVersion: '0.0.0',
    frameworks: ['express'],
    inventory: [
      ep('=HYPERLINK("http://evil.example","x")', '+1+2', '/a', ['-2+3', '@SUM(A1)']),
      ep('\tcmd', '\rcmd', '/b', ['=cmd|\' /C calc\'!A0']),
    ],
    findings: [],
    notifications: [],
    specs: [],
    rules: [],
  };
  const rows = parseCsv(toCsv(input)).slice(1);
  assert.is(rows.length, 2);
  const danger = /^[=+\-@\t\r]/;
  for (const row of rows) for (const c of row) assert.not.match(c, danger, `cell ${JSON.stringify(c)} would run as a formula`);
  assert.is(rows[0]![0], `'=HYPERLINK("http://evil.example","x")`);
  assert.is(rows[0]![1], `'+1+2`);
  assert.is(rows[0]![10], `'-2+3 @SUM(A1)`);
  assert.is(rows[1]![0], `'\tcmd`);
});

test('csv: a formula-looking service directory is neutralised end to end', async () => {
  const root = tempDir('csv');
  const svc = '=HYPERLINK("evil.example","click")';
  fs.mkdirSync(path.join(root, svc, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'root', private: true, workspaces: ['*'] }));
  fs.writeFileSync(path.join(root, svc, 'package.json'), JSON.stringify({ name: 'evil', dependencies: { express: '^4.21.0' } }));
  fs.writeFileSync(path.join(root, svc, 'src', 'app.js'), "const express = require('express');\nconst app = express();\napp.get('/x', (req, res) => res.end());\napp.listen(1);\n");
  const rows = parseCsv(await report(root, 'csv')).slice(1);
  assert.is(rows.length, 1);
  assert.is(rows[0]![0], `'${svc}`);
  for (const c of rows[0]!) assert.not.match(c, /^[=+\-@\t\r]/, `cell ${JSON.stringify(c)}`);
});

// ---------------------------------------------------------------- determinism and fingerprints

test('determinism: two runs give byte-identical json and sarif', async () => {
  for (const format of ['json', 'sarif']) {
    const a = await report(SHOPFRONT, format);
    const b = await report(SHOPFRONT, format);
    assert.ok(a.length > 1000, `${format} output`);
    assert.ok(a === b, `${format}: two runs differ`);
  }
});

test('fingerprints survive code moving down: 5 blank lines at the top of the route file', async () => {
  const dir = copyFixture('test/cli/fixtures/webhook', 'fingerprint');
  const before = await json(dir);
  const sarifBefore = JSON.parse(await report(dir, 'sarif')) as { runs: Array<{ results: Array<{ ruleId: string; partialFingerprints: Record<string, string> }> }> };
  const routeFile = path.join(dir, 'src/app.ts');
  fs.writeFileSync(routeFile, '\n\n\n\n\n' + fs.readFileSync(routeFile, 'utf8'));
  const after = await json(dir);
  const sarifAfter = JSON.parse(await report(dir, 'sarif')) as typeof sarifBefore;

  const key = (f: JsonReport['findings'][number]) => `${f.ruleId} ${f.endpoint}`;
  assert.ok(before.findings.length >= 3, 'the fixture has findings');
  assert.equal(after.findings.map(key).sort(), before.findings.map(key).sort(), 'same findings');
  for (const f of before.findings) {
    const g = after.findings.find((x) => key(x) === key(f))!;
    assert.is(g.fingerprint, f.fingerprint, `${key(f)}: fingerprint`);
    assert.is(f.file, 'src/app.ts');
    assert.is(g.line, f.line + 5, `${key(f)}: line moved from ${f.line} to ${g.line}`);
  }
  const fp = (s: typeof sarifBefore) => s.runs[0]!.results.map((r) => `${r.ruleId} ${r.partialFingerprints['apilantern/v1']} ${r.partialFingerprints.primaryLocationLineHash}`).sort();
  assert.equal(fp(sarifAfter), fp(sarifBefore), 'SARIF partialFingerprints unchanged');
});

test.run();
