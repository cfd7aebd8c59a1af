import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findingLines, REPO, scanDir } from '../../helpers.js';
import { runCli } from '../../cli/run-cli.js';
import { validateSarif } from '../../report/sarif-validate.js';

const SHOP = 'examples/shopfront';
const LOG = path.join(REPO, SHOP, 'logs/access.log');

test('shopfront + its nginx log: the traffic findings, exact', async () => {
  const r = await scanDir(SHOP, { traffic: { files: [LOG] } });
  assert.equal(findingLines(r).filter((l) => /traffic|unused|rate-limit/.test(l)), [
    'critical undocumented-traffic POST /api/v1/internal/cache/flush src/routes/legacy.ts:22',
    'high undocumented-traffic GET /healthz src/app.ts:34',
    'high undocumented-traffic DELETE /api/v1/admin/users/{id} src/routes/admin.ts:20',
    'high undocumented-traffic GET /api/v1/internal/export-users src/routes/legacy.ts:21',
    'high undocumented-traffic GET /{?}/catalog/feed src/routes/partner.ts:16',
    'high undocumented-traffic GET /api/v1/users/me/sessions src/routes/users.ts:44',
    'low unknown-traffic GET /api/v1/legacy/cart openapi.yaml:25',
    'low unused-endpoint POST /api/v1/users/me/addresses openapi.yaml:342',
  ]);
  const t = r.traffic!;
  assert.equal([t.summary.files[0]!.format, t.summary.files[0]!.lines, t.summary.files[0]!.used, t.summary.files[0]!.skipped], ['combined', 505, 505, 0]);
  assert.equal(t.noise.byReason, { 'probe: admin console': 2, 'probe: database admin': 1, 'probe: dotfile': 6, 'probe: wordpress': 5, 'CORS preflight': 17, 'one-off client error': 6 });
  const exp = r.inventory.find((e) => e.path === '/api/v1/internal/export-users')!;
  assert.equal(exp.sources, ['code', 'traffic']);
  assert.is(exp.traffic!.requests > 0, true);
  const legacy = r.inventory.find((e) => e.path === '/api/v1/legacy/cart')!;
  assert.equal([legacy.sources, legacy.traffic!.requests, legacy.traffic!.statuses], [['traffic'], 7, { '4xx': 7 }]);
});

/** A small Express app and a generated log in which the busiest sessions hammer /login and /search. */
function rateFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apilantern-rate-'));
  fs.writeFileSync(
    path.join(dir, 'app.js'),
    [
      "const express = require('express');",
      "const rateLimit = require('express-rate-limit');",
      'const app = express();',
      "app.get('/products', (req, res) => res.json([]));",
      "app.get('/products/:id', (req, res) => res.json({}));",
      "app.get('/categories', (req, res) => res.json([]));",
      "app.post('/login', (req, res) => res.json({}));",
      "app.get('/search', rateLimit({ windowMs: 60000, max: 100 }), (req, res) => res.json([]));",
      'module.exports = app;',
      '',
    ].join('\n'),
  );
  const lines: string[] = [];
  const start = Date.UTC(2026, 10, 2, 12, 0, 0);
  const fmt = (ms: number) => {
    const d = new Date(ms);
    const mon = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ')[d.getUTCMonth()];
    const p = (n: number) => String(n).padStart(2, '0');
    return `${p(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
  };
  for (let s = 0; s < 60; s++) {
    const ip = `10.0.${Math.floor(s / 250)}.${(s % 250) + 1}`;
    let t = start + s * 1000;
    const req = (m: string, p: string, status = 200) => {
      lines.push(`${ip} - - [${fmt(t)}] "${m} ${p} HTTP/1.1" ${status} 12 "-" "client"`);
      t += 2000;
    };
    for (let i = 0; i < 3; i++) req('GET', '/products');
    for (let i = 0; i < 2; i++) req('GET', `/products/${100 + i}`);
    req('GET', '/categories');
    for (let i = 0; i < 40 + (s % 5) * 10; i++) req('POST', '/login', 401);
    for (let i = 0; i < 60; i++) req('GET', '/search?q=x');
  }
  fs.writeFileSync(path.join(dir, 'access.log'), lines.join('\n') + '\n');
  return dir;
}

test('missing-rate-limit: /login is hammered and has no limiter; /search is as busy but rate-limited', async () => {
  const dir = rateFixture();
  const r = await scanDir(dir, { traffic: { files: [path.join(dir, 'access.log')] } });
  assert.equal(findingLines(r).filter((l) => l.includes('missing-rate-limit')), ['medium missing-rate-limit POST /login app.js:7']);
  const login = r.inventory.find((e) => e.path === '/login')!;
  assert.equal(login.traffic!.rate, { window: '10m', p50: 60, p90: 80, p99: 80, recommended: 100, confidence: 0.87, sessions: 60, sessionKey: 'ip' });
  const f = r.findings.find((x) => x.ruleId === 'missing-rate-limit')!;
  assert.match(f.message, 'Recommended limit: 100 per 10 minutes per ip');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('unused-endpoint needs a sample at least traffic.minDuration long', async () => {
  const dir = rateFixture();
  fs.appendFileSync(path.join(dir, 'app.js'), "app.get('/export', (req, res) => res.json([]));\n");
  const logs = { files: [path.join(dir, 'access.log')] };
  const short = await scanDir(dir, { traffic: logs });
  assert.equal(findingLines(short).filter((l) => l.includes('unused')), [], 'the sample spans well under the default 1 h');
  const long = await scanDir(dir, { traffic: logs, config: { traffic: { minDuration: '5m' } } });
  assert.equal(findingLines(long).filter((l) => l.includes('unused')), ['low unused-endpoint GET /export app.js:10']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('CLI: --logs that cannot be read, a bad --session-key or --log-field exit 2', async () => {
  const missing = await runCli(['scan', SHOP, '--logs', 'nope/access.log']);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, 'nope/access.log');
  const key = await runCli(['scan', SHOP, '--logs', path.relative(REPO, LOG), '--session-key', 'bogus']);
  assert.is(key.code, 2);
  assert.match(key.stderr, 'header:NAME');
  const field = await runCli(['scan', SHOP, '--logs', path.relative(REPO, LOG), '--log-field', 'verb=x']);
  assert.is(field.code, 2);
  assert.match(field.stderr, '--log-field verb=x');
});

test('CLI: SARIF with traffic properties passes the multitool with GitHub rules; JSON carries traffic per endpoint', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apilantern-traffic-sarif-'));
  const out = path.join(dir, 'report');
  const r = await runCli(['scan', SHOP, '--logs', path.relative(REPO, LOG), '--format', 'sarif', '--format', 'json', '--output', out, '--fail-on', 'none']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(validateSarif(`${out}.sarif`), []);
  const sarif = JSON.parse(fs.readFileSync(`${out}.sarif`, 'utf8'));
  const res = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'undocumented-traffic');
  assert.ok(res.properties.traffic.requests > 0);
  const json = JSON.parse(fs.readFileSync(`${out}.json`, 'utf8'));
  assert.is(json.traffic.files[0].file, 'examples/shopfront/logs/access.log');
  assert.ok(json.endpoints.every((e: { traffic?: unknown }) => 'traffic' in e));
  assert.not.ok(fs.readFileSync(`${out}.json`, 'utf8').includes(REPO), 'no absolute paths');
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
