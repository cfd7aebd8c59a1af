import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TrafficAnalyzer, isVersion, shapeOf, type KnownEndpoint } from '../../../src/traffic/analyze/index.js';
import type { TrafficRecord, TrafficTemplate } from '../../../src/traffic/types.js';

const T0 = Date.parse('2024-05-01T00:00:00Z');
let tick = 0;
const R = (method: string, path: string, extra: Partial<TrafficRecord> = {}): TrafficRecord => ({ method, path, count: 1, status: 200, time: T0 + 1000 * tick++, session: 'k1', ...extra });

const line = (t: TrafficTemplate) => `${t.method} ${t.path} ${t.stats.requests} ${t.confidence}${t.noise ? ` noise=${t.noise}` : ''}`;

function analyze(records: TrafficRecord[], endpoints: KnownEndpoint[] = [], stormMinPaths?: number) {
  const a = new TrafficAnalyzer(endpoints, { sessionKeyLabel: 'header:x-api-key', stormMinPaths });
  for (const r of records) a.add(r);
  return a.result();
}

test('segment shapes', () => {
  assert.is(shapeOf('1042'), 'id');
  assert.is(shapeOf('3F2B8C1E-9A7D-4E2B-8C1F-2A3B4C5D6E7F'), 'uuid');
  assert.is(shapeOf('9f86d081884c'), 'hash');
  assert.is(shapeOf('deadbeef'), undefined); // hex letters only: a word as likely as an id
  assert.is(shapeOf('2024-03-01'), 'date');
  assert.is(shapeOf('2024-03-01T10:15:00Z'), 'date');
  assert.is(shapeOf('2024-13-01'), undefined);
  assert.is(shapeOf('bob.smith+news@mail.example.org'), 'email');
  assert.is(shapeOf('cus_J8kP2xLmQ9aBcD7e'), 'token');
  assert.is(shapeOf('getting-started-with-api-v2'), undefined);
  assert.is(shapeOf('orders'), undefined);
  assert.ok(isVersion('v1', 1, 3));
  assert.ok(isVersion('v1beta2', 2, 3));
  assert.ok(isVersion('2024-01-01', 1, 3));
  assert.not.ok(isVersion('2024-01-01', 1, 2));
  assert.not.ok(isVersion('2024-01-01', 2, 4));
});

test('a realistic mixed sample of unmatched requests', () => {
  const uuids = ['3f2b8c1e-9a7d-4e2b-8c1f-2a3b4c5d6e7f', 'a1b2c3d4-0000-4e2b-8c1f-123456789abc', '00000000-1111-4222-8333-444455556666'];
  const names = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan'];
  const recs: TrafficRecord[] = [
    ...[1001, 1002, 1003].map((id) => R('GET', `/api/v1/orders/${id}`)),
    R('POST', '/api/v1/orders/1001/refund'),
    ...uuids.map((u) => R('GET', `/api/v2/carts/${u}/items`)),
    R('GET', '/assets/9f86d081884c7d659a2feaa0c55ad015'),
    R('GET', '/reports/daily/2024-03-01'),
    R('GET', '/reports/daily/2024-03-02'),
    R('GET', '/api/2024-01-01/widgets'),
    R('GET', '/api/2024-01-01/widgets'),
    R('GET', '/newsletter/unsubscribe/alice@example.com'),
    R('GET', '/12345/status'),
    ...Array.from({ length: 20 }, () => R('GET', '/api/v1/users/me')),
    ...names.map((n) => R('GET', `/api/v1/users/${n}`)),
    R('GET', '/api/v1/users/42/orders/7'),
    R('GET', '/share/AbC9xYz12QwErT56uIoP'),
    R('GET', '/help/getting-started-with-api-v2'),
    // matched: not templated
    R('GET', '/api/v1/health'),
  ];
  const res = analyze(recs, [{ id: 'health', method: 'GET', path: '/api/v1/health', source: 'code' }]);
  assert.equal(res.templates.map(line), [
    'GET /api/v1/users/me 20 1',
    'GET /api/v1/users/{param} 9 0.67',
    'GET /api/v1/orders/{id} 3 0.93',
    'GET /api/v2/carts/{uuid}/items 3 0.98',
    'GET /api/2024-01-01/widgets 2 1',
    'GET /reports/daily/{date} 2 0.95',
    'GET /12345/status 1 1',
    'POST /api/v1/orders/{id}/refund 1 0.8',
    'GET /api/v1/users/{id}/orders/{id2} 1 0.8',
    'GET /assets/{hash} 1 0.85',
    'GET /help/getting-started-with-api-v2 1 1',
    'GET /newsletter/unsubscribe/{email} 1 0.9',
    'GET /share/{token} 1 0.7',
  ]);
  const users = res.templates.find((t) => t.path === '/api/v1/users/{param}')!;
  assert.equal(users.examples, ['/api/v1/users/alice', '/api/v1/users/bob', '/api/v1/users/carol']);
  assert.is(res.byEndpoint.get('health')?.requests, 1);
  assert.equal(res.noise, { requests: 0, byReason: {} });
});

test('few distinct literal values stay literal', () => {
  const res = analyze(['users', 'orders', 'carts', 'items'].flatMap((r) => [R('GET', `/api/v1/${r}`), R('GET', `/api/v1/${r}`)]));
  assert.equal(res.templates.map((t) => t.path).sort(), ['/api/v1/carts', '/api/v1/items', '/api/v1/orders', '/api/v1/users']);
});

test('high cardinality while streaming: the position becomes {param}, later values too', () => {
  const recs: TrafficRecord[] = [];
  for (let round = 0; round < 5; round++) for (let i = 0; i < 100; i++) recs.push(R('GET', `/tags/t${i}`));
  const res = analyze(recs);
  assert.equal(res.templates.map(line), ['GET /tags/{param} 500 0.9']);
  assert.equal(res.templates[0]!.examples, ['/tags/t0', '/tags/t1', '/tags/t2']);
});

test('the first segment is never a parameter; beyond the bound it is kept as {?}', () => {
  const recs: TrafficRecord[] = [];
  for (let i = 0; i < 1005; i++) recs.push(R('GET', `/p${i}`));
  recs.push(R('GET', '/p7'));
  const res = analyze(recs);
  assert.is(res.templates.length, 1001);
  assert.is(line(res.templates[0]!), 'GET /{?} 5 0');
  assert.is(line(res.templates[1]!), 'GET /p7 2 1');
  assert.ok(res.templates.some((t) => t.path === '/p999'));
  assert.not.ok(res.templates.some((t) => t.path === '/p1000'));
});

test('scanner probes are noise, counted by reason; a known endpoint is never noise', () => {
  const recs = [
    R('GET', '/wp-login.php', { status: 404, count: 2 }),
    R('POST', '/wp-admin/admin-ajax.php', { status: 404 }),
    R('GET', '/.env', { status: 404 }),
    R('GET', '/.git/config', { status: 404 }),
    R('GET', '/phpmyadmin/index.php', { status: 404 }),
    R('GET', '/cgi-bin/test.cgi', { status: 404 }),
    R('GET', '/index.php', { status: 404 }),
    R('GET', '/server-status', { status: 403 }),
    R('GET', '/actuator/env', { status: 404 }),
    R('GET', '/backup.zip', { status: 404 }),
    R('GET', '/actuator/health'),
    R('GET', '/.well-known/security.txt'),
  ];
  const res = analyze(recs, [{ id: 'health', method: 'GET', path: '/actuator/health', source: 'code' }]);
  assert.equal(res.noise, {
    requests: 11,
    byReason: {
      'probe: admin console': 2,
      'probe: backup or config file': 1,
      'probe: database admin': 1,
      'probe: dotfile': 2,
      'probe: script extension': 2,
      'probe: wordpress': 3,
    },
  });
  assert.is(res.byEndpoint.get('health')?.requests, 1);
  assert.equal(res.templates.filter((t) => !t.noise).map(line), ['GET /.well-known/security.txt 1 1']);
  assert.equal(res.templates.find((t) => t.path === '/wp-login.php')?.noise, 'probe: wordpress');
});

test('a 404 storm from one client is noise; a few 404s and one path repeated are not', () => {
  const recs: TrafficRecord[] = [];
  const storm = { status: 404, session: '6.6.6.6', sessionFromIp: true };
  recs.push(R('GET', '/old/page1', { status: 404, session: 'k2' }), R('GET', '/old/page2', { status: 404, session: 'k2' }));
  for (let i = 0; i < 25; i++) {
    recs.push(R('GET', `/random/path${i}`, storm));
    if (i === 3) recs.push(R('GET', '/users/999', storm)); // matched: an endpoint's own 404
    if (i === 4) recs.push(R('GET', '/stormer/ok', { ...storm, status: 200 }));
  }
  recs.push(R('GET', '/random/late', storm));
  for (let i = 0; i < 50; i++) recs.push(R('GET', '/favicon.ico', { status: 404, session: 'k3' }));
  const res = analyze(recs, [{ id: 'user', method: 'GET', path: '/users/{id}', source: 'code' }], 20);
  assert.equal(res.noise, { requests: 26, byReason: { '404 storm': 26 } });
  assert.equal(res.templates.map(line), [
    'GET /favicon.ico 50 1',
    'GET /old/page1 1 1',
    'GET /old/page2 1 1',
    'GET /stormer/ok 1 1',
    // 26 distinct values, 25 shaped `a9` and one `a`: 25/26 · (1 − 1/√26) = 0.77
    'GET /random/{param} 26 0.77 noise=404 storm',
  ]);
  assert.equal(res.byEndpoint.get('user')?.statuses, { '4xx': 1 });
});

test.run();
