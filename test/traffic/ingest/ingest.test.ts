import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { detectFormat, ingestLogs } from '../../../src/traffic/ingest/index.js';
import type { IngestFileSummary, IngestOptions, SessionKey, TrafficRecord } from '../../../src/traffic/types.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fx = (name: string) => path.join(fixtures, name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apilantern-ingest-'));
const tmpFile = (name: string, data: string | Buffer) => {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, data);
  return f;
};

/** One line per record: `GET /p 200 2026-...Z session[ (ip)] host=h n=1 ua=agent`. */
function line(r: TrafficRecord): string {
  const t = r.time === undefined ? '-' : new Date(r.time).toISOString();
  return `${r.method} ${r.path} ${r.status ?? '-'} ${t} ${r.session ?? '-'}${r.sessionFromIp ? ' (ip)' : ''} host=${r.host ?? '-'} n=${r.count} ua=${r.userAgent ?? '-'}`;
}

async function run(files: string | string[], opts: Partial<IngestOptions> = {}) {
  const records: string[] = [];
  const raw: TrafficRecord[] = [];
  const summary = await ingestLogs(Array.isArray(files) ? files : [files], { format: 'auto', ...opts }, (r) => {
    raw.push(r);
    records.push(line(r));
  });
  return { records, raw, summary, file: summary.files[0]! };
}

/** The summary without the file name and sample texts: `{format, lines, used, skipped, skippedByReason, samples: ['8 not a request']}`. */
function brief(f: IngestFileSummary) {
  return {
    format: f.format,
    lines: f.lines,
    used: f.used,
    skipped: f.skipped,
    skippedByReason: f.skippedByReason,
    samples: f.samples.map((s) => `${s.line} ${s.reason}`),
    ...(f.sessionFallbacks ? { sessionFallbacks: f.sessionFallbacks } : {}),
  };
}

const key = (s: string): SessionKey => (s === 'ip' ? { kind: 'ip' } : { kind: s.slice(0, s.indexOf(':')) as SessionKey['kind'], name: s.slice(s.indexOf(':') + 1) });

const gz = (name: string, src: string) => tmpFile(name, zlib.gzipSync(fs.readFileSync(src)));

// ------------------------------------------------------------ combined / common

const COMBINED = [
  'GET /api/v1/users/1842 200 2026-11-02T14:03:12.000Z 203.0.113.10 (ip) host=- n=1 ua=Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0',
  'GET /api/v1/users/1842/orders 200 2026-11-02T14:03:13.000Z 203.0.113.10 (ip) host=- n=1 ua=Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0',
  'POST /api/v1/carts/7f3c2a9e-1b4d-4c8e-9a51-3d2f8e6b0c71/items 201 2026-11-02T14:03:15.000Z 198.51.100.23 (ip) host=- n=1 ua=okhttp/4.12.0',
  'GET /api/v1/products/café-crème 200 2026-11-02T14:03:16.000Z 198.51.100.23 (ip) host=- n=1 ua=okhttp/4.12.0',
  'GET /wp-login.php 404 2026-11-02T14:03:20.000Z 192.0.2.66 (ip) host=- n=1 ua=Mozilla/5.0 zgrab/0.x',
  'GET /.env 404 2026-11-02T14:03:20.000Z 192.0.2.66 (ip) host=- n=1 ua=Mozilla/5.0 zgrab/0.x',
  'DELETE /api/v1/users/1842/sessions/a%2Fb%zz 204 2026-11-02T14:03:25.000Z 203.0.113.10 (ip) host=- n=1 ua=Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0',
  'GET /api/v1/search 200 2026-11-02T14:03:27.000Z 203.0.113.10 (ip) host=- n=1 ua=Mozilla/5.0',
  'PATCH /api/v1/users/77 200 2026-11-02T14:03:27.000Z 198.51.100.23 (ip) host=- n=1 ua=okhttp/4.12.0',
  'GET /api/v1/health 200 2026-11-02T14:04:02.000Z 203.0.113.10 (ip) host=api.example.com n=1 ua=kube-probe/1.29',
];
const COMBINED_SUMMARY = {
  format: 'combined',
  lines: 15,
  used: 10,
  skipped: 5,
  skippedByReason: { 'not a request': 2, unparsable: 1, 'invalid status': 1, 'invalid path': 1 },
  samples: ['8 not a request', '10 unparsable', '13 invalid status', '14 not a request', '16 invalid path'],
};

test('combined: records, normalization, malformed lines counted and sampled', async () => {
  const { records, file, raw } = await run(fx('combined.log'));
  assert.equal(records, COMBINED);
  assert.equal(brief(file), COMBINED_SUMMARY);
  assert.is(file.bytes, fs.statSync(fx('combined.log')).size);
  assert.is(file.gzip, undefined);
  assert.equal(file.samples[0], { file: fx('combined.log'), line: 8, text: '192.0.2.66 - - [02/Nov/2026:14:03:21 +0000] "\\x16\\x03\\x01\\x00\\xfa\\x01\\x00\\x00\\xf6\\x03\\x03" 400 157 "-" "-"', reason: 'not a request' });
  assert.equal(raw[0], { method: 'GET', path: '/api/v1/users/1842', status: 200, time: Date.UTC(2026, 10, 2, 14, 3, 12), session: '203.0.113.10', sessionFromIp: true, count: 1, host: undefined, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0' });
});

test('combined: maxSamples bounds the samples, not the counts', async () => {
  const { file } = await run(fx('combined.log'), { maxSamples: 2 });
  assert.equal(file.samples.map((s) => s.line), [8, 10]);
  assert.is(file.skipped, 5);
});

test('combined: stripPrefixes removes a base path and a host; header keys fall back to the IP with a note', async () => {
  const { records, file } = await run(fx('combined.log'), { stripPrefixes: ['api.example.com', '/api/v1/'], sessionKey: key('header:x-api-key') });
  assert.equal(
    records.map((r) => r.split(' ').slice(0, 2).join(' ')),
    ['GET /users/1842', 'GET /users/1842/orders', 'POST /carts/7f3c2a9e-1b4d-4c8e-9a51-3d2f8e6b0c71/items', 'GET /products/café-crème', 'GET /wp-login.php', 'GET /.env', 'DELETE /users/1842/sessions/a%2Fb%zz', 'GET /search', 'PATCH /users/77', 'GET /health'],
  );
  assert.ok(records.every((r) => r.includes(' (ip) ')));
  assert.is(file.sessionFallbacks, 10);
  assert.equal(file.notes, ['session key header:x-api-key: combined logs carry no request headers or cookies; sessions are client IPs']);
});

test('common: detected, parsed, no user agent', async () => {
  const { records, file } = await run(fx('common.log'));
  assert.equal(records, [
    'GET /index.html 200 2026-10-10T20:55:36.000Z 10.1.2.3 (ip) host=- n=1 ua=-',
    'GET /api/orders/1001 200 2026-10-10T20:55:37.000Z 10.1.2.3 (ip) host=- n=1 ua=-',
    'PUT /api/orders/1002 409 2026-10-10T20:55:38.000Z 10.1.2.4 (ip) host=- n=1 ua=-',
    'GET /api/orders/1003 200 2026-10-10T20:55:39.000Z 10.1.2.4 (ip) host=- n=1 ua=-',
    'GET /.git/config 403 2026-10-10T20:55:41.000Z 10.1.2.5 (ip) host=- n=1 ua=-',
  ]);
  assert.equal(brief(file), { format: 'common', lines: 6, used: 5, skipped: 1, skippedByReason: { unparsable: 1 }, samples: ['5 unparsable'] });
});

// ------------------------------------------------------------ JSON lines

test('jsonl (nginx JSON): $request lines, string statuses, header session from http_x_api_key with IP fallback', async () => {
  const { records, file } = await run(fx('nginx.jsonl'), { sessionKey: key('header:X-Api-Key') });
  assert.equal(records, [
    'GET /api/v2/accounts/5521/invoices 200 2026-11-02T14:03:12.000Z key-alpha host=api.example.com n=1 ua=python-requests/2.32',
    'GET /api/v2/accounts/5521/invoices/INV-2026-0042 200 2026-11-02T14:03:14.000Z key-alpha host=api.example.com n=1 ua=python-requests/2.32',
    'POST /api/v2/accounts/5522/payments 201 2026-11-02T14:03:15.000Z key-beta host=api.example.com n=1 ua=Go-http-client/2.0',
    'GET /api/v2/accounts/5522 200 2026-11-02T14:03:16.000Z 198.51.100.23 (ip) host=api.example.com n=1 ua=Go-http-client/2.0',
    'GET /.env 404 2026-11-02T14:03:17.000Z 192.0.2.66 (ip) host=api.example.com n=1 ua=zgrab/0.x',
    'GET /api/v2/files/report 2026.pdf 200 2026-11-02T14:03:20.000Z key-alpha host=api.example.com n=1 ua=python-requests/2.32',
  ]);
  assert.equal(brief(file), {
    format: 'jsonl',
    lines: 9,
    used: 6,
    skipped: 3,
    skippedByReason: { 'invalid JSON': 1, 'not an object': 1, 'missing method': 1 },
    samples: ['6 invalid JSON', '7 not an object', '8 missing method'],
    sessionFallbacks: 2,
  });
});

test('jsonl (pino): nested req/res, epoch ms, headers map case-insensitive, invalid escapes kept', async () => {
  const { records, file } = await run(fx('pino.jsonl'), { sessionKey: key('header:x-api-key') });
  assert.equal(records, [
    'GET /v1/orders/ord_8f2K1 200 2026-11-02T14:03:12.000Z key-alpha host=api.example.com n=1 ua=node-fetch/3',
    'PUT /v1/orders/ord_9xQ/items/3 204 2026-11-02T14:03:13.500Z key-beta host=api.example.com n=1 ua=-',
    'GET /v1/orders/ord_8f2K1 200 2026-11-02T14:03:15.000Z ::ffff:10.0.4.17 (ip) host=api.example.com n=1 ua=-',
    'GET /v1/orders/%E0%A4%A/lines 404 2026-11-02T14:03:17.000Z key-alpha host=api.example.com n=1 ua=-',
  ]);
  assert.equal(brief(file), {
    format: 'jsonl',
    lines: 6,
    used: 4,
    skipped: 2,
    skippedByReason: { 'missing method': 1, 'invalid status': 1 },
    samples: ['3 missing method', '5 invalid status'],
    sessionFallbacks: 1,
  });
});

test('jsonl: ECS shapes (nested and flat dotted keys), configured field names, field: sessions, count', async () => {
  const ecs = tmpFile(
    'ecs.jsonl',
    [
      '{"@timestamp":"2026-11-02T14:03:12.123Z","http":{"request":{"method":"get"},"response":{"status_code":500}},"url":{"path":"/a//b/","domain":"API.example.com"},"client":{"ip":"1.2.3.4"},"user":{"id":"u1"}}',
      '{"@timestamp":"2026-11-02T14:03:13Z","http.request.method":"POST","url.path":"/x/%7Euser","http.response.status_code":201,"client.ip":"5.6.7.8","count":3}',
      '{"@timestamp":"2026-11-02T14:03:14Z","http.request.method":"POST","url.path":"/x","count":0}',
    ].join('\n'),
  );
  const a = await run(ecs, { sessionKey: key('field:user.id') });
  assert.equal(a.records, ['GET /a/b 500 2026-11-02T14:03:12.123Z u1 host=api.example.com n=1 ua=-', 'POST /x/~user 201 2026-11-02T14:03:13.000Z 5.6.7.8 (ip) host=- n=3 ua=-']);
  assert.equal(brief(a.file), { format: 'jsonl', lines: 3, used: 2, skipped: 1, skippedByReason: { 'invalid count': 1 }, samples: ['3 invalid count'], sessionFallbacks: 1 });

  const custom = tmpFile('custom.jsonl', '{"verb":"get","route":"/r/1?x","code":"204","when":1793628192,"peer":"9.9.9.9:4433","tenant":"t-1"}\n{"verb":"get","route":"/r/2","code":204,"when":"02/Nov/2026:14:03:12 +0000"}\n');
  const b = await run(custom, { fields: { method: 'verb', path: 'route', status: 'code', time: 'when', ip: 'peer', session: 'tenant' } });
  assert.equal(b.records, ['GET /r/1 204 2026-11-02T14:03:12.000Z t-1 host=- n=1 ua=-', 'GET /r/2 204 2026-11-02T14:03:12.000Z - host=- n=1 ua=-']);
});

// ------------------------------------------------------------ Cloudflare

const CF = (sessions: string[]) =>
  [
    'GET /api/v1/users/1842 200 2026-11-02T14:03:12.000Z # host=api.example.com n=1 ua=Mozilla/5.0',
    'POST /api/v1/users/1842/avatar 413 2026-11-02T14:03:13.000Z # host=api.example.com n=1 ua=Mozilla/5.0',
    'GET /api/v1/users/99 200 2026-11-02T14:03:14.000Z # host=api.example.com n=1 ua=curl/8.5.0',
    'GET /.env 403 2026-11-02T14:03:15.000Z # host=api.example.com n=1 ua=zgrab/0.x',
    'GET /api/v1/products/café 200 2026-11-02T14:03:17.250Z # host=www.example.com n=1 ua=okhttp/4.12.0',
  ].map((l, i) => l.replace('#', sessions[i]!));

test('cloudflare: RFC 3339 / unix nanos / unix seconds, ClientRequestPath, cookie and header sessions', async () => {
  const c = await run(fx('cloudflare.jsonl'), { sessionKey: key('cookie:sid') });
  assert.equal(c.records, CF(['s-111', 's-111', '2001:db8::7 (ip)', '192.0.2.66 (ip)', 's-222']));
  const summary = { format: 'cloudflare', lines: 7, used: 5, skipped: 2, skippedByReason: { 'missing method': 1, 'invalid JSON': 1 }, samples: ['5 missing method', '7 invalid JSON'] };
  assert.equal(brief(c.file), { ...summary, sessionFallbacks: 2 });
  const h = await run(fx('cloudflare.jsonl'), { sessionKey: key('header:X-API-KEY') });
  assert.equal(h.records, CF(['key-alpha', 'key-alpha', '2001:db8::7 (ip)', '192.0.2.66 (ip)', '198.51.100.23 (ip)']));
  const ip = await run(fx('cloudflare.jsonl'), { sessionKey: key('ip') });
  assert.equal(ip.records, CF(['203.0.113.10 (ip)', '203.0.113.10 (ip)', '2001:db8::7 (ip)', '192.0.2.66 (ip)', '198.51.100.23 (ip)']));
  assert.equal(brief(ip.file), summary);
});

// ------------------------------------------------------------ ALB

test('alb: absolute request URLs to paths and hosts, client ports dropped (IPv6 too), malformed lines', async () => {
  const { records, file } = await run(fx('alb.log'), { stripPrefixes: ['https://api.example.com/api/v1'] });
  assert.equal(records, [
    'GET /users/1842 200 2026-11-02T14:03:12.186Z 203.0.113.10 (ip) host=api.example.com n=1 ua=Mozilla/5.0 (X11; Linux x86_64)',
    'POST /carts/7f3c2a9e-1b4d-4c8e-9a51-3d2f8e6b0c71/items 201 2026-11-02T14:03:13.500Z 198.51.100.23 (ip) host=api.example.com n=1 ua=okhttp/4.12.0',
    'GET /.env 404 2026-11-02T14:03:14.000Z 192.0.2.66 (ip) host=203.0.113.200 n=1 ua=zgrab/0.x',
    'GET /stream/events 101 2026-11-02T14:03:16.000Z 2001:db8::7 (ip) host=api.example.com n=1 ua=Mozilla/5.0',
    'GET /users/1842/orders 200 2026-11-02T14:03:17.000Z 203.0.113.10 (ip) host=api.example.com n=1 ua=Mozilla/5.0 (X11; Linux x86_64)',
  ]);
  assert.equal(brief(file), { format: 'alb', lines: 7, used: 5, skipped: 2, skippedByReason: { 'missing method': 1, unparsable: 1 }, samples: ['4 missing method', '7 unparsable'] });
});

// ------------------------------------------------------------ HAR

const HAR = (sessions: string[]) =>
  [
    'GET /api/v1/users/1842 200 2026-11-02T14:03:12.500Z # host=api.example.com n=1 ua=Mozilla/5.0 Firefox/132.0',
    'POST /api/v1/carts/7f3c2a9e-1b4d-4c8e-9a51-3d2f8e6b0c71/items 201 2026-11-02T14:03:13.000Z # host=api.example.com n=1 ua=-',
    'GET /api/v1/products/café 200 2026-11-02T14:03:14.000Z # host=api.example.com n=1 ua=-',
    'DELETE /api/v1/users/1842/sessions/a%2Fb 204 2026-11-02T14:03:17.000Z # host=api.example.com n=1 ua=-',
  ].map((l, i) => l.replace('#', sessions[i]!));
const HAR_SUMMARY = { format: 'har', lines: 6, used: 4, skipped: 2, skippedByReason: { 'no response': 1, 'missing method': 1 }, samples: ['162 no response', '202 missing method'] };

test('har: entries streamed out of the document; header and cookie sessions (cookies list and Cookie header)', async () => {
  const h = await run(fx('session.har'), { sessionKey: key('header:x-api-key') });
  assert.equal(h.records, HAR(['key-alpha', 'key-alpha', '-', 'key-beta']));
  assert.equal(brief(h.file), { ...HAR_SUMMARY, sessionFallbacks: 1 });
  const c = await run(fx('session.har'), { sessionKey: key('cookie:sid') });
  assert.equal(c.records, HAR(['s-111', 's-111', 's-222', '-']));
  const d = await run(fx('session.har'));
  assert.equal(d.records, HAR(['-', '-', '-', '-']));
  assert.equal(d.file.notes, ['HAR files carry no client IP: requests have no session unless a header or cookie session key is given']);
});

test('har: minified on one line, split across chunk boundaries, and truncated', async () => {
  const doc = JSON.parse(fs.readFileSync(fx('session.har'), 'utf8'));
  const one = await run(tmpFile('one.har', JSON.stringify(doc)), { sessionKey: key('header:x-api-key') });
  assert.equal(one.records, HAR(['key-alpha', 'key-alpha', '-', 'key-beta']));
  assert.equal(brief(one.file).samples, ['1 no response', '1 missing method']);
  // 3000 entries with a 1 KB body each: several 1 MB chunks, entries cut at arbitrary places
  const big = { log: { ...doc.log, entries: Array.from({ length: 3000 }, (_, i) => ({ ...doc.log.entries[0], request: { ...doc.log.entries[0].request, url: `https://api.example.com/api/v1/users/${i}` }, response: { ...doc.log.entries[0].response, content: { text: '}"]['.repeat(256) } } })) } };
  const b = await run(tmpFile('big.har', JSON.stringify(big)));
  assert.is(b.file.used, 3000);
  assert.is(b.records[2999]!.split(' ')[1], '/api/v1/users/2999');
  const text = fs.readFileSync(fx('session.har'), 'utf8');
  const cut = await run(tmpFile('cut.har', text.slice(0, text.indexOf('"startedDateTime": "2026-11-02T14:03:13.000+00:00"'))));
  assert.equal(brief(cut.file), { format: 'har', lines: 2, used: 1, skipped: 1, skippedByReason: { 'truncated document': 1 }, samples: ['71 truncated document'] });
});

// ------------------------------------------------------------ CSV

test('csv: header row, quoted cells, counts, session column, extra columns ignored', async () => {
  const { records, file, raw } = await run(fx('aggregated.csv'));
  assert.equal(records, [
    'GET /api/v1/users/1842 200 - key-alpha host=- n=120 ua=-',
    'GET /api/v1/users/1842 200 - key-alpha host=- n=30 ua=-',
    'POST /api/v1/carts/7f3c2a9e-1b4d-4c8e-9a51-3d2f8e6b0c71/items 201 - key-beta host=- n=12 ua=-',
    'GET /api/v1/search/a,b 200 - - host=- n=3 ua=-',
    'GET /wp-login.php 404 - - host=- n=57 ua=-',
    'GET /api/v1/products/café 200 - key-beta host=- n=8 ua=-',
  ]);
  assert.equal(brief(file), { format: 'csv', lines: 8, used: 6, skipped: 2, skippedByReason: { 'invalid count': 1, 'missing columns': 1 }, samples: ['7 invalid count', '9 missing columns'] });
  assert.is(raw.reduce((n, r) => n + r.count, 0), 230);
  // the same with the default ip key: the session column is still the session
  const ip = await run(fx('aggregated.csv'), { sessionKey: key('ip') });
  assert.equal(ip.records, records);
});

test('csv: a header without the required columns is an error naming the file', async () => {
  const f = tmpFile('bad.csv', 'method,path,count\nGET,/a,1\n');
  const ok = await run(f, { format: 'csv', fields: { count: 'hits' } }).catch((e: Error) => e.message);
  assert.is(ok, `${f}: the CSV header row has no count column (found: method, path, count)`);
});

// ------------------------------------------------------------ gzip, detection, errors, streaming

test('gzip: every format, told by magic bytes (with and without .gz), same records and summaries', async () => {
  for (const [name, opts] of [
    ['combined.log', {}],
    ['common.log', {}],
    ['nginx.jsonl', { sessionKey: key('header:x-api-key') }],
    ['pino.jsonl', {}],
    ['cloudflare.jsonl', { sessionKey: key('cookie:sid') }],
    ['alb.log', {}],
    ['session.har', { sessionKey: key('cookie:sid') }],
    ['aggregated.csv', {}],
  ] as const) {
    const plain = await run(fx(name), opts);
    for (const gzName of [`${name}.gz`, `${name}-rotated.1`]) {
      const z = await run(gz(gzName, fx(name)), opts);
      assert.equal(z.records, plain.records, gzName);
      assert.equal(brief(z.file), brief(plain.file), gzName);
      assert.is(z.file.gzip, true, gzName);
      assert.is(z.file.bytes, plain.file.bytes, gzName);
    }
  }
});

test('gzip: a truncated stream keeps what was read and says so', async () => {
  const full = zlib.gzipSync(fs.readFileSync(fx('combined.log')));
  const f = tmpFile('truncated.log.gz', full.subarray(0, full.length - 12));
  const { records, file } = await run(f);
  assert.equal(records, COMBINED);
  assert.is(file.skippedByReason['gzip error'], 1);
  assert.is(file.skipped, 6);
  assert.match(file.notes![0]!, /^the gzip stream is damaged or truncated after \d+ bytes of text: unexpected end of file$/);
});

test('detectFormat: every fixture from its first lines; undefined for anything else', () => {
  const head = (name: string) => fs.readFileSync(fx(name), 'utf8').split('\n').slice(0, 20);
  assert.is(detectFormat(head('combined.log')), 'combined');
  assert.is(detectFormat(head('common.log')), 'common');
  assert.is(detectFormat(head('nginx.jsonl')), 'jsonl');
  assert.is(detectFormat(head('pino.jsonl')), 'jsonl');
  assert.is(detectFormat(head('cloudflare.jsonl')), 'cloudflare');
  assert.is(detectFormat(head('alb.log')), 'alb');
  assert.is(detectFormat(head('session.har')), 'har');
  assert.is(detectFormat(head('aggregated.csv')), 'csv');
  assert.is(detectFormat(['', 'garbage', head('combined.log')[0]!]), 'combined');
  assert.is(detectFormat(['{"ClientRequestMethod":"GET","ClientRequestURI":"/a", "Edge']), 'cloudflare');
  assert.is(detectFormat(['', '  ']), undefined);
  assert.is(detectFormat(['hello world', 'second line']), undefined);
  assert.is(detectFormat(['name,value', 'a,1']), undefined);
  assert.is(detectFormat(['{"a": [1, 2', '}']), undefined);
});

test('an undetectable file is an error naming the file; an empty one is a note; opts.format overrides detection', async () => {
  const f = tmpFile('notes.txt', 'Dear diary,\ntoday I read logs.\n');
  const msg = await run(f).catch((e: Error) => e.message);
  assert.is(msg, `${f}: cannot tell the log format from its first lines (first: "Dear diary,"); give it with --log-format (combined, common, jsonl, cloudflare, alb, har, csv)`);
  const empty = await run(tmpFile('empty.log', '\n\n'));
  assert.equal(empty.file.notes, ['the file is empty']);
  assert.is(empty.file.lines, 0);
  const missing = await run(path.join(tmp, 'nope.log')).catch((e: Error) => e.message);
  assert.is(missing, `${path.join(tmp, 'nope.log')}: cannot be read (ENOENT)`);
  // forced: a combined log read as JSON lines is all skipped lines, not an error
  const forced = await run(fx('combined.log'), { format: 'jsonl' });
  assert.equal(brief(forced.file).skippedByReason, { 'invalid JSON': 15 });
});

test('streaming: many chunks, CRLF, a line over the length cap, several files in order', async () => {
  const lines: string[] = [];
  for (let i = 0; i < 40000; i++) lines.push(`10.0.${i % 7}.1 - - [02/Nov/2026:14:03:12 +0000] "GET /api/items/${i}?q=${'x'.repeat(i % 50)} HTTP/1.1" ${i % 13 === 0 ? 404 : 200} 12 "-" "agent/${i % 3}"`);
  lines.splice(20000, 0, 'x'.repeat(5 * 1024 * 1024));
  const f = tmpFile('big.log', lines.join('\r\n'));
  const counts = new Map<string, number>();
  const { file, summary } = await run([f, fx('common.log')]).then(async (r) => {
    for (const x of r.raw) counts.set(`${x.status}`, (counts.get(`${x.status}`) ?? 0) + 1);
    return r;
  });
  assert.equal(brief(file), { format: 'combined', lines: 40001, used: 40000, skipped: 1, skippedByReason: { 'line too long': 1 }, samples: ['20001 line too long'] });
  assert.is(counts.get('404'), Math.ceil(40000 / 13)); // i % 13 === 0; the common log has no 404
  assert.is(counts.get('403'), 1); // the common log's /.git/config, read after big.log
  assert.is(summary.files[1]!.format, 'common');
  assert.is(summary.files[1]!.used, 5);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
