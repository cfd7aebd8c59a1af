/**
 * JavaScript's own names are data (must-hold 7): `constructor`, `__proto__`, `toString`, `hasOwnProperty` and
 * `valueOf` written in scanned code, as method names, object keys, route option keys and path parts, are read as
 * JavaScript reads them: never as the scanner's own Object functions (no report with a method `function Object()
 * { [native code] }` or `"method": {}`), never as a property an object literal does not own (`{ __proto__: x }`).
 * Express, Koa, Hono, Fastify, hapi and NestJS. Repositories are built at test time in a temporary directory.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { scan, type ScanResult } from '../../src/scan.js';
import { endpointLines } from '../helpers.js';
import { removeTempDirs, runCli, show, tempDir } from '../cli/run-cli.js';
import { brief, hostileRepo } from './helpers.js';

test.after(removeTempDirs);

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
const GOOD_LINES = ['GET /good/list none src/good.ts:3', 'POST /good/create none src/good.ts:4'];
const notices = (r: ScanResult) => r.notifications.map((n) => `${n.level} ${n.code} ${n.file ?? '-'}:${n.line ?? '-'}`);
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'ALL']);

/** A repository with these dependencies and files (a `.git` folder, so paths are repository-relative). */
function repo(label: string, dependencies: Record<string, string>, files: Record<string, string>): string {
  const dir = tempDir(`proto-${label}`);
  fs.mkdirSync(path.join(dir, '.git'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: label, private: true, dependencies }));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Every endpoint has one of the inventory's methods, as a string. */
function assertMethods(r: ScanResult): void {
  for (const e of r.codeEndpoints) assert.ok(typeof e.method === 'string' && METHODS.has(e.method), `endpoint with method ${String(e.method)} at ${e.path}`);
}

/** `(obj as any)['name']('/m/name', handler)` for each of JavaScript's own names, one per line. */
const ownNameCalls = (obj: string, handler: string) => NAMES.map((n) => `(${obj} as any)['${n}']('/m/${n}', ${handler});`);

test('Express: app[name](...) and router[name](...) for Object.prototype names register nothing (and the report is sound)', async () => {
  const dir = hostileRepo('proto-express-methods', {
    appLines: [
      ...ownNameCalls('app', '(req: any, res: any) => res.end()'),
      'const r = express.Router();',
      ...ownNameCalls('r', '(req: any, res: any) => res.end()'),
      "r.get('/inner', (req, res) => res.end());",
      "app.use('/r', r);",
      "(app.route('/chain') as any)['constructor']((req: any, res: any) => res.end()).get((req: any, res: any) => res.end());",
      "app.get('/after', (req, res) => res.end());",
    ],
  });
  const r = await scan({ root: dir });
  assert.equal(endpointLines(r), [...GOOD_LINES, 'GET /after none src/app.ts:20', 'GET /chain none src/app.ts:19', 'GET /r/inner none src/app.ts:17'].sort(), brief(r));
  assert.equal(notices(r), []);
  assertMethods(r);
  // what people read: no Object function printed as a method, no empty object in JSON
  const text = await runCli(['scan', dir, '--fail-on', 'none'], { cwd: dir });
  assert.is(text.code, 0, show(text));
  assert.not.match(text.stdout, /native code|\[object Object\]/, show(text));
  const json = await runCli(['scan', dir, '--format', 'json', '--fail-on', 'none'], { cwd: dir });
  const report = JSON.parse(json.stdout) as { endpoints: Array<{ method: unknown; path: string }> };
  assert.equal(report.endpoints.map((e) => `${String(e.method)} ${e.path}`).sort(), ['GET /after', 'GET /chain', 'GET /good/list', 'GET /r/inner', 'POST /good/create']);
});

test('object literals: { __proto__: x } owns no property (computed and shorthand keys do); o.__proto__ = x adds none', async () => {
  const r = await scan({
    root: hostileRepo('proto-object-keys', {
      appLines: [
        "const routes: any = { __proto__: '/p1', constructor: '/p2', toString: '/p3', hasOwnProperty: '/p4', valueOf: '/p5' };",
        'for (const k in routes) app.get(routes[k], (req, res) => res.end());',
        "const keys = Object.keys({ __proto__: '/k1', ['__proto__']: '/k2' });",
        "keys.forEach((k: string) => app.post('/keys/' + k, (req, res) => res.end()));",
        'const t: any = {};',
        "t['__proto__'] = '/assigned'; t.__proto__ = '/assigned2';",
        'for (const k in t) app.put(t[k], (req, res) => res.end());',
        "const base = { inherited: '/inherited' };",
        'const child: any = { __proto__: base };',
        "app.delete('/child/' + child.inherited, (req, res) => res.end());",
        "app.get('/after', (req, res) => res.end());",
      ],
    }),
  });
  // JavaScript: routes owns constructor, toString, hasOwnProperty, valueOf (not __proto__); the computed key is
  // owned; t owns nothing; child inherits from base, which the scan does not follow (a hole, not a guess)
  assert.equal(
    endpointLines(r),
    [
      ...GOOD_LINES,
      'DELETE /child/{?} none src/app.ts:15',
      'GET /after none src/app.ts:16',
      'GET /p2 none src/app.ts:7',
      'GET /p3 none src/app.ts:7',
      'GET /p4 none src/app.ts:7',
      'GET /p5 none src/app.ts:7',
      'POST /keys/__proto__ none src/app.ts:9',
    ].sort(),
    brief(r),
  );
  assert.equal(notices(r), []);
  assertMethods(r);
});

test("path parts: a plain object's constructor, toString, ... are not its data (a hole), parameters may be named so", async () => {
  const r = await scan({
    root: hostileRepo('proto-path-parts', {
      appLines: [
        "const cfg: any = { base: '/api' };",
        ...NAMES.map((n) => `app.get(cfg.base + '/${n}/' + cfg.${n}, (req, res) => res.end());`),
        "app.get('/u/:constructor/:__proto__/:toString', (req, res) => res.end());",
        "const { constructor: c, __proto__: p } = cfg;",
        "app.post('/d/' + c + '/' + p, (req, res) => res.end());",
      ],
    }),
  });
  assert.equal(
    endpointLines(r),
    [
      ...GOOD_LINES,
      ...NAMES.map((n, i) => `GET /api/${n}/{?} none src/app.ts:${7 + i}`),
      'GET /u/{constructor}/{__proto__}/{toString} none src/app.ts:12',
      'POST /d/{?}/{?} none src/app.ts:14',
    ].sort(),
    brief(r),
  );
  const hole = r.codeEndpoints.find((e) => e.path === '/api/constructor/{?}')!.unresolved[0]!;
  assert.is(hole.reason, "builtin 'constructor' of every object, not a property of this one");
  assert.equal(notices(r), []);
});

test('the interpreter\'s Map model cannot be forged by a property name: iterating a plain object invents nothing', async () => {
  const r = await scan({
    root: hostileRepo('proto-map-entries', {
      appLines: [
        "const fake: any = { __mapEntries: [['/forged', 1]], entries: [['/forged2', 1]] };",
        'for (const [p] of fake) app.get(p, (req, res) => res.end());',
        "const real = new Map([['/real', 1]]);",
        'for (const [p] of real) app.get(p, (req, res) => res.end());',
      ],
    }),
  });
  assert.equal(endpointLines(r), [...GOOD_LINES, 'GET /real none src/app.ts:9', 'GET /{?} none src/app.ts:7'].sort(), brief(r));
  assert.is(r.codeEndpoints.find((e) => e.path === '/{?}')!.unresolved[0]!.reason, 'element of a value not known statically');
});

test('Koa: router[name](...) registers nothing; own-name keys and parameters are data', async () => {
  const r = await scan({
    root: repo('koa', { koa: '^2.15.0', '@koa/router': '^12.0.0' }, {
      'src/app.ts': [
        "import Koa from 'koa';",
        "import Router from '@koa/router';",
        'const app = new Koa();',
        'const router = new Router();',
        "router.get('/k/ok', (ctx) => { ctx.body = 1; });",
        ...ownNameCalls('router', '(ctx: any) => { ctx.body = 1; }'),
        "router.get('/k/:constructor/:__proto__', (ctx) => { ctx.body = 1; });",
        "const o: any = { __proto__: '/k/p1', constructor: '/k/p2' };",
        'for (const k in o) router.get(o[k], (ctx) => { ctx.body = 1; });',
        "router.get('/k/v/' + o.hasOwnProperty, (ctx) => { ctx.body = 1; });",
        "router.register('/k/reg', ['constructor', '__proto__'], (ctx: any) => { ctx.body = 1; });",
        'app.use(router.routes());',
        'app.listen(3000);',
        '',
      ].join('\n'),
    }),
  });
  assert.equal(endpointLines(r), ['GET /k/ok none src/app.ts:5', 'GET /k/p2 none src/app.ts:13', 'GET /k/v/{?} none src/app.ts:14', 'GET /k/{constructor}/{__proto__} none src/app.ts:11'], brief(r));
  assert.equal(notices(r), []);
  assertMethods(r);
});

test('Hono: app[name](...) registers nothing; on() with such a method name is a custom method, noted', async () => {
  const r = await scan({
    root: repo('hono', { hono: '^4.6.0' }, {
      'src/app.ts': [
        "import { Hono } from 'hono';",
        'const app = new Hono();',
        "app.get('/h/ok', (c) => c.text('x'));",
        ...ownNameCalls('app', "(c: any) => c.text('x')"),
        "app.on('constructor', '/h/on', (c) => c.text('x'));",
        "app.on(['__proto__', 'GET'], '/h/on2', (c) => c.text('x'));",
        "const o: any = { __proto__: '/h/p1', toString: '/h/p2' };",
        "for (const k in o) app.get(o[k], (c) => c.text('x'));",
        'export default app;',
        '',
      ].join('\n'),
    }),
  });
  assert.equal(endpointLines(r), ['GET /h/ok none src/app.ts:3', 'GET /h/on2 none src/app.ts:10', 'GET /h/p2 none src/app.ts:12'], brief(r));
  assert.equal(notices(r), ['note custom-method src/app.ts:9', 'note custom-method src/app.ts:10']);
  assert.is(r.notifications[0]!.message, 'src/app.ts:9: a route is registered for the non-standard method(s) CONSTRUCTOR; it is not in the inventory.');
  assertMethods(r);
});

test('Fastify: fastify[name](...) registers nothing; route option keys named so are data, method names noted', async () => {
  const r = await scan({
    root: repo('fastify', { fastify: '^4.28.0' }, {
      'src/app.ts': [
        "import Fastify from 'fastify';",
        'const fastify = Fastify();',
        "fastify.get('/f/ok', async () => 1);",
        ...ownNameCalls('fastify', 'async () => 1'),
        "fastify.route({ method: 'constructor', url: '/f/r1', handler: async () => 1 });",
        "fastify.route({ method: ['GET', '__proto__'], url: '/f/r2', handler: async () => 1, __proto__: { url: '/f/evil' } } as any);",
        "fastify.route({ method: 'GET', url: '/f/r3', constructor: { url: '/f/evil2' }, toString: () => '/f/evil3', handler: async () => 1 } as any);",
        'fastify.listen({ port: 3000 });',
        '',
      ].join('\n'),
    }),
  });
  assert.equal(endpointLines(r), ['GET /f/ok none src/app.ts:3', 'GET /f/r2 none src/app.ts:10', 'GET /f/r3 none src/app.ts:11'], brief(r));
  assert.equal(notices(r), ['note custom-method src/app.ts:9', 'note custom-method src/app.ts:10']);
  assert.is(r.notifications[1]!.message, 'src/app.ts:10: a route is registered for the non-standard method(s) __PROTO__; it is not in the inventory.');
  assertMethods(r);
});

test('hapi: a route method or auth scheme named constructor / __proto__ is data', async () => {
  const r = await scan({
    root: repo('hapi', { '@hapi/hapi': '^21.3.0' }, {
      'src/app.ts': [
        "import Hapi from '@hapi/hapi';",
        'const server = Hapi.server({ port: 3000 });',
        "server.route({ method: 'GET', path: '/hp/ok', handler: () => 1 });",
        "server.route({ method: 'constructor', path: '/hp/c', handler: () => 1 });",
        "server.route({ method: ['__proto__', 'POST'], path: '/hp/p', handler: () => 1 });",
        "server.auth.scheme('constructor', () => ({ authenticate: () => 1 }));",
        "server.auth.strategy('toString', 'constructor');",
        "server.route({ method: 'GET', path: '/hp/auth', options: { auth: 'toString' }, handler: () => 1 });",
        'server.start();',
        '',
      ].join('\n'),
    }),
  });
  assert.equal(endpointLines(r), ['GET /hp/auth required src/app.ts:8', 'GET /hp/ok none src/app.ts:3', 'POST /hp/p none src/app.ts:5'], brief(r));
  assert.equal(notices(r), ['note custom-method src/app.ts:4', 'note custom-method src/app.ts:5']);
  assertMethods(r);
});

test('NestJS: RequestMethod.constructor / RequestMethod.__proto__ is no method (Nest defaults to GET)', async () => {
  const r = await scan({
    root: repo('nest', { '@nestjs/common': '^10.0.0', '@nestjs/core': '^10.0.0' }, {
      'src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { Controller, Get, Module, RequestMapping, RequestMethod } from '@nestjs/common';",
        "@Controller('c')",
        'class C {',
        "  @Get('ok') ok() { return 1; }",
        "  @RequestMapping({ path: 'm', method: (RequestMethod as any).constructor }) m() { return 1; }",
        "  @RequestMapping({ path: 'p', method: (RequestMethod as any)['__proto__'] }) p() { return 1; }",
        "  @RequestMapping({ path: 'd', method: RequestMethod.DELETE }) d() { return 1; }",
        '}',
        '@Module({ controllers: [C] })',
        'class AppModule {}',
        'NestFactory.create(AppModule).then((app) => app.listen(3000));',
        '',
      ].join('\n'),
    }),
  });
  assert.equal(endpointLines(r), ['DELETE /c/d none src/main.ts:8', 'GET /c/m none src/main.ts:6', 'GET /c/ok none src/main.ts:5', 'GET /c/p none src/main.ts:7'], brief(r));
  assertMethods(r);
});

test.run();
