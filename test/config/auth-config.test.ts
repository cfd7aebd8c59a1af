import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, findingLines, scanDir } from '../helpers.js';

test('auth.imports: middleware from a package the scan cannot read, declared by package or by export', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apilantern-imports-'));
  fs.writeFileSync(
    path.join(dir, 'app.js'),
    [
      "const express = require('express');",
      "const { requireUser, tracing } = require('@acme/auth-kit');",
      "const guard = require('@acme/guard');",
      'const app = express();',
      "app.get('/me', requireUser(), (req, res) => res.json({}));",
      "app.get('/admin', guard.check('admin'), (req, res) => res.json({}));",
      "app.get('/ping', tracing(), (req, res) => res.send('ok'));",
      'module.exports = app;',
      '',
    ].join('\n'),
  );
  const before = await scanDir(dir);
  assert.equal(endpointLines(before), ['GET /admin unknown app.js:6', 'GET /me unknown app.js:5', 'GET /ping unknown app.js:7']);
  const after = await scanDir(dir, { config: { auth: { imports: { '@acme/auth-kit#requireUser': 'required', '@acme/auth-kit#tracing': 'none', '@acme/guard': 'required' } } } });
  assert.equal(endpointLines(after), ['GET /admin required app.js:6', 'GET /me required app.js:5', 'GET /ping none app.js:7']);
  assert.match(after.codeEndpoints.find((e) => e.path === '/me')!.evidence[0]!.reason, '@acme/auth-kit#requireUser declared in config');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('auth.publicPaths: unauthenticated-* findings of paths public by design are suppressed with that reason', async () => {
  const r = await scanDir('examples/shopfront', { config: { auth: { publicPaths: ['/healthz', '/api/v1/products/*'] } } });
  const unauth = findingLines(r).filter((l) => /unauthenticated-/.test(l));
  assert.equal(unauth, [
    'critical unauthenticated-write POST /api/v1/internal/cache/flush src/routes/legacy.ts:22',
    'critical unauthenticated-write POST /api/v1/webhooks/payment src/routes/webhooks.ts:35',
    'medium unauthenticated-endpoint GET /api/v1/internal/export-users src/routes/legacy.ts:21',
    'medium unauthenticated-endpoint GET /api/v1/orders/track/{trackingNumber} src/routes/orders.ts:57',
  ]);
  assert.equal(
    r.suppressed.map((f) => `${f.ruleId} ${f.endpoint} ${f.suppression.justification}`),
    [
      'unauthenticated-endpoint GET /healthz public by design (auth.publicPaths in config)',
      'unauthenticated-endpoint GET /api/v1/products public by design (auth.publicPaths in config)',
      'unauthenticated-endpoint GET /api/v1/products/{id} public by design (auth.publicPaths in config)',
    ],
  );
});

test.run();
