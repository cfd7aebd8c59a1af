import type * as t from '@babel/types';
import { AuthChain, MAX_MOUNT_DEPTH, someBelow, localFailure, mountTooDeep, preferRealRegistrations } from '../shared/chain.js';
import type { AuthClassifier, AuthDecision } from '../../auth/classify.js';
import type { CodeEndpoint, HttpMethod } from '../../model.js';
import { HTTP_METHODS } from '../../model.js';
import { isFunctionNode, walkNodes } from '../../parse/walk.js';
import type { CallContext, Interpreter } from '../../resolve/interpreter.js';
import { pathFromValue, type PathSyntax } from '../../resolve/path-values.js';
import { holes, join, render, type PathT } from '../../resolve/paths.js';
import { arr, force, newId, str, unknown, type ExtV, type FnV, type HostV, type Loc, type Value, lookupTable } from '../../resolve/values.js';
import type { FrameworkPlugin, PluginContext, PluginRun } from '../types.js';
import { HONO_AUTH_LIBS } from './auth-libs.js';
import { honoCovers, honoPath, openApiPath } from './path-syntax.js';
import { escapeRegex } from '../../resolve/safe-regex.js';

/**
 * Hono: every app (`new Hono()`, `new OpenAPIHono()`) holds one list of routes. `basePath(p)` returns a clone that
 * shares that list and prefixes what is registered through it; `route(p, sub)` copies the routes `sub` has AT THAT
 * MOMENT under `p` (later additions to `sub` are not served). Middleware is a route like any other: a handler that
 * calls `next()`. A request runs, in registration order, every handler whose method and path pattern match, so a
 * `use('/admin/*', auth)` guards what is registered after it and matches `/admin/*` (which includes `/admin`), across
 * sub-apps copied in later. `get(path, h)` remembers `path`: a following `.post(h2)` registers at the same path.
 */

const PLUGIN = 'hono';
const VERBS = lookupTable<HttpMethod>({ get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', options: 'OPTIONS', all: 'ALL' });
const CHAINABLE = new Set(['onError', 'notFound', 'fire', 'showRoutes']);
const HONO_MODULES = /^(hono|hono\/(tiny|quick|hono|hono-base)|@hono\/zod-openapi|@hono\/openapi|hono-openapi)$/;
const STAND_IN = 'the function that registers these routes is not called by code the scan can see';

interface PathPart {
  value: Value;
  text: string;
  syntax: PathSyntax;
}

interface Handler {
  value: Value;
  text: string;
  loc: Loc;
}

interface Layer {
  kind: 'route' | 'mount';
  /** Registered with use(): every handler is middleware unless it answers requests itself. */
  use: boolean;
  methods: HttpMethod[];
  parts: PathPart[];
  handlers: Handler[];
  loc: Loc;
  /** Mount: the sub-app's routes, as many as it had when `route()` copied them. */
  sub?: Core;
  count?: number;
  /** app.mount(path, otherApp.fetch): a foreign application answers everything below the path. */
  foreign?: boolean;
}

interface Core {
  loc: Loc;
  layers: Layer[];
  mounted: boolean;
  notes?: string[];
}

/** One Hono instance: the shared route list, its base path and the path the last registration named. */
interface View {
  core: Core;
  base: PathPart[];
  last: PathPart;
}

interface Guard {
  path: PathT;
  methods: HttpMethod[];
  handler: Handler;
  decision: AuthDecision;
}

const ROOT: PathPart = { value: str('/'), text: "'/'", syntax: honoPath };
const STAR: PathPart = { value: str('*'), text: "'*'", syntax: honoPath };

function isApp(v: Value): v is HostV {
  return v.kind === 'host' && v.plugin === PLUGIN;
}

/** Does the file use Hono (imports it or creates an app)? Files with only types count too: they may register routes. */
function usesHono(text: string): boolean {
  return /['"](hono|hono\/(tiny|quick)|@hono\/zod-openapi)['"]/.test(text) || /\bnew\s+(OpenAPI)?Hono\b/.test(text);
}

/** A handler's own name or how it is written, for middleware lists and evidence. */
function handlerOf(v: Value, node: t.Node | undefined, ctx: CallContext, fallback: string): Handler {
  const written = node && node.type !== 'SpreadElement' ? ctx.it.text(node, ctx.mod) : undefined;
  const at = node ? ctx.it.loc(node, ctx.mod) : ctx.loc;
  const f = force(v);
  const own = f.kind === 'fn' ? f.name : f.kind === 'ext' || f.kind === 'unknown' ? f.text : undefined;
  const text = written && written.length <= 80 && !written.includes('\n') && !/^(async\s*)?(\(|function\b|\w+\s*=>)/.test(written) ? written : own ?? `${written ? 'inline function' : fallback} at ${at.file}:${at.line}`;
  return { value: f, text, loc: at };
}

function flattenHandlers(args: Value[], ctx: CallContext, from: number): Handler[] {
  const out: Handler[] = [];
  const push = (v: Value, node: t.Node | undefined, fallback: string, depth = 0) => {
    const f = force(v);
    // (lists nested deeper than this are one value the scan cannot see into)
    if (f.kind === 'arr' && depth <= 32) {
      const elNodes = node && node.type === 'ArrayExpression' ? node.elements : undefined;
      f.items.forEach((item, i) => push(item, elNodes?.[i] ?? undefined, `${fallback}[${i}]`, depth + 1));
      return;
    }
    out.push(handlerOf(f, node, ctx, fallback));
  };
  for (let i = from; i < args.length; i++) push(args[i]!, ctx.argNodes[i], `argument ${i + 1}`);
  return out;
}

/** Is the first argument of get/post/use/... a path (Hono tests `typeof arg === 'string'`)? */
function isPathArg(v: Value, text: string, argc: number): boolean {
  const f = force(v);
  if (f.kind === 'str' || f.kind === 'pstr') return true;
  if (f.kind === 'unknown' && argc > 1) return !/middleware|auth|guard|handler|cors|limit|logger|validator/i.test(text);
  return false;
}

function methodsOf(v: Value | undefined): { methods: HttpMethod[]; unknown: boolean; custom: string[] } {
  const f = v ? force(v) : undefined;
  const items = f?.kind === 'arr' ? f.items.map(force) : f ? [f] : [];
  const methods: HttpMethod[] = [];
  const custom: string[] = [];
  let unk = !items.length || (f?.kind === 'arr' && f.partial);
  for (const it of items) {
    if (it.kind !== 'str') {
      unk = true;
      continue;
    }
    const m = it.value.toUpperCase();
    if (m === 'ALL' || (HTTP_METHODS as readonly string[]).includes(m)) methods.push(m as HttpMethod);
    else custom.push(m);
  }
  return { methods: [...new Set(methods)], unknown: unk, custom };
}

/** Server and service of a walk. */
interface Server {
  name: string;
  service: string;
}

/** Values that answer requests for a whole path (files, GraphQL, tRPC, API docs) when given to `use()`. */
function terminalKind(v: Value): 'files' | 'api' | undefined {
  if (v.kind === 'hostfn') return 'api';
  if (v.kind !== 'ext') return undefined;
  const sig = v.chain.map((s) => ('prop' in s ? s.prop : '()')).join('.');
  if (/serveStatic/.test(sig) || /serve-static/.test(v.module)) return 'files';
  if (/^@hono\/(trpc-server|graphql-server|swagger-ui)$/.test(v.module) || /graphql|trpc/i.test(v.module)) return 'api';
  return undefined;
}

/** Does a handler pass the request on? Hono's `next` is the second parameter, whatever it is called. */
function callsNext(fn: t.Function): boolean {
  const p = fn.params[1];
  if (!p || p.type !== 'Identifier') return false;
  const name = p.name;
  let found = false;
  walkNodes(fn.body, (n) => {
    if (n !== fn.body && isFunctionNode(n)) return 'skip';
    if (n.type !== 'CallExpression') return false;
    // `await next()`, or `next` handed on to another middleware (`return jwtMiddleware(c, next)`)
    if ((n.callee.type === 'Identifier' && n.callee.name === name && n.arguments.length === 0) || n.arguments.some((a) => a.type === 'Identifier' && a.name === name)) {
      found = true;
      return true;
    }
    return false;
  });
  return found;
}

function fnText(f: FnV): string {
  return f.node.start != null && f.node.end != null ? f.mod.text.slice(f.node.start, f.node.end) : '';
}

/** Does a handler build a response with its context (`c.json(...)`, `c.text(...)`, `new Response(...)`)? */
function answers(f: FnV): boolean {
  const p = f.node.params[0];
  const c = p && p.type === 'Identifier' ? p.name : 'c';
  const re = new RegExp(`\\b${escapeRegex(c)}\\s*\\.\\s*(json|text|html|body|redirect|newResponse|render|notFound)\\s*\\(|\\bnew\\s+Response\\s*\\(`);
  return re.test(fnText(f));
}

export const honoPlugin: FrameworkPlugin = {
  name: PLUGIN,
  packages: ['hono', '@hono/zod-openapi'],
  isEntry: (text) => usesHono(text),
  authLibs: HONO_AUTH_LIBS,
  start(pctx: PluginContext): PluginRun {
    const cores: Core[] = [];
    const computedSites = new Set<string>();

    const newApp = (loc: Loc, notes?: string[]): HostV => {
      const core: Core = { loc, layers: [], mounted: false, notes };
      cores.push(core);
      return viewHost({ core, base: [], last: ROOT });
    };
    const viewHost = (view: View): HostV => ({ kind: 'host', plugin: PLUGIN, tag: 'app', data: view, id: newId() });

    const part = (v: Value, node: t.Node | undefined, ctx: CallContext, syntax: PathSyntax = honoPath): PathPart => ({ value: v, text: node ? ctx.it.text(node, ctx.mod) : '?', syntax });

    const callExternal = (callee: ExtV, args: Value[], ctx: CallContext): Value | undefined => {
      const props = callee.chain.map((s) => ('prop' in s ? s.prop : 'call' in s ? '()' : 'new'));
      const sig = props.join('.');
      if (HONO_MODULES.test(callee.module)) {
        if (ctx.isNew && /^(default\.)?(Hono|OpenAPIHono)$/.test(sig)) return newApp(ctx.loc);
        if (/^createRoute$/.test(sig)) return args[0] ? force(args[0]) : undefined;
        return undefined;
      }
      if (callee.module === 'hono/factory') {
        if (/(^|\.)createMiddleware$/.test(sig) && args[0] && force(args[0]).kind === 'fn') return force(args[0]);
        if (/(^|\.)createHandlers$/.test(sig)) return arr(args);
        if (/^createFactory\.\(\)\.createApp$/.test(sig)) return newApp(ctx.loc);
      }
      return undefined;
    };

    const register = (view: View, layer: Omit<Layer, 'parts'> & { own?: PathPart }) => {
      const { own, ...rest } = layer;
      view.core.layers.push({ ...rest, parts: own ? [...view.base, own] : [...view.base] });
    };

    const callHost = (host: HostV, method: string, args: Value[], ctx: CallContext): Value | undefined => {
      if (host.plugin !== PLUGIN) return undefined;
      const view = host.data as View;
      const verb = VERBS[method];
      if (verb) {
        const firstText = ctx.argNodes[0] ? ctx.it.text(ctx.argNodes[0], ctx.mod) : '';
        const hasPath = args.length > 0 && isPathArg(args[0]!, firstText, args.length);
        if (hasPath) view.last = part(args[0]!, ctx.argNodes[0], ctx);
        const handlers = flattenHandlers(args, ctx, hasPath ? 1 : 0);
        if (handlers.length) register(view, { kind: 'route', use: false, methods: [verb], own: view.last, handlers, loc: ctx.calleeLoc });
        return host;
      }
      switch (method) {
        case 'use': {
          const firstText = ctx.argNodes[0] ? ctx.it.text(ctx.argNodes[0], ctx.mod) : '';
          const hasPath = args.length > 0 && isPathArg(args[0]!, firstText, args.length);
          view.last = hasPath ? part(args[0]!, ctx.argNodes[0], ctx) : STAR;
          const handlers = flattenHandlers(args, ctx, hasPath ? 1 : 0);
          if (handlers.length) register(view, { kind: 'route', use: true, methods: ['ALL'], own: view.last, handlers, loc: ctx.calleeLoc });
          return host;
        }
        case 'on': {
          const { methods, unknown: unk, custom } = methodsOf(args[0]);
          if (unk) computedMethod(ctx);
          if (custom.length) customMethod(ctx, custom);
          const p = args[1] ? force(args[1]) : unknown('?', 'on() without a path');
          const pathNodes = ctx.argNodes[1]?.type === 'ArrayExpression' ? ctx.argNodes[1].elements : undefined;
          const paths = p.kind === 'arr' ? p.items.map((v, i) => part(v, pathNodes?.[i] ?? ctx.argNodes[1], ctx)) : [part(p, ctx.argNodes[1], ctx)];
          const handlers = flattenHandlers(args, ctx, 2);
          for (const pp of paths) {
            view.last = pp;
            if (methods.length && handlers.length) register(view, { kind: 'route', use: false, methods, own: pp, handlers, loc: ctx.calleeLoc });
          }
          return host;
        }
        case 'openapi': {
          // @hono/zod-openapi: on([route.method], path with {id} → :id, ...route.middleware, ...validators, handler)
          const route = args[0] ? force(args[0]) : undefined;
          const get = (k: string) => (route?.kind === 'obj' ? route.props.get(k) : undefined);
          const { methods, unknown: unk } = methodsOf(get('method'));
          if (unk) computedMethod(ctx);
          const pathV = get('path') ?? unknown(ctx.argNodes[0] ? `${ctx.it.text(ctx.argNodes[0], ctx.mod)}.path` : '?', 'route definition not known statically', ctx.loc);
          const own: PathPart = { value: pathV, text: ctx.argNodes[0] ? `${ctx.it.text(ctx.argNodes[0], ctx.mod)}.path` : '?', syntax: openApiPath };
          view.last = own;
          const mw = get('middleware');
          const mwHandlers: Handler[] = [];
          if (mw) {
            const mf = force(mw);
            const items = mf.kind === 'arr' ? mf.items : [mf];
            const routeNode = ctx.argNodes[0];
            items.forEach((item, i) => mwHandlers.push(handlerOf(item, undefined, ctx, `${routeNode ? ctx.it.text(routeNode, ctx.mod) : 'route'}.middleware[${i}]`)));
            for (const h of mwHandlers) {
              const fh = force(h.value);
              const lastStep = fh.kind === 'ext' ? fh.chain[fh.chain.length - 1] : undefined;
              if (lastStep && 'call' in lastStep && lastStep.text && lastStep.text.length <= 80 && !lastStep.text.includes('\n')) {
                // as written in the route definition: `bearerAuth({ token })`
                h.text = lastStep.text;
                if (lastStep.loc) h.loc = lastStep.loc;
              } else if (fh.kind === 'ext' || fh.kind === 'unknown') h.text = fh.text;
              else if (fh.kind === 'fn' && fh.name) h.text = fh.name;
            }
          }
          const handlers = [...mwHandlers, ...flattenHandlers(args.slice(0, 2), ctx, 1)];
          if (methods.length && handlers.length) register(view, { kind: 'route', use: false, methods, own, handlers, loc: ctx.calleeLoc });
          return host;
        }
        case 'doc':
        case 'doc31': {
          // serves the generated OpenAPI document
          const own = args[0] ? part(args[0], ctx.argNodes[0], ctx) : ROOT;
          view.last = own;
          const handler: Handler = { value: unknown(`${method}()`, 'serves the OpenAPI document'), text: `${method}()`, loc: ctx.calleeLoc };
          register(view, { kind: 'route', use: false, methods: ['GET'], own, handlers: [handler], loc: ctx.calleeLoc });
          return host;
        }
        case 'basePath': {
          const p = args[0] ? part(args[0], ctx.argNodes[0], ctx) : ROOT;
          return viewHost({ core: view.core, base: [...view.base, p], last: ROOT });
        }
        case 'route': {
          const p = args[0] ? part(args[0], ctx.argNodes[0], ctx) : ROOT;
          if (args.length < 2) return viewHost({ core: view.core, base: [...view.base, p], last: ROOT });
          const sub = force(args[1]!);
          if (isApp(sub)) {
            const subCore = (sub.data as View).core;
            if (subCore !== view.core) {
              subCore.mounted = true;
              register(view, { kind: 'mount', use: false, methods: [], own: p, handlers: [], loc: ctx.calleeLoc, sub: subCore, count: subCore.layers.length });
            }
          } else {
            const at = ctx.loc;
            pctx.notify({
              level: 'warning',
              code: 'mount-unresolved',
              message: `${at.file}:${at.line}: route(${p.text}, ${ctx.argNodes[1] ? ctx.it.text(ctx.argNodes[1], ctx.mod) : '?'}) mounts an app the scan cannot see; its routes are not in the inventory.`,
              file: at.file,
              line: at.line,
            });
          }
          return host;
        }
        case 'mount': {
          // app.mount('/legacy', other.fetch): the other application answers every method below the path
          const p = args[0] ? part(args[0], ctx.argNodes[0], ctx) : ROOT;
          const handlers = flattenHandlers(args.slice(0, 2), ctx, 1);
          view.core.layers.push({ kind: 'route', use: true, methods: ['ALL'], parts: [...view.base, p, STAR], handlers, loc: ctx.calleeLoc, foreign: true });
          return host;
        }
        case '?':
          computedMethod(ctx);
          return unknown('app[?](...)', 'method name not known statically', ctx.loc);
        default:
          return CHAINABLE.has(method) ? host : undefined;
      }
    };

    /** `app.on('PURGE', ...)`: served, but the inventory has no such method. */
    const customMethod = (ctx: CallContext, names: string[]) => {
      pctx.notify({ level: 'note', code: 'custom-method', message: `${ctx.loc.file}:${ctx.loc.line}: a route is registered for the non-standard method(s) ${names.join(', ')}; it is not in the inventory.`, file: ctx.loc.file, line: ctx.loc.line });
    };

    const computedMethod = (ctx: CallContext) => {
      const key = `${ctx.loc.file}:${ctx.loc.line}`;
      if (computedSites.has(key)) return;
      computedSites.add(key);
      pctx.notify({ level: 'warning', code: 'computed-method', message: `${key}: a route is registered with a method not known statically (${ctx.it.text(ctx.node, ctx.mod).split('(')[0]}); it is not in the inventory.`, file: ctx.loc.file, line: ctx.loc.line });
    };

    const finish = ({ classifier, it }: { classifier: AuthClassifier; it: Interpreter }): CodeEndpoint[] => {
      const endpoints: CodeEndpoint[] = [];
      const visited = new Set<Core>();
      const decisions = new Map<Handler, AuthDecision>();
      const decide = (h: Handler): AuthDecision => {
        let d = decisions.get(h);
        if (!d) {
          d = classifier.classify(h.value, h.text);
          const f = force(h.value);
          if (f.kind === 'fn' && d.auth !== 'required') {
            const local = localDelegation(f, classifier, it);
            if (local && (local.auth === 'required' || d.auth === 'neutral')) d = local;
          }
          decisions.set(h, d);
        }
        return d;
      };

      const variantsOf = (parts: PathPart[], notes: string[]): PathT[] => {
        let out: PathT[] = [[]];
        for (const p of parts) {
          const r = pathFromValue(p.value, p.syntax, it, p.text);
          notes.push(...r.notes);
          const next: PathT[] = [];
          for (const a of out) for (const b of r.variants) next.push(join(a, b));
          out = next.slice(0, 16);
        }
        return out;
      };

      /** What a handler is at its place: middleware that passes on, or the one that answers. */
      const roleOf = (h: Handler, layer: Layer, isLast: boolean): 'guard' | 'files' | 'api' | 'handler' => {
        const v = force(h.value);
        if (layer.foreign) return 'api';
        if (v.kind === 'fn') {
          if (!callsNext(v.node)) return layer.use ? 'api' : 'handler';
          if (!answers(v)) return 'guard';
          const d = decide(h).auth;
          return d === 'required' || d === 'optional' || d === 'unknown' ? 'guard' : layer.use ? 'api' : 'handler';
        }
        const term = terminalKind(v);
        if (term && (layer.use || isLast)) return layer.use ? term : 'handler';
        if (layer.use || !isLast) return 'guard';
        // the last handler of get/post/...: a known guard on a pattern (`app.get('/admin/*', jwt(...))`) passes on
        if (v.kind === 'ext') {
          const d = decide(h).auth;
          if (d === 'required' || d === 'optional') return 'guard';
        }
        return 'handler';
      };

      const tooDeep = new Set<string>();
      const walk = (core: Core, prefix: PathT, guards: Guard[], stack: Set<Core>, server: Server, inherited: string[], limit: number) => {
        visited.add(core);
        const base = core.notes ? [...inherited, ...core.notes] : inherited;
        for (const layer of core.layers.slice(0, limit)) {
          localFailure(pctx.notify, layer.loc, layer.kind === 'route' ? 'this registration' : 'this mount', () => {
            const notes = [...base];
            for (const variant of variantsOf(layer.parts, notes)) {
              const abs = join(prefix, variant);
              if (layer.kind === 'mount') {
                if (!layer.sub || stack.has(layer.sub)) continue;
                if (stack.size >= MAX_MOUNT_DEPTH) {
                  // (what lies below is not walked again as if it were served on its own)
                  mountTooDeep(pctx.notify, layer.loc, tooDeep);
                  someBelow(layer.sub, mountedOn, (c) => void visited.add(c));
                  continue;
                }
                walk(layer.sub, abs, guards, new Set(stack).add(layer.sub), server, notes, layer.count ?? layer.sub.layers.length);
                continue;
              }
              const own: Handler[] = [];
              for (const [i, h] of layer.handlers.entries()) {
                const role = roleOf(h, layer, i === layer.handlers.length - 1);
                if (role === 'guard') {
                  own.push(h);
                  continue;
                }
                if (role === 'files') emit('GET', abs, layer, guards, own, undefined, server, notes, classifier);
                else if (role === 'api') emit('ALL', abs, layer, guards, own, undefined, server, notes, classifier);
                else for (const m of layer.methods) emit(m, abs, layer, guards, own, h, server, notes, classifier);
                break;
              }
              for (const h of own) guards.push({ path: abs, methods: layer.methods, handler: h, decision: decide(h) });
            }
          });
        }
      };

      const emit = (method: HttpMethod, abs: PathT, layer: Layer, guards: Guard[], own: Handler[], final: Handler | undefined, server: Server, notes: string[], cl: AuthClassifier) => {
        const rendered = render(abs);
        const chain = new AuthChain(rendered, method);
        for (const g of guards) {
          const methodOk = g.methods.includes('ALL') || (method !== 'ALL' && g.methods.includes(method));
          if (!methodOk || !honoCovers(g.path, abs)) continue;
          chain.add(g.handler, g.decision);
        }
        for (const h of own) chain.add(h, decide(h));
        chain.handler(final, cl);
        endpoints.push({
          method,
          path: rendered,
          framework: PLUGIN,
          service: server.service,
          server: server.name,
          location: { file: layer.loc.file, line: layer.loc.line, column: layer.loc.column },
          middleware: chain.middleware,
          auth: chain.auth,
          evidence: chain.evidence,
          unresolved: holes(abs),
          notes: [...new Set(notes)],
        });
      };

      // every app no other app copies with route() is served as it is (exported for a worker, given to serve(), ...)
      // then apps copied only in a cycle (a.route('/b', b) and b.route('/a', a)), which no walk reached: as they are
      for (const cyclic of [false, true]) {
        for (const core of cores) {
          if (core.mounted !== cyclic || visited.has(core) || !hasRoutes(core)) continue;
          walk(core, [], [], new Set([core]), { name: `${core.loc.file}:${core.loc.line}`, service: pctx.serviceOf(core.loc.file) }, [], core.layers.length);
        }
      }
      return preferRealRegistrations(endpoints, STAND_IN);
    };

    return {
      hooks: {
        name: PLUGIN,
        callExternal,
        callHost,
        wantsUncalled: (text) => (/\bnew\s+(OpenAPI)?Hono\b/.test(text) ? 2 : /\.(route|openapi|basePath)\s*\(/.test(text) ? 1 : 0),
        placeholderArg: (text, loc) => {
          if (/:\s*(OpenAPI)?Hono\b/.test(text)) return newApp(loc, [`${text.split(/[:=]/)[0]!.trim()} is assumed to be a Hono app: ${STAND_IN}`]);
          return undefined;
        },
      },
      finish,
    };
  },
};

/** The apps copied into an app with route(). */
function mountedOn(c: Core): Core[] {
  return c.layers.flatMap((l) => (l.sub ? [l.sub] : []));
}

function hasRoutes(core: Core): boolean {
  return someBelow(core, mountedOn, (c) => c.layers.some((l) => l.kind === 'route'));
}

/**
 * `const mw = jwt({ secret: c.env.SECRET }); return mw(c, next)`: a known middleware built per request inside a
 * project middleware and called with its context. The shared classifier follows direct calls only.
 */
function localDelegation(fn: FnV, cl: AuthClassifier, it: Interpreter): AuthDecision | undefined {
  const built = new Map<string, t.CallExpression>();
  const calledWithCtx = new Set<string>();
  walkNodes(fn.node.body, (n) => {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init) {
      let init: t.Node = n.init;
      if (init.type === 'AwaitExpression') init = init.argument;
      if (init.type === 'CallExpression') built.set(n.id.name, init);
    }
    if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.arguments.length >= 2) calledWithCtx.add(n.callee.name);
    return false;
  });
  for (const [name, call] of built) {
    if (!calledWithCtx.has(name)) continue;
    if (call.callee.type !== 'Identifier' && call.callee.type !== 'MemberExpression') continue;
    const callee = force(it.evalExpr(call.callee, fn.env, fn.mod));
    if (callee.kind !== 'ext') continue;
    const args = call.arguments.map((a) => (a.type === 'SpreadElement' || a.type === 'ArgumentPlaceholder' ? ({ kind: 'undef' } as Value) : it.evalExpr(a, fn.env, fn.mod)));
    const d = cl.classify({ ...callee, chain: [...callee.chain, { call: args }], text: `${callee.text}(...)` }, name);
    if (d.auth !== 'neutral') return { ...d, reason: `calls ${name}, built by ${callee.text}(...): ${d.reason}` };
  }
  return undefined;
}
