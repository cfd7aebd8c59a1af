import path from 'node:path';
import { AuthChain, localFailure, preferRealRegistrations } from '../shared/chain.js';
import type * as t from '@babel/types';
import { unlessExempts, type AuthClassifier, type AuthDecision } from '../../auth/classify.js';
import type { CodeEndpoint, HttpMethod } from '../../model.js';
import type { CallContext, Interpreter } from '../../resolve/interpreter.js';
import { pathFromValue } from '../../resolve/path-values.js';
import { holes, render, type PathT } from '../../resolve/paths.js';
import { UNDEF, asString, concat, force, newId, obj, str, unknown, type ExtV, type FnV, type HostV, type Loc, type ObjV, type Value, lookupTable } from '../../resolve/values.js';
import type { FrameworkPlugin, PluginContext, PluginRun } from '../types.js';
import { FASTIFY_AUTH_LIBS, FastifyAuth, type AuthCombo, type Handler } from './auth.js';
import { DEFAULTS, findPlugins, regexOf, replaceRouteParams, resolveDirValue, type AutoloadOptions, type Pattern } from './autoload.js';
import { fastifyPath } from './path-syntax.js';
import { escapeRegex } from '../../resolve/safe-regex.js';

/**
 * Fastify: instances and the encapsulation tree `register()` builds. A plugin registered without fastify-plugin runs
 * on a CHILD instance whose prefix is the parent's plus `opts.prefix`; hooks (`addHook`) and decorators of a context
 * apply to every route of that context and of its children, whenever they were added (Fastify computes a route's
 * hooks when the server is ready); fastify-plugin (`fp(fn)`) runs the plugin on the parent itself, so its hooks and
 * decorators escape and its `prefix` option is ignored. @fastify/autoload registers every file of a directory.
 */

const PLUGIN = 'fastify';
const VERBS = lookupTable<HttpMethod>({
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  all: 'ALL',
});
const METHOD_NAMES = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE']);
/** Lifecycle hooks that run before the handler, in Fastify's order. Later hooks (onSend, onResponse, ...) guard nothing. */
const PHASES = ['onRequest', 'preParsing', 'preValidation', 'preHandler'] as const;
type Phase = (typeof PHASES)[number];
const CHAINABLE = new Set([
  'withTypeProvider', 'setErrorHandler', 'setNotFoundHandler', 'decorateReply', 'addSchema', 'setValidatorCompiler',
  'setSerializerCompiler', 'addContentTypeParser', 'setReplySerializer', 'setSchemaErrorFormatter', 'setSchemaController', 'setGenReqId',
  'setChildLoggerFactory', 'addHttpMethod', 'removeAllContentTypeParsers', 'removeContentTypeParser', 'setDefaultRoute',
]);
const STAND_IN = 'the function that receives this Fastify instance is not called by code the scan can see';

interface Hook {
  phase: Phase;
  handler: Handler;
}

interface RouteRec {
  kind: 'route' | 'files';
  methods: HttpMethod[];
  /** Full path (every prefix joined) as a value. */
  path: Value;
  pathText: string;
  hooks: Hook[];
  handler?: Handler;
  loc: Loc;
  /** The route's `config` option (hooks may skip routes by it: `config: { public: true }`). */
  config?: Value;
}

interface Ctx {
  kind: 'root' | 'child';
  parent?: HostV;
  prefix: Value;
  hooks: Hook[];
  routes: RouteRec[];
  children: HostV[];
  decorators: Map<string, Value>;
  requestDecorators: Map<string, Value>;
  loc: Loc;
  notes: string[];
  /** A stand-in for a plugin file that @fastify/autoload does not load: its routes are not served. */
  dead?: boolean;
}

/** Auth plugins that decorate the instance they are registered on (they are wrapped in fastify-plugin). */
const DECORATING_PLUGINS: Array<{ module: RegExp; decorators: string[]; hook?: (opts: ObjV | undefined) => boolean }> = [
  { module: /^(@fastify\/basic-auth|fastify-basic-auth)$/, decorators: ['basicAuth'] },
  { module: /^(@fastify\/bearer-auth|fastify-bearer-auth)$/, decorators: ['verifyBearerAuth'], hook: (o) => !isFalse(o?.props.get('addHook')) },
  { module: /^(fastify-auth0-verify|@auth0\/auth0-fastify-api)$/, decorators: ['authenticate'] },
];
const AUTOLOAD = /^(@fastify\/autoload|fastify-autoload)$/;
const STATIC = /^(@fastify\/static|fastify-static)$/;

function isFalse(v: Value | undefined): boolean {
  const f = v ? force(v) : undefined;
  return f?.kind === 'bool' && !f.value;
}
function isTrue(v: Value | undefined): boolean {
  const f = v ? force(v) : undefined;
  return f?.kind === 'bool' && f.value;
}

function isTruthy(v: Value): boolean {
  const f = force(v);
  return f.kind === 'bool' ? f.value : f.kind === 'str' ? f.value.length > 0 : f.kind === 'num' ? f.value !== 0 : f.kind === 'obj' || f.kind === 'arr';
}

function dataOf(h: HostV): Ctx {
  return h.data as Ctx;
}

function firstChar(v: Value): string | undefined {
  if (v.kind === 'str') return v.value[0] ?? '';
  if (v.kind === 'pstr') return typeof v.parts[0] === 'string' ? v.parts[0][0] : undefined;
  return undefined;
}
function lastChar(v: Value): string | undefined {
  if (v.kind === 'str') return v.value[v.value.length - 1] ?? '';
  if (v.kind === 'pstr') {
    const p = v.parts[v.parts.length - 1];
    return typeof p === 'string' ? p[p.length - 1] : undefined;
  }
  return undefined;
}
function dropFirst(v: Value): Value {
  if (v.kind === 'str') return str(v.value.slice(1), v.notes);
  if (v.kind === 'pstr' && typeof v.parts[0] === 'string') return { ...v, parts: [v.parts[0].slice(1), ...v.parts.slice(1)] };
  return v;
}

/** Fastify's `override`: ensures exactly one '/' between an instance prefix and a plugin prefix. */
function joinPrefix(a: Value, b: Value | undefined, it: Interpreter, text: string): Value {
  if (!b) return a;
  const fb = force(b);
  if (fb.kind === 'undef' || fb.kind === 'null' || (fb.kind === 'str' && fb.value === '')) return a;
  const hole = (x: Value) => it.holeOf(x, text);
  if (fb.kind === 'str' || fb.kind === 'pstr') {
    const first = firstChar(fb);
    const last = lastChar(a);
    if (last === '/' && first === '/') return concat(a, dropFirst(fb), hole);
    if (first !== '/' && last !== '/') return concat(concat(a, str('/'), hole), fb, hole);
    return concat(a, fb, hole);
  }
  return concat(concat(a, str('/'), hole), fb, hole);
}

/** A route's url is `prefix + path` (one '/' dropped when both have it). */
function joinRoute(prefix: Value, p: Value, it: Interpreter, text: string): Value {
  const fp = force(p);
  const hole = (x: Value) => it.holeOf(x, text);
  if (fp.kind === 'str' || fp.kind === 'pstr') {
    if (lastChar(prefix) === '/' && firstChar(fp) === '/') return concat(prefix, dropFirst(fp), hole);
    return concat(prefix, fp, hole);
  }
  return concat(concat(prefix, str('/'), hole), fp, hole);
}

function nameOf(v: Value): string | undefined {
  switch (v.kind) {
    case 'fn':
      return v.name;
    case 'ext':
    case 'unknown':
      return v.text;
    case 'hostfn':
      return `fastify.${v.name}`;
    default:
      return undefined;
  }
}

/** The value node of `key` in an object literal, when the options are written inline. */
function propNode(node: t.Node | undefined, key: string): t.Node | undefined {
  if (!node || node.type !== 'ObjectExpression') return undefined;
  for (const p of node.properties) {
    if (p.type !== 'ObjectProperty' || p.computed) continue;
    const k = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'StringLiteral' ? p.key.value : undefined;
    if (k === key) return p.value;
  }
  return undefined;
}

function handlersOf(v: Value | undefined, node: t.Node | undefined, ctx: CallContext, fallback: string): Handler[] {
  if (!v) return [];
  const out: Handler[] = [];
  const push = (val: Value, n: t.Node | undefined, fb: string, depth = 0) => {
    const f = force(val);
    // (lists nested deeper than this are one value the scan cannot see into)
    if (f.kind === 'arr' && depth <= 32) {
      const els = n && n.type === 'ArrayExpression' ? n.elements : undefined;
      f.items.forEach((item, i) => push(item, els?.[i] ?? undefined, `${fb}[${i}]`, depth + 1));
      return;
    }
    if (f.kind === 'undef' || f.kind === 'null') return;
    const written = n && n.type !== 'SpreadElement' ? ctx.it.text(n, ctx.mod) : undefined;
    const at = n ? ctx.it.loc(n, ctx.mod) : f.kind === 'fn' ? ctx.it.loc(f.node, f.mod) : ctx.loc;
    const inline = !!written && (written.length > 80 || written.includes('\n') || /^(async\s*)?(\(|function\b|\w+\s*=>)/.test(written));
    // an inline function is named by where it is (its name would only be the option key it is written under)
    const own = f.kind === 'fn' && (f.node.type === 'FunctionExpression' || f.node.type === 'FunctionDeclaration') ? f.node.id?.name : undefined;
    const text = written && !inline ? written : (inline ? own : nameOf(f)) ?? `${written ? 'inline function' : fb} at ${at.file}:${at.line}`;
    out.push({ value: f, text, loc: at });
  };
  push(v, node, fallback);
  return out;
}

export const fastifyPlugin: FrameworkPlugin = {
  name: PLUGIN,
  packages: ['fastify'],
  authLibs: FASTIFY_AUTH_LIBS,
  isEntry: (text) =>
    /(?:from\s+|require\s*\(\s*|import\s*\(\s*)['"](fastify|@fastify\/autoload|fastify-autoload|fastify-plugin)['"]/.test(text) ||
    /\bfastify\s*\.\s*(get|post|put|patch|delete|options|head|all|route|register|addHook|decorate)\s*\(/.test(text),
  start(pctx: PluginContext): PluginRun {
    const instances: HostV[] = [];
    /** Plugin functions wrapped by fastify-plugin (they carry Symbol.for('skip-override')). */
    const skipOverride = new WeakSet<object>();
    const computedSites = new Set<string>();
    const cliTargets = new Map<string, Set<string>>();
    /** Script files inside an autoloaded directory that autoload leaves out, with the reason. */
    const autoloadSkipped = new Map<string, string>();

    const newInstance = (kind: 'root' | 'child', loc: Loc, prefix: Value, parent?: HostV, notes: string[] = []): HostV => {
      const data: Ctx = { kind, parent, prefix, hooks: [], routes: [], children: [], decorators: new Map(), requestDecorators: new Map(), loc, notes };
      const h: HostV = { kind: 'host', plugin: PLUGIN, tag: 'instance', data, id: newId() };
      instances.push(h);
      if (parent) dataOf(parent).children.push(h);
      return h;
    };

    const lookupIn = (host: HostV, name: string, which: 'decorators' | 'requestDecorators'): Value | undefined => {
      for (let cur: HostV | undefined = host, i = 0; cur && i < 100; cur = dataOf(cur).parent, i++) {
        const v = dataOf(cur)[which].get(name);
        if (v) return v;
      }
      return undefined;
    };
    const lookup = (host: HostV, name: string) => lookupIn(host, name, 'decorators');
    const lookupRequest = (host: HostV, name: string) => lookupIn(host, name, 'requestDecorators');

    const done: Value = { kind: 'native', name: 'done', call: () => UNDEF };

    /** Runs a plugin function the way avvio does: on a child instance, or on the parent itself for fastify-plugin. */
    const loadPlugin = (parent: HostV, fn: FnV, opts: Value | undefined, prefix: Value | undefined, loc: Loc, it: Interpreter, prefixText: string, skip = false) => {
      const target = skip || skipOverride.has(fn) ? parent : newInstance('child', loc, joinPrefix(dataOf(parent).prefix, prefix, it, prefixText), parent);
      it.callFunction(fn, [target, opts ?? obj(), done], UNDEF, loc);
    };

    const callExternal = (callee: ExtV, args: Value[], ctx: CallContext): Value | undefined => {
      const props = callee.chain.map((s) => ('prop' in s ? s.prop : s && 'call' in s ? '()' : 'new'));
      const sig = props.join('.');
      if (callee.module === 'fastify' && /^(default\.?)?(fastify|Fastify|default)?$/.test(sig)) return newInstance('root', ctx.loc, str(''));
      if (callee.module === 'fastify-plugin' && /^(default|fastifyPlugin)?$/.test(sig)) {
        const fn = args[0] ? force(args[0]) : UNDEF;
        const meta = args[1] ? force(args[1]) : undefined;
        const encapsulate = meta?.kind === 'obj' && isTrue(meta.props.get('encapsulate'));
        if (fn.kind === 'fn' && !encapsulate) skipOverride.add(fn);
        return fn.kind === 'undef' ? undefined : fn;
      }
      return undefined;
    };

    const addRoute = (host: HostV, methods: HttpMethod[], pathV: Value, pathText: string, opts: Value | undefined, optsNode: t.Node | undefined, handler: Value | undefined, handlerNode: t.Node | undefined, loc: Loc, ctx: CallContext) => {
      const d = dataOf(host);
      const o = opts ? force(opts) : undefined;
      const hooks: Hook[] = [];
      if (o?.kind === 'obj') {
        for (const phase of PHASES) {
          const v = o.props.get(phase);
          if (v) for (const h of handlersOf(v, propNode(optsNode, phase), ctx, `${phase} hook`)) hooks.push({ phase, handler: h });
        }
      }
      const hv = handler ?? (o?.kind === 'obj' ? o.props.get('handler') : undefined);
      const hs = hv ? handlersOf(hv, handlerNode ?? propNode(optsNode, 'handler'), ctx, 'handler') : [];
      d.routes.push({ kind: 'route', methods, path: joinRoute(d.prefix, pathV, ctx.it, pathText), pathText, hooks, handler: hs[hs.length - 1], loc, config: o?.kind === 'obj' ? o.props.get('config') : undefined });
    };

    /** `route({ method, url, ... })`: also the shape of a route object exported to @fastify/autoload. */
    const addRouteObject = (host: HostV, o: ObjV, optsNode: t.Node | undefined, loc: Loc, ctx: CallContext) => {
      const m = o.props.get('method');
      const fm = m ? force(m) : undefined;
      const list = fm?.kind === 'arr' ? fm.items.map((x) => force(x)) : fm ? [fm] : [];
      const methods: HttpMethod[] = [];
      const custom: string[] = [];
      for (const x of list) {
        const s = asString(x)?.toUpperCase();
        if (s && METHOD_NAMES.has(s)) methods.push(s as HttpMethod);
        else if (s === 'ALL' || s === '*') methods.push('ALL');
        else if (s) custom.push(s);
        else computed(loc, ctx.it.text(ctx.node, ctx.mod));
      }
      // a method name written out but not one of HTTP's (`method: 'constructor'`): served by nothing we list
      if (custom.length) pctx.notify({ level: 'note', code: 'custom-method', message: `${loc.file}:${loc.line}: a route is registered for the non-standard method(s) ${custom.join(', ')}; it is not in the inventory.`, file: loc.file, line: loc.line });
      if (!methods.length) return;
      const urlKey = o.props.has('url') ? 'url' : 'path';
      const urlV = o.props.get(urlKey) ?? unknown('url', 'route() without a url');
      const urlNode = propNode(optsNode, urlKey);
      addRoute(host, methods, urlV, urlNode ? ctx.it.text(urlNode, ctx.mod) : 'url', o, optsNode, undefined, undefined, loc, ctx);
    };

    const computed = (loc: Loc, text: string) => {
      const key = `${loc.file}:${loc.line}`;
      if (computedSites.has(key)) return;
      computedSites.add(key);
      pctx.notify({ level: 'warning', code: 'computed-method', message: `${key}: a route is registered with a method name not known statically (${text.split('(')[0]}); it is not in the inventory.`, file: loc.file, line: loc.line });
    };

    const register = (host: HostV, args: Value[], ctx: CallContext) => {
      let p = args[0] ? force(args[0]) : UNDEF;
      // `register(import('./routes'))`: a module namespace; its default export is the plugin
      if (p.kind === 'obj' && p.props.has('default')) p = force(p.props.get('default')!);
      const optsRaw = args[1] ? force(args[1]) : undefined;
      const opts = optsRaw?.kind === 'obj' ? optsRaw : undefined;
      const optsNode = ctx.argNodes[1];
      if (p.kind === 'fn') {
        const prefixNode = propNode(optsNode, 'prefix');
        const prefixText = prefixNode ? ctx.it.text(prefixNode, ctx.mod) : 'prefix';
        const prefix = opts?.props.get('prefix');
        loadPlugin(host, p, optsRaw, prefix, ctx.calleeLoc, ctx.it, prefixText);
        return;
      }
      if (p.kind !== 'ext') return;
      if (AUTOLOAD.test(p.module)) {
        autoload(host, opts, ctx);
        return;
      }
      for (const dp of DECORATING_PLUGINS) {
        if (!dp.module.test(p.module)) continue;
        const d = dataOf(host);
        for (const name of dp.decorators) d.decorators.set(name, { kind: 'ext', module: p.module, chain: [{ prop: name }], text: `fastify.${name}`, loc: ctx.calleeLoc });
        if (dp.hook?.(opts)) d.hooks.push({ phase: 'onRequest', handler: { value: { kind: 'ext', module: p.module, chain: [{ prop: 'onRequest' }], text: p.module, loc: ctx.calleeLoc }, text: p.module, loc: ctx.calleeLoc } });
      }
      if (STATIC.test(p.module) && !isFalse(opts?.props.get('serve'))) {
        // @fastify/static serves GET <prefix>/* (its `prefix` is its own option: the plugin is not encapsulated)
        const pre = opts?.props.get('prefix') ?? str('/');
        const d = dataOf(host);
        const full = joinRoute(d.prefix, joinRoute(force(pre), str('/*'), ctx.it, 'prefix'), ctx.it, 'prefix');
        d.routes.push({ kind: 'files', methods: ['GET'], path: full, pathText: 'prefix', hooks: [], handler: { value: p, text: p.module, loc: ctx.calleeLoc }, loc: ctx.calleeLoc });
      }
    };

    const autoload = (host: HostV, opts: ObjV | undefined, ctx: CallContext) => {
      const loc = ctx.calleeLoc;
      const warn = (why: string) =>
        pctx.notify({ level: 'warning', code: 'autoload-unresolved', message: `${loc.file}:${loc.line}: @fastify/autoload ${why}; the routes of the plugins it loads are not in the inventory.`, file: loc.file, line: loc.line });
      const dirV = opts?.props.get('dir');
      const notes: string[] = [];
      const service = pctx.serviceOf(loc.file);
      const dir = dirV ? resolveDirValue(dirV, loc.file, service === '.' ? '' : service, notes) : undefined;
      if (dir === undefined) {
        warn(`with a 'dir' not known statically (${dirV ? nameOf(force(dirV)) ?? force(dirV).kind : 'missing'})`);
        return;
      }
      const options = opts?.props.get('options') ? force(opts.props.get('options')!) : undefined;
      const globalPrefix = options?.kind === 'obj' ? options.props.get('prefix') : undefined;
      const dnrp = opts?.props.get('dirNameRoutePrefix');
      const mf = opts?.props.get('matchFilter');
      const igf = opts?.props.get('ignoreFilter');
      const filterOf = (v: Value | undefined, key: string): Pattern | string | undefined => {
        const f = v ? force(v) : undefined;
        if (!f) return undefined;
        if (f.kind === 'str') return f.value;
        return regexOf(f, `@fastify/autoload ${key}`);
      };
      const maxDepthV = opts?.props.get('maxDepth') ? force(opts.props.get('maxDepth')!) : undefined;
      const aopts: AutoloadOptions = {
        dir,
        dirNameRoutePrefix: !isFalse(dnrp),
        ignorePattern: regexOf(opts?.props.get('ignorePattern'), '@fastify/autoload ignorePattern'),
        indexPattern: regexOf(opts?.props.get('indexPattern'), '@fastify/autoload indexPattern') ?? DEFAULTS.indexPattern,
        scriptPattern: regexOf(opts?.props.get('scriptPattern'), '@fastify/autoload scriptPattern') ?? DEFAULTS.scriptPattern,
        autoHooksPattern: regexOf(opts?.props.get('autoHooksPattern'), '@fastify/autoload autoHooksPattern') ?? DEFAULTS.autoHooksPattern,
        autoHooks: isTrue(opts?.props.get('autoHooks')),
        cascadeHooks: isTrue(opts?.props.get('cascadeHooks')),
        overwriteHooks: isTrue(opts?.props.get('overwriteHooks')),
        maxDepth: maxDepthV?.kind === 'num' ? maxDepthV.value : undefined,
        matchFilter: filterOf(mf, 'matchFilter'),
        ignoreFilter: filterOf(igf, 'ignoreFilter'),
      };
      if (dnrp && force(dnrp).kind === 'fn') notes.push('autoload dirNameRoutePrefix is a function: folder names are used as prefixes');
      const encapsulate = !isFalse(opts?.props.get('encapsulate'));
      const routeParams = isTrue(opts?.props.get('routeParams'));
      const nodes = findPlugins(pctx.files, aopts);
      if (!nodes.some((n) => n.plugins.length)) {
        warn(`finds no plugin file under '${dir || '.'}'`);
        return;
      }
      const loaded = new Set(nodes.flatMap((n) => [...n.plugins.map((p) => p.file), ...n.hooks]));
      for (const f of pctx.files) {
        if (!f.startsWith(dir ? dir + '/' : '') || loaded.has(f) || autoloadSkipped.has(f)) continue;
        autoloadSkipped.set(f, `@fastify/autoload (${loc.file}:${loc.line}) does not load it (a directory with an index file loads only that file; ignore patterns and filters)`);
      }
      const it = ctx.it;
      for (const node of nodes) {
        if (!node.plugins.length) continue;
        let target = host;
        if (node.hooks.length) {
          // the folder's plugins and its autohooks share one encapsulated context
          target = newInstance('child', loc, dataOf(host).prefix, host);
          for (const hf of node.hooks) {
            const hook = moduleExport(hf, it);
            if (hook.fn) it.callFunction(hook.fn, [target, obj(), done], UNDEF, loc);
          }
        }
        for (const pl of node.plugins) {
          const m = moduleExport(pl.file, it);
          if (m.skip) continue;
          // plugin options: autoConfig, overridden by autoload's `options`
          const po = obj();
          if (m.autoConfig?.kind === 'obj') for (const [k, v] of m.autoConfig.props) po.props.set(k, v);
          if (options?.kind === 'obj') for (const [k, v] of options.props) po.props.set(k, v);
          const given = po.props.has('prefix') ? force(po.props.get('prefix')!) : undefined;
          let prefix = given && given.kind !== 'undef' && given.kind !== 'null' ? asString(given) : undefined;
          const prefixKnown = !given || given.kind === 'undef' || given.kind === 'null' || prefix !== undefined;
          if (prefix?.endsWith('/')) prefix = prefix.slice(0, -1);
          const own = m.autoPrefix ?? pl.prefix;
          if (m.prefixOverride !== undefined) prefix = m.prefixOverride;
          else if (own) prefix = (prefix ?? '') + own.replace(/\/+/g, '/');
          if (routeParams && prefix) prefix = replaceRouteParams(prefix);
          let prefixV: Value | undefined = prefix !== undefined ? str(prefix, notes.length ? notes : undefined) : undefined;
          if (!prefixKnown) prefixV = globalPrefix ? concat(force(globalPrefix), str(own ?? ''), (x) => it.holeOf(x, 'options.prefix')) : undefined;
          if (prefixV) po.props.set('prefix', prefixV);
          const ploc: Loc = { file: pl.file, line: 1, column: 1 };
          if (m.fn) loadPlugin(target, m.fn, po, prefixV, ploc, it, 'options.prefix', !encapsulate);
          else if (m.route) {
            const child = !encapsulate ? target : newInstance('child', ploc, joinPrefix(dataOf(target).prefix, prefixV, it, 'prefix'), target);
            addRouteObject(child, m.route, undefined, m.route.loc ?? ploc, { ...ctx, mod: it.getModule(pl.file) ?? ctx.mod, argNodes: [] });
          }
        }
      }
    };

    /** What an autoloaded file exports: the plugin (default export or module.exports) and autoload's metadata. */
    const moduleExport = (file: string, it: Interpreter): { fn?: FnV; route?: ObjV; autoPrefix?: string; prefixOverride?: string; autoConfig?: Value; skip?: boolean } => {
      const rec = it.getModule(file);
      if (!rec) return {};
      it.ensureEvaluated(rec);
      let content: Value;
      let meta = (name: string): Value | undefined => undefined;
      if (rec.hasEsm) {
        const ns = rec.namespace(it);
        content = force(ns.props.get('default') ?? UNDEF);
        meta = (name) => (ns.props.has(name) ? force(ns.props.get(name)!) : undefined);
      } else {
        content = rec.cjsValue;
        if (content.kind === 'obj') {
          const c = content;
          meta = (name) => (c.props.has(name) ? force(c.props.get(name)!) : undefined);
          if (c.props.has('default')) content = force(c.props.get('default')!);
        }
      }
      // `module.exports.autoPrefix = '/x'` on a function is not kept by the interpreter: read it from the text
      const fromText = (name: string): string | undefined => new RegExp(`(?:exports|\\w+)\\.${escapeRegex(name)}\\s*=\\s*(['"\`])([^'"\`]*)\\1`).exec(rec.text)?.[2];
      const strMeta = (name: string) => {
        const v = meta(name);
        return v && v.kind === 'str' ? v.value : fromText(name);
      };
      const out: ReturnType<typeof moduleExport> = { autoPrefix: strMeta('autoPrefix'), prefixOverride: strMeta('prefixOverride'), autoConfig: meta('autoConfig') };
      if (isFalse(meta('autoload')) || /\.autoload\s*=\s*false\b/.test(rec.text)) out.skip = true;
      if (content.kind === 'fn') out.fn = content;
      else if (content.kind === 'obj' && content.props.has('method')) out.route = content;
      else out.skip = true;
      return out;
    };

    const callHost = (host: HostV, method: string, args: Value[], ctx: CallContext): Value | undefined => {
      if (host.plugin !== PLUGIN || host.tag !== 'instance') return undefined;
      const d = dataOf(host);
      const verb = VERBS[method];
      if (verb) {
        const pathNode = ctx.argNodes[0];
        const pathText = pathNode ? ctx.it.text(pathNode, ctx.mod) : '?';
        const second = args[1] ? force(args[1]) : undefined;
        const hasOpts = second?.kind === 'obj' && !second.cls;
        const handler = hasOpts ? args[2] : args[1];
        const loc = (pathNode?.type === 'Identifier' && ctx.it.callerOfParam(pathNode.name)) || ctx.calleeLoc;
        addRoute(host, [verb], args[0] ?? unknown('?', 'route without a path'), pathText, hasOpts ? second : undefined, hasOpts ? ctx.argNodes[1] : undefined, handler, ctx.argNodes[hasOpts ? 2 : 1], loc, ctx);
        return host;
      }
      switch (method) {
        case 'route': {
          const o = args[0] ? force(args[0]) : undefined;
          if (o?.kind !== 'obj') return host;
          const node = ctx.argNodes[0];
          // a route object built elsewhere (a table of routes) is declared where the object is written
          const loc = node?.type === 'ObjectExpression' || !o.loc ? ctx.calleeLoc : o.loc;
          addRouteObject(host, o, node, loc, ctx);
          return host;
        }
        case 'register':
          register(host, args, ctx);
          return host;
        case 'addHook': {
          const phase = args[0] ? asString(force(args[0])) : undefined;
          if (phase && (PHASES as readonly string[]).includes(phase)) {
            for (const h of handlersOf(args[1], ctx.argNodes[1], ctx, `${phase} hook`)) d.hooks.push({ phase: phase as Phase, handler: h });
          }
          return host;
        }
        case 'decorate': {
          const name = args[0] ? asString(force(args[0])) : undefined;
          if (name && args[1]) d.decorators.set(name, args[1]);
          return host;
        }
        case 'decorateRequest': {
          const name = args[0] ? asString(force(args[0])) : undefined;
          if (name && args[1]) d.requestDecorators.set(name, args[1]);
          return host;
        }
        case 'hasDecorator': {
          const name = args[0] ? asString(force(args[0])) : undefined;
          return name ? { kind: 'bool', value: lookup(host, name) !== undefined } : undefined;
        }
        case 'auth': {
          // @fastify/auth: fastify.auth([fn, ...], { relation })
          const list = args[0] ? force(args[0]) : undefined;
          if (list?.kind !== 'arr') return undefined;
          const o = args[1] ? force(args[1]) : undefined;
          const rel = o?.kind === 'obj' ? asString(force(o.props.get('relation') ?? UNDEF)) : undefined;
          const data: AuthCombo = { items: handlersOf(list, ctx.argNodes[0], ctx, 'auth function'), relation: rel === 'and' ? 'and' : 'or' };
          return { kind: 'host', plugin: PLUGIN, tag: 'authcombo', data, id: newId() };
        }
        case 'after':
        case 'ready':
        case 'then': {
          const cb = args[0] ? force(args[0]) : undefined;
          if (cb?.kind === 'fn') ctx.it.callFunction(cb, [unknown('err', 'error of plugin loading')], UNDEF, ctx.loc);
          return host;
        }
        case '?': {
          computed(ctx.loc, ctx.it.text(ctx.node, ctx.mod));
          return unknown('fastify[?](...)', 'method name not known statically', ctx.loc);
        }
        default:
          if (CHAINABLE.has(method)) return host;
          // a decorator called as a method: run it when it is a project function (it may register routes)
          return undefined;
      }
    };

    const getHostMember = (host: HostV, name: string): Value | undefined => {
      if (host.plugin !== PLUGIN || host.tag !== 'instance') return undefined;
      if (name === 'prefix') return dataOf(host).prefix;
      const v = lookup(host, name);
      return v ? force(v) : undefined;
    };

    /** fastify-cli (`fastify start app.js`) loads a file's exported plugin as the application. */
    const isCliRoot = (file: string): boolean => {
      const service = pctx.serviceOf(file);
      let names = cliTargets.get(service);
      if (!names) {
        names = new Set();
        const pj = pctx.readJson(path.posix.join(service === '.' ? '' : service, 'package.json')) as { scripts?: Record<string, unknown> } | undefined;
        for (const s of Object.values(pj?.scripts ?? {})) {
          if (typeof s !== 'string') continue;
          const re = /\bfastify\s+start\b[^&|;]*?([\w./@-]+)\.(?:[cm]?[jt]s)\b/g;
          let m: RegExpExecArray | null;
          while ((m = re.exec(s))) names.add(path.posix.basename(m[1]!));
        }
        cliTargets.set(service, names);
      }
      return names.has(path.posix.basename(file).replace(/\.[cm]?[jt]sx?$/, ''));
    };

    const finish = ({ classifier, it }: { classifier: AuthClassifier; it: Interpreter }): CodeEndpoint[] => {
      const endpoints: CodeEndpoint[] = [];
      const auth = new FastifyAuth({ classifier, it, lookup, lookupRequest, plugin: PLUGIN });

      const walk = (h: HostV, inherited: Array<Hook & { owner: HostV }>, server: { name: string; service: string }, notes: string[]) => {
        const d = dataOf(h);
        const hooks = [...inherited, ...d.hooks.map((x) => ({ ...x, owner: h }))];
        const allNotes = d.notes.length ? [...notes, ...d.notes] : notes;
        for (const r of d.routes) localFailure(pctx.notify, r.loc, 'this route', () => emit(r, h, hooks, server, allNotes));
        for (const c of d.children) walk(c, hooks, server, allNotes);
      };

      const emit = (r: RouteRec, owner: HostV, ctxHooks: Array<Hook & { owner: HostV }>, server: { name: string; service: string }, inheritedNotes: string[]) => {
        const notes = [...inheritedNotes];
        const pv = pathFromValue(r.path, fastifyPath, it, r.pathText);
        notes.push(...pv.notes);
        // Fastify runs every onRequest hook (context ones first), then preParsing, preValidation, preHandler
        const ordered: Array<{ handler: Handler; owner: HostV }> = [];
        for (const phase of PHASES) {
          for (const x of ctxHooks) if (x.phase === phase) ordered.push({ handler: x.handler, owner: x.owner });
          for (const x of r.hooks) if (x.phase === phase) ordered.push({ handler: x.handler, owner });
        }
        for (const variant of pv.variants) {
          for (const method of r.methods) endpoints.push(build(method, variant, r, owner, ordered, server, notes));
        }
      };

      const build = (method: HttpMethod, abs: PathT, r: RouteRec, owner: HostV, hooks: Array<{ handler: Handler; owner: HostV }>, server: { name: string; service: string }, notes: string[]): CodeEndpoint => {
        const rendered = render(abs);
        const chain = new AuthChain(rendered, method);
        for (const { handler: h, owner: o } of hooks) {
          const d: AuthDecision & { configKeys?: string[] } = auth.decide(h, o);
          const cfg = d.auth === 'neutral' || !r.config ? undefined : force(r.config);
          const key = d.configKeys?.find((k) => cfg?.kind === 'obj' && cfg.props.has(k) && isTruthy(cfg.props.get(k)!));
          if (key) {
            chain.middleware.push(h.text);
            chain.exempt(h, `${d.reason}, but it skips routes with config.${key}, as this one has`);
          } else if (d.auth !== 'neutral' && unlessExempts(d.unless, rendered, method) === true) {
            // a hook that returns early for this URL (the plugin reads that into `unless`)
            chain.middleware.push(h.text);
            chain.exempt(h, `${d.reason}, but it lets this path through (it returns early for it)`);
          } else chain.add(h, d);
        }
        if (r.kind === 'route') chain.handler(r.handler, classifier, (fn) => auth.decideHandler(fn, owner));
        return {
          method,
          path: rendered,
          framework: PLUGIN,
          service: server.service,
          server: server.name,
          location: { file: r.loc.file, line: r.loc.line, column: r.loc.column },
          middleware: chain.middleware,
          auth: chain.auth,
          evidence: chain.evidence,
          unresolved: holes(abs),
          notes: [...new Set(notes)],
        };
      };

      for (const h of instances) {
        const d = dataOf(h);
        if (d.kind !== 'root' || d.dead) continue;
        walk(h, [], { name: `${d.loc.file}:${d.loc.line}`, service: pctx.serviceOf(d.loc.file) }, []);
      }
      return preferRealRegistrations(endpoints, STAND_IN);
    };

    return {
      hooks: {
        name: PLUGIN,
        callExternal,
        callHost,
        getHostMember,
        wantsUncalled: (text) =>
          /\b(Fastify|fastify)\s*\(/.test(text) ? 2 : /\.(route|register|addHook)\s*\(|\.(get|post|put|patch|delete|all|options|head)\s*\(\s*['"`/]/.test(text) ? 1 : 0,
        placeholderArg: (text, loc) => {
          if (!/^(fastify|instance|fastifyInstance|server)\b\s*(:|=|$)|:\s*(Fastify(Instance|TypeBox\w*|ZodInstance)|\w*FastifyInstance\w*)\b/.test(text)) return undefined;
          if (/^server\b/.test(text) && !/Fastify/.test(text)) return undefined;
          const name = text.split(/[:=]/)[0]!.trim();
          const skipped = autoloadSkipped.get(loc.file);
          if (skipped) {
            const h = newInstance('root', loc, str(''), undefined, [skipped]);
            dataOf(h).dead = true;
            return h;
          }
          if (isCliRoot(loc.file)) return newInstance('root', loc, str(''), undefined, [`${name} is the application that fastify-cli (\`fastify start\`) creates for this file`]);
          const hole = unknown('prefix', `plugin whose registration (and prefix) the scan cannot see`, loc);
          return newInstance('root', loc, concat(str('/'), hole, (x) => ({ text: 'prefix', reason: (x as { reason?: string }).reason ?? 'not known', file: loc.file, line: loc.line })), undefined, [`${name} stands in for a Fastify instance: ${STAND_IN}`]);
        },
      },
      finish,
    };
  },
};
