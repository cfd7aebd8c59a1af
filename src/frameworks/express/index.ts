import type { AuthClassifier, AuthDecision } from '../../auth/classify.js';
import type { CodeEndpoint, HttpMethod } from '../../model.js';
import { GLOBAL_EXTERNALS, type CallContext } from '../../resolve/interpreter.js';
import { pathFromValue } from '../../resolve/path-values.js';
import { covers, holes, join, render, type PathT } from '../../resolve/paths.js';
import { force, newId, str, unknown, type ExtV, type HostV, type Loc, type ObjV, type Value, lookupTable } from '../../resolve/values.js';
import type { FrameworkPlugin, PluginContext, PluginRun } from '../types.js';
import { expressPath } from './path-syntax.js';
import { AuthChain, MAX_MOUNT_DEPTH, STAND_IN, flattenHandlers, someBelow, localFailure, mountTooDeep, preferRealRegistrations } from '../shared/chain.js';
import { callsNextItself } from '../../parse/walk.js';

/**
 * Express: apps and routers, `route()` chains, mounts across files, and middleware exactly as Express runs it:
 * a `use` applies to what is registered after it on that app or router, under its path, and (because the request
 * leaves a router through `next()`) to what is mounted later under the same prefix.
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
const CHAINABLE = new Set(['set', 'enable', 'disable', 'engine', 'param', 'disable', 'locals']);

interface Handler {
  value: Value;
  text: string;
  loc: Loc;
}

interface Layer {
  kind: 'route' | 'use';
  methods: HttpMethod[];
  /** Route: the path value(s). Use: the mount path, or undefined for '/'. */
  path?: Value;
  pathText: string;
  /** Where the path argument is written (for type-aware resolution of what the interpreter could not know). */
  pathLoc?: Loc;
  handlers: Handler[];
  loc: Loc;
}

interface RouterData {
  kind: 'app' | 'router';
  loc: Loc;
  layers: Layer[];
  mounted: boolean;
  /** Assumptions behind this app or router (a stand-in for a parameter). */
  notes?: string[];
}

interface RouteData {
  router: HostV;
  path: Value;
  pathText: string;
  pathLoc?: Loc;
}

interface Guard {
  path: PathT;
  mode: 'prefix' | 'exact';
  methods?: HttpMethod[];
  handler: Handler;
  decision: AuthDecision;
}

const PLUGIN = 'express';
/** A file that imports another framework registers that framework's routes, even on something called `app`. */
const OTHER_FRAMEWORK = /from\s+['"](hono|hono\/[\w-]+|@hono\/[\w-]+|fastify|koa|@koa\/router|koa-router|@hapi\/hapi|hapi|@nestjs\/[\w-]+|next|next\/server)['"]|require\(\s*['"](fastify|koa|@koa\/router|koa-router|@hapi\/hapi|hapi|hono)['"]\s*\)/;
const OTHER_FRAMEWORK_TYPE = /:\s*(Hono|OpenAPIHono|Fastify\w*|Koa\w*|Router\.\w+|Hapi\.\w+|Server<|NestExpressApplication|INestApplication)\b/;

/** Packages that take an app without adding routes to it: servers, serverless adapters, test clients. */
const SERVES_APP_AS_IS = /^(http|https|http2|spdy|util|events|serverless-http|@vendia\/serverless-express|@codegenie\/serverless-express|aws-serverless-express|@h4ad\/serverless-adapter|supertest|express-list-endpoints|express-list-routes)$/;

function isRouter(v: Value): v is HostV {
  return v.kind === 'host' && v.plugin === PLUGIN && v.tag !== 'route';
}



/** Is the first argument of `use(...)` a path (rather than a middleware)? */
function isPathArg(v: Value, text: string, argc: number): boolean {
  const f = force(v);
  if (f.kind === 'str' || f.kind === 'pstr' || f.kind === 'regex') return true;
  if (f.kind === 'arr') return f.items.length > 0 && f.items.every((x) => ['str', 'pstr', 'regex'].includes(force(x).kind));
  if ((f.kind === 'unknown' || f.kind === 'ext') && argc > 1) {
    if (/middleware|auth|guard|handler|cors|limit|parser|logger|session|passport|helmet/i.test(text)) return false;
    return /prefix|path|url|base|route|mount|api|version|env|endpoint/i.test(text);
  }
  return false;
}

/** Terminal middleware mounted at a path serves requests itself (GraphQL, API docs). */
function terminalName(v: Value): string | undefined {
  const f = force(v);
  if (f.kind === 'ext') {
    const sig = f.chain.map((s) => ('prop' in s ? s.prop : '()')).join('.');
    if (/graphql/i.test(f.module) || /^(@apollo\/server|apollo-server-express)/.test(f.module)) return f.module;
    if (f.module === 'swagger-ui-express' && /setup/.test(sig)) return 'swagger-ui-express';
    if (/^(@trpc\/server|trpc)/.test(f.module)) return f.module;
    // file servers mounted at a path: a directory listing and static files are served to whoever asks
    if (f.module === 'serve-index' || f.module === 'serve-static' || (f.module === 'express' && /^static/.test(sig))) return f.module;
  }
  return undefined;
}

export const expressPlugin: FrameworkPlugin = {
  name: PLUGIN,
  packages: ['express'],
  // files that use express as a value (not only its types), or register routes on something called app/router
  // (factories loaded dynamically)
  isEntry: (text) => usesExpress(text) || (/\b(app|router|server|api)\.(get|post|put|patch|delete|all|use|route)\s*\(\s*['"`]/.test(text) && !OTHER_FRAMEWORK.test(text)),
  start(pctx: PluginContext): PluginRun {
    const routers: HostV[] = [];
    const computedSites = new Set<string>();

    const newRouter = (kind: 'app' | 'router', loc: Loc, notes?: string[]): HostV => {
      const data: RouterData = { kind, loc, layers: [], mounted: false, notes };
      const h: HostV = { kind: 'host', plugin: PLUGIN, tag: kind, data, id: newId() };
      routers.push(h);
      return h;
    };

    const callExternal = (callee: ExtV, args: Value[], ctx: CallContext): Value | undefined => {
      if (callee.module !== 'express') {
        handedToPackage(callee, args, ctx);
        return undefined;
      }
      const props = callee.chain.map((s) => ('prop' in s ? s.prop : s && 'call' in s ? '()' : 'new'));
      const sig = props.join('.');
      if (sig === '' || sig === 'default') return newRouter('app', ctx.loc);
      if (sig === 'Router' || sig === 'default.Router') return newRouter('router', ctx.loc);
      return undefined;
    };

    /**
     * An app given to a package (Apollo's applyMiddleware({ app }), finale.initialize({ app }), routing-controllers'
     * useExpressServer(app)) gets routes we cannot see: say so, and model the ones whose path is in the call.
     */
    const handedToPackage = (callee: ExtV, args: Value[], ctx: CallContext) => {
      const hosts: HostV[] = [];
      let opts: ObjV | undefined;
      for (const a of args) {
        const f = force(a);
        if (isRouter(f)) hosts.push(f);
        else if (f.kind === 'obj') {
          for (const v of f.props.values()) {
            const fv = force(v);
            if (isRouter(fv)) {
              hosts.push(fv);
              opts = f;
            }
          }
        }
      }
      if (!hosts.length || SERVES_APP_AS_IS.test(callee.module) || GLOBAL_EXTERNALS.has(callee.module)) return;
      const last = callee.chain[callee.chain.length - 1];
      const method = last && 'prop' in last ? last.prop : '';
      if (method === 'applyMiddleware' && /apollo|graphql/i.test(callee.module)) {
        const p = opts?.props.get('path');
        const path = p ? force(p) : str('/graphql');
        for (const h of hosts) register(h, { kind: 'use', methods: [], path, pathText: ctx.it.text(ctx.node, ctx.mod), handlers: [{ value: callee, text: `${callee.module} applyMiddleware`, loc: ctx.calleeLoc }], loc: ctx.calleeLoc });
        return;
      }
      pctx.notify({
        level: 'warning',
        code: 'app-passed-to-package',
        message: `${ctx.loc.file}:${ctx.loc.line}: an Express app or router is handed to '${callee.module}' (${callee.text.replace(/\(\.\.\.\)$/, '')}); routes that package registers are not in the inventory.`,
        file: ctx.loc.file,
        line: ctx.loc.line,
      });
    };

    const register = (router: HostV, layer: Layer) => {
      (router.data as RouterData).layers.push(layer);
    };

    const callHost = (host: HostV, method: string, args: Value[], ctx: CallContext): Value | undefined => {
      if (host.plugin !== PLUGIN) return undefined;
      if (host.tag === 'route') {
        const rd = host.data as RouteData;
        const verb = VERBS[method.toLowerCase()];
        if (verb) {
          register(rd.router, { kind: 'route', methods: [verb], path: rd.path, pathText: rd.pathText, pathLoc: rd.pathLoc, handlers: flattenHandlers(args, ctx, 0, true), loc: ctx.calleeLoc });
        }
        return host;
      }
      const verb = VERBS[method];
      if (verb) {
        if (method === 'get' && args.length < 2) return unknown(`get(...)`, 'app setting');
        const pathNode = ctx.argNodes[0];
        const pathText = pathNode ? ctx.it.text(pathNode, ctx.mod) : '?';
        // registered by a helper with a path it was handed: the helper's caller is where the route is declared
        const loc = (pathNode?.type === 'Identifier' && ctx.it.callerOfParam(pathNode.name)) || ctx.calleeLoc;
        register(host, { kind: 'route', methods: [verb], path: args[0], pathText, pathLoc: pathNode ? ctx.it.loc(pathNode, ctx.mod) : undefined, handlers: flattenHandlers(args, ctx, 1, true), loc });
        return host;
      }
      if (method === 'use') {
        const firstText = ctx.argNodes[0] ? ctx.it.text(ctx.argNodes[0], ctx.mod) : '';
        const hasPath = args.length > 0 && isPathArg(args[0]!, firstText, args.length);
        const handlers = flattenHandlers(args, ctx, hasPath ? 1 : 0);
        for (const h of handlers) if (isRouter(h.value)) (h.value.data as RouterData).mounted = true;
        register(host, { kind: 'use', methods: [], path: hasPath ? args[0] : undefined, pathText: hasPath ? firstText : '', pathLoc: hasPath && ctx.argNodes[0] ? ctx.it.loc(ctx.argNodes[0], ctx.mod) : undefined, handlers, loc: ctx.calleeLoc });
        return host;
      }
      if (method === 'route') {
        const pathText = ctx.argNodes[0] ? ctx.it.text(ctx.argNodes[0], ctx.mod) : '?';
        const data: RouteData = { router: host, path: args[0] ?? unknown('?', 'route() without a path'), pathText, pathLoc: ctx.argNodes[0] ? ctx.it.loc(ctx.argNodes[0], ctx.mod) : undefined };
        return { kind: 'host', plugin: PLUGIN, tag: 'route', data, id: newId() };
      }
      if (CHAINABLE.has(method)) return host;
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

    const finish = ({ classifier, it }: { classifier: AuthClassifier; it: CallContext['it'] }): CodeEndpoint[] => {
      const endpoints: CodeEndpoint[] = [];
      const visited = new Set<HostV>();
      const tooDeep = new Set<string>();
      const decide = (h: Handler): AuthDecision => classifier.classify(h.value, h.text);

      const toVariants = (v: Value | undefined, text: string, notes: string[], site: Loc): PathT[] => {
        if (v === undefined) return [[]];
        const r = pathFromValue(v, expressPath, it, text, { file: site.file, line: site.line });
        notes.push(...r.notes);
        return r.variants;
      };

      const walk = (router: HostV, prefix: PathT, guards: Guard[], stack: Set<HostV>, server: { name: string; service: string }, inheritedNotes: string[]) => {
        visited.add(router);
        const data = router.data as RouterData;
        const prefixNotes = data.notes ? [...inheritedNotes, ...data.notes] : inheritedNotes;
        for (const layer of data.layers) {
          localFailure(pctx.notify, layer.loc, layer.kind === 'use' ? 'this use()' : 'this route', () => walkLayer(layer, prefix, guards, stack, server, prefixNotes));
        }
      };

      const walkLayer = (layer: Layer, prefix: PathT, guards: Guard[], stack: Set<HostV>, server: { name: string; service: string }, prefixNotes: string[]) => {
        {
          const notes = [...prefixNotes];
          const variants = layer.kind === 'use' && layer.path === undefined ? [[]] : toVariants(layer.path, layer.pathText, notes, layer.pathLoc ?? layer.loc);
          for (const variant of variants) {
            const abs = join(prefix, variant);
            if (layer.kind === 'use') {
              const last = layer.handlers[layer.handlers.length - 1];
              for (const h of layer.handlers) {
                if (isRouter(h.value)) {
                  if (stack.has(h.value)) continue;
                  if (stack.size >= MAX_MOUNT_DEPTH) {
                    // (what lies below is not walked again as if it were served on its own)
                    mountTooDeep(pctx.notify, layer.loc, tooDeep);
                    someBelow(h.value, mountedOn, (x) => void visited.add(x));
                    continue;
                  }
                  const next = new Set(stack).add(h.value);
                  walk(h.value, abs, guards, next, server, notes);
                  continue;
                }
                const term = h === last && layer.path !== undefined ? terminalKind(h.value) : undefined;
                if (term === 'redirect') continue;
                if (term) {
                  // the middleware before it in this use() were pushed as guards just above; file servers answer
                  // GET/HEAD for everything below their path, APIs (GraphQL, ...) any method at it
                  if (term === 'files') emit('GET', join(abs, [[{ wild: null }]]), layer, guards, [], undefined, server, notes, classifier);
                  else emit('ALL', abs, layer, guards, [], undefined, server, notes, classifier);
                  continue;
                }
                guards.push({ path: abs, mode: 'prefix', handler: h, decision: decide(h) });
              }
              continue;
            }
            const hs = layer.handlers;
            if (!hs.length) continue;
            const last = hs[hs.length - 1]!;
            // whether the last handler only passes requests on matters for patterns and all() (`app.all('/api/*',
            // requireAuth)`); elsewhere it is the handler, not read unless its own auth check is needed
            if (!layer.methods.includes('ALL') && !hasPattern(abs)) {
              for (const m of layer.methods) emit(m, abs, layer, guards, hs.slice(0, -1), last, server, notes, classifier);
              continue;
            }
            const decisions = hs.map(decide);
            const lastV = force(last.value);
            // a route whose last handler only passes the request on (`router.all('/*', setLocals)`) is middleware;
            // so is a known auth guard on a pattern (`app.all('/api/*', requireAuth)`). Neither serves anything.
            const middlewareFn = lastV.kind === 'fn' && callsNextItself(lastV.node) && (!answers(lastV) || decisions[decisions.length - 1]!.auth === 'required');
            const patternGuard = lastV.kind === 'ext' && (layer.methods.includes('ALL') || hasPattern(abs)) && decisions.every((d) => d.auth === 'required' || d.auth === 'optional');
            if (middlewareFn || patternGuard) {
              for (const [i, h] of hs.entries()) guards.push({ path: abs, mode: 'exact', methods: layer.methods, handler: h, decision: decisions[i]! });
              continue;
            }
            for (const m of layer.methods) emit(m, abs, layer, guards, hs.slice(0, -1), hs[hs.length - 1], server, notes, classifier);
          }
        }
      };

      const emit = (method: HttpMethod, abs: PathT, layer: Layer, guards: Guard[], own: Handler[], final: Handler | undefined, server: { name: string; service: string }, notes: string[], cl: AuthClassifier) => {
        const rendered = render(abs);
        const chain = new AuthChain(rendered, method);
        for (const g of guards) {
          if (g.methods && !g.methods.includes('ALL') && !g.methods.includes(method) && method !== 'ALL') continue;
          if (!covers(g.path, abs, g.mode)) continue;
          chain.add(g.handler, g.decision);
        }
        for (const h of own) chain.add(h, cl.classify(h.value, h.text));
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

      const apps = routers.filter((r) => (r.data as RouterData).kind === 'app' && !(r.data as RouterData).mounted);
      for (const app of apps) {
        const d = app.data as RouterData;
        walk(app, [], [], new Set([app]), { name: `${d.loc.file}:${d.loc.line}`, service: pctx.serviceOf(d.loc.file) }, []);
      }
      // routers that no app we can see mounts: their routes are served under a prefix we do not know; then those
      // mounted only in a cycle (an app that uses itself, two routers that use each other), which no walk reached
      for (const cyclic of [false, true]) {
        for (const r of routers) {
          const d = r.data as RouterData;
          if (visited.has(r) || d.mounted !== cyclic || !hasRoutes(r)) continue;
          const hole: PathT = [[{ hole: { text: 'mount', reason: `router created at ${d.loc.file}:${d.loc.line} is not mounted on any app the scan can see`, file: d.loc.file, line: d.loc.line } }]];
          walk(r, d.kind === 'app' ? [] : hole, [], new Set([r]), { name: `${d.loc.file}:${d.loc.line}`, service: pctx.serviceOf(d.loc.file) }, []);
        }
      }
      return preferRealRegistrations(endpoints, STAND_IN);
    };

    return {
      hooks: {
        name: PLUGIN,
        callExternal,
        callHost,
        wantsUncalled: (text, fileText) => {
          // a function in a file of another framework registers that framework's routes
          if (fileText !== undefined && !usesExpress(fileText) && OTHER_FRAMEWORK.test(fileText)) return 0;
          return /\bexpress\s*\(|\bRouter\s*\(/.test(text) ? 2 : /\.(get|post|put|patch|delete|del|all|use|route)\s*\(\s*['"`\/\[]/.test(text) ? 1 : 0;
        },
        placeholderArg: (text, loc) => {
          // `(app: Hono)`, `(fastify: FastifyInstance)`: another framework's app, not ours
          if (OTHER_FRAMEWORK_TYPE.test(text)) return undefined;
          if (/^(app|server|application|expressApp)\b|:\s*(express\.)?(Express|Application)\b/.test(text)) {
            return newRouter('app', loc, [`${text.split(/[:=]/)[0]!.trim()} is assumed to be the application: ${STAND_IN}`]);
          }
          if (/\[\]|Array</.test(text)) return undefined;
          if (/^(router|api)\b|:\s*(express\.)?Router\b/.test(text)) return newRouter('router', loc, [`${text.split(/[:=]/)[0]!.trim()} stands in for a router: ${STAND_IN}`]);
          return undefined;
        },
      },
      finish,
    };
  },
};

/**
 * Does the file use express as a value? `import { Request, Response } from 'express'` (types only, in nearly every
 * controller of a TypeScript app) does not count; a default or namespace import, `require('express')`, `Router`,
 * `express.Router()` do.
 */
export function usesExpress(text: string): boolean {
  if (!/['"]express['"]/.test(text)) return false;
  if (/require\s*\(\s*['"]express['"]\s*\)|import\s*\(\s*['"]express['"]\s*\)/.test(text)) return true;
  const re = /import\s+(type\s+)?([^'";]*?)\s+from\s+['"]express['"]|export\s+[^'";]*from\s+['"]express['"]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[0].startsWith('export')) return true;
    if (m[1]) continue;
    const clause = m[2]!.trim();
    if (!clause.startsWith('{')) return true; // default or namespace import
    const names = clause.replace(/[{}]/g, '').split(',').map((x) => x.trim()).filter(Boolean);
    if (names.some((n) => !n.startsWith('type ') && /^(Router|json|urlencoded|static|raw|text|default)\b/.test(n))) return true;
  }
  return false;
}

/** The routers mounted on an app or router. */
function mountedOn(x: HostV): HostV[] {
  return (x.data as RouterData).layers.flatMap((l) => l.handlers.map((h) => h.value).filter(isRouter));
}

function hasRoutes(r: HostV): boolean {
  return someBelow(r, mountedOn, (x) => (x.data as RouterData).layers.some((l) => l.kind === 'route'));
}

/** A closure mounted with `use(path, fn)` that has no `next` parameter answers requests itself. */
function fnText(f: Value): string | undefined {
  return f.kind === 'fn' && f.node.start != null && f.node.end != null ? f.mod.text.slice(f.node.start, f.node.end) : undefined;
}

const ANSWERS = /\b(res|response)\s*\.\s*(send|json|jsonp|end|render|redirect|sendFile|sendStatus|download|write|status)\s*\(/;

function answers(f: Value): boolean {
  const text = fnText(f);
  return text !== undefined && ANSWERS.test(text);
}

function hasPattern(p: PathT): boolean {
  return p.some((seg) => seg.some((pc) => 'wild' in pc || 'hole' in pc));
}

/**
 * What a handler mounted with `use(path, ...)` as the last one does: serve files, serve an API (GraphQL, tRPC, a
 * closure that answers and never passes on), only redirect / answer 404 (not an endpoint), or nothing of the sort.
 */
function terminalKind(v: Value): 'files' | 'api' | 'redirect' | undefined {
  const name = terminalName(v);
  if (name) return /^(serve-index|serve-static|express)$/.test(name) ? 'files' : 'api';
  const f = force(v);
  const text = fnText(f);
  if (f.kind !== 'fn' || text === undefined) return undefined;
  const passes = callsNextItself(f.node);
  if (passes || !ANSWERS.test(text)) return undefined;
  // only redirects, or only answers 404/405 (a fallback): not an endpoint of its own
  const sendsContent = /\b(res|response)\s*\.\s*(send|json|jsonp|render|sendFile|download|write|end)\s*\(/.test(text);
  if (/\b(res|response)\s*\.\s*redirect\s*\(/.test(text) && !sendsContent) return 'redirect';
  const fallback = /\bstatus\s*\(\s*40[45]\s*\)/.test(text) && !/\bstatus\s*\(\s*2\d\d/.test(text) && !/\b(res|response)\s*\.\s*(render|sendFile|download)\s*\(/.test(text) && (text.match(/\.(send|json|end)\s*\(/g) ?? []).length <= 1;
  return fallback ? 'redirect' : 'api';
}
