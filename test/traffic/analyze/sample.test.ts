import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SessionSample, hash01 } from '../../../src/traffic/analyze/stats.js';

test('SessionSample: exact up to its capacity', () => {
  const s = new SessionSample(100);
  for (let i = 0; i < 100; i++) assert.ok(s.add(`s${i}`));
  assert.is(s.size, 100);
  assert.ok(s.exact);
  assert.ok(s.add('s5'), 'a kept session stays kept');
});

test('SessionSample: beyond its capacity, a bounded hash sample whose size estimates the distinct count', () => {
  const evicted = new Set<string>();
  const s = new SessionSample(1000, (x) => evicted.add(x));
  for (let i = 0; i < 100_000; i++) s.add(`10.0.${i >> 8}.${i & 255}`);
  const kept = [...s];
  assert.ok(kept.length <= 1000, `kept ${kept.length}`);
  assert.not.ok(s.exact);
  assert.ok(Math.abs(s.size - 100_000) / 100_000 < 0.15, `estimate ${s.size}`);
  // every kept session is under the threshold, every evicted one was told about, and none is both
  for (const k of kept) assert.not.ok(evicted.has(k));
  assert.ok(evicted.size > 0);
  // the sample does not depend on arrival order: the same sessions, reversed, give the same sample
  const r = new SessionSample(1000);
  for (let i = 99_999; i >= 0; i--) r.add(`10.0.${i >> 8}.${i & 255}`);
  assert.equal([...r].sort(), kept.sort());
});

test('hash01 is a fraction in [0, 1)', () => {
  for (const x of ['', 'a', '10.0.0.1', 'key\0abc']) {
    const h = hash01(x);
    assert.ok(h >= 0 && h < 1);
  }
});

test.run();
