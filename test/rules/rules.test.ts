import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RULES } from '../../rules/index.js';
import { REPO, findingLines, scanDir } from '../helpers.js';

const fx = (name: string) => `test/rules/fixtures/${name}`;

test('shadow-endpoint: undocumented endpoints; high for writes or no auth, medium otherwise', async () => {
  const r = await scanDir(fx('shadow'));
  assert.equal(
    findingLines(r).filter((l) => l.includes('shadow-endpoint')),
    ['high shadow-endpoint POST /api/items/import app.js:6', 'medium shadow-endpoint GET /api/items/{id}/history app.js:5'],
  );
});

test('shadow-endpoint: no spec, no shadow findings', async () => {
  const r = await scanDir(fx('unauth'));
  assert.equal(findingLines(r).filter((l) => l.includes('shadow-endpoint')), []);
});

test('zombie-endpoint: documented path that no code serves, on the spec line; base path applied', async () => {
  const r = await scanDir(fx('zombie'));
  assert.equal(findingLines(r), ['medium unauthenticated-endpoint GET /v2/status server.ts:3', 'medium zombie-endpoint GET /v2/reports/{reportId} swagger.json:10', 'medium zombie-endpoint DELETE /v2/reports/{reportId} swagger.json:11']);
});

test('method-mismatch: both directions, parameter names ignored', async () => {
  const r = await scanDir(fx('method'));
  assert.equal(findingLines(r), [
    'medium method-mismatch DELETE /notes/{noteId} app.js:7',
    'medium method-mismatch PUT /notes/{id} openapi.yml:7',
    'note write-endpoint DELETE /notes/{noteId} app.js:7',
  ]);
});

test('spec-auth-mismatch: spec requires but code has none (high); code requires but spec public (low)', async () => {
  const r = await scanDir(fx('auth-mismatch'));
  assert.equal(findingLines(r), [
    'high spec-auth-mismatch GET /orders app.mjs:5',
    'medium unauthenticated-endpoint GET /orders app.mjs:5',
    'low spec-auth-mismatch GET /me openapi.yaml:8',
  ]);
});

test('unauthenticated-write / unauthenticated-endpoint / write-endpoint: none vs optional', async () => {
  const r = await scanDir(fx('unauth'));
  assert.equal(findingLines(r), [
    'critical unauthenticated-write DELETE /api/posts/{id} app.js:9',
    'high unauthenticated-write PUT /api/drafts/{id} app.js:10',
    'medium unauthenticated-endpoint GET /api/public/feed app.js:8',
    'low unauthenticated-endpoint GET /api/drafts app.js:11',
    'note write-endpoint DELETE /api/posts/{id} app.js:9',
    'note write-endpoint PUT /api/drafts/{id} app.js:10',
  ]);
});

test('rule files: complete metadata within GitHub limits', () => {
  const ids = new Set<string>();
  for (const r of RULES) {
    assert.ok(!ids.has(r.id), `duplicate id ${r.id}`);
    ids.add(r.id);
    assert.ok(fs.existsSync(path.join(REPO, 'rules', `${r.id}.ts`)), `rules/${r.id}.ts`);
    assert.match(r.name, /^[A-Z][A-Za-z]+$/);
    for (const s of [r.shortDescription, r.fullDescription]) assert.ok(s.length > 10 && s.length <= 1024, `${r.id} description length`);
    assert.ok(r.help.length > 50);
    assert.ok(r.tags.length <= 20);
    if (r.id !== 'write-endpoint') {
      assert.ok(r.tags.includes('security'), `${r.id} tagged security`);
      assert.ok(r.tags.some((t) => t.startsWith('external/cwe/cwe-')), `${r.id} has a CWE tag`);
    }
  }
});

test('README rules table lists every rule with its id', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Rules'), readme.indexOf('## Reports'));
  const listed = [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
  assert.equal(listed, RULES.map((r) => r.id));
});

test.run();
