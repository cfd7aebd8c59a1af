import path from 'node:path';
import type * as t from '@babel/types';
import { combine, hintsAuth, type AuthClassifier, type KnownLib, type Verdict } from '../../auth/classify.js';
import type { AuthEvidence, CodeEndpoint, HttpMethod } from '../../model.js';
import { declaredNames, type Interpreter, type ModuleRecord } from '../../resolve/interpreter.js';
import { pathFromValue } from '../../resolve/path-values.js';
import { holes, join, render, type PathT } from '../../resolve/paths.js';
import { force, obj, str, UNDEF, type ExtV, type FnV, type ObjV, type Value } from '../../resolve/values.js';
import type { FrameworkPlugin, PluginContext, PluginRun } from '../types.js';
import { CONFIG_FILE, MIDDLEWARE_FILE, middlewareRootOf, nextFileByPath, routeFileOf, type RouteFile } from './files.js';
import { analyzeGuard, FREE, REQ, type GuardResult, type GuardValue } from './guard.js';
import { matcherRegex, samplePathOf } from './matcher.js';
import { SafeRegex, type RegexSite } from '../../resolve/safe-regex.js';
import { pagesMethods } from './methods.js';
import { walkNodes } from '../../parse/walk.js';

/**
 * Next.js: routes come from files (app-router `route.ts` handlers, pages-router `pages/api/**`), `basePath` from
 * next.config (read as data by the static interpreter), auth from `middleware.ts`/`proxy.ts` (its `config.matcher`
 * and what its body rejects, path by path) and from checks inside the handlers.
 */

const PLUGIN = 'nextjs';
const APP_METHODS: HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/** Auth libraries of the Next ecosystem, for values the classifier meets. */
const NEXT_AUTH_LIBS: KnownLib[] = [
  { module: /^@auth0\/nextjs-auth0(\/edge)?$/, chain: /\.(withApiAuthRequired|withMiddlewareAuthRequired|withPageAuthRequired)\(\)/, decide: () => ({ auth: 'required', reason: '@auth0/nextjs-auth0 requires a session' }) },
  { module: 'next-auth/middleware', chain: /^(\.default|\.withAuth)?(\(\))?$/, decide: () => ({ auth: 'required', reason: 'next-auth withAuth: requests without a token are sent to sign in' }) },
  { module: /^@clerk\/nextjs(\/server)?$/, chain: /^\.authMiddleware\(\)/, decide: () => ({ auth: 'required', reason: 'Clerk authMiddleware() requires a session outside publicRoutes' }) },
  { module: /^@clerk\/nextjs(\/server)?$/, chain: /^\.clerkMiddleware\(\)/, decide: () => ({ auth: 'optional', reason: 'Clerk clerkMiddleware() reads the session; it protects only what its handler protects' }) },
  { module: /^@kinde-oss\/kinde-auth-nextjs(\/middleware|\/server)?$/, chain: /^\.(withAuth|authMiddleware)\(\)/, decide: () => ({ auth: 'required', reason: 'Kinde withAuth requires a session' }) },
];

interface Decision {
  auth: Verdict;
  reason: string;
  line?: number;
  file?: string;
}

interface Middleware {
  file: string;
  line: number;
  /** The directory holding the app/pages routers it serves. */
  dir: string;
  matchers: Array<{ source: string; re?: SafeRegex; conditional?: string }> | 'all' | { unknown: string };
  decide: (path: string, method: HttpMethod) => Decision;
}

export const nextPlugin: FrameworkPlugin = {
  wiredByImporters: false,
  name: PLUGIN,
  packages: ['next'],
  isEntry: (text, file) => nextFileByPath(file, text),
  authLibs: NEXT_AUTH_LIBS,
  start(pctx: PluginContext): PluginRun {
    return {
      hooks: { name: PLUGIN },
      finish: ({ classifier, it, entries }) => extract(pctx, classifier, it, entries),
    };
  },
};

function extract(pctx: PluginContext, classifier: AuthClassifier, it: Interpreter, entries: readonly string[]): CodeEndpoint[] {
  const files = new Set(pctx.files);
  const dirs = new Set<string>();
  for (const f of pctx.files) {
    const segs = f.split('/');
    for (let i = 1; i < segs.length; i++) dirs.add(segs.slice(0, i).join('/'));
  }
  const pj = (dir: string) => (dir ? `${dir}/package.json` : 'package.json');
  const configOf = (dir: string) => ['js', 'mjs', 'cjs', 'ts', 'mts'].map((e) => (dir ? `${dir}/next.config.${e}` : `next.config.${e}`)).find((f) => files.has(f));
  const rootCache = new Map<string, boolean>();
  const isRoot = (dir: string) => {
    let r = rootCache.get(dir);
    if (r === undefined) {
      r = !!configOf(dir) || pctx.readJson(pj(dir)) !== undefined;
      rootCache.set(dir, r);
    }
    return r;
  };
  const hasDir = (dir: string) => dirs.has(dir);
  // a Next project: next.config, or `next` in the dependencies of its package.json or of one above it
  const nextCache = new Map<string, boolean>();
  const isNextProject = (root: string): boolean => {
    const hit = nextCache.get(root);
    if (hit !== undefined) return hit;
    let yes = !!configOf(root);
    for (let d: string | undefined = root; !yes && d !== undefined; d = d ? (path.posix.dirname(d) === '.' ? '' : path.posix.dirname(d)) : undefined) {
      const data = pctx.readJson(pj(d)) as Record<string, Record<string, unknown> | undefined> | undefined;
      if (data && ['dependencies', 'devDependencies', 'peerDependencies'].some((k) => data[k] && typeof data[k] === 'object' && 'next' in data[k]!)) yes = true;
    }
    nextCache.set(root, yes);
    return yes;
  };

  const basePaths = new Map<string, { path: PathT; notes: string[] }>();
  const basePathOf = (root: string) => {
    let b = basePaths.get(root);
    if (!b) {
      b = readBasePath(it, configOf(root));
      basePaths.set(root, b);
    }
    return b;
  };

  const middlewares: Middleware[] = [];
  for (const f of entries) {
    if (!MIDDLEWARE_FILE.test(f)) continue;
    const mw = readMiddleware(it, f, classifier);
    if (mw) middlewares.push(mw);
  }

  const endpoints: CodeEndpoint[] = [];
  for (const file of entries) {
    if (CONFIG_FILE.test(file) || MIDDLEWARE_FILE.test(file)) continue;
    const rf = routeFileOf(file, isRoot, hasDir);
    if (!rf) continue;
    const rec = it.getModule(file);
    if (!rec) continue;
    if (!isNextProject(rf.root) && !/from\s+['"]next(\/|['"])/.test(rec.text)) continue;
    it.ensureEvaluated(rec);
    const base = basePathOf(rf.root);
    const mws = middlewares.filter((m) => rf.routerDir === (m.dir ? `${m.dir}/` : '') + rf.routerDir.split('/').pop());
    const lines = exportLines(it, rec);
    const handlers: Array<{ methods: HttpMethod[]; name: string; value: Value; line: number }> = [];
    if (rf.kind === 'app') {
      for (const m of APP_METHODS) {
        const line = lines.get(m);
        if (line === undefined) continue;
        handlers.push({ methods: [m], name: m, value: it.getExport(rec, m, new Set()), line });
      }
    } else {
      const line = lines.get('default');
      if (line === undefined) continue;
      const value = rec.hasEsm ? it.getExport(rec, 'default', new Set()) : rec.cjsValue;
      const inner = innermostHandler(it, value);
      const methods = (inner && pagesMethods(inner)) ?? ['ALL'];
      handlers.push({ methods, name: 'default export', value, line });
    }
    for (const h of handlers) {
      for (const variant of rf.variants) {
        const full = join(base.path, variant);
        const appPath = render(variant);
        for (const method of h.methods) {
          endpoints.push(emit(it, classifier, pctx, rf, method, full, appPath, h, mws, base.notes));
        }
      }
    }
  }
  return endpoints;
}

function emit(
  it: Interpreter,
  classifier: AuthClassifier,
  pctx: PluginContext,
  rf: RouteFile,
  method: HttpMethod,
  full: PathT,
  appPath: string,
  h: { name: string; value: Value; line: number },
  mws: Middleware[],
  notes: string[],
): CodeEndpoint {
  const verdicts: Verdict[] = [];
  const evidence: AuthEvidence[] = [];
  const middleware: string[] = [];
  const sample = samplePathOf(appPath);
  for (const mw of mws) {
    const cov = covers(mw, sample);
    if (cov === 'no') continue;
    middleware.push(mw.file);
    const d = mw.decide(sample, method);
    let auth: Verdict = d.auth;
    let reason = d.reason;
    if (typeof cov === 'object' && 'conditional' in cov && auth === 'required') {
      auth = 'optional';
      reason = `${reason}, but its matcher runs it only when ${cov.conditional}, which the client controls`;
    } else if (typeof cov === 'object' && 'unknown' in cov && auth === 'required') {
      auth = 'unknown';
      reason = `${reason}, but whether its matcher covers this path is not known (${cov.unknown})`;
    }
    if (auth === 'neutral') continue;
    verdicts.push(auth);
    evidence.push({ kind: 'middleware', name: mw.file, auth, reason, file: d.file ?? mw.file, line: d.line ?? mw.line });
  }
  const hd = handlerAuth(it, classifier, h.value, h.name, sample, method);
  if (hd.auth !== 'neutral') {
    verdicts.push(hd.auth);
    evidence.push({ kind: 'handler', name: h.name, auth: hd.auth, reason: hd.reason, file: hd.file ?? rf.file, line: hd.line ?? h.line });
  }
  return {
    method,
    path: render(full),
    framework: PLUGIN,
    service: pctx.serviceOf(rf.file),
    server: `${rf.routerDir}/`,
    location: { file: rf.file, line: h.line },
    middleware,
    auth: combine(verdicts),
    evidence,
    unresolved: holes(full),
    notes: [...new Set(notes)],
  };
}

// ------------------------------------------------------------------ exports and lines

/** Export name → line of the export (for `export { a as GET }`, the specifier's line). */
function exportLines(it: Interpreter, rec: ModuleRecord): Map<string, number> {
  const out = new Map<string, number>();
  const line = (n: t.Node) => n.loc?.start.line ?? 1;
  for (const s of rec.ast.program.body) {
    if (s.type === 'ExportNamedDeclaration') {
      if (s.exportKind === 'type') continue;
      if (s.declaration) for (const n of declaredNames(s.declaration)) out.set(n, line(s));
      for (const sp of s.specifiers) {
        const name = sp.exported.type === 'Identifier' ? sp.exported.name : sp.exported.value;
        out.set(name, line(sp));
      }
    } else if (s.type === 'ExportDefaultDeclaration') out.set('default', line(s));
    else if (s.type === 'ExportAllDeclaration' && s.exportKind !== 'type') {
      const r = it.opts.resolver.resolve(rec.file, s.source.value);
      const target = r.kind === 'file' ? it.getModule(r.file) : undefined;
      if (target) for (const n of it.exportNames(target, new Set())) if (n !== 'default' && !out.has(n)) out.set(n, line(s));
    } else if (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression') {
      const target = rec.text.slice(s.expression.left.start ?? 0, s.expression.left.end ?? 0);
      if (target === 'module.exports' || target === 'exports.default') out.set('default', line(s));
    }
  }
  return out;
}

/** The function that really handles a pages-router request: through wrappers (`withAuth(handler)`, a package's `withX(handler)`). */
function innermostHandler(it: Interpreter, v: Value, depth = 0): FnV | undefined {
  const f = force(v);
  if (f.kind === 'fn') {
    if (depth < 3 && !/\.method\b/.test(f.mod.text.slice(f.node.start ?? 0, f.node.end ?? 0))) {
      // a wrapper's closure: the handler it calls with the request decides the methods
      const p0 = f.node.params[0];
      const reqName = p0?.type === 'Identifier' ? p0.name : undefined;
      let found: FnV | undefined;
      if (reqName) {
        walkNodes(f.node.body, (n) => {
          if (n.type !== 'CallExpression' || n.callee.type !== 'Identifier') return false;
          const a0 = n.arguments[0];
          if (a0?.type !== 'Identifier' || a0.name !== reqName) return false;
          const inner = f.env.lookup(n.callee.name);
          const fi = inner ? force(inner) : undefined;
          if (fi?.kind === 'fn' && fi.node !== f.node) {
            found = fi;
            return true;
          }
          return false;
        });
      }
      if (found) return innermostHandler(it, found, depth + 1) ?? f;
    }
    return f;
  }
  if (f.kind === 'ext') {
    for (const s of f.chain) if ('call' in s) for (const a of s.call) {
      const fa = force(a);
      if (fa.kind === 'fn') return innermostHandler(it, fa, depth + 1);
    }
  }
  return undefined;
}

// ------------------------------------------------------------------ next.config

function readBasePath(it: Interpreter, file: string | undefined): { path: PathT; notes: string[] } {
  if (!file) return { path: [], notes: [] };
  const rec = it.getModule(file);
  if (!rec) return { path: [], notes: [] };
  it.ensureEvaluated(rec);
  const exported = rec.hasEsm ? it.getExport(rec, 'default', new Set()) : rec.cjsValue;
  const cfg = configObject(it, exported, 0);
  if (!cfg) return { path: [], notes: [] };
  const bp = cfg.props.get('basePath');
  if (bp === undefined) return cfg.partial ? { path: [[{ hole: { text: 'basePath', reason: `${file}: the config object is not fully known statically`, file } }]], notes: [] } : { path: [], notes: [] };
  const v = force(bp);
  if (v.kind === 'undef' || (v.kind === 'str' && v.value === '')) return { path: [], notes: v.kind === 'str' ? v.notes ?? [] : [] };
  const r = pathFromValue(v, (text) => [text.split('/').filter(Boolean).map((s) => [{ lit: s }])], it, `basePath in ${file}`);
  // a hole without a place of its own is placed where basePath is written
  const at = rec.text.search(/\bbasePath\s*:/);
  const line = at >= 0 ? rec.text.slice(0, at).split('\n').length : undefined;
  const path: PathT = (r.variants[0] ?? []).map((seg) => seg.map((pc) => ('hole' in pc && !pc.hole.file ? { hole: { ...pc.hole, file, line } } : pc)));
  return { path, notes: r.notes };
}

/** The config object of next.config: the exported object, through plugin wrappers (`withX(config)`) and functions. */
function configObject(it: Interpreter, v: Value, depth: number): ObjV | undefined {
  const f = force(v);
  if (depth > 4) return undefined;
  if (f.kind === 'obj') return f;
  if (f.kind === 'fn') {
    const loc = { file: f.mod.file, line: f.node.loc?.start.line ?? 1, column: 1 };
    const r = it.callFunction(f, [str('phase-production-server'), obj([['defaultConfig', obj()]])], UNDEF, loc);
    return configObject(it, r, depth + 1);
  }
  if (f.kind === 'ext') {
    // `withBundleAnalyzer({...})(nextConfig)`, `withSentryConfig(nextConfig, {...})`: the first object that looks like a config
    const calls = f.chain.filter((s): s is { call: Value[] } => 'call' in s);
    for (const c of calls.reverse()) {
      for (const a of c.call) {
        const o = configObject(it, a, depth + 1);
        if (o && (o.props.has('basePath') || o.props.has('reactStrictMode') || o.props.has('experimental') || o.props.has('images') || o.props.has('output'))) return o;
      }
    }
    for (const c of calls) for (const a of c.call) {
      const o = configObject(it, a, depth + 1);
      if (o) return o;
    }
  }
  return undefined;
}

// ------------------------------------------------------------------ middleware

function readMiddleware(it: Interpreter, file: string, classifier: AuthClassifier): Middleware | undefined {
  const rec = it.getModule(file);
  if (!rec) return undefined;
  it.ensureEvaluated(rec);
  const lines = exportLines(it, rec);
  const name = ['middleware', 'proxy', 'default'].find((n) => lines.has(n));
  if (!name) return undefined;
  const value = it.getExport(rec, name, new Set());
  const line = lines.get(name)!;
  const { dir } = middlewareRootOf(file);
  const matchers = readMatchers(it, rec);
  const decide = middlewareDecider(it, classifier, value, file, rec);
  return { file, line, dir, matchers, decide };
}

function readMatchers(it: Interpreter, rec: ModuleRecord): Middleware['matchers'] {
  if (!rec.esmExports.has('config') && !(rec.cjsValue.kind === 'obj' && rec.cjsValue.props.has('config'))) return 'all';
  const cfg = force(it.getExport(rec, 'config', new Set()));
  if (cfg.kind !== 'obj') return { unknown: 'config is not an object known statically' };
  const m = cfg.props.get('matcher');
  if (m === undefined) return 'all';
  const mv = force(m);
  const items = mv.kind === 'arr' ? mv.items.map(force) : [mv];
  const out: Array<{ source: string; re?: SafeRegex; conditional?: string }> = [];
  const site = (source: string): RegexSite => ({ file: rec.file, line: lineOfString(rec, source), what: 'a Next.js middleware matcher' });
  for (const item of items) {
    if (item.kind === 'str') out.push({ source: item.value, re: matcherRegex(item.value, true, site(item.value)) });
    else if (item.kind === 'obj') {
      const s = item.props.get('source');
      const sv = s ? force(s) : undefined;
      if (sv?.kind !== 'str') return { unknown: 'a matcher source is not known statically' };
      const conds: string[] = [];
      for (const key of ['has', 'missing'] as const) {
        const c = item.props.get(key);
        const cv = c ? force(c) : undefined;
        if (cv?.kind === 'arr' && cv.items.length) {
          const desc = cv.items.map((x) => {
            const o = force(x);
            if (o.kind !== 'obj') return '?';
            const type = force(o.props.get('type') ?? UNDEF);
            const k = force(o.props.get('key') ?? UNDEF);
            return `${type.kind === 'str' ? type.value : '?'} '${k.kind === 'str' ? k.value : '?'}'`;
          });
          conds.push(`the request ${key === 'has' ? 'has' : 'lacks'} ${desc.join(' and ')}`);
        }
      }
      out.push({ source: sv.value, re: matcherRegex(sv.value, true, site(sv.value)), conditional: conds.length ? conds.join(' and ') : undefined });
    } else return { unknown: 'a matcher is not known statically' };
  }
  if (mv.kind === 'arr' && mv.partial) return { unknown: 'the matcher list is not fully known statically' };
  return out;
}

function covers(mw: Middleware, sample: string): 'no' | 'yes' | { conditional: string } | { unknown: string } {
  const ms = mw.matchers;
  if (ms === 'all') return 'yes';
  if ('unknown' in ms) return { unknown: ms.unknown };
  let cond: string | undefined;
  let unk: string | undefined;
  for (const m of ms) {
    if (!m.re) {
      unk = `matcher '${m.source}' could not be read`;
      continue;
    }
    const hit = m.re.test(sample);
    if (hit === undefined) {
      // the expression was not run safely (a regex-unsafe or regex-budget warning names it)
      unk = `matcher '${m.source}' could not be decided for this path`;
      continue;
    }
    if (!hit) continue;
    if (!m.conditional) return 'yes';
    cond = m.conditional;
  }
  if (cond) return { conditional: cond };
  if (unk) return { unknown: unk };
  return 'no';
}

const fromGuard = (r: GuardResult, file: string, what: string): Decision => ({
  auth: r.verdict === 'none' ? 'none' : r.verdict,
  reason: r.verdict === 'none' ? `${what} does not reject requests without credentials on this path` : `${what}: ${r.reason}`,
  line: r.line,
  file: r.file ?? file,
});

function firstCall(e: ExtV): Value[] {
  for (const s of e.chain) if ('call' in s) return s.call;
  return [];
}

/** A next-auth `authorized` callback in the config given to NextAuth(...) (or withAuth's options). */
function authorizedCallback(cfg: Value | undefined): FnV | undefined {
  const c = cfg ? force(cfg) : undefined;
  if (!c || c.kind !== 'obj') return undefined;
  const cbs = c.props.get('callbacks');
  const cb = cbs ? force(cbs) : undefined;
  const a = cb?.kind === 'obj' ? cb.props.get('authorized') : undefined;
  const fa = a ? force(a) : undefined;
  return fa?.kind === 'fn' ? fa : undefined;
}

function fnFile(fn: FnV): string {
  return fn.mod.file;
}

function middlewareDecider(it: Interpreter, classifier: AuthClassifier, value: Value, file: string, rec: ModuleRecord): Middleware['decide'] {
  const v = force(value);
  void rec;
  const guard = (fn: FnV, mode: 'middleware' | 'authorized', bind: GuardValue[], what: string) => (p: string, m: HttpMethod) => fromGuard(analyzeGuard(it, fn, mode, bind, p, m), fnFile(fn), what);
  const authorizedArg: GuardValue = { obj: new Map<string, GuardValue>([['auth', FREE], ['token', FREE], ['request', REQ], ['req', REQ]]) };
  if (v.kind === 'fn') return guard(v, 'middleware', [REQ, FREE], file);
  if (v.kind === 'ext') {
    const props = v.chain.map((s) => ('prop' in s ? s.prop : 'call' in s ? '()' : 'new'));
    const sig = props.join('.');
    // next-auth v4: `export { default } from 'next-auth/middleware'`, `withAuth(fn?, { callbacks: { authorized } })`
    if (v.module === 'next-auth/middleware') {
      const args = firstCall(v);
      const opts = args.map(force).find((a) => a.kind === 'obj');
      const cb = authorizedCallback(opts);
      if (cb) return guard(cb, 'authorized', [authorizedArg], 'next-auth withAuth authorized callback');
      return () => ({ auth: 'required', reason: 'next-auth withAuth: requests without a token are sent to sign in' });
    }
    // next-auth v5: `export default auth` / `export { auth as middleware }` / `export default auth((req) => ...)`
    if (v.module === 'next-auth' && /^\(\)\.auth(\.\(\))?$/.test(sig)) {
      const cb = authorizedCallback(firstCall(v)[0]);
      const last = v.chain[v.chain.length - 1];
      const wrapped = last && 'call' in last ? last.call.map(force).find((a): a is FnV => a.kind === 'fn') : undefined;
      return (p, m) => {
        const a = cb ? fromGuard(analyzeGuard(it, cb, 'authorized', [authorizedArg], p, m), fnFile(cb), 'next-auth authorized callback') : undefined;
        if (a?.auth === 'required') return a;
        const w = wrapped ? fromGuard(analyzeGuard(it, wrapped, 'middleware', [REQ, FREE], p, m), fnFile(wrapped), `${file} (auth(...) handler)`) : undefined;
        if (w?.auth === 'required') return w;
        if (a?.auth === 'unknown') return a;
        if (w?.auth === 'unknown') return w;
        if (!cb && !wrapped) return { auth: 'optional', reason: 'next-auth auth as middleware without an authorized callback attaches the session but lets every request through' };
        return w ?? a!;
      };
    }
    if (/^@clerk\/nextjs(\/server)?$/.test(v.module) && /^clerkMiddleware\.\(\)/.test(sig)) {
      const cb = firstCall(v).map(force).find((a): a is FnV => a.kind === 'fn');
      if (!cb) return () => ({ auth: 'optional', reason: 'clerkMiddleware() without a handler reads the session but protects no route' });
      return (p, m) => {
        const r = analyzeGuard(it, cb, 'middleware', [FREE, REQ], p, m);
        return r.verdict === 'none' ? { auth: 'optional', reason: `clerkMiddleware() reads the session; its handler does not protect this path`, file: fnFile(cb), line: cb.node.loc?.start.line } : fromGuard(r, fnFile(cb), 'clerkMiddleware handler');
      };
    }
    if (/^@clerk\/nextjs(\/server)?$/.test(v.module) && /^authMiddleware\.\(\)/.test(sig)) {
      const opts = firstCall(v).map(force).find((a): a is ObjV => a.kind === 'obj');
      const publicRe: Array<SafeRegex | undefined> = [];
      for (const key of ['publicRoutes', 'ignoredRoutes']) {
        const pr = opts?.props.get(key);
        const pv = pr ? force(pr) : undefined;
        const items = pv?.kind === 'arr' ? pv.items.map(force) : pv ? [pv] : [];
        const what = `Clerk authMiddleware() ${key}`;
        for (const x of items) publicRe.push(x.kind === 'str' ? matcherRegex(x.value, false, { file, line: lineOfString(rec, x.value), what }) : x.kind === 'regex' ? SafeRegex.compile(x.pattern, x.flags, { file: x.loc?.file, line: x.loc?.line, what }) : undefined);
      }
      return (p) => {
        const hits = publicRe.map((r) => r?.test(p));
        if (hits.some((h) => h === true)) return { auth: 'none', reason: 'Clerk authMiddleware(): a public route' };
        if (publicRe.some((r) => !r)) return { auth: 'unknown', reason: 'Clerk authMiddleware(): publicRoutes not fully known statically' };
        if (hits.some((h) => h === undefined)) return { auth: 'unknown', reason: 'Clerk authMiddleware(): whether publicRoutes match this path could not be decided' };
        return { auth: 'required', reason: 'Clerk authMiddleware() requires a session outside publicRoutes' };
      };
    }
    if (/^@kinde-oss\/kinde-auth-nextjs/.test(v.module) && /^(withAuth|authMiddleware)/.test(sig)) {
      return () => ({ auth: 'required', reason: 'Kinde withAuth requires a session' });
    }
    // a project wrapper of a package (`chain(...)`), or a known library: what the classifier says, and the
    // functions handed to it, read as middleware
    const d = classifier.classify(v, v.text);
    const inner = firstCall(v).map(force).find((a): a is FnV => a.kind === 'fn');
    return (p, m) => {
      if (inner) {
        const r = analyzeGuard(it, inner, 'middleware', [REQ, FREE], p, m);
        if (r.verdict !== 'none') return fromGuard(r, fnFile(inner), `${file} (${v.text})`);
      }
      return { auth: d.auth, reason: d.reason };
    };
  }
  const text = v.kind === 'unknown' ? v.text : v.kind;
  return () => ({ auth: 'unknown', reason: `the middleware (${text}) is not known statically${v.kind === 'unknown' ? `: ${v.reason}` : ''}; it may check credentials` });
}

// ------------------------------------------------------------------ handlers

function handlerAuth(it: Interpreter, classifier: AuthClassifier, value: Value, name: string, sample: string, method: HttpMethod): Decision {
  const v = force(value);
  if (v.kind === 'fn') {
    const r = analyzeGuard(it, v, 'handler', [REQ, FREE], sample, method);
    if (r.verdict === 'none') return { auth: 'neutral', reason: 'handler does not check credentials' };
    return { auth: r.verdict, reason: `the handler ${r.verdict === 'required' ? 'rejects requests without a session or credentials' : 'may reject requests without credentials'}: ${r.reason}`, line: r.line, file: r.file ?? v.mod.file };
  }
  if (v.kind === 'ext') {
    const props = v.chain.map((s) => ('prop' in s ? s.prop : 'call' in s ? '()' : 'new')).join('.');
    // the auth library's own endpoints (sign-in, callbacks, session): open by design
    if ((v.module === 'next-auth' || /^next-auth\//.test(v.module)) && (/^(default\.)?\(\)(\.handlers(\.\w+)?)?$/.test(props) || /^\(\)\.handlers/.test(props))) {
      return { auth: 'none', reason: 'next-auth route handlers (sign-in, callbacks, session): open to anonymous callers by design' };
    }
    if (/^(better-auth|@auth0\/nextjs-auth0|@clerk\/nextjs|@kinde-oss)/.test(v.module) && /toNextJsHandler|handleAuth|handlers/.test(props)) {
      return { auth: 'none', reason: `${v.module} route handlers: the sign-in flow, open to anonymous callers` };
    }
    const d = classifier.classify(v, v.text, 'handler');
    if (d.auth === 'required') return { auth: 'required', reason: d.reason };
    // a package's wrapper around a project function: the function decides
    for (const a of firstCall(v)) {
      const fa = force(a);
      if (fa.kind !== 'fn') continue;
      const r = analyzeGuard(it, fa, 'handler', [REQ, FREE], sample, method);
      if (r.verdict !== 'none') return { auth: r.verdict, reason: `${r.reason} (wrapped by ${v.text.replace(/\(\.\.\.\)$/, '')})`, line: r.line, file: r.file ?? fa.mod.file };
    }
    const wrapper = v.chain.flatMap((s) => ('prop' in s ? [s.prop] : [])).pop() ?? v.module;
    if (d.auth === 'unknown' || hintsAuth(wrapper)) return { auth: 'unknown', reason: `wrapped by ${v.text.replace(/\(\.\.\.\)$/, '')} from '${v.module}', not a known auth library` };
    return { auth: 'neutral', reason: d.reason };
  }
  if (v.kind === 'unknown') {
    if (hintsAuth(v.text)) return { auth: 'unknown', reason: `${name} is ${v.text}: name suggests auth, but ${v.reason}` };
    return { auth: 'neutral', reason: v.reason };
  }
  return { auth: 'neutral', reason: `${name} is a ${v.kind}` };
}


/** The line of the first string literal of the module with this value (where a matcher source is written). */
function lineOfString(rec: ModuleRecord, value: string): number | undefined {
  let line: number | undefined;
  walkNodes(rec.ast, (n) => {
    if (line !== undefined) return true;
    if ((n.type === 'StringLiteral' && n.value === value) || (n.type === 'TemplateLiteral' && n.quasis.length === 1 && n.quasis[0]!.value.cooked === value)) line = n.loc?.start.line;
    return line !== undefined;
  });
  return line;
}
