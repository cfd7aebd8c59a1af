// Which files turn the hapi plugin on, and hapi's path syntax on its own.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hapiPlugin } from '../../../src/frameworks/hapi/index.js';
import { hapiPath } from '../../../src/frameworks/hapi/path-syntax.js';
import { render } from '../../../src/resolve/paths.js';

test('isEntry: hapi and Glue imports, hapi route objects; not Fastify server.register/route', () => {
  assert.ok(hapiPlugin.isEntry("const Hapi = require('@hapi/hapi');", 'src/server.js'));
  assert.ok(hapiPlugin.isEntry("import Glue from '@hapi/glue';", 'src/index.ts'));
  assert.ok(hapiPlugin.isEntry("module.exports = (server) => server.route({ method: 'GET', path: '/x', handler: () => 1 });", 'src/r.js'));
  assert.not.ok(hapiPlugin.isEntry("import Fastify from 'fastify';\nserver.register(plugin);\nserver.route({ method: 'GET', url: '/x', handler });", 'src/app.ts'));
  assert.not.ok(hapiPlugin.isEntry("const label = 'hapi';", 'src/x.ts'));
});

test('hapiPath: {id}, {id?}, {p*}, {p*3}, mixed segments', () => {
  const r = (s: string) => hapiPath(s).map(render);
  assert.equal(r('/users/{id}'), ['/users/{id}']);
  assert.equal(r('/users/{id?}'), ['/users', '/users/{id}']);
  assert.equal(r('/static/{path*}'), ['/static/{path*}']);
  assert.equal(r('/a/{p*3}/b'), ['/a/{p1}/{p2}/{p3}/b']);
  assert.equal(r('/img/{name}.{ext}'), ['/img/{name}.{ext}']);
  assert.equal(r('/'), ['/']);
});

test.run();
