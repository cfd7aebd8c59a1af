import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TrafficAnalyzer, WindowMax, friendly, percentile, rateConfidence, recommend, type AnalyzeOptions, type KnownEndpoint } from '../../../src/traffic/analyze/index.js';
import type { TrafficRecord } from '../../../src/traffic/types.js';

const T0 = Date.parse('2024-05-01T00:00:00Z');
const S = 1000;
const MIN = 60 * S;
const EPS: KnownEndpoint[] = [
  { id: 'get-user', method: 'GET', path: '/users/{id}', source: 'code' },
  { id: 'create-user', method: 'POST', path: '/users', source: 'code' },
  { id: 'search', method: 'GET', path: '/search', source: 'spec' },
];

function run(records: TrafficRecord[], opts: Partial<AnalyzeOptions> = {}) {
  const a = new TrafficAnalyzer(EPS, { sessionKeyLabel: 'header:x-api-key', ...opts });
  for (const r of records) a.add(r);
  return a.result();
}

test('per-endpoint statistics: requests (with counts), status classes, distinct sessions, first/last seen', () => {
  const res = run([
    { method: 'GET', path: '/users/1', status: 200, time: T0 + 5 * S, session: 'a', count: 1 },
    { method: 'GET', path: '/users/2', status: 404, time: T0 + 2 * S, session: 'b', count: 1 },
    { method: 'GET', path: '/users/3', status: 503, time: T0 + 9 * S, session: 'a', count: 3 },
    // the same string as an IP fallback is another session
    { method: 'GET', path: '/users/3', status: 301, session: 'a', sessionFromIp: true, count: 1 },
    { method: 'GET', path: '/users/4', count: 2 },
    { method: 'POST', path: '/users', status: 201, time: T0 + 60 * MIN, session: 'c', count: 1 },
  ]);
  assert.equal([...res.byEndpoint.keys()].sort(), ['create-user', 'get-user']);
  const u = res.byEndpoint.get('get-user')!;
  assert.is(u.requests, 8);
  assert.equal(u.statuses, { '2xx': 1, '3xx': 1, '4xx': 1, '5xx': 3 });
  assert.is(u.sessions, 3);
  assert.is(u.firstSeen, '2024-05-01T00:00:02.000Z');
  assert.is(u.lastSeen, '2024-05-01T00:00:09.000Z');
  const c = res.byEndpoint.get('create-user')!;
  assert.equal({ ...c, rate: undefined }, { requests: 1, statuses: { '2xx': 1 }, sessions: 1, firstSeen: '2024-05-01T01:00:00.000Z', lastSeen: '2024-05-01T01:00:00.000Z', rate: undefined });
  assert.is(res.firstSeen, '2024-05-01T00:00:02.000Z');
  assert.is(res.lastSeen, '2024-05-01T01:00:00.000Z');
  assert.is(res.durationMs, 60 * MIN - 2 * S);
  assert.is(res.sessionsFromIp, 1);
  assert.is(res.matched, 9);
  assert.is(res.unmatched, 0);
});

test('sliding window: the most requests in any 10 minutes, counts included, mild disorder handled', () => {
  const times = [0, 300 * S, 600 * S - 1, 600 * S, 601 * S, 1300 * S];
  const inOrder = new WindowMax(10 * MIN, MIN);
  for (const t of times) inOrder.add(t, 1);
  // (0, 600 s] holds 300 s, 600 s − 1 ms, 600 s; (1 s, 601 s] holds those and 601 s: 4
  assert.is(inOrder.max, 4);
  const shuffled = new WindowMax(10 * MIN, MIN);
  for (const t of [300 * S, 0, 600 * S, 601 * S, 600 * S - 1, 1300 * S]) shuffled.add(t, 1);
  assert.is(shuffled.max, 4);
  const counted = new WindowMax(10 * MIN, MIN);
  counted.add(0, 5);
  counted.add(599 * S, 2);
  counted.add(600 * S, 4);
  assert.is(counted.max, 7);
  // memory: only the window (and the lateness allowance) is kept
  const long = new WindowMax(10 * MIN, MIN);
  for (let i = 0; i < 10_000; i++) long.add(i * S, 1);
  assert.is(long.max, 600);
  assert.ok(long.kept <= 661, `kept ${long.kept}`);
});

test('percentiles (nearest rank), friendly rounding, the recommendation formula, confidence', () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.equal([percentile(ten, 0.5), percentile(ten, 0.9), percentile(ten, 0.99)], [5, 9, 10]);
  assert.equal([1, 7, 10, 11, 13, 37.5, 101, 230, 801, 1000].map(friendly), [1, 7, 10, 12, 15, 40, 120, 250, 1000, 1000]);
  // tight tail: min(p99 = 30, fence 20 + 2·10 = 40) = 30; · 1.25 = 37.5 → 40
  assert.is(recommend(10, 20, 30), 40);
  // long tail: min(p99 = 200, fence 12 + 2·2 = 16) = 16; · 1.25 = 20 → 20
  assert.is(recommend(10, 12, 200), 20);
  // no spread: 5 · 1.25 = 6.25 → 7
  assert.is(recommend(5, 5, 5), 7);
  assert.equal([1, 4, 10, 50, 100, 1000].map(rateConfidence), [0, 0.5, 0.68, 0.86, 0.9, 0.97]);
});

/** `n` sessions whose busiest 10 minutes hold `max` requests: `max` in 10 minutes, then `max − 1` in a later window. */
function sessions(spec: [n: number, max: number][], prefix: string, extra: Partial<TrafficRecord> = {}): TrafficRecord[] {
  const out: TrafficRecord[] = [];
  let s = 0;
  for (const [n, max] of spec) {
    for (let i = 0; i < n; i++, s++) {
      const start = T0 + s * S;
      for (let k = 0; k < max; k++) out.push({ method: 'GET', path: '/search', status: 200, time: start + k * (9 * MIN / max), session: `${prefix}${s}`, count: 1, ...extra });
      for (let k = 0; k < max - 1; k++) out.push({ method: 'GET', path: '/search', status: 200, time: start + 20 * MIN + k * S, session: `${prefix}${s}`, count: 1, ...extra });
    }
  }
  // log order: by time
  return out.sort((a, b) => a.time! - b.time!);
}

test('rate recommendation on a constructed distribution of 100 sessions', () => {
  const res = run(sessions([[50, 10], [40, 20], [9, 30], [1, 500]], 'key-'));
  assert.equal(res.byEndpoint.get('search')!.rate, { window: '10m', p50: 10, p90: 20, p99: 30, recommended: 40, confidence: 0.9, sessions: 100, sessionKey: 'header:x-api-key' });
  const tail = run(sessions([[50, 10], [40, 12], [10, 200]], 'key-'));
  assert.equal(tail.byEndpoint.get('search')!.rate, { window: '10m', p50: 10, p90: 12, p99: 200, recommended: 20, confidence: 0.9, sessions: 100, sessionKey: 'header:x-api-key' });
});

test('withheld below the minimum number of sessions; no timestamps, no rate', () => {
  const res = run(sessions([[9, 3], [1, 9]], 'key-'));
  assert.equal(res.byEndpoint.get('search')!.rate, { window: '10m', p50: 3, p90: 3, p99: 9, recommended: null, confidence: 0.68, sessions: 10, sessionKey: 'header:x-api-key', withheld: 'too few sessions: 10 < 50' });
  const lower = run(sessions([[9, 3], [1, 9]], 'key-'), { minSessions: 10 });
  // min(9, 3 + 0) = 3 → 3.75 → 4
  assert.is(lower.byEndpoint.get('search')!.rate!.recommended, 4);
  const untimed = run([{ method: 'GET', path: '/search', session: 'a', count: 4 }]);
  assert.is(untimed.byEndpoint.get('search')!.rate, undefined);
  assert.is(untimed.byEndpoint.get('search')!.requests, 4);
});

test('IP fallback: labelled when most sessions are client IPs; counted', () => {
  const mostlyIp = run([...sessions([[3, 2]], 'key-'), ...sessions([[4, 2]], '10.0.0.', { sessionFromIp: true })], { minSessions: 1 });
  assert.is(mostlyIp.byEndpoint.get('search')!.rate!.sessionKey, 'ip (fallback)');
  assert.is(mostlyIp.byEndpoint.get('search')!.rate!.sessions, 7);
  assert.is(mostlyIp.sessionsFromIp, 4);
  const mostlyKey = run([...sessions([[4, 2]], 'key-'), ...sessions([[3, 2]], '10.0.0.', { sessionFromIp: true })], { minSessions: 1 });
  assert.is(mostlyKey.byEndpoint.get('search')!.rate!.sessionKey, 'header:x-api-key');
  assert.is(mostlyKey.sessionsFromIp, 3);
  // keyed by IP on purpose: no fallback to speak of in the label
  const ip = run(sessions([[3, 2]], '10.0.0.', { sessionFromIp: true }), { minSessions: 1, sessionKeyLabel: 'ip' });
  assert.is(ip.byEndpoint.get('search')!.rate!.sessionKey, 'ip');
});

test.run();
