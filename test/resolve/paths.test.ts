import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { covers, keyOfRendered, parseTemplate, templatesMatch, type PathT } from '../../src/resolve/paths.js';
import { expressPath } from '../../src/frameworks/express/path-syntax.js';

const T = parseTemplate;
const regexPath = (re: string): PathT => [[{ hole: { text: re, reason: 'regular-expression path: served, but not a template' } }]];

test('keys ignore parameter names', () => {
  assert.is(keyOfRendered('/users/{id}/posts/{postId}'), '/users/{}/posts/{}');
  assert.is(keyOfRendered('/'), '/');
});

test('covers: use() prefixes, wildcards need a segment, literals compare case-insensitively', () => {
  assert.ok(covers(T('/admin'), T('/admin/users'), 'prefix'));
  assert.not.ok(covers(T('/admin'), T('/administrators'), 'prefix'));
  assert.ok(covers(T('/Admin'), T('/admin/x'), 'prefix'));
  assert.ok(covers(T('/api/{*}'), T('/api/orders/{id}'), 'exact'));
  assert.not.ok(covers(T('/api/{*}'), T('/api'), 'exact'));
  assert.ok(covers(T('/users/{id}'), T('/users/{uid}/posts'), 'prefix'));
  assert.not.ok(covers(T('/users/me'), T('/users/{id}'), 'prefix'));
  assert.not.ok(covers(T('/users/{id}'), T('/users/{id}/posts'), 'exact'));
});

test('templatesMatch: holes stand for a run of segments only where there is a literal part too', () => {
  const mounted: PathT = [[{ hole: { text: 'process.env.P', reason: 'env' } }], [{ lit: 'feed' }]];
  assert.ok(templatesMatch(mounted, T('/partner/v2/feed')));
  assert.not.ok(templatesMatch(mounted, T('/partner/other')));
  assert.not.ok(templatesMatch(T('/{*}'), T('/anything')));
  assert.ok(templatesMatch(regexPath('/^\\/sitemap-\\d+\\.xml$/'), T('/sitemap-{n}.xml')));
  assert.not.ok(templatesMatch(regexPath('/^\\/sitemap-\\d+\\.xml$/'), T('/users')));
});

test('express path syntax', () => {
  const r = (s: string) => expressPath(s).map((p) => '/' + p.map((seg) => seg.map((pc) => ('lit' in pc ? pc.lit : 'param' in pc ? `{${pc.param}}` : 'wild' in pc ? `{${pc.wild ?? ''}*}` : '{?}')).join('')).join('/'));
  assert.equal(r('/users/:id?'), ['/users/{id}', '/users']);
  assert.equal(r('/files/:name.:ext'), ['/files/{name}.{ext}']);
  assert.equal(r('/n/:id(\\d+)'), ['/n/{id}']);
  assert.equal(r('/*splat'), ['/{splat*}']);
  assert.equal(r('/docs{/:section}'), ['/docs/{section}', '/docs']);
  assert.equal(r('/docs(?!/private)/:f'), ['/docs/{f}']);
  assert.equal(r('/'), ['/']);
  assert.equal(r('/+byIndex/:index*?'), ['/byIndex/{index*}', '/byIndex']);
  assert.equal(r('/user/:slug/:section(posts|topics)'), ['/user/{slug}/{section}']);
});

test.run();
