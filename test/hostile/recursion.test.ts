/**
 * Cycles and recursion in hostile code (must-hold 5): import and re-export cycles, require cycles, self-referential
 * constants, recursive route registration, arrays that contain themselves, expressions nested deeper than the
 * analysis goes. None of them may empty the result: the construct that causes the trouble is unresolved or missing,
 * a notification names its file and line, and the routes around it (same file, other files) are still found.
 * Repositories are built at test time in a temporary directory (test/hostile/helpers.ts).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type * as t from '@babel/types';
import { parseSource } from '../../src/parse/parse.js';
import { Interpreter, type InterpreterPlugin } from '../../src/resolve/interpreter.js';
import { ModuleResolver } from '../../src/resolve/modules.js';
import type { Notification } from '../../src/model.js';
import { scan, type ScanResult } from '../../src/scan.js';
import { localFailure } from '../../src/frameworks/shared/chain.js';
import { endpointLines } from '../helpers.js';
import { copyFixture, removeTempDirs, tempDir } from '../cli/run-cli.js';
import fs from 'node:fs';
import path from 'node:path';
import { brief, hostileRepo, noticeOf } from './helpers.js';

test.after(removeTempDirs);

/** The valid neighbour routes, as endpointLines writes them. */
const GOOD_LINES = ['GET /good/list none src/good.ts:3', 'POST /good/create none src/good.ts:4'];

/** `level code file:line` of every notification (they come sorted by file and line). */
const notices = (r: ScanResult) => r.notifications.map((n) => `${n.level} ${n.code} ${n.file ?? '-'}:${n.line ?? '-'}`);

async function scanRepo(label: string, opts: Parameters<typeof hostileRepo>[1]): Promise<ScanResult> {
  return scan({ root: hostileRepo(label, opts) });
}

function assertEndpoints(r: ScanResult, expected: string[]): void {
  assert.equal(endpointLines(r), [...GOOD_LINES, ...expected].sort(), `notifications:\n${brief(r)}`);
}

const H = '(req, res) => res.end()';

test('re-export cycle (a re-exports from b, b from a): the route using it is unresolved, the ones after it are kept', async () => {
  const r = await scanRepo('reexport-cycle', {
    imports: ["import { x } from './a';"],
    appLines: [`app.get('/r/' + x, ${H});`, `app.get('/after', ${H});`],
    files: { 'src/a.ts': "export { x } from './b';\n", 'src/b.ts': "export { x } from './a';\n" },
  });
  assertEndpoints(r, ['GET /after none src/app.ts:8', 'GET /r/{?} none src/app.ts:7']);
  assert.equal(notices(r), ['warning export-cycle src/a.ts:1']);
  assert.is(noticeOf(r, 'export-cycle').message, "src/a.ts:1: 'x' is re-exported in a cycle (src/a.ts → src/b.ts → src/a.ts): it has no value, and what uses it is unresolved.");
  const hole = r.codeEndpoints.find((e) => e.path === '/r/{?}')!.unresolved[0]!;
  assert.is(hole.reason, "'x' is re-exported in a cycle (src/a.ts → src/b.ts → src/a.ts)");
});

test('export * cycle: names found on the way are kept, a name no module declares is unresolved', async () => {
  const r = await scanRepo('star-cycle', {
    imports: ["import { x, y } from './a';"],
    appLines: [`app.get('/s/' + x, ${H});`, `app.get(y, ${H});`, `app.get('/after', ${H});`],
    files: { 'src/a.ts': "export * from './b';\n", 'src/b.ts': "export * from './a';\nexport const y = '/y';\n" },
  });
  assertEndpoints(r, ['GET /after none src/app.ts:9', 'GET /s/{?} none src/app.ts:7', 'GET /y none src/app.ts:8']);
  assert.equal(notices(r), []);
  assert.is(r.codeEndpoints.find((e) => e.path === '/s/{?}')!.unresolved[0]!.reason, "src/a.ts does not export 'x'");
});

test('require cycle: resolved as Node loads it (the module in progress gives its exports so far)', async () => {
  const r = await scanRepo('require-cycle', {
    appLines: ["const a = require('./a');", `app.get(a.x, ${H});`, `app.get(a.z, ${H});`, `app.get('/after', ${H});`],
    files: {
      'src/a.js': "const b = require('./b');\nmodule.exports = { x: '/a/' + b.y, z: '/z' };\n",
      'src/b.js': "const a = require('./a');\nmodule.exports = { y: 'b-' + a.x };\n",
    },
  });
  // Node gives b the empty exports of a (still loading), so b.y is 'b-undefined'
  assertEndpoints(r, ['GET /a/b-undefined none src/app.ts:7', 'GET /after none src/app.ts:9', 'GET /z none src/app.ts:8']);
  assert.equal(notices(r), []);
});

test('self-referential constants, objects that contain themselves, recursive getters: unresolved parts, no overflow', async () => {
  const r = await scanRepo('self-ref', {
    appLines: [
      "const P: string = P + '/p';",
      `app.get(P, ${H});`,
      'let a: any = b; let b: any = a;',
      `app.get(a, ${H});`,
      "const o: any = { p: '/o' }; o.self = o; o.self.self.self.q = o;",
      `app.get(o.self.self.self.p, ${H});`,
      "const g = { get p(): string { return g.p + '/g'; } };",
      `app.get(g.p, ${H});`,
      "function f1(n: number): string { return f2(n) + '/a'; }",
      "function f2(n: number): string { return f1(n) + '/b'; }",
      `app.get(f1(0), ${H});`,
      `app.get('/after', ${H});`,
    ],
  });
  assertEndpoints(r, [
    'GET /{?} none src/app.ts:9',
    'GET /o none src/app.ts:11',
    'GET /{?}/b/a/b/a none src/app.ts:16',
    'GET /{?}/g/g none src/app.ts:13',
    'GET /{?}/p none src/app.ts:7',
    'GET /after none src/app.ts:17',
  ].sort());
  assert.equal(notices(r), []);
});

test('a function that registers a route and calls itself without end: followed twice, then a warning at the call', async () => {
  const r = await scanRepo('recursive-register', {
    appLines: [
      `function f(n: number): void { app.get('/r' + n, ${H}); f(n + 1); }`,
      'f(0);',
      `function even(n: number): void { app.post('/even' + n, ${H}); odd(n + 1); }`,
      `function odd(n: number): void { app.post('/odd' + n, ${H}); even(n + 1); }`,
      'even(0);',
      `app.get('/after', ${H});`,
    ],
  });
  assertEndpoints(r, [
    'GET /after none src/app.ts:11',
    'GET /r0 none src/app.ts:6',
    'GET /r1 none src/app.ts:6',
    'POST /even0 none src/app.ts:8',
    'POST /even2 none src/app.ts:8',
    'POST /odd1 none src/app.ts:9',
    'POST /odd3 none src/app.ts:9',
  ].sort());
  assert.equal(notices(r), ['warning analysis-recursion src/app.ts:6', 'warning analysis-recursion src/app.ts:9']);
  assert.is(noticeOf(r, 'analysis-recursion').message, 'src/app.ts:6: f calls itself (directly or through others) without an end the scan can see: followed 2 levels deep, no further; routes it registers deeper are not in the inventory.');
});

test('routers and apps that mount themselves or each other: every route once, none lost', async () => {
  const r = await scanRepo('self-mount', {
    appLines: [
      'const r = express.Router();',
      "r.use('/again', r);",
      `r.get('/leaf', ${H});`,
      "app.use('/self', r);",
      'const r1 = express.Router(); const r2 = express.Router();',
      'r1.use(r2); r2.use(r1);',
      `r2.get('/pair', ${H});`,
      "app.use('/cycle', r1);",
      "app.use(app); app.use('/loop', app);",
      `app.get('/after', ${H});`,
    ],
  });
  assertEndpoints(r, ['GET /after none src/app.ts:15', 'GET /cycle/pair none src/app.ts:12', 'GET /self/leaf none src/app.ts:8'].sort());
  assert.equal(notices(r), []);
});

test('an app that only ever mounts itself is still reported (it was left out as "mounted")', async () => {
  const r = await scanRepo('app-uses-itself', { appLines: ['app.use(app);', `app.get('/mine', ${H});`] });
  assertEndpoints(r, ['GET /mine none src/app.ts:7']);
});

/** A repository with these dependencies and one source file, src/app.ts. */
function oneFileRepo(label: string, dependencies: Record<string, string>, code: string): string {
  const dir = tempDir(`hostile-${label}`);
  fs.mkdirSync(path.join(dir, '.git'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: label, private: true, dependencies }));
  fs.writeFileSync(path.join(dir, 'src/app.ts'), code);
  return dir;
}

test('Hono apps that route() each other, Koa routers that use each other and an app that uses itself: nothing lost', async () => {
  const hono = await scan({
    root: oneFileRepo('hono-cycle', { hono: '^4.6.0' }, [
      "import { Hono } from 'hono';",
      'const a = new Hono();',
      'const b = new Hono();',
      "a.get('/a', (c) => c.text('x'));",
      "b.get('/b', (c) => c.text('x'));",
      "a.route('/b', b);",
      "b.route('/a', a);",
      'export default a;',
      '',
    ].join('\n')),
  });
  assert.equal(endpointLines(hono), ['GET /a none src/app.ts:4', 'GET /b/b none src/app.ts:5'], brief(hono));
  assert.equal(notices(hono), []);
  const koa = await scan({
    root: oneFileRepo('koa-cycle', { koa: '^2.15.0', '@koa/router': '^12.0.0' }, [
      "import Koa from 'koa';",
      "import Router from '@koa/router';",
      'const app = new Koa();',
      'const r1 = new Router();',
      'const r2 = new Router();',
      "r1.get('/one', (ctx) => { ctx.body = 1; });",
      "r2.get('/two', (ctx) => { ctx.body = 1; });",
      "r1.use('/r2', r2.routes());",
      "r2.use('/r1', r1.routes());",
      'app.use(r1.routes());',
      'app.use(app as any);',
      'app.listen(3000);',
      '',
    ].join('\n')),
  });
  assert.equal(endpointLines(koa), ['GET /one none src/app.ts:6', 'GET /r2/two none src/app.ts:7'], brief(koa));
  assert.equal(notices(koa), []);
});

test('an array put into itself (as a path list, as a handler list): a warning at the push, the routes are kept', async () => {
  const r = await scanRepo('self-array', {
    appLines: [
      "const paths: any[] = ['/sa'];",
      'paths.push(paths);',
      `app.get(paths, ${H});`,
      'const hs: any[] = [(req: any, res: any, next: any) => next()];',
      'hs.unshift(hs);',
      `app.get('/sh', hs, ${H});`,
      `app.get('/after', ${H});`,
    ],
  });
  assertEndpoints(r, ['GET /after none src/app.ts:12', 'GET /sa none src/app.ts:8', 'GET /sh unknown src/app.ts:11', 'GET /{?} none src/app.ts:8'].sort());
  assert.equal(notices(r), ['warning value-cycle src/app.ts:7', 'warning value-cycle src/app.ts:10']);
  assert.is(noticeOf(r, 'value-cycle').message, 'src/app.ts:7: an array is put into itself (paths.push); that element is taken as a value not known statically.');
  assert.is(r.codeEndpoints.find((e) => e.path === '/{?}')!.unresolved[0]!.reason, 'an array put into itself');
});

test('an expression nested deeper than the analysis goes: that value is unknown, the routes around it are kept', async () => {
  // 1,000 terms parse (Babel recurses per operator too, and gives up near 3,000), and nest past the bound of 600
  const concat = Array.from({ length: 1000 }, (_, i) => `'a${i}'`).join(' +\n');
  const member = 'cfg' + '\n.x'.repeat(3000);
  const r = await scanRepo('deep-expr', {
    imports: ["import { deep } from './deep';"],
    appLines: ['app.use(deep);', `app.get('/after', ${H});`],
    files: {
      'src/deep.js': [
        "const { Router } = require('express');",
        'const deep = Router();',
        "const cfg = { x: '' };",
        `deep.get('/deep/ok', ${H});`,
        `const long = ${concat};`,
        `deep.get('/deep/' + long.slice(0, 0) + 'concat', ${H});`,
        `const chain = ${member};`,
        `deep.get('/deep/chain/' + chain, ${H});`,
        `deep.get('/deep/after', ${H});`,
        'module.exports = { deep };',
        '',
      ].join('\n'),
    },
  });
  // lines: the concatenation is 5-1004, its route 1005; the member chain 1006-4006, its route 4007
  assertEndpoints(r, [
    'GET /after none src/app.ts:8',
    'GET /deep/ok none src/deep.js:4',
    'GET /deep/{?}concat none src/deep.js:1005',
    'GET /deep/chain/{?} none src/deep.js:4007',
    'GET /deep/after none src/deep.js:4008',
  ].sort());
  // cut where the nesting passes the bound, each place once: the left-nested operands of the concatenation (they all
  // start on its first line), one right operand on the way back up, the member chain (where it starts)
  assert.equal(notices(r), ['warning analysis-too-deep src/deep.js:5', 'warning analysis-too-deep src/deep.js:407', 'warning analysis-too-deep src/deep.js:1006']);
  assert.is(noticeOf(r, 'analysis-too-deep').message, 'src/deep.js:5: code nested too deep to analyse (more than 600 levels of expressions, statements, calls and module loads at once); the value there is unknown, and routes that depend on it are unresolved or missing.');
});

test('expressions nested beyond what the parser takes (50,000 terms, 10,000 nested calls): that file is reported, other files kept', async () => {
  const concat = Array.from({ length: 50000 }, (_, i) => `'a${i}'`).join(' +\n');
  const calls = 'f(\n'.repeat(10000) + '1' + ')\n'.repeat(10000);
  const r = await scanRepo('parse-deep', {
    imports: ["import './big';", "import './calls';"],
    appLines: [`app.get('/after', ${H});`],
    files: {
      'src/big.ts': `import { Router } from 'express';\nexport const big = Router();\nbig.get('/big/' + ${concat}, ${H});\n`,
      'src/calls.ts': `import { Router } from 'express';\nexport const calls = Router();\ncalls.get('/calls/' + ${calls}, ${H});\n`,
    },
  });
  assertEndpoints(r, ['GET /after none src/app.ts:8']);
  assert.equal(notices(r), ['warning parse-error src/big.ts:-', 'warning parse-error src/calls.ts:-']);
  assert.is(noticeOf(r, 'parse-error', 'src/big.ts').message, 'src/big.ts: could not be parsed (nesting too deep to parse); its routes are not in the inventory.');
});

test('a chain of modules each loading the next, deeper than the analysis goes: cut where it passes the bound, the routes kept', async () => {
  const files: Record<string, string> = {};
  const n = 400;
  for (let i = 0; i < n; i++) files[`src/chain/m${i}.js`] = i + 1 < n ? `require('./m${i + 1}');\nmodule.exports = '/m${i}';\n` : "module.exports = '/end';\n";
  const r = await scanRepo('module-chain', { appLines: [`app.get(require('./chain/m0'), ${H});`, `app.get('/after', ${H});`], files });
  assertEndpoints(r, ['GET /after none src/app.ts:7', 'GET /m0 none src/app.ts:6']);
  assert.equal(notices(r), ['warning analysis-too-deep src/chain/m298.js:1', 'warning analysis-too-deep src/chain/m298.js:2']);
});

test('Next.js middleware with an expression nested 20,000 deep: its verdict is unknown, every route is kept', async () => {
  // the guard evaluator of the Next.js plugin walks expressions itself: bounded, and a failure stays with the guard
  const dir = copyFixture('test/frameworks/nextjs/fixtures/middleware-matcher', 'hostile-next-deep');
  const file = path.join(dir, 'middleware.ts');
  const chain = "'x' + request" + '\n.nextUrl'.repeat(20000);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('  if (!token) {', `  const odd = ${chain};\n  if (!token || request.nextUrl.pathname === odd) {`));
  const r = await scan({ root: dir });
  assert.equal(endpointLines(r), [
    'GET /api/account unknown app/api/account/route.ts:1',
    'GET /api/accounts none app/api/accounts/route.ts:1',
    'GET /api/admin unknown app/api/admin/route.ts:1',
    'GET /api/admin/users unknown app/api/admin/users/route.ts:1',
    'GET /api/admin/users/{id} unknown app/api/admin/users/[id]/route.ts:1',
    'GET /api/public none app/api/public/route.ts:1',
  ], brief(r));
  // the walks over that file and that function stop at their bound, and say so
  assert.equal(notices(r), ['warning analysis-budget middleware.ts:1', 'warning analysis-budget middleware.ts:3']);
  const ev = r.codeEndpoints.find((e) => e.path === '/api/admin')!.evidence;
  assert.equal(ev.map((e) => `${e.auth} ${e.file}:${e.line} ${e.reason}`), [
    "unknown middleware.ts:20007 middleware.ts: redirects (NextResponse.redirect(new URL('/login', request.url))), under a condition on the path that cannot be evaluated statically",
  ]);
});

// ---------------------------------------------------------------- failures inside the interpreter's run

/** Runs the interpreter over in-memory files with one extra plugin (as scan() wires it). */
function interpret(files: Record<string, string>, plugin: InterpreterPlugin): Notification[] {
  const notes: Notification[] = [];
  const resolver = new ModuleResolver('/nonexistent', Object.keys(files), []);
  const it = new Interpreter({
    resolver,
    plugins: [plugin],
    load: (file) => (files[file] === undefined ? undefined : parseSource(file, files[file]!).parsed),
    readJson: () => undefined,
    notify: (n) => notes.push(n),
  });
  it.run(Object.keys(files));
  return notes;
}

/** A plugin whose `thing()` is a host object; calling `boom` on it throws, any other method is recorded. */
function throwingPlugin(seen: string[], error: () => Error): InterpreterPlugin {
  return {
    name: 'probe',
    callExternal: (callee) => (callee.module === 'probe' ? { kind: 'host', plugin: 'probe', tag: 'x', data: null, id: 1 } : undefined),
    callHost: (_h, method, args, ctx) => {
      if (method === 'boom') throw error();
      const a = args[0];
      seen.push(`${method} ${a?.kind === 'str' ? a.value : '?'} ${ctx.loc.file}:${ctx.loc.line}`);
      return { kind: 'undef' };
    },
  };
}

test('a plugin hook that throws: an error naming file and line, the rest of the statement, function and file still run', () => {
  const seen: string[] = [];
  const notes = interpret(
    {
      'src/a.js': [
        "const thing = require('probe')();",
        "thing.route('/before');",
        "function helper() { thing.boom('/x'); thing.route('/in-helper'); }",
        'helper();',
        "thing.route('/after');",
        '',
      ].join('\n'),
    },
    throwingPlugin(seen, () => new TypeError("Cannot read properties of undefined (reading 'kind')")),
  );
  assert.equal(seen, ['route /before src/a.js:2', 'route /in-helper src/a.js:3', 'route /after src/a.js:5']);
  assert.equal(notes, [
    {
      level: 'error',
      code: 'analysis-failed',
      message: "src/a.js:3: could not be analysed (Cannot read properties of undefined (reading 'kind')); the probe analysis of this call was skipped. Routes registered there may be missing.",
      file: 'src/a.js',
      line: 3,
    },
  ]);
});

test('the stack running out inside the analysis of one statement: an error at that statement, the next statements run', () => {
  const seen: string[] = [];
  const overflow = (): Error => {
    const deep = (n: number): number => (n > 1e9 ? n : deep(n + 1) + 1);
    try {
      deep(0);
    } catch (err) {
      return err as Error;
    }
    return new Error('no overflow');
  };
  // (a real RangeError from a real overflow, thrown by the hook: caught at the hook, reported as the stack running out)
  const notes = interpret(
    {
      'src/b.js': ["const thing = require('probe')();", "thing.boom('/x');", "thing.route('/after');", ''].join('\n'),
    },
    throwingPlugin(seen, overflow),
  );
  assert.equal(seen, ['route /after src/b.js:3']);
  assert.equal(notes.map((n) => `${n.level} ${n.code} ${n.file}:${n.line} ${n.message}`), [
    'error analysis-failed src/b.js:2 src/b.js:2: could not be analysed (nesting or recursion too deep: the analysis ran out of stack); the probe analysis of this call was skipped. Routes registered there may be missing.',
  ]);
});

test('a statement whose evaluation throws outside any plugin: an error at that statement, the file goes on', () => {
  const seen: string[] = [];
  const files = { 'src/c.js': ["const thing = require('probe')();", 'weird();', "thing.route('/after');", ''].join('\n') };
  // a parsed tree the interpreter does not expect (as a future Babel could give): a call whose callee is missing
  const parsed = parseSource('src/c.js', files['src/c.js']).parsed!;
  const stmt = parsed.ast.program.body[1] as t.ExpressionStatement;
  (stmt.expression as t.CallExpression).callee = undefined as unknown as t.Expression;
  const notes: Notification[] = [];
  const it = new Interpreter({
    resolver: new ModuleResolver('/nonexistent', ['src/c.js'], []),
    plugins: [throwingPlugin(seen, () => new Error('unused'))],
    load: () => parsed,
    readJson: () => undefined,
    notify: (n) => notes.push(n),
  });
  it.run(['src/c.js']);
  assert.equal(seen, ['route /after src/c.js:3']);
  assert.is(notes.length, 1, JSON.stringify(notes));
  assert.is(notes[0]!.level, 'error');
  assert.is(notes[0]!.code, 'analysis-failed');
  assert.is(notes[0]!.file, 'src/c.js');
  assert.is(notes[0]!.line, 2);
  assert.match(notes[0]!.message, /^src\/c\.js:2: could not be analysed \(.+\); this statement was skipped; the rest of the file was analysed\. Routes registered there may be missing\.$/);
});

test('a registration whose endpoints cannot be built (in a plugin\'s finish step): an error naming it, the next ones still built', () => {
  const notes: Notification[] = [];
  const built: string[] = [];
  const registrations = [
    { loc: { file: 'src/r.ts', line: 3 }, path: '/one' },
    { loc: { file: 'src/r.ts', line: 4 }, path: undefined as unknown as string },
    { loc: { file: 'src/r.ts', line: 5 }, path: '/three' },
  ];
  for (const reg of registrations) localFailure((n) => notes.push(n), reg.loc, 'this route', () => built.push(reg.path.toUpperCase()));
  assert.equal(built, ['/ONE', '/THREE']);
  assert.equal(notes, [
    {
      level: 'error',
      code: 'analysis-failed',
      message: "src/r.ts:4: this route could not be analysed (Cannot read properties of undefined (reading 'toUpperCase')); what it registers is missing from the report.",
      file: 'src/r.ts',
      line: 4,
    },
  ]);
});

test.run();
