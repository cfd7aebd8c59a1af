// Regular expressions taken from the scanned code (unless() paths, Next.js matchers, regular-expression routes,
// `.replace(/re/)`, @fastify/autoload patterns) never run unbounded: RE2 decides what it can express in linear time,
// the rest runs on V8 only when its shape cannot backtrack badly, and anything else is left undecided with a warning
// naming the file and line. Every hostile pattern here takes from tens of seconds to hours on a backtracking engine;
// the tests finish because the work is bounded, never because of a timer.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scan, type ScanResult } from '../../src/scan.js';
import { splitIgnore } from '../../src/baseline/suppress.js';
import { anchoredPrefix, backtrackingRisk, backtrackingShape, escapeRegex, SafeRegex, withJsClasses, withRegexScope } from '../../src/resolve/safe-regex.js';
import type { Notification } from '../../src/model.js';
import { removeTempDirs, tempDir } from '../cli/run-cli.js';
import { assertGood, brief, endpoints, hostileRepo, noticeOf } from './helpers.js';

test.after(removeTempDirs);

/** 28 a's: `/^\/(a+)+$/` against `/` + A + `!` backtracks 2^28 times on V8 (47 s measured). */
const A = 'a'.repeat(28);

const JWT_PKG = JSON.stringify({ name: 'hostile-jwt', private: true, dependencies: { express: '^4.21.0', 'express-jwt': '^8.4.1' } });

/** `METHOD path auth` of an endpoint, and its evidence reasons. */
function verdict(r: ScanResult, method: string, p: string): string {
  const e = r.codeEndpoints.find((x) => x.method === method && x.path === p);
  assert.ok(e, `${method} ${p} should be an endpoint; endpoints: ${endpoints(r).join(', ')}\n${brief(r)}`);
  return `${e!.auth} ${e!.location.file}:${e!.location.line}`;
}

const regexNotices = (r: ScanResult) => r.notifications.filter((n) => n.code.startsWith('regex-')).map((n) => `${n.level} ${n.code} ${n.file}:${n.line}`);

test('express-jwt unless({ path: [/^\\/(a+)+$/] }) against a 28-a route: decided in linear time, exempt only where it matches', async () => {
  const dir = hostileRepo('unless-nested', {
    imports: ["import { expressjwt } from 'express-jwt';"],
    appLines: [
      "app.use(expressjwt({ secret: 's', algorithms: ['HS256'] }).unless({ path: [/^\\/(a+)+$/, '/login'] }));",
      `app.get('/${A}!', (req, res) => res.json({}));`,
      `app.get('/${A}', (req, res) => res.json({}));`,
      "app.post('/login', (req, res) => res.json({}));",
    ],
    files: { 'package.json': JWT_PKG },
  });
  const r = await scan({ root: dir });
  assertGood(r);
  // the good routes are registered before the middleware: nothing in front of them
  assert.is(verdict(r, 'GET', '/good/list'), 'none src/good.ts:3');
  // the expression does not match `/aaa…a!`: the route is protected; it matches `/aaa…a`: exempt
  assert.is(verdict(r, 'GET', `/${A}!`), 'required src/app.ts:8');
  assert.is(verdict(r, 'GET', `/${A}`), 'none src/app.ts:9');
  assert.is(verdict(r, 'POST', '/login'), 'none src/app.ts:10');
  // nothing was cut short, so nothing is reported
  assert.equal(regexNotices(r), []);
});

test('an unless() regex RE2 cannot run (look-ahead) with a nested quantifier: not run, the verdict is unknown, a warning names file and line', async () => {
  const dir = hostileRepo('unless-lookahead', {
    imports: ["import { expressjwt } from 'express-jwt';"],
    appLines: [
      "const open = [/^\\/(?=(a+)+$)/, /^\\/(?!admin)pub/];",
      "app.use(expressjwt({ secret: 's', algorithms: ['HS256'] }).unless({ path: open }));",
      `app.get('/${A}!', (req, res) => res.json({}));`,
      "app.get('/pub/news', (req, res) => res.json({}));",
    ],
    files: { 'package.json': JWT_PKG },
  });
  const r = await scan({ root: dir });
  assertGood(r);
  // neither protected nor exempt can be claimed for a path only the unrun expression could exempt
  assert.is(verdict(r, 'GET', `/${A}!`), 'unknown src/app.ts:9');
  const e = r.codeEndpoints.find((x) => x.path === `/${A}!`)!;
  assert.equal(
    e.evidence.map((x) => `${x.auth} ${x.reason}`),
    ['unknown express-jwt verifies a bearer token, but whether its unless() exempts this path could not be decided (a regular expression not run safely)'],
  );
  // a look-ahead of a safe shape runs on V8 (bounded input) and decides: /pub/news is exempt
  assert.is(verdict(r, 'GET', '/pub/news'), 'none src/app.ts:10');
  const n = noticeOf(r, 'regex-unsafe', 'src/app.ts');
  assert.is(n.level, 'warning');
  assert.is(n.line, 7);
  assert.is(
    n.message,
    'src/app.ts:7: the regular expression /^\\/(?=(a+)+$)/ (an unless() path) was not run: it uses what the linear-time engine lacks (look-around or back-reference) and a repeated group holds a repetition or an alternation, so backtracking could take exponential time; what it decides was left unknown.',
  );
  // once per expression, however many routes it was asked about
  assert.equal(regexNotices(r), ['warning regex-unsafe src/app.ts:7']);
});

test('Koa: koa-jwt unless({ path: [/^\\/api\\/(a+)+$/] }) with long routes under /api finishes; verdicts decided, neighbours kept', async () => {
  const dir = tempDir('hostile-koa-unless');
  fs.mkdirSync(path.join(dir, '.git'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'hostile-koa', private: true, dependencies: { koa: '^2.15.0', 'koa-router': '^12.0.0', 'koa-jwt': '^4.0.4' } }));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(
    path.join(dir, 'src/index.js'),
    [
      "const Koa = require('koa');",
      "const Router = require('koa-router');",
      "const jwt = require('koa-jwt');",
      'const app = new Koa();',
      "const api = new Router({ prefix: '/api' });",
      "app.use(jwt({ secret: 's' }).unless({ path: [/^\\/api\\/(a+)+$/, /^\\/api\\/(?=(b|b)*$)/] }));",
      `api.get('/${A}!', async (ctx) => { ctx.body = []; });`,
      `api.get('/${A}', async (ctx) => { ctx.body = []; });`,
      "api.get('/orders', async (ctx) => { ctx.body = []; });",
      'app.use(api.routes());',
      'app.listen(3000);',
      '',
    ].join('\n'),
  );
  const r = await scan({ root: dir });
  assert.equal(endpoints(r).sort(), ['GET /api/aaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'GET /api/aaaaaaaaaaaaaaaaaaaaaaaaaaaa!', 'GET /api/orders']);
  // the first expression matches `/api/aaa…a` (exempt whatever the second says); for the others only the second,
  // not run, could exempt them: unknown
  assert.is(verdict(r, 'GET', `/api/${A}`), 'none src/index.js:8');
  assert.is(verdict(r, 'GET', `/api/${A}!`), 'unknown src/index.js:7');
  assert.is(verdict(r, 'GET', '/api/orders'), 'unknown src/index.js:9');
  const n = noticeOf(r, 'regex-unsafe', 'src/index.js');
  assert.is(n.line, 6);
  assert.match(n.message, /^src\/index\.js:6: the regular expression \/\^\\\/api\\\/\(\?=\(b\|b\)\*\$\)\/ \(an unless\(\) path\) was not run: .*a repeated group holds a repetition or an alternation/);
});

/** A Next.js app: `app/api/<name>/route.ts` per name, and a middleware requiring a session on what `matcher` covers. */
function nextRepo(label: string, matcher: string[], names: string[]): string {
  const dir = tempDir(`hostile-next-${label}`);
  fs.mkdirSync(path.join(dir, '.git'));
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: `hostile-next-${label}`, private: true, dependencies: { next: '15.1.0', 'next-auth': '5.0.0-beta.25' } }),
    'middleware.ts': [
      "import { NextResponse, type NextRequest } from 'next/server';",
      '',
      'export function middleware(req: NextRequest) {',
      "  if (!req.cookies.get('session')) return NextResponse.json({ error: 'unauthorized' }, { status: 401 });",
      '  return NextResponse.next();',
      '}',
      '',
      'export const config = {',
      `  matcher: [${matcher.map((m) => JSON.stringify(m)).join(', ')}],`,
      '};',
      '',
    ].join('\n'),
  };
  for (const n of names) files[`app/api/${n}/route.ts`] = 'export async function GET() { return Response.json([]); }\n';
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

test("Next.js middleware matcher '/api/((a+)+)$' with routes under /api: decided in linear time (over 120 s before)", async () => {
  const dir = nextRepo('matcher-nested', ['/api/((a+)+)$', '/api/orders'], [A, 'orders', 'health']);
  const r = await scan({ root: dir });
  assert.equal(endpoints(r).sort(), [`GET /api/${A}`, 'GET /api/health', 'GET /api/orders']);
  // path-to-regexp escapes the `$`: `/api/aaa…a` is not covered (no `$` after it); /api/orders is covered
  assert.is(verdict(r, 'GET', `/api/${A}`), 'none app/api/aaaaaaaaaaaaaaaaaaaaaaaaaaaa/route.ts:1');
  assert.is(verdict(r, 'GET', '/api/orders'), 'required app/api/orders/route.ts:1');
  assert.is(verdict(r, 'GET', '/api/health'), 'none app/api/health/route.ts:1');
  assert.equal(regexNotices(r), []);
});

test('the common Next.js matcher that skips static files (a look-ahead and three long repetitions) is run: verdicts decided', async () => {
  const dir = nextRepo('matcher-static', ['/((?!.+\\.[\\w]+$|_next).*)', '/', '/(api|trpc)(.*)'], ['orders', 'health']);
  const r = await scan({ root: dir });
  assert.is(verdict(r, 'GET', '/api/orders'), 'required app/api/orders/route.ts:1');
  assert.is(verdict(r, 'GET', '/api/health'), 'required app/api/health/route.ts:1');
  assert.equal(regexNotices(r), []);
  // on the backtracking engine a polynomial shape is charged by its degree: a long input is refused, named
  const warnings: Notification[] = [];
  withRegexScope((n) => warnings.push(n), () => {
    const re = SafeRegex.compile('^(?!x)\\d*\\d*\\d*\\d*$', '', { file: 'm.ts', line: 3, what: 'a test pattern' })!;
    assert.is(re.test('1'.repeat(50)), true);
    assert.is(re.test('1'.repeat(200) + 'a'), undefined);
  });
  assert.equal(warnings.map((w) => w.code), ['regex-unsafe']);
  assert.match(warnings[0]!.message, /^m\.ts:3: the regular expression .* \(a test pattern\) was not run: it needs the backtracking engine, has 4 long repetitions and the text is 201 characters long/);
});

test('Next.js matcher with a look-ahead and a nested quantifier: coverage unknown, a warning names the matcher line', async () => {
  const dir = nextRepo('matcher-lookahead', ['/api/((?=(a+)+!).*)', '/api/orders'], [`${A}`, 'orders']);
  const r = await scan({ root: dir });
  assert.equal(endpoints(r).sort(), [`GET /api/${A}`, 'GET /api/orders']);
  // the second matcher covers /api/orders whatever the first does; nothing is known for the other route
  assert.is(verdict(r, 'GET', '/api/orders'), 'required app/api/orders/route.ts:1');
  assert.is(verdict(r, 'GET', `/api/${A}`), 'unknown app/api/aaaaaaaaaaaaaaaaaaaaaaaaaaaa/route.ts:1');
  const n = noticeOf(r, 'regex-unsafe', 'middleware.ts');
  assert.is(n.line, 9);
  assert.match(n.message, /^middleware\.ts:9: the regular expression .* \(a Next\.js middleware matcher\) was not run: /);
});

test('a regular-expression route path with a nested quantifier, compared with a spec path it would hang on: finishes, both kept', async () => {
  const dir = hostileRepo('route-regex', {
    appLines: ["app.get(/^\\/(a+)+$/, (req, res) => res.json({}));"],
    files: {
      'openapi.json': JSON.stringify({
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        paths: { [`/${A}!`]: { get: { responses: { 200: { description: 'ok' } } } }, '/good/list': { get: { responses: { 200: { description: 'ok' } } } } },
      }),
    },
  });
  const r = await scan({ root: dir });
  assertGood(r);
  // the expression does not accept `/aaa…a!`: the spec path is not served by it (decided, not skipped)
  const inv = r.inventory.map((e) => `${e.method} ${e.path} code:${e.code.length} spec:${e.spec.length}`).sort();
  assert.ok(inv.includes(`GET /${A}! code:0 spec:1`), inv.join('\n'));
  assert.ok(inv.includes('GET /good/list code:1 spec:1'), inv.join('\n'));
  assert.equal(regexNotices(r), []);
});

test('.replace(/re/) on a path in the interpreter: RE2 where it can, undecided (a hole and a warning) where it cannot', async () => {
  const dir = hostileRepo('replace', {
    appLines: [
      `const base = '/${A}!';`,
      "app.get(base.replace(/^\\/(a+)+$/, '/never'), (req, res) => res.json({}));",
      "app.get('/v1/items'.replace(/^\\/(v\\d+)\\/(?<rest>.*)$/, '/api/$1/$<rest>'), (req, res) => res.json({}));",
      "app.get(base.replace(/(?=(a+)+!)a/, '/x'), (req, res) => res.json({}));",
    ],
  });
  const r = await scan({ root: dir });
  assertGood(r, [`GET /${A}!`, 'GET /api/v1/items']);
  const n = noticeOf(r, 'regex-unsafe', 'src/app.ts');
  assert.is(n.line, 9);
  assert.match(n.message, /\(a \.replace\(\) pattern\) was not run/);
  // the third path is not invented: it is reported as not known statically
  const third = r.codeEndpoints.find((e) => e.location.line === 9);
  assert.ok(third, brief(r));
  assert.ok(third!.unresolved.some((u) => /not run/.test(u.reason)), JSON.stringify(third!.unresolved));
});

test('@fastify/autoload ignorePattern with a nested quantifier over a hostile file name: decided, the plugins are loaded', async () => {
  const dir = tempDir('hostile-autoload');
  fs.mkdirSync(path.join(dir, '.git'));
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'hostile-autoload', private: true, type: 'module', dependencies: { fastify: '^5.2.0', '@fastify/autoload': '^6.0.0' } }),
    'src/app.ts': [
      "import Fastify from 'fastify';",
      "import AutoLoad from '@fastify/autoload';",
      "import { dirname, join } from 'node:path';",
      "import { fileURLToPath } from 'node:url';",
      'const __dirname = dirname(fileURLToPath(import.meta.url));',
      'const app = Fastify();',
      "app.register(AutoLoad, { dir: join(__dirname, 'routes'), ignorePattern: /^(a+)+$/, matchFilter: /^\\/(?=(b+)+$)/ });",
      'await app.listen({ port: 3000 });',
      '',
    ].join('\n'),
    [`src/routes/${A}!.ts`]: "export default async function (f: any) { f.get('/hostile', async () => []); }\n",
    'src/routes/health.ts': "export default async function (f: any) { f.get('/health', async () => 'ok'); }\n",
  };
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  const r = await scan({ root: dir });
  // ignorePattern decided (no match): both loaded; matchFilter not run: the files are kept, not lost in silence
  assert.equal(endpoints(r).sort(), ['GET /health', 'GET /hostile']);
  const n = noticeOf(r, 'regex-unsafe', 'src/app.ts');
  assert.is(n.line, 7);
  assert.match(n.message, /\(@fastify\/autoload matchFilter\) was not run/);
});

test('a generated file with thousands of routes and an unless() with hundreds of paths: every route found, nothing cut short', async () => {
  const N = 3000;
  const lines: string[] = [];
  const unless = Array.from({ length: 300 }, (_, i) => (i % 2 ? `'/r${i * 7}'` : `/^\\/r${i * 7}(\\/.*)?$/`));
  lines.push(`app.use(expressjwt({ secret: 's', algorithms: ['HS256'] }).unless({ path: [${unless.join(', ')}] }));`);
  for (let i = 0; i < N; i++) lines.push(`app.get('/r${i}', h);`);
  const dir = hostileRepo('many-routes', { imports: ["import { expressjwt } from 'express-jwt';", 'const h = (req: any, res: any) => res.json({});'], appLines: lines, files: { 'package.json': JWT_PKG } });
  const r = await scan({ root: dir });
  assertGood(r);
  assert.is(r.codeEndpoints.length, N + 2);
  assert.equal(regexNotices(r), []);
  // /r0 is exempt by a regex, /r7 by a string, /r1 by nothing
  assert.is(verdict(r, 'GET', '/r0'), 'none src/app.ts:9');
  assert.is(verdict(r, 'GET', '/r7'), 'none src/app.ts:16');
  assert.is(verdict(r, 'GET', '/r1'), 'required src/app.ts:10');
  assert.is(verdict(r, 'GET', '/r2100'), 'required src/app.ts:2109');
});

test("the tool's own parsing of ignore directives is linear: a spec x-apilantern-ignore entry with 20,000 spaces (27 min before)", async () => {
  const op = (ignore: string[]) => ({ get: { 'x-apilantern-ignore': ignore, responses: { 200: { description: 'ok' } } } });
  const dir = hostileRepo('ignore-spaces', {
    files: {
      'openapi.json': JSON.stringify({
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        // `\\s*(.*?)\\s*$` backtracked cubically on this; the entry is malformed (a line break in the reason)
        paths: { '/good/list': op([`undocumented-endpoint:${' '.repeat(20_000)}x\ny`]), '/good/other': op(['zombie-endpoint:  removed next release  ']) },
      }),
    },
  });
  const r = await scan({ root: dir });
  assertGood(r);
  assert.is(r.specs.length, 1, brief(r));
  // the well-formed entry still suppresses its finding, with its reason trimmed
  assert.equal(r.suppressed.map((f) => `${f.ruleId} ${f.endpoint} ${f.suppression.justification}`), ['zombie-endpoint GET /good/other removed next release']);
});

test('SafeRegex: the scan-wide work budget stops further tests with one regex-budget warning naming the expression', () => {
  const notes: Notification[] = [];
  const results = withRegexScope(
    (n) => notes.push(n),
    () => {
      const re = SafeRegex.compile('^\\/x\\d+$', '', { file: 'src/a.ts', line: 4, what: 'a test pattern' })!;
      const out: Array<boolean | undefined> = [];
      for (let i = 0; i < 6; i++) out.push(re.test(`/x${'1'.repeat(i * 50)}${i}`));
      return out;
    },
    2_000,
  );
  // the first tests fit the budget; once it is spent, every answer is undefined (never a guess)
  assert.is(results[0], true);
  assert.is(results[5], undefined);
  assert.ok(results.indexOf(undefined) > 0);
  assert.ok(results.slice(results.indexOf(undefined)).every((x) => x === undefined));
  assert.equal(notes.map((n) => `${n.level} ${n.code} ${n.file}:${n.line}`), ['warning regex-budget src/a.ts:4']);
  assert.match(notes[0]!.message, /^src\/a\.ts:4: the work budget for regular expressions from the code \(2,000 steps\) ran out at \/\^\\\/x\\d\+\$\/ \(a test pattern\); /);
});

test('SafeRegex: JavaScript semantics of test and replace, refusals, and the shape check', () => {
  // RE2 reads `\\s` as ASCII only and lets `.` cross U+2028: JavaScript's meaning is spelled out for it
  const js = (p: string, f: string, text: string) => assert.is(SafeRegex.compile(p, f, { what: 'a test pattern' })!.test(text), new RegExp(p, f).test(text), `/${p}/${f} on ${JSON.stringify(text)}`);
  for (const [p, f, text] of [['^a\\sb$', '', 'a\u00a0b'], ['^a\\sb$', '', 'a\u3000b'], ['^a\\Sb$', '', 'a\u00a0b'], ['^a.b$', '', 'a\u2028b'], ['^a.b$', 's', 'a\u2028b'], ['^a[\\s-]b$', '', 'a\u2003b'], ['^[.]$', '', 'x'], ['^[^\\]]x$', '', 'ax']] as const) js(p, f, text);
  assert.is(withJsClasses('a.b\\s[\\s.]', false), 'a[^\n\r\u2028\u2029]b[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff][\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff.]');
  const site = { what: 'a unit test' };
  const re = (p: string, f = '') => SafeRegex.compile(p, f, site)!;
  // RE2 for what it can express: anchors, classes, named groups, flags
  assert.is(re('^/users/(?<id>\\d+)$').test('/users/12'), true);
  assert.is(re('^/users/(?<id>\\d+)$').test('/users/ab'), false);
  assert.is(re('^/API', 'i').test('/api/x'), true);
  assert.is(re('(a+)+$').test(`${A}!`), false);
  for (const [p, f, s, rep] of [
    ['(\\w+)-(\\w+)', '', 'ab-cd ef-gh', '$2_$1'],
    ['(\\w+)-(\\w+)', 'g', 'ab-cd ef-gh', '$2_$1$$'],
    ['x*', 'g', 'abc', '-'],
    ['(?<n>b)', '', 'abc', "[$<n>$&$`$']"],
    ['\\/$', '', '/a/', ''],
    ['(a)|(z)', 'g', 'abz', '<$1$2$3>'],
    // native (look-ahead): the g flag still replaces every match
    ['a(?=b)', 'g', 'abcab', 'X'],
    ['a(?=b)', '', 'abcab', 'X'],
  ] as const) {
    assert.is(re(p, f).replace(s, rep), s.replace(new RegExp(p, f), rep), `${p} ${f} ${s} ${rep}`);
  }
  // look-arounds of a safe shape run natively; input length is bounded for them
  assert.is(re('^/(?!admin)').test('/admin/x'), false);
  assert.is(re('^/(?!admin)').test('/public'), true);
  assert.is(re('^/(?!admin)').test(`/${'p'.repeat(300)}`), undefined);
  // invalid for JavaScript: no expression at all (as `new RegExp` throws)
  assert.is(SafeRegex.compile('(', '', site), undefined);
  // over-long patterns are refused
  assert.is(re('a'.repeat(2001)).test('a'), undefined);
  assert.is(backtrackingRisk('(a+)+'), 'a repeated group holds a repetition or an alternation');
  assert.is(backtrackingRisk('(a|ab)*c'), 'a repeated group holds a repetition or an alternation');
  // (polynomial shapes are run, the budget charged by their degree: cubic here)
  assert.is(backtrackingRisk('\\d*\\d*\\d*x'), undefined);
  assert.is(backtrackingShape('\\d*\\d*\\d*x'), 3);
  assert.is(backtrackingShape('(a+)+'), 'a repeated group holds a repetition or an alternation');
  assert.is(backtrackingRisk('^/(?!api|_next/static).*$'), undefined);
  assert.is(backtrackingRisk('[(]+(a)+\\('), undefined);
  // the literal every match starts with, an exact pre-test for many expressions against many paths
  assert.equal(
    [['^\\/open\\/r12(\\/.*)?$', ''], ['^\\/open|x', ''], ['^/ab?c', ''], ['^/a+b', ''], ['^\\d', ''], ['^/x', 'i'], ['^\\/api\\/(a|b)', ''], ['/x', '']].map(([p, f]) => anchoredPrefix(p!, f!)),
    ['/open/r12', '', '/a', '/a', '', '', '/api/', ''],
  );
  assert.is(re('^\\/open\\/r1(\\/.*)?$').test('/open/r1/x'), true);
  assert.is(re('^\\/open\\/r1(\\/.*)?$').test('/open/r2/x'), false);
  // ignore directives: `ids[: reason]`, one line, read without backtracking
  assert.equal(splitIgnore(' a, b: why '), { ids: 'a, b', reason: 'why' });
  assert.equal(splitIgnore(' a'), { ids: 'a', reason: '' });
  assert.is(splitIgnore(` a${' '.repeat(1_000_000)}x`), undefined);
  assert.is(splitIgnore('a: r1\nr2'), undefined);
  // identifiers put into a pattern are literal text
  assert.ok(new RegExp(escapeRegex('$req.user')).test('if (!$req.user)'));
  assert.not.ok(new RegExp('$req.user').test('if (!$req.user)'));
  assert.is(escapeRegex('a.b*(c)'), 'a\\.b\\*\\(c\\)');
});

test.run();
