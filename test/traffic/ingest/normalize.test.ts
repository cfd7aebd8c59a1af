import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPrefixes, compilePrefixes, normalizeTarget, parseTimeValue } from '../../../src/traffic/ingest/index.js';

const norm = (s: string) => {
  const t = normalizeTarget(s, null);
  return t ? `${t.path}${t.host ? ` @${t.host}` : ''}` : undefined;
};

test('normalizeTarget: query, fragment, double and trailing slashes', () => {
  assert.is(norm('/api/users/42'), '/api/users/42');
  assert.is(norm('/'), '/');
  assert.is(norm('/api/users/42/'), '/api/users/42');
  assert.is(norm('//api///users//42//'), '/api/users/42');
  assert.is(norm('/search?q=a/b#x'), '/search');
  assert.is(norm('/search#frag?not-a-query'), '/search');
  assert.is(norm('/?x=1'), '/');
  assert.is(norm('//'), '/');
});

test('normalizeTarget: percent-decoding per segment, %2F kept, invalid escapes left', () => {
  assert.is(norm('/caf%C3%A9/cr%c3%a8me'), '/café/crème');
  assert.is(norm('/files/a%2fb/c%2Fd'), '/files/a%2Fb/c%2Fd');
  assert.is(norm('/files/a%2Fb%20c'), '/files/a%2Fb c');
  assert.is(norm('/bad/%zz/100%'), '/bad/%zz/100%');
  assert.is(norm('/half/%E0%A4%A/x%41'), '/half/%E0%A4%A/xA');
  assert.is(norm('/mixed/%41%E0%A4-%42'), '/mixed/A%E0%A4-B');
  assert.is(norm('/q/%3Fx%23y'), '/q/?x#y');
});

test('normalizeTarget: absolute URLs give path and host; non-paths are undefined', () => {
  assert.is(norm('https://API.Example.com:443/api/v1/users?x=1'), '/api/v1/users @api.example.com');
  assert.is(norm('http://user:pw@example.com'), '/ @example.com');
  assert.is(norm('wss://example.com:443//stream/'), '/stream @example.com');
  assert.is(norm('*'), undefined);
  assert.is(norm('example.com:443'), undefined);
  assert.is(norm(''), undefined);
  assert.is(norm('?x=1'), undefined);
});

test('stripPrefixes: paths, bare hosts as first segment, host+path matched by host, longest first, at most one', () => {
  const p = compilePrefixes(['/api', '/api/v1/', 'api.example.com', 'https://edge.example.com/svc']);
  assert.is(applyPrefixes('/api/v1/users', undefined, p), '/users');
  assert.is(applyPrefixes('/api/v2/users', undefined, p), '/v2/users');
  assert.is(applyPrefixes('/api', undefined, p), '/');
  assert.is(applyPrefixes('/apiary/x', undefined, p), '/apiary/x');
  assert.is(applyPrefixes('/api.example.com/users/1', undefined, p), '/users/1');
  assert.is(applyPrefixes('/svc/orders', 'edge.example.com', p), '/orders');
  assert.is(applyPrefixes('/svc/orders', 'other.example.com', p), '/svc/orders');
  assert.is(applyPrefixes('/svc/orders', undefined, p), '/orders');
  assert.is(applyPrefixes('/edge.example.com/svc/orders', undefined, p), '/orders');
});

test('parseTimeValue: unix s/ms/µs/ns, RFC 3339 with offsets and fractions, common log format', () => {
  const t = Date.UTC(2026, 10, 2, 14, 3, 12);
  assert.is(parseTimeValue(t / 1000), t);
  assert.is(parseTimeValue(String(t / 1000)), t);
  assert.is(parseTimeValue(t), t);
  assert.is(parseTimeValue(t * 1000 + 123), t);
  assert.is(parseTimeValue(1793628192000000000), t);
  assert.is(parseTimeValue('2026-11-02T14:03:12Z'), t);
  assert.is(parseTimeValue('2026-11-02T14:03:12.186641Z'), t + 186);
  assert.is(parseTimeValue('2026-11-02T16:03:12+02:00'), t);
  assert.is(parseTimeValue('2026-11-02T13:03:12.5-0100'), t + 500);
  assert.is(parseTimeValue('02/Nov/2026:14:03:12 +0000'), t);
  assert.is(parseTimeValue('[02/Nov/2026:09:03:12 -0500]'), t);
  assert.is(parseTimeValue('Mon, 02 Nov 2026 14:03:12 GMT'), t);
  assert.is(parseTimeValue('-'), undefined);
  assert.is(parseTimeValue('yesterday'), undefined);
});

test.run();
