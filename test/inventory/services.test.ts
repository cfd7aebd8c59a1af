import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config/config.js';
import { RULES } from '../../rules/index.js';
import { REPO, findingLines, scanDir } from '../helpers.js';

const dir = 'test/inventory/fixtures/pinned-specs';

// Two services, two specs kept outside both packages and pinned to them in config: each spec documents its own
// service only (users' spec also lists /v1/items, which users does not serve: a zombie there, not documentation of
// orders' endpoint), and /v1/health is documented for orders, shadow for users.
test('specs pinned to services in config document only their own service', async () => {
  const { config } = loadConfig(undefined, path.join(REPO, dir), RULES.map((r) => r.id));
  const r = await scanDir(dir, { config });
  assert.equal(
    r.inventory.map((e) => `${e.service} ${e.method} ${e.path} ${e.sources.join('+')}`),
    [
      'packages/orders GET /v1/health code+spec',
      'packages/users GET /v1/health code',
      'packages/orders GET /v1/items code+spec',
      'packages/users GET /v1/items spec',
      'packages/users GET /v1/profiles code+spec',
    ],
  );
  assert.equal(findingLines(r).filter((l) => /shadow|zombie/.test(l)), [
    'high shadow-endpoint GET /v1/health packages/users/src/app.js:4',
    'medium zombie-endpoint GET /v1/items docs/users.yaml:8',
  ]);
});

test('config: specs entries are paths or { path, service }; other keys are errors that name them', () => {
  assert.throws(() => loadConfig(path.join(REPO, 'test/inventory/fixtures/bad-specs-config.json'), REPO, []), /specs\[0\]\.file' is not a known key/);
});

// Two services in different frameworks, each with its own spec inside its package: each endpoint is attributed to its
// service and compared with that service's spec only. Shop also serves GET /api/reports, which only backoffice's spec
// documents: a shadow endpoint of shop.
test('mixed monorepo: Express and Koa services, each against its own spec', async () => {
  const r = await scanDir('test/inventory/fixtures/mixed-monorepo');
  assert.equal(r.frameworks, ['express', 'koa']);
  assert.equal(
    r.inventory.map((e) => `${e.service} ${e.framework} ${e.method} ${e.path} ${e.auth} ${e.sources.join('+')} ${e.spec.map((x) => x.spec).join(',')}`),
    [
      'services/shop express POST /api/orders none code+spec services/shop/openapi.yaml',
      'services/backoffice koa DELETE /api/orders/{id} required code+spec services/backoffice/openapi.yaml',
      'services/shop express GET /api/products none code+spec services/shop/openapi.yaml',
      'services/backoffice koa GET /api/reports required code+spec services/backoffice/openapi.yaml',
      'services/shop express GET /api/reports none code ',
    ],
  );
  assert.equal(findingLines(r), [
    'critical unauthenticated-write POST /api/orders services/shop/src/app.js:4',
    'high shadow-endpoint GET /api/reports services/shop/src/app.js:5',
    'medium unauthenticated-endpoint GET /api/products services/shop/src/app.js:3',
    'medium unauthenticated-endpoint GET /api/reports services/shop/src/app.js:5',
    'note write-endpoint DELETE /api/orders/{id} services/backoffice/src/server.js:8',
    'note write-endpoint POST /api/orders services/shop/src/app.js:4',
  ]);
});

test.run();
