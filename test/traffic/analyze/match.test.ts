import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EndpointMatcher, type KnownEndpoint } from '../../../src/traffic/analyze/index.js';

const E = (id: string, method: KnownEndpoint['method'], path: string, source: KnownEndpoint['source'] = 'code'): KnownEndpoint => ({ id, method, path, source });

const endpoints: KnownEndpoint[] = [
  E('user', 'GET', '/users/{id}'),
  E('me-spec', 'GET', '/users/me', 'spec'),
  E('me', 'GET', '/users/me'),
  E('admin-all', 'ALL', '/admin/{*}'),
  E('admin-stats', 'GET', '/admin/stats'),
  E('files', 'GET', '/files/{path*}'),
  E('feed-hole', 'GET', '/{?}/feed'),
  E('api-feed', 'GET', '/api/feed'),
  E('docs', 'GET', '/Docs'),
  E('report-json', 'GET', '/reports/{name}.json', 'spec'),
  E('report', 'GET', '/reports/{name}'),
  E('catch-all', 'GET', '/{*}'),
  E('short-link', 'GET', '/{code}'),
  E('opt', 'GET', '/opt/{rest*?}'),
  E('create-user', 'POST', '/users', 'spec'),
  E('root', 'GET', '/'),
  E('num', 'GET', '/n/{id}'),
  E('slug', 'GET', '/n/{slug}'),
  E('versioned', 'GET', '/svc/v{?}/ping'),
  E('mid-wild', 'GET', '/a/{*}/z'),
];

const m = new EndpointMatcher(endpoints, { num: { id: '\\d+' } });
const at = (method: string, path: string) => m.match(method, path)?.id ?? null;

test('literal beats parameter; code beats spec for the same template; methods must agree', () => {
  assert.is(at('GET', '/users/42'), 'user');
  assert.is(at('GET', '/users/me'), 'me');
  assert.is(at('POST', '/users'), 'create-user');
  assert.is(at('GET', '/users'), null);
  assert.is(at('DELETE', '/users/42'), null);
  assert.is(at('GET', '/'), 'root');
});

test('ALL accepts every method, but a more specific path wins', () => {
  assert.is(at('DELETE', '/admin/users/1'), 'admin-all');
  assert.is(at('GET', '/admin/stats'), 'admin-stats');
  assert.is(at('POST', '/admin/stats'), 'admin-all');
  // a wildcard needs at least one segment
  assert.is(at('GET', '/admin'), null);
});

test('wildcards: one or more segments, or zero when optional; in the middle too', () => {
  assert.is(at('GET', '/files/a/b/c.txt'), 'files');
  assert.is(at('GET', '/files'), null);
  assert.is(at('GET', '/opt'), 'opt');
  assert.is(at('GET', '/opt/a/b'), 'opt');
  assert.is(at('GET', '/a/b/c/z'), 'mid-wild');
  assert.is(at('GET', '/a/z'), null);
});

test('holes: one or more segments, below literals; inside a segment: anything in that segment', () => {
  assert.is(at('GET', '/api/feed'), 'api-feed');
  assert.is(at('GET', '/partner/v2/feed'), 'feed-hole');
  assert.is(at('GET', '/feed'), null);
  assert.is(at('GET', '/svc/v3/ping'), 'versioned');
  assert.is(at('GET', '/svc/x3/ping'), null);
});

test('literals are case-sensitive; mixed segments beat plain parameters', () => {
  assert.is(at('GET', '/Docs'), 'docs');
  assert.is(at('GET', '/docs'), null);
  assert.is(at('GET', '/reports/q1.json'), 'report-json');
  assert.is(at('GET', '/reports/q1'), 'report');
});

test('templates without a literal part are never matched and are listed', () => {
  assert.is(at('GET', '/anything'), null);
  assert.is(at('GET', '/x/y/z'), null);
  assert.equal(m.unmatchable.map((e) => e.id), ['catch-all', 'short-link']);
});

test('parameter constraints; HEAD falls back to GET', () => {
  assert.is(at('GET', '/n/12'), 'num');
  assert.is(at('GET', '/n/abc'), 'slug');
  assert.is(at('HEAD', '/users/42'), 'user');
  assert.is(at('HEAD', '/admin/x'), 'admin-all');
});

test('the bounded cache gives the same answers after eviction', () => {
  const small = new EndpointMatcher(endpoints, undefined, 2);
  const paths = ['/users/1', '/users/me', '/files/a', '/users/1', '/docs', '/users/me', '/partner/feed'];
  const want = ['user', 'me', 'files', 'user', null, 'me', 'feed-hole'];
  for (let round = 0; round < 3; round++) assert.equal(paths.map((p) => small.match('GET', p)?.id ?? null), want);
});

test('thousands of endpoints: the index finds the right one', () => {
  const many: KnownEndpoint[] = [];
  for (let i = 0; i < 3000; i++) {
    many.push(E(`items-${i}`, 'GET', `/svc${i}/items/{id}`));
    many.push(E(`item-sub-${i}`, 'GET', `/svc${i}/items/{id}/parts/{part*}`));
    many.push(E(`item-new-${i}`, 'POST', `/svc${i}/items`));
  }
  const big = new EndpointMatcher(many);
  assert.is(big.match('GET', '/svc1234/items/7')?.id, 'items-1234');
  assert.is(big.match('GET', '/svc2999/items/7/parts/a/b')?.id, 'item-sub-2999');
  assert.is(big.match('POST', '/svc0/items')?.id, 'item-new-0');
  assert.is(big.match('GET', '/svc3000/items/7'), undefined);
});

test.run();
