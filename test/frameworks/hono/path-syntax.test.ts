// Hono's path syntax and how its middleware patterns match paths.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { honoCovers, honoPath, openApiPath } from '../../../src/frameworks/hono/path-syntax.js';
import { parseTemplate, render } from '../../../src/resolve/paths.js';

const r = (text: string) => honoPath(text).map(render);
const covers = (guard: string, endpoint: string) => honoCovers(honoPath(guard)[0]!, parseTemplate(endpoint));

test('parameters, optional parameters, regex constraints (with slashes inside braces), wildcards', () => {
  assert.equal(r('/users/:id'), ['/users/{id}']);
  assert.equal(r('/api/animal/:type?'), ['/api/animal/{type}', '/api/animal']);
  assert.equal(r('/post/:date{[0-9]+}/:title{[a-z]+}'), ['/post/{date}/{title}']);
  assert.equal(r('/posts/:filename{.+\\.png}'), ['/posts/{filename}']);
  assert.equal(r('/d/:path{a/b}'), ['/d/{path}']);
  assert.equal(r('/wild/*/card'), ['/wild/{*}/card']);
  assert.equal(r('*'), ['/{*}']);
  assert.equal(r('/'), ['/']);
  assert.equal(openApiPath('/users/{id}/posts/{postId}').map(render), ['/users/{id}/posts/{postId}']);
});

test('middleware patterns: whole-path match, a trailing /* includes the base, * in the middle is one segment', () => {
  assert.ok(covers('/admin/*', '/admin'));
  assert.ok(covers('/admin/*', '/admin/users/{id}'));
  assert.not.ok(covers('/admin/*', '/administrators'));
  assert.ok(covers('/account', '/account'));
  assert.not.ok(covers('/account', '/account/settings'));
  assert.ok(covers('*', '/'));
  assert.ok(covers('/a/*/z', '/a/b/z'));
  assert.not.ok(covers('/a/*/z', '/a/b/c/z'));
  assert.ok(covers('/users/:id', '/users/{userId}'));
  assert.not.ok(covers('/users/me', '/users/{id}'));
  // Hono's default router never applies middleware whose * is not preceded by a slash (honojs/hono#5258)
  assert.not.ok(covers('/assets*', '/assets/app.js'));
});

test.run();
