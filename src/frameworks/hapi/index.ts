import path from 'node:path';
import { localFailure, preferRealRegistrations } from '../shared/chain.js';
import type { AuthClassifier, Verdict } from '../../auth/classify.js';
import { combine } from '../../auth/classify.js';
import type { AuthEvidence, AuthState, CodeEndpoint, HttpMethod } from '../../model.js';
import type { CallContext, Interpreter } from '../../resolve/interpreter.js';
import { pathFromValue } from '../../resolve/path-values.js';
import { holes, render } from '../../resolve/paths.js';
import { UNDEF, asString, concat, force, newId, obj, str, unknown, type ExtV, type FnV, type HostV, type Loc, type ObjV, type Value, lookupTable } from '../../resolve/values.js';
import type { FrameworkPlugin, PluginContext, PluginRun } from '../types.js';
import { hapiPath } from './path-syntax.js';

/**
 * hapi: `Hapi.server()` / `new Hapi.Server()`, `server.route(config | config[])`, plugins registered with
 * `server.register()` (each gets a child server whose realm carries the route prefix; prefixes nest), Glue manifests,
 * and auth as hapi decides it: a route's own `auth` config, else the server's default strategy.
 *
 * Auth rules (hapi API, `server.auth.default()`):
 * - a route with no `auth` config uses the server default at request time, so a default set AFTER the route was
 *   added still applies to it;
 * - a route whose `auth` config names no strategy (`{ mode: 'try' }`, `{ access: ... }`) is merged with the default
 *   when the route is added: a default set later does not help (hapi refuses to start: unknown here);
 * - `auth: false` → none; a strategy in mode 'required' (the default mode) → required; 'optional' / 'try' → optional;
 * - a strategy of the `bell` scheme (third-party sign-in) is a login flow open to anonymous callers → none.
 */

const PLUGIN = 'hapi';
const STAND_IN = 'the function that registers these routes is not called by code the scan can see';

const VERBS = lookupTable<HttpMethod>({
  GET: 'GET',
  POST: 'POST',
  PUT: 'PUT',
  PATCH: 'PATCH',
  DELETE: 'DELETE',
  OPTIONS: 'OPTIONS',
  HEAD: 'HEAD',
  TRACE: 'TRACE',
  '*': 'ALL',
});

/** Auth schemes of well-known plugins: scheme name → package, and whether it is a sign-in flow. */
const SCHEMES = lookupTable<{ pkg: string; login?: boolean }>({
  basic: { pkg: '@hapi/basic' },
  jwt: { pkg: 'hapi-auth-jwt2 / @hapi/jwt' },
  cookie: { pkg: '@hapi/cookie' },
  bell: { pkg: '@hapi/bell', login: true },
  hawk: { pkg: '@hapi/hawk' },
  bewit: { pkg: '@hapi/hawk' },
  'bearer-access-token': { pkg: 'hapi-auth-bearer-token' },
  'hapi-now-auth': { pkg: '@now-ims/hapi-now-auth' },
  'keycloak-jwt': { pkg: 'hapi-auth-keycloak' },
});

interface Strategy {
  scheme: Value;
  loc: Loc;
}

/** What a route's (or the default's) auth config says, before strategies are looked up. */
type AuthSpec =
  | { kind: 'default' }
  | { kind: 'off'; text: string; loc: Loc }
  | { kind: 'strategies'; names: Value[]; mode: Value | undefined; text: string; loc: Loc; viaDefault?: boolean }
  | { kind: 'unknown'; text: string; reason: string; loc: Loc };

interface RouteRec {
  methods: HttpMethod[];
  path: Value;
  pathText: string;
  loc: Loc;
  root: HostV;
  realm: HostV;
  auth: AuthSpec;
  handler?: { value: Value; text: string; loc: Loc };
  pre: Array<{ value: Value; text: string; loc: Loc }>;
  notes: string[];
}

interface RootData {
  loc: Loc;
  strategies: Map<string, Strategy>;
  default?: { spec: AuthSpec; loc: Loc };
  exts: Array<{ value: Value; text: string; loc: Loc; realm?: HostV }>;
  /** A stand-in for a `server` parameter of a function nothing calls. */
  notes?: string[];
}

interface ServerData {
  root: HostV;
  /** The realm object (`server.realm`): `modifiers.route.prefix` is read when a route is added. */
  realm: ObjV;
  parent?: HostV;
}

function prop(o: Value | undefined, key: string): Value | undefined {
  const f = o ? force(o) : undefined;
  if (!f || f.kind !== 'obj') return undefined;
  const v = f.props.get(key);
  if (v === undefined) return undefined;
  const fv = force(v);
  return fv.kind === 'undef' ? undefined : fv;
}

function realmPrefix(realm: ObjV): Value | undefined {
  return prop(prop(prop(realm, 'modifiers'), 'route'), 'prefix');
}

function newRealm(prefix: Value | undefined): ObjV {
  const route = obj(prefix ? [['prefix', prefix]] : []);
  return obj([
    ['modifiers', obj([['route', route]])],
    ['plugins', obj([], true)],
    ['settings', obj([], true)],
  ]);
}

export const hapiPlugin: FrameworkPlugin = {
  name: PLUGIN,
  packages: ['@hapi/hapi', 'hapi'],
  // files that import hapi or Glue, or add hapi route objects (`server.route({ method, path, handler })`) to a server
  // they are given; other frameworks' `server.route()` / `server.register()` do not count
  isEntry: (text) =>
    /(?:require\s*\(\s*|from\s+|import\s*\(\s*)['"](@hapi\/hapi|hapi|@hapi\/glue|glue)['"]/.test(text) ||
    (/\bserver\.route\s*\(/.test(text) && /\bpath\s*:/.test(text) && /\bhandler\b/.test(text) && !/['"](fastify|express|koa|@koa\/router|hono)['"]/.test(text)),
  start(pctx: PluginContext): PluginRun {
    const roots: HostV[] = [];
    const routes: RouteRec[] = [];
    const computedSites = new Set<string>();

    const newRoot = (loc: Loc, notes?: string[]): HostV => {
      const rootData: RootData = { loc, strategies: new Map(), exts: [], notes };
      const root: HostV = { kind: 'host', plugin: PLUGIN, tag: 'root', data: rootData, id: newId() };
      roots.push(root);
      const data: ServerData = { root, realm: newRealm(undefined) };
      return { kind: 'host', plugin: PLUGIN, tag: 'server', data, id: newId() };
    };
    const newChild = (parent: HostV, prefix: Value | undefined): HostV => {
      const pd = parent.data as ServerData;
      const data: ServerData = { root: pd.root, realm: newRealm(prefix), parent };
      return { kind: 'host', plugin: PLUGIN, tag: 'server', data, id: newId() };
    };

    const textOf = (ctx: CallContext, i: number) => (ctx.argNodes[i] ? ctx.it.text(ctx.argNodes[i]!, ctx.mod) : '?');

    const callExternal = (callee: ExtV, args: Value[], ctx: CallContext): Value | undefined => {
      const props = callee.chain.map((s) => ('prop' in s ? s.prop : 'call' in s ? '()' : 'new'));
      while (props[0] === 'default') props.shift();
      const sig = props.join('.');
      if (callee.module === '@hapi/hapi' || callee.module === 'hapi') {
        if (sig === 'server' || sig === 'Server') return newRoot(ctx.loc);
        return undefined;
      }
      if ((callee.module === '@hapi/glue' || callee.module === 'glue') && sig === 'compose') return compose(args, ctx);
      // Confidence stores hold Glue manifests: `new Confidence.Store(doc).get('/', criteria)`
      if (/^(confidence|@hapipal\/confidence)$/.test(callee.module) && sig === 'Store' && ctx.isNew) {
        return { kind: 'host', plugin: PLUGIN, tag: 'confidence', data: args[0] ?? UNDEF, id: newId() };
      }
      return undefined;
    };

    // ------------------------------------------------------------------ plugins

    /** `server.register(plugins, options)`: each plugin's register() runs with a child server carrying its prefix. */
    const register = (server: HostV, pluginsArg: Value | undefined, optionsArg: Value | undefined, ctx: CallContext, resolveString?: (spec: string) => Value | undefined) => {
      const sd = server.data as ServerData;
      const parentPrefix = realmPrefix(sd.realm);
      let optPrefix = prop(prop(optionsArg, 'routes'), 'prefix');
      const hole = (v: Value) => ctx.it.holeOf(v, 'prefix');
      // a plugin registered by a plugin: its prefix is appended to the parent's (hapi's register())
      if (parentPrefix) optPrefix = optPrefix ? concat(parentPrefix, optPrefix, hole) : parentPrefix;
      const items: Value[] = [];
      const flat = (v: Value | undefined) => {
        const f = v ? force(v) : UNDEF;
        if (f.kind === 'arr') f.items.forEach(flat);
        else items.push(f);
      };
      flat(pluginsArg);
      for (const item of items) {
        let plugin: Value = item;
        let options: Value | undefined;
        let itemPrefix: Value | undefined;
        if (item.kind === 'str' && resolveString) {
          plugin = resolveString(item.value) ?? UNDEF;
        } else if (item.kind === 'obj') {
          const p = prop(item, 'plugin');
          const r = prop(item, 'register');
          if (p) {
            // { plugin, options, routes } (plugin may be a required module: { plugin: { register } })
            plugin = p.kind === 'str' && resolveString ? (resolveString(p.value) ?? UNDEF) : p;
            options = prop(item, 'options');
            itemPrefix = prop(prop(item, 'routes'), 'prefix');
          } else if (r && r.kind === 'obj') {
            // hapi 16: { register: require('./plugin'), options, routes }
            plugin = r;
            options = prop(item, 'options');
            itemPrefix = prop(prop(item, 'routes'), 'prefix');
          }
        }
        plugin = force(plugin);
        // a module whose export is `plugin` (exports.plugin = { name, register })
        for (let i = 0; i < 3 && plugin.kind === 'obj' && !prop(plugin, 'register'); i++) {
          const inner = prop(plugin, 'plugin') ?? prop(plugin, 'default');
          if (!inner) break;
          plugin = inner;
        }
        const registerFn = plugin.kind === 'fn' ? plugin : prop(plugin, 'register');
        if (!registerFn || registerFn.kind !== 'fn') continue;
        // an item's own routes.prefix replaces the one given to register(), as hapi does
        const child = newChild(server, itemPrefix ?? optPrefix);
        ctx.it.callFunction(registerFn as FnV, [child, options ?? obj(), UNDEF], plugin.kind === 'obj' ? plugin : UNDEF, ctx.loc);
      }
    };

    /** Glue: `Glue.compose(manifest, { relativeTo })` creates a server and registers the manifest's plugins. */
    const compose = (args: Value[], ctx: CallContext): Value => {
      const server = newRoot(ctx.loc);
      const manifest = args[0] ? force(args[0]) : UNDEF;
      const reg = prop(manifest, 'register');
      if (!reg) return server;
      const fromDir = relativeDir(args[1], ctx);
      const resolveString = (spec: string): Value | undefined => {
        if (!spec.startsWith('.')) return undefined; // a package: its routes are not read
        if (fromDir === undefined) return unknown(spec, 'Glue relativeTo not known statically');
        let rel = path.posix.relative(path.posix.dirname(ctx.mod.file), path.posix.join(fromDir, spec));
        if (!rel.startsWith('.')) rel = './' + rel;
        return ctx.it.requireModule(ctx.mod, rel, ctx.loc);
      };
      register(server, prop(reg, 'plugins'), prop(reg, 'options'), ctx, resolveString);
      return server;
    };

    /** Directory (repo-relative) a Glue manifest's plugin paths are relative to. */
    const relativeDir = (opts: Value | undefined, ctx: CallContext): string | undefined => {
      const here = path.posix.dirname(ctx.mod.file);
      const optsNode = ctx.argNodes[1];
      if (!opts || force(opts).kind !== 'obj') return pctx.serviceOf(ctx.mod.file); // process.cwd(): the package directory
      const rv = prop(opts, 'relativeTo');
      if (rv && rv.kind === 'str' && !path.isAbsolute(rv.value)) return path.posix.join(pctx.serviceOf(ctx.mod.file), rv.value);
      const text = optsNode ? ctx.it.text(optsNode, ctx.mod) : '';
      const m = /relativeTo\s*:\s*(?:__dirname\b|(?:path\.)?(?:join|resolve)\(\s*__dirname\s*(?:,\s*['"]([^'"]*)['"]\s*)?\))/.exec(text);
      if (m) return path.posix.join(here, m[1] ?? '');
      if (/relativeTo\s*:\s*(?:process\.cwd\(\)|['"]\.['"])/.test(text) || !/relativeTo/.test(text)) return pctx.serviceOf(ctx.mod.file);
      return undefined;
    };

    // ------------------------------------------------------------------ routes

    const readAuth = (v: Value | undefined, loc: Loc, text: string, rootData: RootData): AuthSpec => {
      if (v === undefined) return { kind: 'default' };
      const f = force(v);
      if (f.kind === 'bool' && !f.value) return { kind: 'off', text, loc };
      if (f.kind === 'str') return { kind: 'strategies', names: [f], mode: undefined, text, loc };
      if (f.kind === 'obj') {
        const one = prop(f, 'strategy');
        const many = prop(f, 'strategies');
        const mode = prop(f, 'mode');
        if (one || many) {
          const names = one ? [one] : many!.kind === 'arr' ? many!.items.map(force) : [many!];
          return { kind: 'strategies', names, mode, text, loc };
        }
        // no strategy: merged with the default as it is when the route is added
        const d = rootData.default;
        if (!d) {
          if (rootData.notes) return { kind: 'unknown', text, reason: 'auth config names no strategy, and the server default is not visible', loc };
          return { kind: 'unknown', text, reason: 'auth config names no strategy and no default strategy is set when the route is added (hapi refuses to start)', loc };
        }
        if (d.spec.kind !== 'strategies') return d.spec;
        return { kind: 'strategies', names: d.spec.names, mode: mode ?? d.spec.mode, text: `${text} with the default ${d.spec.text}`, loc, viaDefault: true };
      }
      const reason = f.kind === 'unknown' ? f.reason : f.kind === 'ext' ? (f.module === 'process' ? 'environment variable, not known statically' : `value from package '${f.module}'`) : `auth config is a ${f.kind} value`;
      return { kind: 'unknown', text: text || 'auth', reason, loc };
    };

    const addRoute = (server: HostV, cfg: Value, ctx: CallContext, fallbackLoc: Loc) => {
      const sd = server.data as ServerData;
      const rootData = sd.root.data as RootData;
      const f = force(cfg);
      const loc = (f.kind === 'obj' && f.loc) || fallbackLoc;
      if (f.kind !== 'obj') {
        const key = `${loc.file}:${loc.line}`;
        if (!computedSites.has(key)) {
          computedSites.add(key);
          pctx.notify({ level: 'warning', code: 'computed-method', message: `${key}: a hapi route is registered with a config not known statically (${f.kind === 'unknown' ? f.text : f.kind}); it is not in the inventory.`, file: loc.file, line: loc.line });
        }
        return;
      }
      let options = prop(f, 'options') ?? prop(f, 'config');
      if (options?.kind === 'fn') options = force(ctx.it.callFunction(options, [server], UNDEF, loc));
      const methodV = prop(f, 'method');
      const methods: HttpMethod[] = [];
      const list = methodV?.kind === 'arr' ? methodV.items.map(force) : methodV ? [methodV] : [];
      let unknownMethod = !list.length;
      const custom: string[] = [];
      for (const m of list) {
        const s = asString(m)?.toUpperCase();
        const verb = s ? VERBS[s] : undefined;
        if (verb) methods.push(verb);
        else if (s) custom.push(s);
        else unknownMethod = true;
      }
      // a method name written out but not one of HTTP's (`method: 'constructor'`): served by nothing we list
      if (custom.length) pctx.notify({ level: 'note', code: 'custom-method', message: `${loc.file}:${loc.line}: a hapi route is registered for the non-standard method(s) ${custom.join(', ')}; it is not in the inventory.`, file: loc.file, line: loc.line });
      if (custom.length && !methods.length && !unknownMethod) return;
      if (unknownMethod && !methods.length) {
        const key = `${loc.file}:${loc.line}`;
        if (!computedSites.has(key)) {
          computedSites.add(key);
          pctx.notify({ level: 'warning', code: 'computed-method', message: `${key}: a hapi route's method is not known statically; it is not in the inventory.`, file: loc.file, line: loc.line });
        }
        return;
      }
      // hapi requires a path (a `url` is another framework's route object)
      const pathV = prop(f, 'path');
      if (!pathV) return;
      const prefix = realmPrefix(sd.realm);
      const hole = (v: Value) => ctx.it.holeOf(v, 'prefix');
      // hapi: prefix + path, and a route at '/' is served at the prefix itself
      const full = prefix ? (pathV.kind === 'str' && pathV.value === '/' ? prefix : concat(prefix, pathV, hole)) : pathV;
      const authV = options && (options.kind === 'obj' ? (options.props.has('auth') ? force(options.props.get('auth')!) : undefined) : unknown('options', 'route options not known statically'));
      const authLoc = options?.kind === 'obj' ? options.loc ?? loc : loc;
      const handlerV = prop(f, 'handler') ?? prop(options, 'handler');
      const preV = prop(options, 'pre');
      const pre: RouteRec['pre'] = [];
      const flatPre = (v: Value | undefined, depth = 0) => {
        const p = v ? force(v) : undefined;
        if (!p) return;
        if (p.kind === 'arr') return depth > 32 ? undefined : p.items.forEach((x) => flatPre(x, depth + 1));
        const m = p.kind === 'obj' ? prop(p, 'method') : p;
        const assign = p.kind === 'obj' ? asString(prop(p, 'assign') ?? UNDEF) : undefined;
        const own = nameOf(m ?? UNDEF);
        if (m) pre.push({ value: m, text: own && own !== 'method' ? own : assign ? `pre ${assign}` : 'pre method', loc: p.kind === 'obj' && p.loc ? p.loc : loc });
      };
      flatPre(preV);
      routes.push({
        methods,
        path: full,
        pathText: textOfPath(pathV, prefix),
        loc,
        root: sd.root,
        realm: server,
        auth: readAuth(authV, authLoc, authV === undefined ? '' : authText(authV), rootData),
        handler: handlerV ? { value: handlerV, text: nameOf(handlerV) ?? 'handler', loc } : undefined,
        pre,
        notes: rootData.notes ? [...rootData.notes] : [],
      });
    };

    const callHost = (host: HostV, method: string, args: Value[], ctx: CallContext): Value | undefined => {
      if (host.plugin !== PLUGIN) return undefined;
      if (host.tag === 'auth') return callAuth(host.data as HostV, method, args, ctx);
      if (host.tag === 'confidence') {
        if (method !== 'get') return undefined;
        const key = args[0] ? asString(force(args[0])) : undefined;
        if (key === undefined) return unknown(`${textOf(ctx, 0)}`, 'Confidence key not known statically', ctx.loc);
        let v: Value = confidenceValue(host.data as Value);
        for (const part of key.split('/').filter(Boolean)) v = prop(v, part) ?? unknown(key, `Confidence key '${key}' not found`, ctx.loc);
        return v;
      }
      if (host.tag !== 'server') return undefined;
      switch (method) {
        case 'route': {
          const a = args[0] ? force(args[0]) : UNDEF;
          const node = ctx.argNodes[0];
          const fallback = node ? ctx.it.loc(node, ctx.mod) : ctx.calleeLoc;
          const each = (v: Value) => {
            const fv = force(v);
            if (fv.kind === 'arr') fv.items.forEach(each);
            else addRoute(host, fv, ctx, fallback);
          };
          each(a);
          return UNDEF;
        }
        case 'register': {
          const opts = args[1] && force(args[1]).kind === 'obj' ? args[1] : undefined;
          register(host, args[0], opts, ctx);
          // hapi 16: register(plugins, [options], callback)
          const cb = args.length > 1 ? force(args[args.length - 1]!) : undefined;
          if (cb?.kind === 'fn') ctx.it.callFunction(cb, [UNDEF], UNDEF, ctx.loc);
          return UNDEF;
        }
        case 'ext': {
          const rootData = (host.data as ServerData).root.data as RootData;
          const sandbox = prop(args[2], 'sandbox');
          const addExt = (event: Value | undefined, fn: Value | undefined, opts: Value | undefined, text: string) => {
            const ev = event ? asString(force(event)) : undefined;
            if (!ev || !/^on(Request|PreAuth|Credentials|PostAuth|PreHandler)$/.test(ev) || !fn) return;
            const sb = asString(prop(opts, 'sandbox') ?? sandbox ?? UNDEF);
            const fns = force(fn).kind === 'arr' ? (force(fn) as { items: Value[] }).items : [fn];
            for (const f of fns) rootData.exts.push({ value: force(f), text: `server.ext('${ev}', ${nameOf(force(f)) ?? text})`, loc: ctx.calleeLoc, realm: sb === 'plugin' ? host : undefined });
          };
          const first = args[0] ? force(args[0]) : UNDEF;
          if (first.kind === 'arr') for (const e of first.items) addExt(prop(e, 'type'), prop(e, 'method'), prop(e, 'options'), 'inline function');
          else if (first.kind === 'obj') addExt(prop(first, 'type'), prop(first, 'method'), prop(first, 'options'), 'inline function');
          else addExt(first, args[1], args[2], ctx.argNodes[1] && !/^(async\s*)?(\(|function\b)/.test(textOf(ctx, 1)) ? textOf(ctx, 1) : `inline function at ${ctx.loc.file}:${ctx.loc.line}`);
          return UNDEF;
        }
        case 'connection':
        case 'select':
          return host;
        case '?': {
          const key = `${ctx.loc.file}:${ctx.loc.line}`;
          if (!computedSites.has(key)) {
            computedSites.add(key);
            pctx.notify({ level: 'warning', code: 'computed-method', message: `${key}: a hapi server method is called with a name not known statically; routes it registers are not in the inventory.`, file: ctx.loc.file, line: ctx.loc.line });
          }
          return unknown('server[?](...)', 'method name not known statically', ctx.loc);
        }
        default:
          return undefined;
      }
    };

    const callAuth = (server: HostV, method: string, args: Value[], ctx: CallContext): Value | undefined => {
      const rootData = (server.data as ServerData).root.data as RootData;
      if (method === 'strategy') {
        const name = args[0] ? asString(force(args[0])) : undefined;
        if (name !== undefined) rootData.strategies.set(name, { scheme: args[1] ? force(args[1]) : UNDEF, loc: ctx.calleeLoc });
        // hapi 16: server.auth.strategy(name, scheme, mode | true, options) also sets the default
        const third = args[2] ? force(args[2]) : undefined;
        if (name !== undefined && third && ((third.kind === 'bool' && third.value) || (third.kind === 'str' && /^(required|optional|try)$/.test(third.value)))) {
          const mode = third.kind === 'str' ? third : undefined;
          rootData.default = { spec: { kind: 'strategies', names: [str(name)], mode, text: `server.auth.strategy('${name}', ..., ${third.kind === 'str' ? `'${third.value}'` : 'true'})`, loc: ctx.calleeLoc }, loc: ctx.calleeLoc };
        }
        return UNDEF;
      }
      if (method === 'default') {
        const text = `server.auth.default(${textOf(ctx, 0)})`;
        const saved = rootData.default;
        rootData.default = undefined;
        const spec = readAuth(args[0] ?? UNDEF, ctx.calleeLoc, text, rootData);
        rootData.default = spec.kind === 'default' ? saved : { spec: spec.kind === 'strategies' ? { ...spec, text } : spec, loc: ctx.calleeLoc };
        return UNDEF;
      }
      if (method === 'scheme') return UNDEF;
      return undefined;
    };

    const getHostMember = (host: HostV, name: string): Value | undefined => {
      if (host.plugin !== PLUGIN || host.tag !== 'server') return undefined;
      if (name === 'auth') return { kind: 'host', plugin: PLUGIN, tag: 'auth', data: host, id: newId() };
      if (name === 'realm') return (host.data as ServerData).realm;
      return undefined;
    };

    // ------------------------------------------------------------------ finish

    const finish = ({ classifier, it }: { classifier: AuthClassifier; it: Interpreter }): CodeEndpoint[] => {
      const endpoints: CodeEndpoint[] = [];
      for (const rec of routes) {
        localFailure(pctx.notify, rec.loc, 'this route', () => {
          const rootData = rec.root.data as RootData;
          const notes = [...rec.notes];
          const r = pathFromValue(rec.path, hapiPath, it, rec.pathText);
          notes.push(...r.notes);
          const { verdicts, evidence, middleware } = decideAuth(rec, rootData, classifier);
          for (const variant of r.variants) {
            for (const method of rec.methods) {
              endpoints.push({
                method,
                path: render(variant),
                framework: PLUGIN,
                service: pctx.serviceOf(rootData.loc.file),
                server: `${rootData.loc.file}:${rootData.loc.line}`,
                location: { file: rec.loc.file, line: rec.loc.line, column: rec.loc.column },
                middleware,
                auth: combine(verdicts),
                evidence,
                unresolved: holes(variant),
                notes: [...new Set(notes)],
              });
            }
          }
        });
      }
      return preferRealRegistrations(endpoints, STAND_IN);
    };

    return {
      hooks: {
        name: PLUGIN,
        callExternal,
        callHost,
        getHostMember,
        wantsUncalled: (text) => (/\bHapi\.(server|Server)\s*\(|\bGlue\.compose\s*\(/.test(text) ? 2 : /\.route\s*\(\s*[\[{\w]/.test(text) && /\bpath\s*:/.test(text) ? 1 : /\.route\s*\(/.test(text) ? 1 : 0),
        placeholderArg: (text, loc) => {
          if (/^server\b|:\s*(Hapi\.)?Server\b/.test(text)) return newRoot(loc, [`${text.split(/[:=]/)[0]!.trim()} stands in for a hapi server: ${STAND_IN}`]);
          return undefined;
        },
      },
      finish,
    };
  },
};

/** Everything hapi runs in front of the handler that decides auth: lifecycle extensions, the route's auth config, pre methods; then the handler's own check. */
function decideAuth(rec: RouteRec, rootData: RootData, classifier: AuthClassifier): { verdicts: Verdict[]; evidence: AuthEvidence[]; middleware: string[] } {
  const verdicts: Verdict[] = [];
  const evidence: AuthEvidence[] = [];
  const middleware: string[] = [];
  for (const ext of rootData.exts) {
    if (ext.realm && !realmWithin(rec.realm, ext.realm)) continue;
    middleware.push(ext.text);
    const d = decideFn(ext.value, ext.text, classifier, 'ext');
    if (d.auth === 'neutral') continue;
    verdicts.push(d.auth);
    evidence.push({ kind: 'middleware', name: ext.text, auth: d.auth, reason: d.reason, file: ext.loc.file, line: ext.loc.line });
  }
  let spec = rec.auth;
  let fromDefault = false;
  if (spec.kind === 'default') {
    if (rootData.default) {
      spec = rootData.default.spec;
      fromDefault = true;
    } else if (rootData.notes) {
      verdicts.push('unknown');
      evidence.push({ kind: 'config', name: 'server.auth.default', auth: 'unknown', reason: 'the route has no auth config and the server it is added to (a parameter) is not visible, nor its default strategy', file: rec.loc.file, line: rec.loc.line });
    }
  }
  if (spec.kind === 'off') {
    verdicts.push('none');
    evidence.push({ kind: 'config', name: 'auth: false', auth: 'none', reason: 'route auth is disabled', file: spec.loc.file, line: spec.loc.line });
  } else if (spec.kind === 'unknown') {
    verdicts.push('unknown');
    evidence.push({ kind: 'config', name: spec.text || 'auth', auth: 'unknown', reason: spec.reason, file: spec.loc.file, line: spec.loc.line });
  } else if (spec.kind === 'strategies') {
    const d = decideStrategies(spec, rootData, fromDefault);
    verdicts.push(d.auth);
    evidence.push({ kind: 'config', name: spec.text, auth: d.auth, reason: d.reason, file: spec.loc.file, line: spec.loc.line });
  }
  for (const p of rec.pre) {
    middleware.push(p.text);
    const d = decideFn(p.value, p.text, classifier, 'pre');
    if (d.auth === 'neutral') continue;
    verdicts.push(d.auth);
    evidence.push({ kind: 'middleware', name: p.text, auth: d.auth, reason: d.reason, file: p.loc.file, line: p.loc.line });
  }
  if (rec.handler && !verdicts.includes('required')) {
    const d = decideFn(rec.handler.value, rec.handler.text, classifier, 'handler');
    if (d.auth === 'required') {
      verdicts.push('required');
      evidence.push({ kind: 'handler', name: rec.handler.text.length > 60 ? 'handler' : rec.handler.text, auth: 'required', reason: d.reason, file: rec.handler.loc.file, line: rec.handler.loc.line });
    }
  }
  return { verdicts, evidence, middleware };
}

/** A Confidence document as the application sees it: filters resolved to their `$default`, `$meta` dropped. */
function confidenceValue(v: Value, depth = 0): Value {
  const f = force(v);
  if (depth > 30) return f;
  if (f.kind === 'arr') return { ...f, items: f.items.map((x) => confidenceValue(x, depth + 1)) };
  if (f.kind !== 'obj' || f.cls) return f;
  if (f.props.has('$filter') || f.props.has('$env') || f.props.has('$param')) {
    const d = f.props.get('$default');
    return d ? confidenceValue(d, depth + 1) : unknown('$filter', 'Confidence filter without a $default: depends on run-time criteria');
  }
  if (f.props.has('$value')) return confidenceValue(f.props.get('$value')!, depth + 1);
  const out = obj([], f.partial);
  out.loc = f.loc;
  for (const [k, pv] of f.props) if (k !== '$meta' && k !== '$base') out.props.set(k, { kind: 'lazy', get: () => confidenceValue(pv, depth + 1) });
  return out;
}

function realmWithin(realm: HostV, ancestor: HostV): boolean {
  for (let r: HostV | undefined = realm, i = 0; r && i < 50; r = (r.data as ServerData).parent, i++) if (r === ancestor) return true;
  return false;
}

function decideStrategies(spec: Extract<AuthSpec, { kind: 'strategies' }>, rootData: RootData, fromDefault: boolean): { auth: AuthState; reason: string } {
  const via = fromDefault ? 'the server default strategy' : 'the route auth config';
  const names: string[] = [];
  for (const n of spec.names) {
    const s = asString(force(n));
    if (s === undefined) return { auth: 'unknown', reason: `${via} names a strategy not known statically` };
    names.push(s);
  }
  const modeV = spec.mode ? force(spec.mode) : undefined;
  const mode = modeV ? asString(modeV) : 'required';
  if (mode === undefined) return { auth: 'unknown', reason: `${via}: auth mode not known statically` };
  const described = names.map((n) => {
    const st = rootData.strategies.get(n);
    const scheme = st ? asString(st.scheme) : undefined;
    const known = scheme ? SCHEMES[scheme] : undefined;
    return { name: n, scheme, known, login: known?.login === true };
  });
  const list = described.map((d) => `'${d.name}'${d.scheme ? ` (scheme '${d.scheme}'${d.known ? `, ${d.known.pkg}` : ''})` : ''}`).join(', ');
  if (described.length && described.every((d) => d.login)) {
    return { auth: 'none', reason: `${via} uses ${list}: a third-party sign-in flow, open to anonymous callers` };
  }
  if (mode === 'optional' || mode === 'try') return { auth: 'optional', reason: `${via} uses ${list} in mode '${mode}': requests without credentials get through` };
  return { auth: 'required', reason: `${via} requires ${list} (mode 'required')` };
}

/** Credentials read by a hapi lifecycle method, pre method or handler. */
const HAPI_CRED = /\b(request|req)\.(auth\.(credentials|isAuthenticated|artifacts)|headers\.authorization|headers\[\s*['"][^'"]*(authorization|token|api-?key)[^'"]*['"]\s*\]|state\.\w*(session|sid|token)|(query|params)\.(token|access_token|api_?key|apiKey)\b)/i;
const HAPI_REJECT = /Boom\.(unauthorized|forbidden)\s*\(|\bunauthorized\s*\(|\.code\(\s*40[13]\s*\)|statusCode\s*[:=]\s*40[13]\b|\bUnauthori[sz]ed\b|\bForbidden\b|\.redirect\(\s*['"`][^'"`]*(login|signin|sign-in|auth)/;

function decideFn(v: Value, text: string, classifier: AuthClassifier, role: 'ext' | 'pre' | 'handler'): { auth: Verdict; reason: string } {
  const asHandler = role === 'handler';
  const f = force(v);
  if (f.kind === 'fn') {
    const src = f.node.start != null && f.node.end != null ? f.mod.text.slice(f.node.start, f.node.end) : '';
    const creds = HAPI_CRED.test(src);
    const rejects = HAPI_REJECT.test(src);
    if (creds && rejects) return { auth: 'required', reason: `${asHandler ? 'the handler' : text} reads the request's credentials and answers 401/403 without them` };
    if (asHandler) return classifier.classifyFn(f, true);
    if (creds && role === 'ext') return { auth: 'optional', reason: `${text} reads credentials but lets requests without them through` };
    const d = classifier.classifyFn(f, false);
    // a pre method reading credentials runs behind the route's auth config: it adds a check only when it rejects
    return d.auth === 'required' || role === 'ext' ? d : { auth: 'neutral', reason: d.reason };
  }
  if (asHandler) {
    const d = classifier.classify(f, text, 'handler');
    return d.auth === 'required' || d.auth === 'unknown' ? d : { auth: 'neutral', reason: d.reason };
  }
  return classifier.classify(f, text);
}

function nameOf(v: Value): string | undefined {
  const f = force(v);
  if (f.kind === 'fn') return f.name;
  if (f.kind === 'ext' || f.kind === 'unknown') return f.text;
  if (f.kind === 'obj') return 'handler object';
  return undefined;
}

function authText(v: Value): string {
  const f = force(v);
  if (f.kind === 'str') return `auth: '${f.value}'`;
  if (f.kind === 'bool') return `auth: ${f.value}`;
  if (f.kind === 'obj') {
    const parts: string[] = [];
    for (const k of ['strategy', 'strategies', 'mode', 'scope']) {
      const p = prop(f, k);
      if (!p) continue;
      const s = p.kind === 'arr' ? `[${p.items.map((x) => `'${asString(force(x)) ?? '?'}'`).join(', ')}]` : asString(p) !== undefined ? `'${asString(p)}'` : '?';
      parts.push(`${k}: ${s}`);
    }
    return `auth: { ${parts.join(', ') || '...'} }`;
  }
  return 'auth';
}

function textOfPath(pathV: Value, prefix: Value | undefined): string {
  const s = (v: Value | undefined) => (v ? (asString(force(v)) ?? (force(v).kind === 'unknown' ? (force(v) as { text: string }).text : 'path')) : '');
  return `${s(prefix)}${s(pathV)}`;
}
