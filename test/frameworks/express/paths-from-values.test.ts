// Paths built from values: constants across modules, template literals, concatenation, object properties, TS enums,
// `as const` objects, environment variables; routes registered in loops over tables known statically.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';

const FX = 'test/frameworks/express/fixtures';

test('constants: imported consts, template literals, + concatenation, object properties, enum members, as const', async () => {
  const r = await scanDir(`${FX}/path-constants`);
  assert.equal(endpointLines(r), [
    'GET /admin/reports none src/app.ts:15',
    'GET /admin/reports/daily none src/app.ts:16',
    'GET /api/v1/orders/{orderId} none src/app.ts:10',
    'GET /api/v1/products none src/app.ts:11',
    'GET /api/v1/users none src/app.ts:9',
    'POST /api/v1/carts/{cartId}/items none src/app.ts:12',
  ]);
  assert.equal(r.codeEndpoints.flatMap((e) => e.unresolved), []);
  assert.equal(r.codeEndpoints.flatMap((e) => e.notes), []);
});

test('environment: process.env.X without default is a hole; X || default uses the default and says so', async () => {
  const r = await scanDir(`${FX}/path-env`);
  assert.equal(endpointLines(r), [
    'GET /api/payments none src/app.ts:7',
    'GET /health none src/app.ts:12',
    'POST /api/payments/{paymentId}/refund none src/app.ts:8',
    'POST /{?} none src/app.ts:11',
  ]);
  const hook = r.codeEndpoints.find((e) => e.path === '/{?}')!;
  assert.is(hook.unresolved.length, 1);
  assert.ok(hook.unresolved[0]!.text.includes('process.env.WEBHOOK_PATH'), hook.unresolved[0]!.text);
  assert.equal(hook.notes, []);

  for (const p of ['/api/payments', '/api/payments/{paymentId}/refund']) {
    const e = r.codeEndpoints.find((x) => x.path === p)!;
    assert.equal(e.unresolved, []);
    assert.ok(
      e.notes.some((n) => n.includes('process.env.API_PREFIX') && n.includes("'/api'")),
      `${p}: notes should state the assumed default, got ${JSON.stringify(e.notes)}`,
    );
  }
  const health = r.codeEndpoints.find((e) => e.path === '/health')!;
  assert.equal(health.notes, []);
});

test('route tables: for..of with router[r.method], forEach with destructuring, Object.entries(MAP).forEach', async () => {
  const r = await scanDir(`${FX}/route-tables`);
  assert.equal(endpointLines(r), [
    'DELETE /crm/contacts/{id} none src/routes/contacts.ts:14',
    'GET /companies none src/app.ts:10',
    'GET /companies/{id} none src/app.ts:10',
    'GET /crm/contacts none src/routes/contacts.ts:14',
    'POST /crm/contacts none src/routes/contacts.ts:14',
    'POST /tools/csv/export none src/app.ts:18',
    'POST /tools/csv/import none src/app.ts:18',
  ]);
  assert.equal(r.codeEndpoints.flatMap((e) => e.unresolved), []);
});

test.run();
