import { AuthChain, MAX_MOUNT_DEPTH, STAND_IN, flattenHandlers, someBelow, localFailure, mountTooDeep, preferRealRegistrations } from '../shared/chain.js';
import type { AuthClassifier, AuthDecision } from '../../auth/classify.js';
import type { CodeEndpoint, HttpMethod } from '../../model.js';
import { callsNextItself } from '../../parse/walk.js';
import type { CallContext, Interpreter } from '../../resolve/interpreter.js';
import { pathFromValue } from '../../resolve/path-values.js';
import { covers, holes, join, render, type PathT } from '../../resolve/paths.js';
import { arr, asString, force, newId, unknown, type ExtV, type HostV, type Loc, type Value, lookupTable } from '../../resolve/values.js';
import type { FrameworkPlugin, PluginContext, PluginRun } from '../types.js';
import { KOA_AUTH_LIBS, decideKoa, handlerRequiresAuth } from './auth.js';
import { koaPath } from './path-syntax.js';

/**
 * Koa: `new Koa()` apps, @koa/router / koa-router routers, koa-mount, and middleware exactly as they run it.
 *
 * - A Koa app is one middleware chain: `app.use(mw)` runs for everything used after it. A router's `routes()` only
 *   runs its own middleware when one of its routes matches (`if (!matched.route) return next()`), so what a router
 *   `use`s never guards another router mounted later on the app.
 * - Inside a router, `router.use(mw)` adds a layer to the router's stack, and a matched request runs the matching
 *   layers in stack order (`match()` walks `this.stack`; the chain is composed in that order). So, as in Express,
 *   router middleware applies only to routes registered AFTER it on that router (@koa/router lib/router.js and
 *   src/router.ts `use`/`match`/`routes`), under its path when it has one.
 * - `router.use('/x', child.routes())` copies the child's stack AT THAT MOMENT into the parent (clones of each layer,
 *   prefixed with '/x' and the parent's prefix): routes added to the child afterwards are not served through the
 *   parent, and the child's middleware guards later parent routes under '/x' (they share the parent's stack).
 * - `app.use(router.routes())` keeps a live reference: routes added to the router later are served.
 * - `app.use` takes one middleware (Koa 2 ignores further arguments).
 */

const VERBS = lookupTable<HttpMethod>({
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  del: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  all: 'ALL',
  trace: 'TRACE',
});
const METHOD_NAMES = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE']);
const ROUTER_MODULES = new Set(['@koa/router', 'koa-router', 'koa-better-router']);

interface Handler {
  value: Value;
  text: string;
  loc: Loc;
  /** A nested router's stack as `router.use()` copied it: how many layers, and the prefix it had then. */
  snapshot?: { count: number; prefix?: Value; prefixText: string; loc: Loc };
}

interface Layer {
  kind: 'route' | 'use';
  methods: HttpMethod[];
  /** Route: the path value(s). Use: the path, or undefined for every path. */
  path?: Value;
  pathText: string;
  handlers: Handler[];
  loc: Loc;
}

interface HostData {
  kind: 'app' | 'router';
  loc: Loc;
  layers: Layer[];
  mounted: boolean;
  prefix?: Value;
  prefixText: string;
  /** `new Router({ exclusive: true })`: only the most specific matching layer runs. */
  exclusive?: boolean;
  notes?: string[];
}

interface MountData {
  path?: Value;
  pathText: string;
  targets: Handler[];
  loc: Loc;
}

interface Guard {
  path: PathT;
  mode: 'prefix' | 'exact';
  methods?: HttpMethod[];
  handler: Handler;
  decision: AuthDecision;
}

const PLUGIN = 'koa';

type KoaHost<T extends string> = HostV & { tag: T };
const isKoa = <T extends string>(v: Value, tag: T): v is KoaHost<T> => v.kind === 'host' && v.plugin === PLUGIN && v.tag === tag;
const isRouter = (v: Value) => isKoa(v, 'router');
const isApp = (v: Value) => isKoa(v, 'app');
const isDispatch = (v: Value) => isKoa(v, 'dispatch');

function signature(e: ExtV): string {
  return e.chain.map((s) => ('prop' in s ? s.prop : 'call' in s ? '()' : 'new')).join('.');
}



function isPathValue(v: Value): boolean {
  const f = force(v);
  if (f.kind === 'str' || f.kind === 'pstr' || f.kind === 'regex') return true;
  return f.kind === 'arr' && f.items.length > 0 && f.items.every((x) => ['str', 'pstr'].includes(force(x).kind));
}

/** Is the first argument of `router.use(...)` a path rather than a middleware? */
function isPathArg(v: Value, text: string, argc: number): boolean {
  if (isPathValue(v)) return true;
  const f = force(v);
  if ((f.kind === 'unknown' || f.kind === 'ext') && argc > 1) {
    if (/middleware|auth|guard|handler|cors|limit|parser|logger|session|passport|helmet|routes\(|jwt/i.test(text)) return false;
    return /prefix|path|url|base|route|mount|api|version|env|endpoint/i.test(text);
  }
  return false;
}

function fnText(f: Value): string | undefined {
  return f.kind === 'fn' && f.node.start != null && f.node.end != null ? f.mod.text.slice(f.node.start, f.node.end) : undefined;
}

/** A Koa handler answers by setting the body or status, redirecting, rendering or throwing an HTTP error. */
const ANSWERS = /\bctx\.(response\.)?(body|status)\s*=[^=]|\bctx\.(redirect|render|attachment|throw)\s*\(/;
function answers(f: Value): boolean {
  const text = fnText(f);
  return text !== undefined && ANSWERS.test(text);
}

function hasPattern(p: PathT): boolean {
  return p.some((seg) => seg.some((pc) => 'wild' in pc || 'hole' in pc));
}

/**
 * What a handler given to koa-mount is: a file server (`koa-static`), an API answering everything below its path
 * (GraphQL, a closure that answers and never passes on), or a middleware.
 */
function mountedKind(v: Value): 'files' | 'api' | undefined {
  const f = force(v);
  if (f.kind === 'ext') {
    if (/^(koa-static|koa-send|koa-static-cache|@koa\/static)$/.test(f.module)) return 'files';
    if (/graphql|^@apollo\/server|^apollo-server-koa|^@trpc\/server|^trpc-koa-adapter/i.test(f.module)) return 'api';
    return undefined;
  }
  const text = fnText(f);
  if (f.kind !== 'fn' || text === undefined) return undefined;
  if (callsNextItself(f.node) || !ANSWERS.test(text)) return undefined;
  // a fallback that only answers 404 or redirects is not an endpoint
  if (/\bctx\.redirect\s*\(/.test(text) && !/\bctx\.body\s*=/.test(text)) return undefined;
  if (/\bctx\.status\s*=\s*404\b|\bctx\.throw\s*\(\s*404\b/.test(text) && (text.match(/\bctx\.body\s*=/g) ?? []).length <= 1) return undefined;
  return 'api';
}

/**
 * Does the file use Koa or one of its routers as a value? `import type { Context } from 'koa'` (types only, in many
 * controllers) does not count; a require, a dynamic import, a value import or `new Koa()` does.
 */
function usesKoa(text: string): boolean {
  if (/\bnew\s+(Koa|KoaRouter)\s*\(/.test(text)) return true;
  const re = /(?:\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+(type\s)?[^'";]*?from\s+|^\s*export\s[^'";]*from\s+)['"](koa|@koa\/router|koa-router|koa-mount|koa-combine-routers)['"]/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[1]) continue;
    // `import { Context, Next } from 'koa'`: types written without `type`
    if (m[2] === 'koa' && /^\s*import\s*\{[^}]*\}\s*from/.test(m[0])) continue;
    return true;
  }
  return false;
}

export const koaPlugin: FrameworkPlugin = {
  name: PLUGIN,
  packages: ['koa', '@koa/router', 'koa-router'],
  isEntry: (text) => usesKoa(text),
  authLibs: KOA_AUTH_LIBS,
  start(pctx: PluginContext): PluginRun {
    const hosts: HostV[] = [];
    const computedSites = new Set<string>();

    const newHost = (kind: 'app' | 'router', loc: Loc, opts?: Value, notes?: string[]): HostV => {
      const data: HostData = { kind, loc, layers: [], mounted: false, prefixText: '', notes };
      const o = opts ? force(opts) : undefined;
      if (kind === 'router' && o?.kind === 'obj') {
        const p = o.props.get('prefix');
        if (p && force(p).kind !== 'undef') {
          data.prefix = p;
          data.prefixText = asString(force(p)) ?? 'prefix';
        }
        const ex = o.props.get('exclusive');
        if (ex && force(ex).kind === 'bool' && (force(ex) as { value: boolean }).value) data.exclusive = true;
      } else if (kind === 'router' && o && o.kind !== 'undef') {
        // most such options objects set no prefix: say so rather than invent a hole in every path
        data.notes = [...(notes ?? []), `the options of the router created at ${loc.file}:${loc.line} are not known statically; a prefix they may set is not applied`];
      }
      const h: HostV = { kind: 'host', plugin: PLUGIN, tag: kind, data, id: newId() };
      hosts.push(h);
      return h;
    };
    const dispatchOf = (router: HostV): HostV => ({ kind: 'host', plugin: PLUGIN, tag: 'dispatch', data: { router }, id: newId() });
    const neutralHost = (what: string): HostV => ({ kind: 'host', plugin: PLUGIN, tag: 'neutral', data: { what }, id: newId() });
    const markMounted = (v: Value) => {
      const f = force(v);
      if (isDispatch(f)) ((f.data as { router: HostV }).router.data as HostData).mounted = true;
      else if (isApp(f) || isRouter(f)) (f.data as HostData).mounted = true;
      else if (isKoa(f, 'mount')) for (const t of (f.data as MountData).targets) markMounted(t.value);
    };

    const callExternal = (callee: ExtV, args: Value[], ctx: CallContext): Value | undefined => {
      const sig = signature(callee);
      if (callee.module === 'koa') {
        if (sig === '' || sig === 'default' || sig === 'Koa' || sig === 'default.Koa') return newHost('app', ctx.loc);
        return undefined;
      }
      if (ROUTER_MODULES.has(callee.module)) {
        if (sig === '' || sig === 'default' || sig === 'Router' || sig === 'default.Router') return newHost('router', ctx.loc, args[0]);
        return undefined;
      }
      if (callee.module === 'koa-mount' && (sig === '' || sig === 'default')) {
        // mount(path, appOrMiddleware) or mount(appOrMiddleware) at '/'
        const hasPath = args.length >= 2 || (args[0] !== undefined && isPathValue(args[0]));
        const pathText = hasPath && ctx.argNodes[0] ? ctx.it.text(ctx.argNodes[0], ctx.mod) : '';
        const data: MountData = { path: hasPath ? args[0] : undefined, pathText, targets: flattenHandlers(args, ctx, hasPath ? 1 : 0), loc: ctx.calleeLoc };
        for (const t of data.targets) markMounted(t.value);
        return { kind: 'host', plugin: PLUGIN, tag: 'mount', data, id: newId() };
      }
      if (callee.module === 'koa-combine-routers' && (sig === '' || sig === 'default')) {
        // combineRouters(a, b) / combineRouters([a, b]): each router's routes(), in order
        const items: Value[] = [];
        for (const a of args) {
          const f = force(a);
          for (const x of f.kind === 'arr' ? f.items.map(force) : [f]) if (isRouter(x)) items.push(dispatchOf(x));
        }
        return items.length ? arr(items) : undefined;
      }
      if (callee.module === 'koa-compose' && (sig === '' || sig === 'default')) {
        const a = args[0] ? force(args[0]) : undefined;
        return a?.kind === 'arr' ? a : undefined;
      }
      return undefined;
    };

    const register = (host: HostV, layer: Layer) => {
      (host.data as HostData).layers.push(layer);
    };

    const textOf = (ctx: CallContext, i: number) => (ctx.argNodes[i] ? ctx.it.text(ctx.argNodes[i]!, ctx.mod) : '?');

    const callHost = (host: HostV, method: string, args: Value[], ctx: CallContext): Value | undefined => {
      if (host.plugin !== PLUGIN) return undefined;
      if (host.tag === 'app') {
        if (method === 'use') {
          // Koa 2: `use(fn)` takes one middleware; further arguments are ignored
          const handlers = flattenHandlers(args.slice(0, 1), ctx, 0);
          for (const h of handlers) markMounted(h.value);
          register(host, { kind: 'use', methods: [], pathText: '', handlers, loc: ctx.calleeLoc });
          return host;
        }
        if (method === 'on' || method === 'once' || method === 'off' || method === 'removeAllListeners') return host;
        return undefined;
      }
      if (host.tag !== 'router') return undefined;
      const data = host.data as HostData;
      const verb = VERBS[method];
      if (verb) {
        // named routes: `router.get('user', '/users/:id', mw)`; the second argument being a string (or RegExp) is
        // what makes the first one a name, as in @koa/router
        const named = args.length >= 2 && (['str', 'pstr', 'regex'].includes(force(args[1]!).kind) || (args.length >= 3 && namedByShape(args, ctx)));
        const pi = named ? 1 : 0;
        const pathNode = ctx.argNodes[pi];
        const loc = (pathNode?.type === 'Identifier' && ctx.it.callerOfParam(pathNode.name)) || ctx.calleeLoc;
        register(host, { kind: 'route', methods: [verb], path: args[pi] ?? unknown('?', 'route without a path'), pathText: textOf(ctx, pi), handlers: flattenHandlers(args, ctx, pi + 1, true), loc });
        return host;
      }
      if (method === 'register') {
        // router.register(path, methods[], middleware | middleware[], opts)
        const ms = args[1] ? force(args[1]) : undefined;
        const list = ms?.kind === 'arr' ? ms.items.map((x) => asString(force(x))?.toUpperCase()) : ms ? [asString(ms)?.toUpperCase()] : [];
        if (!list.length) return host;
        const methods: HttpMethod[] = list.some((m) => m === undefined) ? ['ALL'] : (list.filter((m) => m && METHOD_NAMES.has(m)) as HttpMethod[]);
        if (!methods.length) return host;
        register(host, { kind: 'route', methods, path: args[0] ?? unknown('?', 'register() without a path'), pathText: textOf(ctx, 0), handlers: flattenHandlers(args.slice(0, 3), ctx, 2, true), loc: ctx.calleeLoc });
        return host;
      }
      if (method === 'use') {
        const hasPath = args.length > 0 && isPathArg(args[0]!, textOf(ctx, 0), args.length);
        const handlers: Handler[] = flattenHandlers(args, ctx, hasPath ? 1 : 0);
        for (const h of handlers) {
          if (!isDispatch(h.value)) continue;
          const child = (h.value.data as { router: HostV }).router;
          const cd = child.data as HostData;
          cd.mounted = true;
          h.snapshot = { count: cd.layers.length, prefix: cd.prefix, prefixText: cd.prefixText, loc: ctx.calleeLoc };
        }
        register(host, { kind: 'use', methods: [], path: hasPath ? args[0] : undefined, pathText: hasPath ? textOf(ctx, 0) : '', handlers, loc: ctx.calleeLoc });
        return host;
      }
      if (method === 'prefix') {
        // applies to the routes already registered and to later ones (a second call replaces the first)
        if (args[0]) {
          data.prefix = args[0];
          data.prefixText = textOf(ctx, 0);
        }
        return host;
      }
      if (method === 'routes' || method === 'middleware') return dispatchOf(host);
      if (method === 'allowedMethods') return neutralHost('allowedMethods');
      // redirect() registers a route that only redirects: not an endpoint
      if (method === 'param' || method === 'redirect' || method === 'host') return host;
      if (method === '?') {
        const key = `${ctx.loc.file}:${ctx.loc.line}`;
        if (!computedSites.has(key)) {
          computedSites.add(key);
          pctx.notify({ level: 'warning', code: 'computed-method', message: `${key}: a route is registered with a method name not known statically (${ctx.it.text(ctx.node, ctx.mod).split('(')[0]}); it is not in the inventory.`, file: ctx.loc.file, line: ctx.loc.line });
        }
        return unknown('router[?](...)', 'method name not known statically', ctx.loc);
      }
      return undefined;
    };

    const finish = ({ classifier, it }: { classifier: AuthClassifier; it: Interpreter }): CodeEndpoint[] => {
      const endpoints: CodeEndpoint[] = [];
      const visited = new Set<HostV>();
      const lateNotified = new Set<string>();
      const decide = (h: Handler): AuthDecision => decideKoa(classifier, h.value, h.text);
      type Server = { name: string; service: string };

      const toVariants = (v: Value | undefined, text: string, notes: string[]): PathT[] => {
        if (v === undefined) return [[]];
        const r = pathFromValue(v, koaPath, it, text);
        notes.push(...r.notes);
        return r.variants;
      };

      const tooDeep = new Set<string>();
      /** An app's middleware chain, in order. */
      const walkApp = (app: HostV, base: PathT, guards: Guard[], stack: Set<HostV>, server: Server, notes: string[]) => {
        visited.add(app);
        const data = app.data as HostData;
        const n = data.notes ? [...notes, ...data.notes] : notes;
        for (const layer of data.layers) for (const h of layer.handlers) localFailure(pctx.notify, layer.loc, 'this use()', () => useOnApp(h, base, guards, stack, server, n));
      };

      const useOnApp = (h: Handler, base: PathT, guards: Guard[], stack: Set<HostV>, server: Server, notes: string[]) => {
        const v = force(h.value);
        if (stack.size >= MAX_MOUNT_DEPTH) {
          mountTooDeep(pctx.notify, h.loc, tooDeep);
          return;
        }
        if (isDispatch(v)) {
          const r = (v.data as { router: HostV }).router;
          // a router's own middleware runs only for its own matched routes: it gets a copy of the guards so far
          if (!stack.has(r)) walkRouter(r, base, [...guards], new Set(stack).add(r), server, notes);
          return;
        }
        if (isKoa(v, 'mount')) {
          const m = v.data as MountData;
          const ns = [...notes];
          for (const variant of m.path === undefined ? [[]] : toVariants(m.path, m.pathText, ns)) {
            const abs = join(base, variant);
            for (const t of m.targets) {
              const tv = force(t.value);
              if (isApp(tv)) {
                // the mounted app's chain continues into the parent's (koa-mount calls upstream at its end)
                if (!stack.has(tv)) walkApp(tv, abs, guards, new Set(stack).add(tv), server, ns);
              } else if (isDispatch(tv) || isKoa(tv, 'mount')) {
                useOnApp(t, abs, guards, stack, server, ns);
              } else {
                const kind = mountedKind(tv);
                if (kind === 'files') emit('GET', join(abs, [[{ wild: null }]]), m.loc, guards, [], undefined, server, ns);
                else if (kind === 'api') emit('ALL', abs, m.loc, guards, [], undefined, server, ns);
                else guards.push({ path: abs, mode: 'prefix', handler: t, decision: decide(t) });
              }
            }
          }
          return;
        }
        if (isKoa(v, 'neutral')) return;
        guards.push({ path: base, mode: 'prefix', handler: h, decision: decide(h) });
      };

      /** A router's stack, in order; `snap` limits it to what `router.use()` copied into a parent. */
      const walkRouter = (router: HostV, base: PathT, guards: Guard[], stack: Set<HostV>, server: Server, inherited: string[], snap?: Handler['snapshot']) => {
        visited.add(router);
        const data = router.data as HostData;
        const notes0 = data.notes ? [...inherited, ...data.notes] : inherited;
        const layers = snap ? data.layers.slice(0, snap.count) : data.layers;
        if (snap && data.layers.slice(snap.count).some((l) => l.kind === 'route')) {
          const key = `${data.loc.file}:${data.loc.line}@${snap.loc.file}:${snap.loc.line}`;
          if (!lateNotified.has(key)) {
            lateNotified.add(key);
            const late = data.layers.slice(snap.count).find((l) => l.kind === 'route')!;
            pctx.notify({ level: 'note', code: 'koa-route-after-nesting', message: `${late.loc.file}:${late.loc.line}: a route is added to the router created at ${data.loc.file}:${data.loc.line} after ${snap.loc.file}:${snap.loc.line} nested it with use(); Koa routers copy the nested routes at that moment, so it is not served through that mount.`, file: late.loc.file, line: late.loc.line });
          }
        }
        const prefixNotes = [...notes0];
        const prefixes = toVariants(snap ? snap.prefix : data.prefix, snap ? snap.prefixText : data.prefixText, prefixNotes);
        for (const pv of prefixes) {
          const rbase = join(base, pv);
          for (const layer of layers) {
            localFailure(pctx.notify, layer.loc, layer.kind === 'use' ? 'this use()' : 'this route', () => {
              const notes = [...prefixNotes];
              const variants = layer.kind === 'use' && layer.path === undefined ? [[]] : toVariants(layer.path, layer.pathText, notes);
              for (const variant of variants) {
                const abs = join(rbase, variant);
                if (layer.kind === 'use') {
                  for (const h of layer.handlers) {
                    const hv = force(h.value);
                    if (isDispatch(hv)) {
                      const child = (hv.data as { router: HostV }).router;
                      if (stack.has(child)) continue;
                      if (stack.size >= MAX_MOUNT_DEPTH) {
                        // (what lies below is not walked again as if it were served on its own)
                        mountTooDeep(pctx.notify, layer.loc, tooDeep);
                        someBelow(child, mountedOn, (x) => void visited.add(x));
                        continue;
                      }
                      // the child's layers join this router's stack: its middleware guards what follows under its path
                      walkRouter(child, abs, guards, new Set(stack).add(child), server, notes, h.snapshot);
                      continue;
                    }
                    if (isKoa(hv, 'neutral')) continue;
                    // exclusive routers run only the most specific layer: their middleware does not run before a route
                    if (data.exclusive) continue;
                    guards.push({ path: abs, mode: 'prefix', handler: h, decision: decide(h) });
                  }
                  continue;
                }
                routeLayer(layer, abs, guards, server, notes);
              }
            });
          }
        }
      };

      const routeLayer = (layer: Layer, abs: PathT, guards: Guard[], server: Server, notes: string[]) => {
        const hs = layer.handlers;
        if (!hs.length) return;
        const last = hs[hs.length - 1]!;
        if (!layer.methods.includes('ALL') && !hasPattern(abs)) {
          for (const m of layer.methods) emit(m, abs, layer.loc, guards, hs.slice(0, -1), last, server, notes);
          return;
        }
        // matched route layers run in stack order too: `router.all('/api/(.*)', requireAuth)` whose last function
        // passes the request on is a guard for the routes after it, not an endpoint
        const decisions = hs.map(decide);
        const lastV = force(last.value);
        const middlewareFn = lastV.kind === 'fn' && callsNextItself(lastV.node) && (!answers(lastV) || decisions[decisions.length - 1]!.auth === 'required');
        const patternGuard = lastV.kind === 'ext' && decisions.every((d) => d.auth === 'required' || d.auth === 'optional');
        if (middlewareFn || patternGuard) {
          for (const [i, h] of hs.entries()) guards.push({ path: abs, mode: 'exact', methods: layer.methods, handler: h, decision: decisions[i]! });
          return;
        }
        for (const m of layer.methods) emit(m, abs, layer.loc, guards, hs.slice(0, -1), last, server, notes);
      };

      const emit = (method: HttpMethod, abs: PathT, loc: Loc, guards: Guard[], own: Handler[], final: Handler | undefined, server: Server, notes: string[]) => {
        const rendered = render(abs);
        const chain = new AuthChain(rendered, method);
        for (const g of guards) {
          if (g.methods && !g.methods.includes('ALL') && !g.methods.includes(method) && method !== 'ALL') continue;
          if (!covers(g.path, abs, g.mode)) continue;
          chain.add(g.handler, g.decision);
        }
        for (const h of own) chain.add(h, decide(h));
        chain.handler(final, classifier, (fn) => handlerRequiresAuth(classifier, fn));
        endpoints.push({
          method,
          path: rendered,
          framework: PLUGIN,
          service: server.service,
          server: server.name,
          location: { file: loc.file, line: loc.line, column: loc.column },
          middleware: chain.middleware,
          auth: chain.auth,
          evidence: chain.evidence,
          unresolved: holes(abs),
          notes: [...new Set(notes)],
        });
      };

      const serverOf = (h: HostV): Server => {
        const d = h.data as HostData;
        return { name: `${d.loc.file}:${d.loc.line}`, service: pctx.serviceOf(d.loc.file) };
      };
      // apps no other app mounts, then those mounted only in a cycle (app.use(app)), which no walk reached
      for (const cyclic of [false, true]) {
        for (const app of hosts) {
          const d = app.data as HostData;
          if (d.kind !== 'app' || d.mounted !== cyclic || visited.has(app)) continue;
          walkApp(app, [], [], new Set([app]), serverOf(app), []);
        }
      }
      // routers no app the scan can see uses: served under a prefix we do not know (then those used only in a cycle)
      for (const cyclic of [false, true]) {
        for (const r of hosts) {
          const d = r.data as HostData;
          if (visited.has(r) || d.mounted !== cyclic || d.kind !== 'router' || !hasRoutes(r)) continue;
          const hole: PathT = [[{ hole: { text: 'mount', reason: `router created at ${d.loc.file}:${d.loc.line} is not mounted on any app the scan can see`, file: d.loc.file, line: d.loc.line } }]];
          walkRouter(r, hole, [], new Set([r]), serverOf(r), []);
        }
      }
      return preferRealRegistrations(endpoints, STAND_IN);
    };

    return {
      hooks: {
        name: PLUGIN,
        callExternal,
        callHost,
        wantsUncalled: (text) => (/\bnew\s+(Koa|Router|KoaRouter)\s*\(/.test(text) ? 2 : /\.(get|post|put|patch|delete|del|all|use|register)\s*\(\s*['"`\/\[]/.test(text) ? 1 : 0),
        placeholderArg: (text, loc) => {
          if (/:\s*(Koa|Application)\b(?!\.)/.test(text) || /^koaApp\b/.test(text)) return newHost('app', loc, undefined, [`${text.split(/[:=]/)[0]!.trim()} is assumed to be the application: ${STAND_IN}`]);
          if (/\[\]|Array</.test(text)) return undefined;
          if (/:\s*(KoaRouter|Router)\b/.test(text) || /^(router|koaRouter)\b/.test(text)) return newHost('router', loc, undefined, [`${text.split(/[:=]/)[0]!.trim()} stands in for a router: ${STAND_IN}`]);
          return undefined;
        },
      },
      finish,
    };
  },
};

/** `router.get(ROUTE_NAME, paths.users, handler)`: a name constant, then a path we cannot read, then handlers. */
function namedByShape(args: Value[], ctx: CallContext): boolean {
  const a0 = force(args[0]!);
  const a1 = force(args[1]!);
  if (a1.kind !== 'unknown' && a1.kind !== 'ext') return false;
  const n1 = ctx.argNodes[1];
  if (!n1 || n1.type === 'ArrowFunctionExpression' || n1.type === 'FunctionExpression') return false;
  return a0.kind === 'str' && !a0.value.startsWith('/') && /path|url|route/i.test(ctx.it.text(n1, ctx.mod));
}

/** The routers nested in a router with use(). */
function mountedOn(x: HostV): HostV[] {
  return (x.data as HostData).layers.flatMap((l) => l.handlers.flatMap((h) => (isDispatch(h.value) ? [(h.value.data as { router: HostV }).router] : [])));
}

function hasRoutes(r: HostV): boolean {
  return someBelow(r, mountedOn, (x) => (x.data as HostData).layers.some((l) => l.kind === 'route'));
}
