import type * as t from '@babel/types';
import type { AuthClassifier, Verdict } from '../../auth/classify.js';
import { combine, hintsAuth } from '../../auth/classify.js';
import type { AuthEvidence, CodeEndpoint, HttpMethod } from '../../model.js';
import type { CallContext, Interpreter, ModuleRecord } from '../../resolve/interpreter.js';
import { pathFromValue } from '../../resolve/path-values.js';
import { covers, holes, join, render, type PathT } from '../../resolve/paths.js';
import { asString, force, newId, obj, UNDEF, type ClassV, type ExtV, type HostV, type Loc, type Value, lookupTable } from '../../resolve/values.js';
import { expressPath } from '../express/path-syntax.js';
import type { FrameworkPlugin, PluginContext, PluginRun } from '../types.js';
import { localFailure } from '../shared/chain.js';
import { isNest, metadataOf, readDecorators, valueName, type Deco } from './decorators.js';
import { GuardReader, NEST_AUTH_LIBS, type GuardDecision } from './guards.js';

/**
 * NestJS: controllers and route decorators read by value, the module graph from `@Module`, `RouterModule.register`
 * prefixes, the application made by `NestFactory.create` (global prefix with its exclusions, URI versioning, global
 * guards and middleware), guards from `@UseGuards`, `APP_GUARD` providers and `useGlobalGuards`, metadata escape
 * hatches (`@Public()`), and middleware bound in `configure(consumer)`.
 */

const PLUGIN = 'nestjs';

const ROUTE_DECORATORS = lookupTable<HttpMethod>({
  Get: 'GET',
  Post: 'POST',
  Put: 'PUT',
  Patch: 'PATCH',
  Delete: 'DELETE',
  Options: 'OPTIONS',
  Head: 'HEAD',
  All: 'ALL',
  Search: 'ALL',
});
/** `RequestMethod` enum members of '@nestjs/common'. */
const REQUEST_METHODS = lookupTable<HttpMethod>({ GET: 'GET', POST: 'POST', PUT: 'PUT', DELETE: 'DELETE', PATCH: 'PATCH', ALL: 'ALL', OPTIONS: 'OPTIONS', HEAD: 'HEAD', SEARCH: 'ALL' });
const REQUEST_METHOD_NUMBERS: HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD', 'ALL'];

const NEUTRAL_VERSION = Symbol('VERSION_NEUTRAL');
type Version = string | typeof NEUTRAL_VERSION | { hole: Value; text: string };

interface Ref {
  value: Value;
  text: string;
  loc: Loc;
}

interface AppData {
  loc: Loc;
  root: Value;
  prefix?: { value: Value; text: string; options?: Value; loc: Loc };
  versioning?: { options?: Value; loc: Loc };
  guards: Ref[];
  middleware: Ref[];
}

interface MiddlewareBinding {
  handlers: Ref[];
  excludes: Value[];
  routes: Value[];
  loc: Loc;
}

interface ModuleInfo {
  cls: ClassV;
  controllers: ClassV[];
  imports: ClassV[];
  routerRoutes: Value[];
  appGuards: Ref[];
  middleware: MiddlewareBinding[];
}

interface RouteInfo {
  methods: HttpMethod[];
  path: Value;
  pathText: string;
  loc: Loc;
  decos: Deco[];
}

interface ControllerInfo {
  cls: ClassV;
  path: Value;
  pathText: string;
  version?: Value;
  host?: Value;
  decos: Deco[];
  routes: RouteInfo[];
}

interface AppContext {
  name: string;
  service: string;
  app?: AppData;
  modules: Set<t.Node>;
  notes: string[];
}

const classOf = (v: Value | undefined): ClassV | undefined => {
  if (!v) return undefined;
  const f = force(v);
  return f.kind === 'class' ? f : undefined;
};

function chainProps(e: ExtV): string {
  return e.chain.map((s) => ('prop' in s ? s.prop : 'call' in s ? '()' : 'new')).join('.');
}

export const nestPlugin: FrameworkPlugin = {
  name: PLUGIN,
  packages: ['@nestjs/core', '@nestjs/common'],
  isEntry: (text) => text.includes('@nestjs/'),
  authLibs: NEST_AUTH_LIBS,
  start(pctx: PluginContext): PluginRun {
    const apps: HostV[] = [];

    const callExternal = (callee: ExtV, args: Value[], ctx: CallContext): Value | undefined => {
      if (callee.module !== '@nestjs/core') return undefined;
      const sig = chainProps(callee);
      if (sig === 'NestFactory.create') {
        const data: AppData = { loc: ctx.loc, root: args[0] ?? UNDEF, guards: [], middleware: [] };
        const h: HostV = { kind: 'host', plugin: PLUGIN, tag: 'app', data, id: newId() };
        apps.push(h);
        return h;
      }
      return undefined;
    };

    const refsOf = (args: Value[], ctx: CallContext): Ref[] => {
      const out: Ref[] = [];
      args.forEach((a, i) => {
        const f = force(a);
        const node = ctx.argNodes[i];
        const items = f.kind === 'arr' ? f.items : [f];
        for (const x of items) {
          const text = node && f.kind !== 'arr' ? ctx.it.text(node, ctx.mod) : valueName(x, `argument ${i + 1}`);
          out.push({ value: force(x), text: text.length > 80 ? valueName(x, 'guard') : text, loc: node ? ctx.it.loc(node, ctx.mod) : ctx.loc });
        }
      });
      return out;
    };

    const callHost = (host: HostV, method: string, args: Value[], ctx: CallContext): Value | undefined => {
      if (host.plugin !== PLUGIN) return undefined;
      if (host.tag === 'app') {
        const d = host.data as AppData;
        if (method === 'setGlobalPrefix') {
          d.prefix = { value: args[0] ?? UNDEF, text: ctx.argNodes[0] ? ctx.it.text(ctx.argNodes[0], ctx.mod) : '?', options: args[1], loc: ctx.calleeLoc };
        } else if (method === 'enableVersioning') {
          d.versioning = { options: args[0], loc: ctx.calleeLoc };
        } else if (method === 'useGlobalGuards') {
          d.guards.push(...refsOf(args, ctx));
        } else if (method === 'use') {
          // a path-less app.use(mw) runs before every route
          const first = args[0] ? force(args[0]) : undefined;
          if (first && first.kind !== 'str') d.middleware.push(...refsOf(args, ctx));
        } else if (method === 'get' || method === 'select' || method === 'resolve') {
          return undefined;
        }
        return host;
      }
      if (host.tag === 'consumer') {
        if (method === 'apply') {
          const binding: MiddlewareBinding = { handlers: refsOf(args, ctx), excludes: [], routes: [], loc: ctx.calleeLoc };
          (host.data as MiddlewareBinding[]).push(binding);
          return { kind: 'host', plugin: PLUGIN, tag: 'binding', data: binding, id: newId() };
        }
        return host;
      }
      if (host.tag === 'binding') {
        const b = host.data as MiddlewareBinding;
        if (method === 'exclude') b.excludes.push(...args);
        else if (method === 'forRoutes') b.routes.push(...args);
        return host;
      }
      return undefined;
    };

    const finish = ({ classifier, it, entries }: { classifier: AuthClassifier; it: Interpreter; entries: readonly string[] }): CodeEndpoint[] => {
      const guards = new GuardReader(it, classifier);
      const modules = new Map<t.Node, ModuleInfo>();
      const controllers = new Map<t.Node, ControllerInfo>();
      const declaredIn = new Map<t.Node, t.Node[]>();

      // ------------------------------------------------------------ classes and decorators
      const seen = new Set<t.Node>();
      const readClass = (cls: ClassV) => {
        if (seen.has(cls.node)) return;
        seen.add(cls.node);
        const decos = readDecorators(it, cls.mod, cls.env, cls.node);
        const ctrl = decos.find((d) => isNest(d, 'Controller'));
        const mod = decos.find((d) => isNest(d, 'Module'));
        if (ctrl) controllers.set(cls.node, readController(cls, ctrl, decos));
        if (mod) readModule(cls, mod);
      };

      const readController = (cls: ClassV, ctrl: Deco, decos: Deco[]): ControllerInfo => {
        const a = ctrl.args[0] ? force(ctrl.args[0]) : UNDEF;
        let path: Value = { kind: 'str', value: '' };
        let pathText = "''";
        let version: Value | undefined;
        let host: Value | undefined;
        if (a.kind === 'obj') {
          const p = a.props.get('path');
          if (p) {
            path = p;
            pathText = 'path';
          }
          version = a.props.get('version');
          host = a.props.get('host');
        } else if (a.kind !== 'undef') {
          path = a;
          pathText = ctrl.argNodes?.[0] ? it.text(ctrl.argNodes[0], cls.mod) : ctrl.written;
        }
        const routes: RouteInfo[] = [];
        const seenMethods = new Set<string>();
        // routes of base classes are routes of the controller too (Nest scans the prototype chain)
        for (let c: ClassV | undefined = cls, depth = 0; c && depth < 8; c = classOf(c.superV), depth++) {
          for (const m of c.node.body.body) {
            if (m.type !== 'ClassMethod' || m.static || m.kind !== 'method') continue;
            const name = m.key.type === 'Identifier' ? m.key.name : m.key.type === 'StringLiteral' ? m.key.value : undefined;
            if (!name || seenMethods.has(name)) continue;
            seenMethods.add(name);
            if (!m.decorators?.length) continue;
            const md = readDecorators(it, c.mod, c.env, m);
            for (const d of md) {
              let methods: HttpMethod[] | undefined;
              let p: Value | undefined;
              let text = "''";
              if (isNest(d, ...Object.keys(ROUTE_DECORATORS))) {
                methods = [ROUTE_DECORATORS[d.name]!];
                p = d.args[0];
                if (d.argNodes?.[0]) text = it.text(d.argNodes[0], c.mod);
              } else if (isNest(d, 'RequestMapping')) {
                const o = d.args[0] ? force(d.args[0]) : UNDEF;
                if (o.kind === 'obj') {
                  p = o.props.get('path');
                  methods = [requestMethodOf(o.props.get('method')) ?? 'GET'];
                } else methods = ['GET'];
              }
              if (!methods) continue;
              const pv = p === undefined || force(p).kind === 'undef' ? ({ kind: 'str', value: '' } as Value) : p;
              routes.push({ methods, path: pv, pathText: text, loc: d.loc, decos: md });
            }
          }
        }
        return { cls, path, pathText, version, host, decos, routes };
      };

      const readModule = (cls: ClassV, d: Deco) => {
        const meta = d.args[0] ? force(d.args[0]) : UNDEF;
        const info: ModuleInfo = { cls, controllers: [], imports: [], routerRoutes: [], appGuards: [], middleware: [] };
        modules.set(cls.node, info);
        if (meta.kind === 'obj') readModuleMeta(info, meta.props, 0);
        // configure(consumer): middleware bound to routes
        const configure = cls.node.body.body.find((m): m is t.ClassMethod => m.type === 'ClassMethod' && !m.static && m.key.type === 'Identifier' && m.key.name === 'configure');
        if (configure) {
          const bindings: MiddlewareBinding[] = [];
          const consumer: HostV = { kind: 'host', plugin: PLUGIN, tag: 'consumer', data: bindings, id: newId() };
          const self = obj();
          self.cls = cls;
          const fn = it.makeFn(configure, cls.env, cls.mod, 'configure', cls);
          try {
            it.callFunction(fn, [consumer], self, it.loc(configure, cls.mod));
          } catch {
            /* what was recorded before the failure is kept */
          }
          info.middleware.push(...bindings);
        }
      };

      const readModuleMeta = (info: ModuleInfo, props: Map<string, Value>, depth: number) => {
        const list = (k: string): Value[] => {
          const v = props.get(k);
          if (!v) return [];
          const f = force(v);
          return f.kind === 'arr' ? f.items.map(force) : [f];
        };
        for (const c of list('controllers')) {
          const cls = classOf(c);
          if (cls) {
            info.controllers.push(cls);
            declaredIn.set(cls.node, [...(declaredIn.get(cls.node) ?? []), info.cls.node]);
          }
        }
        for (const m of list('imports')) addImport(info, m, depth);
        for (const p of list('providers')) {
          if (p.kind !== 'obj') continue;
          const provide = p.props.get('provide');
          const pf = provide ? force(provide) : undefined;
          if (!pf || pf.kind !== 'ext' || pf.module !== '@nestjs/core' || chainProps(pf) !== 'APP_GUARD') continue;
          const use = p.props.get('useClass') ?? p.props.get('useExisting') ?? p.props.get('useValue');
          let value: Value | undefined = use ? force(use) : undefined;
          const factory = p.props.get('useFactory');
          if (!value && factory) {
            const ff = force(factory);
            value = ff.kind === 'fn' ? force(it.callFunction(ff, ff.node.params.map(() => UNDEF), UNDEF, ff.mod ? it.loc(ff.node, ff.mod) : undefined)) : ff;
          }
          if (!value) continue;
          info.appGuards.push({ value, text: `${valueName(value, 'guard')} (APP_GUARD)`, loc: p.loc ?? it.loc(info.cls.node, info.cls.mod) });
        }
      };

      const addImport = (info: ModuleInfo, m: Value, depth: number) => {
        const f = force(m);
        if (f.kind === 'class') {
          info.imports.push(f);
          return;
        }
        if (f.kind === 'ext') {
          const sig = chainProps(f);
          if (f.module === '@nestjs/core' && sig === 'RouterModule.register.()') {
            const call = f.chain[2] as { call: Value[] };
            if (call.call[0]) info.routerRoutes.push(call.call[0]);
            return;
          }
          // forwardRef(() => UsersModule)
          if (/forwardRef\.\(\)$/.test(sig)) {
            const call = f.chain[f.chain.length - 1] as { call: Value[] };
            const fn = call.call[0] ? force(call.call[0]) : undefined;
            if (fn?.kind === 'fn') addImport(info, it.callFunction(fn, [], UNDEF, undefined), depth);
          }
          return;
        }
        // a dynamic module: { module: UsersModule, controllers: [...], imports: [...] }
        if (f.kind === 'obj' && depth < 4) {
          const mod = classOf(f.props.get('module'));
          if (mod) info.imports.push(mod);
          readModuleMeta(info, f.props, depth + 1);
        }
      };

      for (const file of entries) {
        const rec = it.getModule(file);
        if (!rec) continue;
        it.ensureEvaluated(rec);
        for (const cls of classesOf(rec, it)) if (cls.node.decorators?.length) readClass(cls);
      }
      // modules and controllers reached from modules, wherever they are written
      for (let changed = true, rounds = 0; changed && rounds < 20; rounds++) {
        changed = false;
        for (const info of [...modules.values()]) {
          for (const c of [...info.imports, ...info.controllers]) {
            if (!seen.has(c.node)) {
              readClass(c);
              changed = true;
            }
          }
        }
      }

      // ------------------------------------------------------------ RouterModule prefixes
      const modulePaths = new Map<t.Node, PathT[]>();
      const routeNotes: string[] = [];
      const readRoutes = (v: Value, parent: PathT[]) => {
        const f = force(v);
        const items = f.kind === 'arr' ? f.items.map(force) : [f];
        for (const r of items) {
          const cls = classOf(r);
          if (cls) {
            // a module given as a child: it takes the parent's path
            if (parent.length && !modulePaths.has(cls.node)) modulePaths.set(cls.node, parent);
            continue;
          }
          if (r.kind !== 'obj') continue;
          const p = r.props.get('path');
          const here = p ? pathFromValue(p, expressPath, it, 'path') : { variants: [[]], notes: [] };
          routeNotes.push(...here.notes);
          const full = parent.length ? parent.flatMap((a) => here.variants.map((b) => join(a, b))) : here.variants;
          const mod = classOf(r.props.get('module'));
          if (mod && p) modulePaths.set(mod.node, full);
          const children = r.props.get('children');
          if (children) readRoutes(children, p ? full : parent);
        }
      };
      for (const info of modules.values()) for (const r of info.routerRoutes) readRoutes(r, []);

      // ------------------------------------------------------------ applications
      const reach = (root: t.Node): Set<t.Node> => {
        const out = new Set<t.Node>();
        const stack = [root];
        while (stack.length) {
          const n = stack.pop()!;
          if (out.has(n)) continue;
          out.add(n);
          for (const i of modules.get(n)?.imports ?? []) stack.push(i.node);
        }
        return out;
      };
      const contexts: AppContext[] = [];
      for (const h of apps) {
        const d = h.data as AppData;
        const root = classOf(d.root);
        if (root && !seen.has(root.node)) readClass(root);
        contexts.push({ name: `${d.loc.file}:${d.loc.line}`, service: pctx.serviceOf(d.loc.file), app: d, modules: root ? reach(root.node) : new Set(), notes: root ? [] : [`the root module of the application at ${d.loc.file}:${d.loc.line} is not known statically`] });
      }
      // modules no application reaches: the one application of their package serves them when there is one
      const covered = new Set<t.Node>();
      for (const c of contexts) for (const m of c.modules) covered.add(m);
      const orphanCtx = new Map<string, AppContext>();
      for (const [node, info] of modules) {
        if (covered.has(node)) continue;
        const service = pctx.serviceOf(info.cls.mod.file);
        const same = contexts.filter((c) => c.app && c.service === service);
        if (same.length === 1) {
          same[0]!.modules.add(node);
          continue;
        }
        const key = `orphan:${service}`;
        let ctx = orphanCtx.get(key);
        if (!ctx) {
          ctx = { name: '', service, modules: new Set(), notes: ['no NestFactory.create() the scan can see serves this controller: a global prefix, versioning and global guards are not known'] };
          orphanCtx.set(key, ctx);
          contexts.push(ctx);
        }
        ctx.modules.add(node);
      }
      // controllers declared in no module the scan can see
      for (const [node, ctrl] of controllers) {
        if (declaredIn.has(node)) continue;
        const service = pctx.serviceOf(ctrl.cls.mod.file);
        const key = `orphan:${service}`;
        let ctx = orphanCtx.get(key);
        if (!ctx) {
          ctx = { name: '', service, modules: new Set(), notes: ['no NestFactory.create() the scan can see serves this controller: a global prefix, versioning and global guards are not known'] };
          orphanCtx.set(key, ctx);
          contexts.push(ctx);
        }
        ctx.modules.add(node); // a controller stands for its own module
      }

      // ------------------------------------------------------------ endpoints
      const endpoints: CodeEndpoint[] = [];
      const decisions = new Map<Ref, GuardDecision>();
      const decide = (r: Ref): GuardDecision => {
        let d = decisions.get(r);
        if (!d) {
          d = guards.decide(r.value, r.text);
          decisions.set(r, d);
        }
        return d;
      };
      const mwDecisions = new Map<Ref, { auth: Verdict; reason: string }>();
      const decideMiddleware = (r: Ref) => {
        let d = mwDecisions.get(r);
        if (!d) {
          const f = force(r.value);
          const cls = f.kind === 'class' ? f : f.kind === 'obj' ? f.cls : undefined;
          const use = cls?.node.body.body.find((m): m is t.ClassMethod => m.type === 'ClassMethod' && m.key.type === 'Identifier' && m.key.name === 'use');
          if (cls && use) d = classifier.classifyFn(it.makeFn(use, cls.env, cls.mod, `${cls.name ?? 'middleware'}.use`, cls), false);
          else d = classifier.classify(f, r.text);
          mwDecisions.set(r, d);
        }
        return d;
      };

      for (const ctx of contexts) {
        const app = ctx.app;
        const notes = [...ctx.notes];
        // global prefix and its exclusions
        let prefix: PathT[] = [[]];
        const excludes: Array<{ path: PathT; methods?: HttpMethod[] }> = [];
        if (app?.prefix) {
          const r = pathFromValue(app.prefix.value, expressPath, it, app.prefix.text);
          prefix = r.variants.length ? r.variants : [[]];
          notes.push(...r.notes);
          const opts = app.prefix.options ? force(app.prefix.options) : undefined;
          const ex = opts?.kind === 'obj' ? opts.props.get('exclude') : undefined;
          const exf = ex ? force(ex) : undefined;
          for (const e of exf?.kind === 'arr' ? exf.items.map(force) : exf ? [exf] : []) {
            if (e.kind === 'str') for (const p of expressPath(e.value)) excludes.push({ path: p });
            else if (e.kind === 'obj') {
              const p = e.props.get('path');
              const ps = p ? force(p) : undefined;
              const m = requestMethodOf(e.props.get('method'));
              if (ps?.kind === 'str') for (const pt of expressPath(ps.value)) excludes.push({ path: pt, methods: m && m !== 'ALL' ? [m] : undefined });
            }
          }
        }
        // URI versioning
        let uri = false;
        let versionPrefix = 'v';
        let defaultVersion: Version[] | undefined;
        if (app?.versioning) {
          const o = app.versioning.options ? force(app.versioning.options) : undefined;
          const type = o?.kind === 'obj' ? o.props.get('type') : undefined;
          const tf = type ? force(type) : undefined;
          if (!o || o.kind === 'undef') uri = true;
          else if (tf?.kind === 'ext') uri = /\.URI$/.test(chainProps(tf));
          else if (tf?.kind === 'num') uri = tf.value === 0;
          else notes.push('the versioning type is not known statically: version segments are not added to paths');
          if (o?.kind === 'obj') {
            const pf = o.props.get('prefix');
            const pv = pf ? force(pf) : undefined;
            if (pv?.kind === 'str') versionPrefix = pv.value;
            else if (pv?.kind === 'bool' && !pv.value) versionPrefix = '';
            const dv = o.props.get('defaultVersion');
            if (dv) defaultVersion = versionsOf(dv, 'defaultVersion');
          }
        }

        // global guards: APP_GUARD providers of the application's modules, then useGlobalGuards
        const globalGuards: Ref[] = [];
        for (const m of ctx.modules) globalGuards.push(...(modules.get(m)?.appGuards ?? []));
        if (app) globalGuards.push(...app.guards);
        const bindings: Array<{ b: MiddlewareBinding; module: t.Node }> = [];
        for (const m of ctx.modules) for (const b of modules.get(m)?.middleware ?? []) bindings.push({ b, module: m });

        const ctrlList: Array<{ ctrl: ControllerInfo; module?: t.Node }> = [];
        for (const m of ctx.modules) {
          const info = modules.get(m);
          if (info) for (const c of info.controllers) {
            const ctrl = controllers.get(c.node);
            if (ctrl) ctrlList.push({ ctrl, module: m });
          } else {
            const ctrl = controllers.get(m);
            if (ctrl) ctrlList.push({ ctrl });
          }
        }
        const done = new Set<string>();
        for (const { ctrl, module } of ctrlList) {
          const modulePath = (module && modulePaths.get(module)) ?? [[]];
          const ctrlPaths = pathFromValue(ctrl.path, expressPath, it, ctrl.pathText);
          const ctrlMeta = metadataOf(ctrl.decos);
          const ctrlVersion = ctrl.version ? versionsOf(ctrl.version, 'version') : undefined;
          const ctrlGuards = guardRefs(ctrl.decos, it, ctrl.cls.mod);
          for (const route of ctrl.routes) {
            localFailure(pctx.notify, route.loc, 'this route', () => {
              const key = `${route.loc.file}:${route.loc.line}:${route.loc.column}:${module ? it.loc(module, modules.get(module)!.cls.mod).line : ''}:${ctx.name}`;
              if (done.has(key)) return;
              done.add(key);
              const routeNotes2 = [...notes, ...routeNotes, ...ctrlPaths.notes];
              if (ctrl.host) {
                const hv = asString(force(ctrl.host));
                routeNotes2.push(hv !== undefined ? `served only for requests to host ${hv}` : 'served only for requests to a host not known statically');
              }
              const methodPaths = pathFromValue(route.path, expressPath, it, route.pathText);
              routeNotes2.push(...methodPaths.notes);
              const methodVersionDeco = route.decos.find((d) => isNest(d, 'Version'));
              const versions: Version[] | undefined = methodVersionDeco?.args[0] ? versionsOf(methodVersionDeco.args[0], 'Version') : (ctrlVersion ?? defaultVersion);
              const versionSegs: PathT[] = uri && versions?.length ? versions.map((v): PathT => (v === NEUTRAL_VERSION ? [] : typeof v === 'string' ? [[{ lit: versionPrefix + v }]] : [[...(versionPrefix ? [{ lit: versionPrefix }] : []), { hole: it.holeOf(force(v.hole), v.text) }]])) : [[]];
              const routeMeta = metadataOf(route.decos);
              const methodGuards = guardRefs(route.decos, it, ctrl.cls.mod);
              for (const method of route.methods) {
                for (const mp of modulePath)
                  for (const cp of ctrlPaths.variants)
                    for (const rp of methodPaths.variants) {
                      const rel = join(join(mp, cp), rp);
                      const excluded = excludes.some((e) => (!e.methods || method === 'ALL' || e.methods.includes(method)) && covers(e.path, rel, 'exact'));
                      for (const vs of versionSegs) {
                        for (const px of excluded ? [[]] : prefix) {
                          const abs = join(join(px, vs), rel);
                          emit(method, abs, rel, route, ctrl, ctx, routeNotes2, { globalGuards, ctrlGuards, methodGuards, ctrlMeta, routeMeta, bindings, globalMiddleware: app?.middleware ?? [] });
                        }
                      }
                    }
              }
            });
          }
        }
      }

      function emit(
        method: HttpMethod,
        abs: PathT,
        rel: PathT,
        route: RouteInfo,
        ctrl: ControllerInfo,
        ctx: AppContext,
        notes: string[],
        g: {
          globalGuards: Ref[];
          ctrlGuards: Ref[];
          methodGuards: Ref[];
          ctrlMeta: ReturnType<typeof metadataOf>;
          routeMeta: ReturnType<typeof metadataOf>;
          bindings: Array<{ b: MiddlewareBinding; module: t.Node }>;
          globalMiddleware: Ref[];
        },
      ) {
        const verdicts: Verdict[] = [];
        const evidence: AuthEvidence[] = [];
        const middleware: string[] = [];
        const noteMw = (r: Ref, d: { auth: Verdict; reason: string }) => {
          middleware.push(r.text);
          if (d.auth === 'neutral') return;
          verdicts.push(d.auth);
          evidence.push({ kind: 'middleware', name: r.text, auth: d.auth, reason: d.reason, file: r.loc.file, line: r.loc.line });
        };
        // middleware runs before guards: app.use(), then consumer.apply(...).forRoutes(...)
        for (const r of g.globalMiddleware) noteMw(r, decideMiddleware(r));
        for (const { b } of g.bindings) {
          if (!bindingApplies(b, method, rel, ctrl)) continue;
          for (const r of b.handlers) noteMw(r, decideMiddleware(r));
        }
        const meta = (key: string, on: 'handler' | 'class' | 'both') => {
          if (on !== 'class') {
            const h = g.routeMeta.get(key);
            if (h) return h;
          }
          if (on !== 'handler') return g.ctrlMeta.get(key);
          return undefined;
        };
        for (const r of [...g.globalGuards, ...g.ctrlGuards, ...g.methodGuards]) {
          middleware.push(r.text);
          const d = decide(r);
          let exempt: string | undefined;
          for (const e of d.exemptions) {
            const m = meta(e.key, e.on);
            const set = m !== undefined && force(m.value).kind !== 'undef' && !(force(m.value).kind === 'bool' && !(force(m.value) as { value: boolean }).value);
            if (e.when === 'present' && set) exempt = `${r.text.replace(/ \(APP_GUARD\)$/, '')} returns true for routes with ${e.keyText} metadata (${m!.deco.written} at ${m!.deco.loc.file}:${m!.deco.loc.line})`;
            else if (e.when === 'absent' && !set) exempt = `${r.text.replace(/ \(APP_GUARD\)$/, '')} returns true for routes without ${e.keyText} metadata, and this one has none`;
            if (exempt) break;
          }
          if (exempt && d.auth !== 'neutral') {
            evidence.push({ kind: 'middleware', name: r.text, auth: 'none', reason: exempt, file: r.loc.file, line: r.loc.line });
            continue;
          }
          if (d.auth === 'neutral') continue;
          verdicts.push(d.auth);
          evidence.push({ kind: 'middleware', name: r.text, auth: d.auth, reason: d.reason, file: r.loc.file, line: r.loc.line });
        }
        // decorators from packages the scan cannot read whose names suggest auth may apply guards
        for (const d of [...ctrl.decos, ...route.decos]) {
          if (/^@nestjs\//.test(d.module) || d.module === '' || d.metaKey) continue;
          if (/^(class-validator|class-transformer|@nestjs\/swagger)/.test(d.module)) continue;
          if (!hintsAuth(d.name)) continue;
          verdicts.push('unknown');
          evidence.push({ kind: 'middleware', name: `@${d.written}`, auth: 'unknown', reason: `decorator from package '${d.module}', not known to the scan: it may apply a guard`, file: d.loc.file, line: d.loc.line });
        }
        endpoints.push({
          method,
          path: render(abs),
          framework: PLUGIN,
          service: ctx.app ? ctx.service : pctx.serviceOf(ctrl.cls.mod.file),
          server: ctx.app ? ctx.name : `${ctrl.cls.mod.file}:${it.loc(ctrl.cls.node, ctrl.cls.mod).line}`,
          location: { file: route.loc.file, line: route.loc.line, column: route.loc.column },
          middleware,
          auth: combine(verdicts),
          evidence,
          unresolved: holes(abs),
          notes: [...new Set(notes)],
        });
      }

      function versionsOf(v: Value, text: string): Version[] {
        const f = force(v);
        const items = f.kind === 'arr' ? f.items.map(force) : [f];
        return items.map((x): Version => {
          if (x.kind === 'ext' && /VERSION_NEUTRAL$/.test(chainProps(x))) return NEUTRAL_VERSION;
          const s = asString(x);
          return s !== undefined && x.kind !== 'undef' ? s : { hole: x, text };
        });
      }

      function bindingApplies(b: MiddlewareBinding, method: HttpMethod, rel: PathT, ctrl: ControllerInfo): boolean {
        const matches = (entries: Value[], forExclude: boolean): boolean => {
          for (const e of entries) {
            const f = force(e);
            const items = f.kind === 'arr' ? f.items.map(force) : [f];
            for (const x of items) {
              if (x.kind === 'class') {
                if (!forExclude && x.node === ctrl.cls.node) return true;
                continue;
              }
              let path: string | undefined;
              let methods: HttpMethod | undefined;
              if (x.kind === 'str') path = x.value;
              else if (x.kind === 'obj') {
                path = asString(force(x.props.get('path') ?? UNDEF));
                methods = requestMethodOf(x.props.get('method'));
              } else if (!forExclude) return true; // a route we cannot read: assume it applies
              if (path === undefined) continue;
              if (methods && methods !== 'ALL' && method !== 'ALL' && methods !== method) continue;
              if (/^\/?(\*\w*|\(\.\*\)|\{\*\w*\})?$/.test(path)) return true;
              if (expressPath(path).some((p) => covers(p, rel, 'exact'))) return true;
            }
          }
          return false;
        };
        return matches(b.routes, false) && !matches(b.excludes, true);
      }

      return endpoints;
    };

    return {
      hooks: {
        name: PLUGIN,
        callExternal,
        callHost,
        wantsUncalled: (text) => (/\bNestFactory\s*\.\s*create\s*[<(]/.test(text) ? 2 : 0),
      },
      finish,
    };
  },
};

function requestMethodOf(v: Value | undefined): HttpMethod | undefined {
  if (!v) return undefined;
  const f = force(v);
  if (f.kind === 'ext') {
    const last = f.chain[f.chain.length - 1];
    return last && 'prop' in last ? REQUEST_METHODS[last.prop] : undefined;
  }
  if (f.kind === 'num') return REQUEST_METHOD_NUMBERS[f.value];
  return undefined;
}

/** `@UseGuards(A, B)` on a class or method: the guards, in order. */
function guardRefs(decos: Deco[], it: Interpreter, mod: ModuleRecord): Ref[] {
  const out: Ref[] = [];
  for (const d of decos) {
    if (!isNest(d, 'UseGuards')) continue;
    d.args.forEach((a, i) => {
      const f = force(a);
      const items = f.kind === 'arr' ? f.items.map(force) : [f];
      const node = d.argNodes?.[i];
      for (const x of items) {
        const written = node && f.kind !== 'arr' ? it.text(node, mod) : undefined;
        out.push({ value: x, text: written && written.length <= 80 ? written : valueName(x, 'guard'), loc: node ? it.loc(node, mod) : d.loc });
      }
    });
  }
  return out;
}

/** Top-level classes of a module (declared, exported, or default-exported). */
function classesOf(rec: ModuleRecord, it: Interpreter): ClassV[] {
  const out: ClassV[] = [];
  for (const stmt of rec.ast.program.body) {
    const decl = stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration' ? stmt.declaration : stmt;
    if (!decl || decl.type !== 'ClassDeclaration') continue;
    const v = decl.id ? rec.env.lookup(decl.id.name) : stmt.type === 'ExportDefaultDeclaration' ? rec.defaultValue : undefined;
    const f = v ? force(v) : undefined;
    if (f?.kind === 'class' && f.node === decl) out.push(f);
    else out.push(it.makeClass(decl, rec.env, rec));
  }
  return out;
}
