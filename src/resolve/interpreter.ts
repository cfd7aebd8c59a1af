import path from 'node:path';
import type * as t from '@babel/types';
import type { Notification, Unresolved } from '../model.js';
import type { ParsedFile } from '../parse/parse.js';
import { SafeRegex } from './safe-regex.js';
import { Env } from './env.js';
import type { ModuleResolver } from './modules.js';
import {
  NULL,
  UNDEF,
  arr,
  asString,
  concat,
  force,
  newId,
  obj,
  str,
  truthy,
  unknown,
  wouldNestItself,
  OBJECT_PROTOTYPE_NAMES,
  type ArrV,
  type ClassV,
  type ExtV,
  type FnV,
  type FunctionNode,
  type HostV,
  type Loc,
  type NativeV,
  type ObjV,
  type Value,
} from './values.js';

/**
 * A static interpreter for JavaScript/TypeScript modules. It never runs the scanned code: it evaluates what can be
 * known without running it (literals, constants, imports across files, object and array tables, closures, classes,
 * loops over known arrays) and keeps everything else as `unknown` with the reason. Framework plugins give meaning to
 * values that come from their packages (an express app, a router) through hooks.
 */

export interface CallContext {
  it: Interpreter;
  mod: ModuleRecord;
  node: t.Node;
  /** Argument nodes as written (spread elements included). */
  argNodes: t.Node[];
  loc: Loc;
  /** Location of the method name for member calls (`router.get` → `get`), else of the call. */
  calleeLoc: Loc;
  isNew?: boolean;
}

export interface InterpreterPlugin {
  name: string;
  /** A call (or `new`) of a value from a package we do not read. Return a value to give it meaning. */
  callExternal?(callee: ExtV, args: Value[], ctx: CallContext): Value | undefined;
  /** A method call on a host object this plugin owns. */
  callHost?(host: HostV, method: string, args: Value[], ctx: CallContext): Value | undefined;
  /** A property read on a host object this plugin owns (a method read without calling it gives `hostfn`). */
  getHostMember?(host: HostV, name: string): Value | undefined;
  /**
   * For top-level functions and classes that no evaluated code calls (a `createApp()` called from a file that is not
   * an entry, a `module.exports = (app) => {...}` loaded dynamically): how much this plugin wants them run, from their
   * source text (0: not at all; higher runs first).
   */
  wantsUncalled?(text: string, fileText?: string): number;
  /** A stand-in for a parameter of such a function (`app: Express` → an app), from the parameter's source text. */
  placeholderArg?(paramText: string, loc: Loc): Value | undefined;
}

export class ModuleRecord {
  readonly env: Env;
  readonly esmExports = new Map<string, () => Value>();
  /** Where each export is declared (line), for messages about it. */
  readonly exportLines = new Map<string, number>();
  readonly starFrom: string[] = [];
  hasEsm = false;
  state: 'new' | 'running' | 'done' = 'new';
  readonly moduleObj: ObjV;
  readonly cjsObj: ObjV;
  private ns?: ObjV;
  defaultValue: Value | undefined;

  constructor(
    readonly file: string,
    readonly ast: t.File,
    readonly text: string,
    globals: Env,
  ) {
    this.env = new Env(globals);
    this.cjsObj = obj();
    this.cjsObj.module = file;
    this.moduleObj = obj([['exports', this.cjsObj]]);
    this.env.declare('module', this.moduleObj);
    this.env.declare('exports', this.cjsObj);
    this.env.declare('this', UNDEF);
  }

  get cjsValue(): Value {
    return force(this.moduleObj.props.get('exports') ?? UNDEF);
  }

  namespace(it: Interpreter): ObjV {
    if (this.ns) return this.ns;
    const ns = obj();
    ns.module = this.file;
    this.ns = ns;
    it.ensureEvaluated(this);
    for (const name of it.exportNames(this, new Set())) {
      ns.props.set(name, { kind: 'lazy', get: () => it.getExport(this, name, new Set()) });
    }
    if (!this.hasEsm) {
      const cjs = this.cjsValue;
      if (cjs.kind === 'obj') for (const [k, v] of cjs.props) if (!ns.props.has(k)) ns.props.set(k, v);
      ns.props.set('default', cjs);
      ns.partial = cjs.kind !== 'obj' || cjs.partial;
    }
    return ns;
  }
}

type Completion = undefined | { type: 'return'; value: Value } | { type: 'break'; label?: string } | { type: 'continue'; label?: string } | { type: 'throw' };

interface Frame {
  candidates: Value[];
  homeClass?: ClassV;
}

const MAX_CALL_DEPTH = 40;
/**
 * Nesting of expressions and statements being evaluated at once (across calls and module loads): past it, a value is
 * unknown and a warning names the place. Far below what exhausts the JavaScript stack, far above what real code nests.
 */
const MAX_DEPTH = 600;
const MAX_LOOP = 2000;
const DEFAULT_STEP_BUDGET = 20_000_000;

/** JavaScript globals modelled as values from a package named after them (they never register routes or check auth). */
export const GLOBAL_EXTERNALS: ReadonlySet<string> = new Set(['process', 'console', 'Math', 'Date', 'Symbol', 'Reflect', 'globalThis', 'Buffer', 'Number', 'Boolean', 'Promise', 'WeakMap', 'Error', 'URL', 'setTimeout', 'setInterval', 'RegExp', 'Proxy', 'Object', 'JSON']);
/** One module's top level or one uncalled function: far more than any route file needs. */
const UNIT_STEP_BUDGET = 1_000_000;

class UnitBudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super('step budget of this unit exceeded');
  }
}

export interface InterpreterOptions {
  resolver: ModuleResolver;
  plugins: InterpreterPlugin[];
  /** Parses a repo-relative source file (cached by the caller); undefined when it cannot be parsed. */
  load: (file: string) => ParsedFile | undefined;
  readJson: (file: string) => unknown;
  notify: (n: Notification) => void;
  stepBudget?: number;
}

export class Interpreter {
  readonly modules = new Map<string, ModuleRecord | null>();
  readonly globals = new Env();
  private steps = 0;
  private budgetExceeded = false;
  private readonly callStack: FunctionNode[] = [];
  /** Where each function on the call stack was called from (parallel to callStack). */
  private readonly callSites: Array<Loc | undefined> = [];
  private depth = 0;
  /** `file\0name` of the exports being resolved now (a re-export cycle comes back to one of them). */
  private readonly exportsResolving: string[] = [];
  /** Places already reported (a construct evaluated many times is reported once). */
  private readonly reported = new Set<string>();
  private readonly classMethods = new Map<ClassV, Map<string, { fn: t.ClassMethod | t.ClassPrivateMethod; kind: string }>>();
  private readonly jsonCache = new Map<string, Value>();
  /** Steps the current unit of work may reach (see withinBudget). */
  private unitLimit = Number.MAX_SAFE_INTEGER;
  /** Functions and classes that evaluated code called or constructed. */
  private readonly invoked = new Set<t.Node>();

  constructor(readonly opts: InterpreterOptions) {
    this.installGlobals();
  }

  // ---------------------------------------------------------------- modules

  getModule(file: string): ModuleRecord | undefined {
    if (this.modules.has(file)) return this.modules.get(file) ?? undefined;
    const parsed = this.opts.load(file);
    const rec = parsed ? new ModuleRecord(file, parsed.ast, parsed.text, this.globals) : null;
    this.modules.set(file, rec);
    if (rec) this.hoistModule(rec);
    return rec ?? undefined;
  }

  /** Evaluates the module's top level once. */
  ensureEvaluated(rec: ModuleRecord): void {
    if (rec.state !== 'new') return;
    rec.state = 'running';
    const frame: Frame = { candidates: [] };
    this.withinBudget(rec.file, undefined, 'its top level', () => {
      this.execStatements(rec.ast.program.body, rec.env, rec, frame, true);
    });
    rec.state = 'done';
  }

  run(files: string[]): void {
    for (const f of files) {
      try {
        const rec = this.getModule(f);
        if (rec) this.ensureEvaluated(rec);
      } catch (err) {
        this.reportFailure(f, err);
      }
    }
  }

  /**
   * Runs the top-level functions and classes of `files` that nothing called, when a plugin wants them (they create
   * an app or register routes), with plugin stand-ins (or unknowns) for their parameters.
   */
  runUncalled(files: string[]): void {
    const cands: Array<{ node: t.Node; rec: ModuleRecord; get: () => Value; priority: number; order: number; owner?: InterpreterPlugin }> = [];
    let order = 0;
    for (const f of files) {
      const rec = this.modules.get(f);
      if (!rec) continue;
      const add = (node: t.Node | null | undefined, get: () => Value) => {
        if (!node || (node.type !== 'FunctionDeclaration' && node.type !== 'FunctionExpression' && node.type !== 'ArrowFunctionExpression' && node.type !== 'ClassDeclaration' && node.type !== 'ClassExpression')) return;
        const text = rec.text.slice(node.start ?? 0, node.end ?? 0);
        let priority = 0;
        let owner: InterpreterPlugin | undefined;
        for (const p of this.opts.plugins) {
          const w = (p.wantsUncalled && this.hook(p, this.loc(node, rec), () => p.wantsUncalled!(text, rec.text))) || 0;
          if (w > priority) {
            priority = w;
            owner = p;
          }
        }
        if (priority > 0) cands.push({ node, rec, get, priority, order: order++, owner });
      };
      for (const stmt of rec.ast.program.body) {
        const decl = stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration' ? stmt.declaration : stmt;
        if (!decl) continue;
        if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id) {
          const name = decl.id.name;
          add(decl, () => rec.env.lookup(name) ?? UNDEF);
        } else if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration' || decl.type === 'ArrowFunctionExpression' || decl.type === 'FunctionExpression' || decl.type === 'ClassExpression') && stmt.type === 'ExportDefaultDeclaration') {
          add(decl, () => rec.defaultValue ?? UNDEF);
        } else if (decl.type === 'VariableDeclaration') {
          for (const d of decl.declarations) if (d.id.type === 'Identifier' && d.init) {
            const name = d.id.name;
            add(unwrapTs(d.init), () => rec.env.lookup(name) ?? UNDEF);
          }
        } else if (decl.type === 'ExpressionStatement' && decl.expression.type === 'AssignmentExpression') {
          const target = this.text(decl.expression.left, rec);
          if (target === 'module.exports') add(unwrapTs(decl.expression.right), () => rec.cjsValue);
          else if (/^(module\.)?exports\.\w+$/.test(target)) {
            const key = target.split('.').pop()!;
            add(unwrapTs(decl.expression.right), () => this.getMember(rec.cjsValue, key, rec));
          }
        }
      }
    }
    cands.sort((a, b) => b.priority - a.priority || a.order - b.order);
    for (const c of cands) {
      if (this.invoked.has(c.node)) continue;
      let v: Value;
      try {
        v = force(c.get());
      } catch (err) {
        this.reportFailure(c.rec.file, err, c.node.loc?.start.line);
        continue;
      }
      const placeholders = (params: t.Node[]): Value[] =>
        params.map((p) => {
          const text = this.text(p, c.rec);
          const loc = this.loc(p, c.rec);
          // the plugin that wanted the function run speaks first for its parameters
          for (const pl of c.owner ? [c.owner, ...this.opts.plugins.filter((x) => x !== c.owner)] : this.opts.plugins) {
            const r = pl.placeholderArg && this.hook(pl, loc, () => pl.placeholderArg!(text, loc));
            if (r) return r;
          }
          return unknown(text.split(/[:=]/)[0]!.trim(), 'parameter of a function that no code the scan can see calls', loc);
        });
      const loc = this.loc(c.node, c.rec);
      const ctx: CallContext = { it: this, mod: c.rec, node: c.node, argNodes: [], loc, calleeLoc: loc };
      this.withinBudget(c.rec.file, loc.line, v.kind === 'fn' || v.kind === 'class' ? `${v.name ?? 'a function'}` : 'a function', () => {
        if (v.kind === 'fn' && v.node === c.node) this.callFunction(v, placeholders(v.node.params), UNDEF, loc);
        else if (v.kind === 'class' && v.node === c.node) {
          const ctor = v.node.body.body.find((m): m is t.ClassMethod => m.type === 'ClassMethod' && m.kind === 'constructor');
          this.construct(v, placeholders(ctor?.params ?? []), ctx, v.name ?? 'class');
        }
      });
    }
  }

  /**
   * A failure inside the analysis (a thrown error, the JavaScript stack running out): an error naming the place, once
   * per place. The caller skips only the construct that failed (a statement, a hook call, a unit) and goes on.
   */
  private reportFailure(file: string, err: unknown, line?: number, what = 'this statement was skipped; the rest of the file was analysed'): void {
    const key = `failed\0${file}\0${line ?? ''}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const why = err instanceof RangeError ? 'nesting or recursion too deep: the analysis ran out of stack' : `${(err as Error)?.message ?? String(err)}`.split('\n')[0]!.slice(0, 200);
    this.opts.notify({ level: 'error', code: 'analysis-failed', message: `${file}${line ? `:${line}` : ''}: could not be analysed (${why}); ${what}. Routes registered there may be missing.`, file, line });
  }

  /** A bound reached (not a failure): a warning naming the place, once per place. */
  private reportCut(code: string, loc: Loc | undefined, message: string): void {
    const key = `${code}\0${loc?.file ?? ''}\0${loc?.line ?? ''}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.opts.notify({ level: 'warning', code, message: `${loc ? `${loc.file}:${loc.line}: ` : ''}${message}`, ...(loc ? { file: loc.file, line: loc.line } : {}) });
  }

  /** Runs a plugin hook; a hook that throws is reported at the call it was given and counts as not handled. */
  private hook<T>(p: InterpreterPlugin, loc: Loc | undefined, run: () => T): T | undefined {
    try {
      return run();
    } catch (err) {
      if (err instanceof UnitBudgetExceeded) throw err;
      this.reportFailure(loc?.file ?? '?', err, loc?.line, `the ${p.name} analysis of this call was skipped`);
      return undefined;
    }
  }

  exportNames(rec: ModuleRecord, seen: Set<ModuleRecord>): string[] {
    if (seen.has(rec)) return [];
    seen.add(rec);
    const names = new Set(rec.esmExports.keys());
    for (const spec of rec.starFrom) {
      const r = this.opts.resolver.resolve(rec.file, spec);
      if (r.kind !== 'file') continue;
      const target = this.getModule(r.file);
      if (!target) continue;
      this.ensureEvaluated(target);
      for (const n of this.exportNames(target, seen)) if (n !== 'default') names.add(n);
      if (!target.hasEsm) {
        const cjs = target.cjsValue;
        if (cjs.kind === 'obj') for (const k of cjs.props.keys()) names.add(k);
      }
    }
    return [...names];
  }

  getExport(rec: ModuleRecord, name: string, seen: Set<ModuleRecord>): Value {
    const key = `${rec.file}\0${name}`;
    const at = this.exportsResolving.indexOf(key);
    if (at >= 0) {
      const cycle = [...this.exportsResolving.slice(at), key].map((k) => k.split('\0')[0]!);
      const line = rec.exportLines.get(name);
      this.reportCut('export-cycle', { file: rec.file, line: line ?? 1, column: 1 }, `'${name}' is re-exported in a cycle (${cycle.join(' → ')}): it has no value, and what uses it is unresolved.`);
      return unknown(name, `'${name}' is re-exported in a cycle (${cycle.join(' → ')})`, { file: rec.file, line: line ?? 1, column: 1 });
    }
    this.exportsResolving.push(key);
    try {
      return this.getExportUnguarded(rec, name, seen);
    } finally {
      this.exportsResolving.pop();
    }
  }

  private getExportUnguarded(rec: ModuleRecord, name: string, seen: Set<ModuleRecord>): Value {
    this.ensureEvaluated(rec);
    const direct = rec.esmExports.get(name);
    if (direct) return force(direct());
    if (seen.has(rec)) return unknown(name, 'circular re-export');
    seen.add(rec);
    if (name !== 'default') {
      for (const spec of rec.starFrom) {
        const r = this.opts.resolver.resolve(rec.file, spec);
        if (r.kind === 'external') continue;
        if (r.kind === 'json') continue;
        const target = this.getModule(r.file);
        if (!target) continue;
        this.ensureEvaluated(target);
        if (target.esmExports.has(name) || this.exportNames(target, new Set()).includes(name)) return this.getExport(target, name, seen);
      }
    }
    if (!rec.hasEsm || rec.cjsValue !== rec.cjsObj || rec.cjsObj.props.size) {
      const cjs = rec.cjsValue;
      if (name === 'default') return cjs;
      if (cjs.kind === 'obj' && cjs.props.has(name)) return force(cjs.props.get(name)!);
      if (!rec.hasEsm) return this.getMember(cjs, name, undefined);
    }
    return unknown(`${name} from ${rec.file}`, `${rec.file} does not export '${name}'`);
  }

  /** The value of `require(spec)` / `import * as x from spec` seen from `from`. */
  requireModule(from: ModuleRecord, spec: string, loc?: Loc): Value {
    const r = this.opts.resolver.resolve(from.file, spec);
    if (r.kind === 'external') return { kind: 'ext', module: spec.replace(/^node:/, ''), chain: [], text: spec, loc };
    if (r.kind === 'json') return this.jsonModule(r.file);
    const target = this.getModule(r.file);
    if (!target) return unknown(`require('${spec}')`, `${r.file} could not be parsed`, loc);
    this.ensureEvaluated(target);
    if (target.hasEsm) return target.namespace(this);
    return target.cjsValue;
  }

  importBinding(from: ModuleRecord, spec: string, name: string | '*', loc?: Loc): Value {
    const r = this.opts.resolver.resolve(from.file, spec);
    if (r.kind === 'external') {
      const module = spec.replace(/^node:/, '');
      const chain = name === '*' || name === 'default' ? [] : [{ prop: name }];
      return { kind: 'ext', module, chain, text: name === '*' || name === 'default' ? module : name, loc };
    }
    if (r.kind === 'json') {
      const v = this.jsonModule(r.file);
      return name === '*' || name === 'default' ? v : this.getMember(v, name, undefined);
    }
    const target = this.getModule(r.file);
    if (!target) return unknown(name === '*' ? spec : name, `${r.file} could not be parsed`, loc);
    if (name === '*') return target.namespace(this);
    return this.getExport(target, name, new Set());
  }

  private jsonModule(file: string): Value {
    const hit = this.jsonCache.get(file);
    if (hit) return hit;
    const data = this.opts.readJson(file);
    const v = data === undefined ? unknown(file, 'JSON file could not be read') : fromJson(data, 0);
    this.jsonCache.set(file, v);
    return v;
  }

  private hoistModule(rec: ModuleRecord): void {
    const env = rec.env;
    for (const stmt of rec.ast.program.body) {
      switch (stmt.type) {
        case 'ImportDeclaration': {
          rec.hasEsm = true;
          if (stmt.importKind === 'type') break;
          const spec = stmt.source.value;
          for (const s of stmt.specifiers) {
            if ((s as t.ImportSpecifier).importKind === 'type') continue;
            const loc = this.loc(s, rec);
            if (s.type === 'ImportDefaultSpecifier') env.declareLazy(s.local.name, () => this.importBinding(rec, spec, 'default', loc));
            else if (s.type === 'ImportNamespaceSpecifier') env.declareLazy(s.local.name, () => this.importBinding(rec, spec, '*', loc));
            else {
              const imported = s.imported.type === 'Identifier' ? s.imported.name : s.imported.value;
              env.declareLazy(s.local.name, () => this.importBinding(rec, spec, imported, loc));
            }
          }
          break;
        }
        case 'ExportNamedDeclaration': {
          rec.hasEsm = true;
          if (stmt.exportKind === 'type') break;
          if (stmt.declaration) {
            this.hoistDeclaration(stmt.declaration, env, rec);
            for (const name of declaredNames(stmt.declaration)) rec.esmExports.set(name, () => env.lookup(name) ?? unknown(name, 'used before its declaration'));
          }
          const source = stmt.source?.value;
          for (const s of stmt.specifiers) {
            const exported = s.exported.type === 'Identifier' ? s.exported.name : s.exported.value;
            rec.exportLines.set(exported, s.loc?.start.line ?? stmt.loc?.start.line ?? 1);
            if (s.type === 'ExportSpecifier') {
              const local = s.local.name;
              if (source !== undefined) rec.esmExports.set(exported, () => this.importBinding(rec, source, local === 'default' ? 'default' : local));
              else rec.esmExports.set(exported, () => env.lookup(local) ?? unknown(local, 'used before its declaration'));
            } else if (s.type === 'ExportNamespaceSpecifier' && source !== undefined) {
              rec.esmExports.set(exported, () => this.importBinding(rec, source, '*'));
            } else if (s.type === 'ExportDefaultSpecifier' && source !== undefined) {
              rec.esmExports.set(exported, () => this.importBinding(rec, source, 'default'));
            }
          }
          break;
        }
        case 'ExportAllDeclaration':
          rec.hasEsm = true;
          if (stmt.exportKind !== 'type') rec.starFrom.push(stmt.source.value);
          break;
        case 'ExportDefaultDeclaration': {
          rec.hasEsm = true;
          const d = stmt.declaration;
          if (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') {
            this.hoistDeclaration(d, env, rec);
            const v = d.id ? () => env.lookup(d.id!.name) ?? UNDEF : undefined;
            if (v) rec.esmExports.set('default', v);
            else {
              const value = d.type === 'FunctionDeclaration' ? this.makeFn(d, env, rec) : this.makeClass(d, env, rec);
              rec.esmExports.set('default', () => value);
            }
          } else if ((d.type as string) !== 'TSInterfaceDeclaration' && d.type !== 'TSDeclareFunction') {
            rec.esmExports.set('default', () => rec.defaultValue ?? unknown('default export', 'read before its module finished evaluating'));
          }
          break;
        }
        case 'TSExportAssignment':
          break;
        default:
          this.hoistDeclaration(stmt, env, rec);
      }
    }
  }

  private hoistDeclaration(stmt: t.Node, env: Env, rec: ModuleRecord): void {
    if (stmt.type === 'FunctionDeclaration' && stmt.id) env.declare(stmt.id.name, this.makeFn(stmt, env, rec));
    else if (stmt.type === 'ClassDeclaration' && stmt.id) {
      const id = stmt.id.name;
      env.declareLazy(id, () => this.makeClass(stmt, env, rec));
    } else if (stmt.type === 'TSEnumDeclaration') {
      env.declareLazy(stmt.id.name, () => this.makeEnum(stmt, env, rec));
    } else if (stmt.type === 'TSImportEqualsDeclaration') {
      const ref = stmt.moduleReference;
      if (ref.type === 'TSExternalModuleReference') env.declareLazy(stmt.id.name, () => this.requireModule(rec, ref.expression.value, this.loc(stmt, rec)));
    }
  }

  private makeEnum(node: t.TSEnumDeclaration, env: Env, rec: ModuleRecord): Value {
    const o = obj();
    let next = 0;
    const members = (node as unknown as { members?: t.TSEnumMember[]; body?: { members: t.TSEnumMember[] } }).members ?? (node as unknown as { body: { members: t.TSEnumMember[] } }).body.members;
    const scope = new Env(env);
    for (const m of members) {
      const key = m.id.type === 'Identifier' ? m.id.name : m.id.value;
      let v: Value;
      if (m.initializer) {
        v = this.evalExpr(m.initializer, scope, rec);
        if (v.kind === 'num') next = v.value + 1;
      } else {
        v = { kind: 'num', value: next++ };
      }
      o.props.set(key, v);
      scope.declare(key, v);
    }
    return o;
  }

  // ---------------------------------------------------------------- helpers

  loc(node: t.Node, rec: ModuleRecord): Loc {
    return { file: rec.file, line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1 };
  }

  text(node: t.Node, rec: ModuleRecord): string {
    if (node.start == null || node.end == null) return '?';
    const s = rec.text.slice(node.start, node.end);
    return s.length > 200 ? s.slice(0, 197) + '...' : s;
  }

  /** Turns a value that is not a known string into a hole description; `site` is the expression that produced it. */
  holeOf(v: Value, fallbackText = '?', site?: { node: t.Node; rec: ModuleRecord }): Unresolved {
    const h = this.holeOfValue(v, fallbackText);
    if (site) h.site = { text: this.text(site.node, site.rec), file: site.rec.file, line: site.node.loc?.start.line ?? 1 };
    return h;
  }

  private holeOfValue(v: Value, fallbackText: string): Unresolved {
    switch (v.kind) {
      case 'unknown':
        return { text: v.text, reason: v.reason, file: v.loc?.file, line: v.loc?.line };
      case 'ext':
        return { text: v.text, reason: v.module === 'process' ? 'environment variable, not known statically' : `value from package '${v.module}'`, file: v.loc?.file, line: v.loc?.line };
      case 'undef':
        return { text: fallbackText, reason: 'value is undefined' };
      default:
        return { text: fallbackText, reason: `a ${v.kind} value, not a string` };
    }
  }

  /** Runs one unit of work (a module's top level, an uncalled function) within its own share of the budget. */
  private withinBudget(file: string, line: number | undefined, what: string, run: () => void): void {
    const outer = this.unitLimit;
    const own = this.steps + UNIT_STEP_BUDGET;
    this.unitLimit = Math.min(outer, own);
    try {
      run();
    } catch (err) {
      if (!(err instanceof UnitBudgetExceeded)) this.reportFailure(file, err, line, `the analysis of ${what} stopped there`);
      // an enclosing unit ran out first: it stops too, and says so
      else if (err.limit !== own || own > outer) throw err;
      else this.opts.notify({ level: 'warning', code: 'analysis-budget', message: `${file}${line ? `:${line}` : ''}: analysis of ${what} stopped after ${UNIT_STEP_BUDGET.toLocaleString('en')} steps (a loop over generated data?); routes it registers later may be missing.`, file, line });
    } finally {
      this.unitLimit = outer;
    }
  }

  private tick(): boolean {
    if (this.steps >= this.unitLimit) throw new UnitBudgetExceeded(this.unitLimit);
    if (++this.steps > (this.opts.stepBudget ?? DEFAULT_STEP_BUDGET)) {
      if (!this.budgetExceeded) {
        this.budgetExceeded = true;
        this.opts.notify({ level: 'warning', code: 'analysis-budget', message: 'The analysis step budget was exhausted; some values were left unresolved.' });
      }
      return false;
    }
    return true;
  }

  makeFn(node: FunctionNode, env: Env, mod: ModuleRecord, name?: string, homeClass?: ClassV): FnV {
    const id = (node as t.FunctionDeclaration).id?.name;
    return { kind: 'fn', node, env, mod, name: name ?? id, homeClass };
  }

  makeClass(node: t.ClassDeclaration | t.ClassExpression, env: Env, mod: ModuleRecord): ClassV {
    const cls: ClassV = { kind: 'class', node, env, mod, name: node.id?.name, statics: new Map(), id: newId() };
    if (node.superClass) cls.superV = this.evalExpr(node.superClass, env, mod);
    const scope = new Env(env);
    if (node.id) scope.declare(node.id.name, cls);
    scope.declare('this', cls);
    for (const m of node.body.body) {
      if (m.type === 'ClassProperty' && m.static && m.key.type === 'Identifier') {
        cls.statics.set(m.key.name, m.value ? this.evalExpr(m.value, scope, mod) : UNDEF);
      } else if (m.type === 'ClassMethod' && m.static && m.key.type === 'Identifier' && m.kind === 'method') {
        cls.statics.set(m.key.name, this.makeFn(m, scope, mod, m.key.name, cls));
      }
    }
    return cls;
  }

  private methodsOf(cls: ClassV): Map<string, { fn: t.ClassMethod | t.ClassPrivateMethod; kind: string }> {
    let m = this.classMethods.get(cls);
    if (m) return m;
    m = new Map();
    for (const el of cls.node.body.body) {
      if ((el.type === 'ClassMethod' || el.type === 'ClassPrivateMethod') && !el.static) {
        const key = el.key.type === 'Identifier' ? el.key.name : el.key.type === 'PrivateName' ? '#' + el.key.id.name : el.key.type === 'StringLiteral' ? el.key.value : undefined;
        if (key && el.kind !== 'constructor') m.set(key, { fn: el, kind: el.kind });
      }
    }
    this.classMethods.set(cls, m);
    return m;
  }

  private findMethod(cls: ClassV, name: string): { fn: t.ClassMethod | t.ClassPrivateMethod; kind: string; cls: ClassV } | undefined {
    for (let c: Value | undefined = cls, i = 0; c && c.kind === 'class' && i < 20; c = c.superV, i++) {
      const m = this.methodsOf(c).get(name);
      if (m) return { ...m, cls: c };
    }
    return undefined;
  }

  // ---------------------------------------------------------------- members

  getMember(o: Value, key: string, rec: ModuleRecord | undefined, text?: string): Value {
    const v = force(o);
    switch (v.kind) {
      case 'obj': {
        if (v.props.has(key)) return force(v.props.get(key)!);
        if (v.cls) {
          const m = this.findMethod(v.cls, key);
          if (m) {
            const fn = this.makeFn(m.fn, m.cls.env, m.cls.mod, key, m.cls);
            if (m.kind === 'get') return this.callFunction(fn, [], v, undefined);
            return { ...fn, thisVal: v };
          }
        }
        // Object.prototype's members are not the object's data
        if (OBJECT_PROTOTYPE_NAMES.has(key)) return unknown(text ?? key, `builtin '${key}' of every object, not a property of this one`);
        return v.partial || v.cls ? unknown(text ?? key, `property '${key}' not known statically`) : UNDEF;
      }
      case 'arr':
        if (key === 'length') return v.partial ? unknown(text ?? key, 'array length not known') : { kind: 'num', value: v.items.length };
        if (/^\d+$/.test(key)) {
          const i = Number(key);
          return i < v.items.length ? force(v.items[i]!) : v.partial ? unknown(text ?? key, 'array element not known') : UNDEF;
        }
        return unknown(text ?? key, `array property '${key}'`);
      case 'str':
        if (key === 'length') return { kind: 'num', value: v.value.length };
        if (/^\d+$/.test(key)) return str(v.value[Number(key)] ?? '');
        return unknown(text ?? key, `string property '${key}'`);
      case 'class': {
        if (v.statics.has(key)) return force(v.statics.get(key)!);
        if (key === 'name' && v.name) return str(v.name);
        if (v.superV && v.superV.kind === 'class') return this.getMember(v.superV, key, rec, text);
        if (key === 'prototype') return unknown(text ?? key, 'class prototype');
        return unknown(text ?? key, `static '${key}' not known`);
      }
      case 'ext':
        return { kind: 'ext', module: v.module, chain: [...v.chain, { prop: key }], text: `${v.text}.${key}`, loc: v.loc };
      case 'host': {
        for (const p of this.opts.plugins) {
          if (p.name === v.plugin && p.getHostMember) {
            const r = this.hook(p, undefined, () => p.getHostMember!(v, key));
            if (r) return r;
          }
        }
        return { kind: 'hostfn', host: v, name: key };
      }
      case 'fn':
        if (key === 'name') return str(v.name ?? '');
        return unknown(text ?? key, `function property '${key}'`);
      case 'unknown':
        return unknown(text ?? `${v.text}.${key}`, v.reason, v.loc);
      case 'undef':
      case 'null':
        return unknown(text ?? key, `property '${key}' of ${v.kind === 'undef' ? 'undefined' : 'null'}`);
      default:
        return unknown(text ?? key, `property '${key}' of a ${v.kind}`);
    }
  }

  setMember(o: Value, key: string, value: Value): void {
    const v = force(o);
    // `o.__proto__ = x` / `o['__proto__'] = x` changes the prototype: no property is added, some may now be inherited
    if (key === '__proto__') {
      if (v.kind === 'obj') v.partial = true;
      return;
    }
    if (v.kind === 'obj') v.props.set(key, value);
    else if (v.kind === 'arr' && /^\d+$/.test(key)) {
      const i = Number(key);
      // no holes in `items` (every element is a value): a write past the end makes the array partly unknown
      if (i > v.items.length) {
        v.partial = true;
        return;
      }
      v.items[i] = wouldNestItself(v, value) ? unknown(key, 'an array put into itself') : value;
    }
    else if (v.kind === 'class') v.statics.set(key, value);
  }

  // ---------------------------------------------------------------- statements

  execStatements(stmts: t.Statement[], env: Env, rec: ModuleRecord, frame: Frame, topLevel = false): Completion {
    if (!topLevel) {
      for (const s of stmts) this.hoistDeclaration(s, env, rec);
    }
    for (const s of stmts) {
      let c: Completion;
      try {
        c = this.exec(s, env, rec, frame);
      } catch (err) {
        // a failure stays with the statement that caused it: the statements around it are still analysed
        if (err instanceof UnitBudgetExceeded) throw err;
        this.reportFailure(rec.file, err, s.loc?.start.line);
        continue;
      }
      if (c) return c;
    }
    return undefined;
  }

  private exec(s: t.Statement, env: Env, rec: ModuleRecord, frame: Frame): Completion {
    if (!this.tick()) return { type: 'throw' };
    if (this.depth > MAX_DEPTH) {
      this.tooDeep(s, rec);
      return undefined;
    }
    this.depth++;
    try {
      return this.execInner(s, env, rec, frame);
    } finally {
      this.depth--;
    }
  }

  private execInner(s: t.Statement, env: Env, rec: ModuleRecord, frame: Frame): Completion {
    switch (s.type) {
      case 'ExpressionStatement':
        this.evalExpr(s.expression, env, rec);
        return undefined;
      case 'VariableDeclaration':
        if (s.declare) return undefined;
        for (const d of s.declarations) {
          const value = d.init ? this.evalExpr(d.init, env, rec, patternName(d.id)) : UNDEF;
          this.bindPattern(d.id, value, env, rec, true);
        }
        return undefined;
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
      case 'TSEnumDeclaration':
      case 'TSImportEqualsDeclaration':
        return undefined;
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
        return undefined;
      case 'ExportNamedDeclaration':
        if (s.declaration && s.declaration.type === 'VariableDeclaration') return this.exec(s.declaration, env, rec, frame);
        return undefined;
      case 'ExportDefaultDeclaration': {
        const d = s.declaration;
        if (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') {
          rec.defaultValue = d.id ? env.lookup(d.id.name) : d.type === 'FunctionDeclaration' ? this.makeFn(d, env, rec) : this.makeClass(d, env, rec);
        } else if ((d.type as string) !== 'TSInterfaceDeclaration' && d.type !== 'TSDeclareFunction') {
          rec.defaultValue = this.evalExpr(d as t.Expression, env, rec, 'default');
        }
        return undefined;
      }
      case 'TSExportAssignment':
        rec.moduleObj.props.set('exports', this.evalExpr(s.expression, env, rec));
        return undefined;
      case 'TSModuleDeclaration': {
        if (s.id.type !== 'Identifier' || !s.body || s.body.type !== 'TSModuleBlock') return undefined;
        const inner = new Env(env);
        const nsObj = obj();
        this.execStatements(s.body.body.map((b) => (b.type === 'ExportNamedDeclaration' && b.declaration ? (b.declaration as t.Statement) : b)), inner, rec, { candidates: [] });
        for (const b of s.body.body) {
          if (b.type === 'ExportNamedDeclaration' && b.declaration) for (const n of declaredNames(b.declaration)) nsObj.props.set(n, inner.lookup(n) ?? UNDEF);
        }
        env.declare(s.id.name, nsObj);
        return undefined;
      }
      case 'BlockStatement':
        return this.execStatements(s.body, new Env(env), rec, frame);
      case 'IfStatement': {
        const test = truthy(this.evalExpr(s.test, env, rec));
        if (test === true) return this.exec(s.consequent, env, rec, frame);
        if (test === false) return s.alternate ? this.exec(s.alternate, env, rec, frame) : undefined;
        const a = this.exec(s.consequent, env, rec, frame);
        const b = s.alternate ? this.exec(s.alternate, env, rec, frame) : undefined;
        if (a?.type === 'return' && b?.type === 'return') return interesting(a.value) || !interesting(b.value) ? a : b;
        if (a?.type === 'return') frame.candidates.push(a.value);
        if (b?.type === 'return') frame.candidates.push(b.value);
        return undefined;
      }
      case 'ReturnStatement':
        return { type: 'return', value: s.argument ? this.evalExpr(s.argument, env, rec) : UNDEF };
      case 'ThrowStatement':
        return { type: 'throw' };
      case 'TryStatement': {
        const c = this.exec(s.block, env, rec, frame);
        let result = c;
        if (c?.type === 'throw' && s.handler) {
          const henv = new Env(env);
          if (s.handler.param) this.bindPattern(s.handler.param, unknown('error', 'caught exception'), henv, rec, true);
          result = this.exec(s.handler.body, henv, rec, frame);
        }
        if (s.finalizer) {
          const f = this.exec(s.finalizer, env, rec, frame);
          if (f) return f;
        }
        return result;
      }
      case 'ForOfStatement':
      case 'ForInStatement': {
        const iterable = force(this.evalExpr(s.right, env, rec));
        let items: Value[];
        let partial = false;
        if (s.type === 'ForInStatement') {
          items = iterable.kind === 'obj' ? [...iterable.props.keys()].map((k) => str(k)) : iterable.kind === 'arr' ? iterable.items.map((_, i) => str(String(i))) : [];
          partial = iterable.kind !== 'obj' && iterable.kind !== 'arr';
        } else {
          const it = this.iterate(iterable);
          items = it.items;
          partial = it.partial;
        }
        if (partial && items.length === 0) items = [unknown(this.text(s.right, rec) + '[i]', 'element of a collection not known statically', this.loc(s.right, rec))];
        for (const item of items.slice(0, MAX_LOOP)) {
          const benv = new Env(env);
          if (s.left.type === 'VariableDeclaration') this.bindPattern(s.left.declarations[0]!.id, item, benv, rec, true);
          else this.bindPattern(s.left as t.LVal, item, benv, rec, false);
          const c = this.exec(s.body, benv, rec, frame);
          if (c?.type === 'break') break;
          if (c?.type === 'return' || c?.type === 'throw') return c;
        }
        return undefined;
      }
      case 'ForStatement': {
        const fenv = new Env(env);
        if (s.init) {
          if (s.init.type === 'VariableDeclaration') this.exec(s.init, fenv, rec, frame);
          else this.evalExpr(s.init, fenv, rec);
        }
        for (let i = 0; i < MAX_LOOP; i++) {
          const test = s.test ? truthy(this.evalExpr(s.test, fenv, rec)) : undefined;
          if (test === false) break;
          const c = this.exec(s.body, new Env(fenv), rec, frame);
          if (c?.type === 'return' || c?.type === 'throw') return c;
          if (c?.type === 'break' || test === undefined) break;
          if (s.update) this.evalExpr(s.update, fenv, rec);
        }
        return undefined;
      }
      case 'WhileStatement':
      case 'DoWhileStatement': {
        const test = truthy(this.evalExpr(s.test, env, rec));
        if (test === false && s.type === 'WhileStatement') return undefined;
        const c = this.exec(s.body, new Env(env), rec, frame);
        if (c?.type === 'return' || c?.type === 'throw') return c;
        return undefined;
      }
      case 'SwitchStatement': {
        const d = force(this.evalExpr(s.discriminant, env, rec));
        const senv = new Env(env);
        const ds = asString(d);
        let start = -1;
        if (ds !== undefined) {
          start = s.cases.findIndex((c) => c.test && asString(this.evalExpr(c.test, senv, rec)) === ds);
          if (start < 0) start = s.cases.findIndex((c) => !c.test);
          if (start < 0) return undefined;
          for (const c of s.cases.slice(start)) {
            const r = this.execStatements(c.consequent, senv, rec, frame);
            if (r?.type === 'break') break;
            if (r) return r;
          }
          return undefined;
        }
        for (const c of s.cases) {
          const r = this.execStatements(c.consequent, senv, rec, frame);
          if (r?.type === 'return') frame.candidates.push(r.value);
        }
        return undefined;
      }
      case 'LabeledStatement':
        return this.exec(s.body, env, rec, frame);
      case 'BreakStatement':
        return { type: 'break', label: s.label?.name };
      case 'ContinueStatement':
        return { type: 'continue', label: s.label?.name };
      default:
        return undefined;
    }
  }

  iterate(v: Value): { items: Value[]; partial: boolean } {
    const f = force(v);
    if (f.kind === 'arr') return { items: f.items.map(force), partial: f.partial };
    if (f.kind === 'str') return { items: [...f.value].map((c) => str(c)), partial: false };
    if (f.kind === 'obj' && f.entries) return { items: f.entries.items.map(force), partial: f.entries.partial };
    return { items: [], partial: true };
  }

  bindPattern(p: t.LVal | t.Node, value: Value, env: Env, rec: ModuleRecord, declare: boolean): void {
    switch (p.type) {
      case 'Identifier':
        if (declare) env.declare(p.name, value);
        else env.assign(p.name, value);
        return;
      case 'AssignmentPattern': {
        const v = force(value);
        this.bindPattern(p.left, v.kind === 'undef' ? this.evalExpr(p.right, env, rec) : value, env, rec, declare);
        return;
      }
      case 'ObjectPattern': {
        const used: string[] = [];
        for (const prop of p.properties) {
          if (prop.type === 'RestElement') {
            const v = force(value);
            const rest = obj();
            if (v.kind === 'obj') for (const [k, pv] of v.props) if (!used.includes(k)) rest.props.set(k, pv);
            rest.partial = v.kind !== 'obj' || v.partial;
            this.bindPattern(prop.argument, rest, env, rec, declare);
            continue;
          }
          const key = prop.computed ? asString(this.evalExpr(prop.key as t.Expression, env, rec)) : prop.key.type === 'Identifier' ? prop.key.name : asString(this.literal(prop.key));
          if (key === undefined) {
            this.bindPattern(prop.value as t.LVal, unknown(this.text(prop, rec), 'computed key'), env, rec, declare);
            continue;
          }
          used.push(key);
          this.bindPattern(prop.value as t.LVal, this.getMember(value, key, rec, `${describe(value)}.${key}`), env, rec, declare);
        }
        return;
      }
      case 'ArrayPattern': {
        const v = force(value);
        p.elements.forEach((el, i) => {
          if (!el) return;
          if (el.type === 'RestElement') {
            this.bindPattern(el.argument, v.kind === 'arr' ? arr(v.items.slice(i), v.partial) : unknown(this.text(el, rec), 'rest of an unknown array'), env, rec, declare);
            return;
          }
          this.bindPattern(el, v.kind === 'arr' ? (i < v.items.length ? force(v.items[i]!) : v.partial ? unknown(this.text(el, rec), 'array element not known') : UNDEF) : unknown(this.text(el, rec), 'element of a value not known statically'), env, rec, declare);
        });
        return;
      }
      case 'RestElement':
        this.bindPattern(p.argument, value, env, rec, declare);
        return;
      case 'MemberExpression': {
        const target = this.evalExpr(p.object as t.Expression, env, rec);
        const key = this.memberKey(p, env, rec);
        if (key !== undefined) this.setMember(target, key, value);
        return;
      }
      case 'TSParameterProperty':
        this.bindPattern(p.parameter, value, env, rec, declare);
        return;
      case 'TSAsExpression':
      case 'TSNonNullExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
        this.bindPattern(p.expression as t.LVal, value, env, rec, declare);
        return;
      default:
        return;
    }
  }

  private memberKey(m: t.MemberExpression | t.OptionalMemberExpression, env: Env, rec: ModuleRecord): string | undefined {
    if (!m.computed) {
      if (m.property.type === 'Identifier') return m.property.name;
      if (m.property.type === 'PrivateName') return '#' + m.property.id.name;
    }
    return asString(force(this.evalExpr(m.property as t.Expression, env, rec)));
  }

  private literal(n: t.Node): Value {
    switch (n.type) {
      case 'StringLiteral':
        return str(n.value);
      case 'NumericLiteral':
        return { kind: 'num', value: n.value };
      default:
        return UNDEF;
    }
  }

  // ---------------------------------------------------------------- expressions

  evalExpr(n: t.Node, env: Env, rec: ModuleRecord, nameHint?: string): Value {
    if (this.depth > MAX_DEPTH) return this.tooDeep(n, rec);
    if (!this.tick()) return unknown(this.text(n, rec), 'analysis step budget exhausted', this.loc(n, rec));
    this.depth++;
    try {
      return this.evalInner(n, env, rec, nameHint);
    } finally {
      this.depth--;
    }
  }

  /** The nesting bound is reached at `n`: its value is unknown, and the place is reported once. */
  private tooDeep(n: t.Node, rec: ModuleRecord): Value {
    const loc = this.loc(n, rec);
    this.reportCut('analysis-too-deep', loc, `code nested too deep to analyse (more than ${MAX_DEPTH} levels of expressions, statements, calls and module loads at once); the value there is unknown, and routes that depend on it are unresolved or missing.`);
    return unknown(this.text(n, rec), 'nested too deep to analyse', loc);
  }

  private evalInner(n: t.Node, env: Env, rec: ModuleRecord, nameHint?: string): Value {
    switch (n.type) {
      case 'StringLiteral':
        return str(n.value);
      case 'NumericLiteral':
        return { kind: 'num', value: n.value };
      case 'BooleanLiteral':
        return { kind: 'bool', value: n.value };
      case 'NullLiteral':
        return NULL;
      case 'RegExpLiteral':
        return { kind: 'regex', pattern: n.pattern, flags: n.flags, loc: this.loc(n, rec) };
      case 'TemplateLiteral': {
        let acc: Value = str(n.quasis[0]?.value.cooked ?? '');
        n.expressions.forEach((e, i) => {
          const v = force(this.evalExpr(e, env, rec));
          acc = concat(acc, v, (x) => this.holeOf(x, this.text(e, rec), { node: e, rec }));
          acc = concat(acc, str(n.quasis[i + 1]?.value.cooked ?? ''), (x) => this.holeOf(x));
        });
        return acc;
      }
      case 'Identifier': {
        if (n.name === 'undefined') return UNDEF;
        const v = env.lookup(n.name);
        if (v !== undefined) return force(v);
        return unknown(n.name, `'${n.name}' is not defined in ${rec.file}`, this.loc(n, rec));
      }
      case 'ThisExpression':
        return env.lookup('this') ?? UNDEF;
      case 'ParenthesizedExpression':
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
      case 'TSInstantiationExpression':
        return this.evalExpr(n.expression, env, rec, nameHint);
      case 'AwaitExpression':
        return this.evalExpr(n.argument, env, rec, nameHint);
      case 'SequenceExpression': {
        let last: Value = UNDEF;
        for (const e of n.expressions) last = this.evalExpr(e, env, rec);
        return last;
      }
      case 'MemberExpression':
      case 'OptionalMemberExpression': {
        const o = this.evalExpr(n.object, env, rec);
        const key = this.memberKey(n, env, rec);
        if (key === undefined) {
          const of = force(o);
          if (of.kind === 'host') return { kind: 'hostfn', host: of, name: '?' };
          return unknown(this.text(n, rec), 'computed property not known statically', this.loc(n, rec));
        }
        return this.getMember(o, key, rec, this.text(n, rec));
      }
      case 'ArrowFunctionExpression':
      case 'FunctionExpression':
        return this.makeFn(n, env, rec, nameHint);
      case 'ClassExpression':
        return this.makeClass(n, env, rec);
      case 'ObjectExpression':
        return this.evalObject(n, env, rec);
      case 'ArrayExpression': {
        const items: Value[] = [];
        let partial = false;
        for (const el of n.elements) {
          if (!el) items.push(UNDEF);
          else if (el.type === 'SpreadElement') {
            const it = this.iterate(this.evalExpr(el.argument, env, rec));
            items.push(...it.items);
            partial ||= it.partial;
          } else items.push(this.evalExpr(el, env, rec));
        }
        return arr(items, partial);
      }
      case 'BinaryExpression':
        return this.evalBinary(n, env, rec);
      case 'LogicalExpression': {
        const a = force(this.evalExpr(n.left, env, rec));
        const ta = n.operator === '??' ? (a.kind === 'undef' || a.kind === 'null' ? false : a.kind === 'unknown' || a.kind === 'ext' || a.kind === 'pstr' ? undefined : true) : truthy(a);
        if (n.operator === '&&') return ta === true ? this.evalExpr(n.right, env, rec) : ta === false ? a : unknown(this.text(n, rec), 'condition not known statically', this.loc(n, rec));
        if (ta === true) return a;
        const b = force(this.evalExpr(n.right, env, rec));
        if (ta === false) return b;
        if ((b.kind === 'str' || b.kind === 'num') && (a.kind === 'unknown' || a.kind === 'ext')) {
          const dflt = asString(b)!;
          return str(dflt, [...((b as { notes?: string[] }).notes ?? []), `${a.text} assumed unset: its default '${dflt}' is used`]);
        }
        return a;
      }
      case 'ConditionalExpression': {
        const test = truthy(this.evalExpr(n.test, env, rec));
        if (test === true) return this.evalExpr(n.consequent, env, rec);
        if (test === false) return this.evalExpr(n.alternate, env, rec);
        const a = force(this.evalExpr(n.consequent, env, rec));
        const b = force(this.evalExpr(n.alternate, env, rec));
        if (a.kind === 'str' && b.kind === 'str' && a.value === b.value) return a;
        if (interesting(a) && !interesting(b)) return a;
        if (interesting(b) && !interesting(a)) return b;
        return unknown(this.text(n, rec), 'depends on a condition not known statically', this.loc(n, rec));
      }
      case 'UnaryExpression': {
        const v = force(this.evalExpr(n.argument, env, rec));
        switch (n.operator) {
          case '!': {
            const tv = truthy(v);
            return tv === undefined ? unknown(this.text(n, rec), 'condition not known') : { kind: 'bool', value: !tv };
          }
          case '-':
            return v.kind === 'num' ? { kind: 'num', value: -v.value } : unknown(this.text(n, rec), 'not a number');
          case '+':
            return v.kind === 'num' ? v : v.kind === 'str' ? { kind: 'num', value: Number(v.value) } : unknown(this.text(n, rec), 'not a number');
          case 'void':
            return UNDEF;
          case 'typeof': {
            const map: Record<string, string> = { str: 'string', num: 'number', bool: 'boolean', undef: 'undefined', null: 'object', obj: 'object', arr: 'object', fn: 'function', class: 'function' };
            return map[v.kind] ? str(map[v.kind]!) : unknown(this.text(n, rec), 'type not known');
          }
          default:
            return unknown(this.text(n, rec), `operator ${n.operator}`);
        }
      }
      case 'UpdateExpression': {
        if (n.argument.type === 'Identifier') {
          const v = force(env.lookup(n.argument.name) ?? UNDEF);
          if (v.kind === 'num') {
            const nv = { kind: 'num' as const, value: v.value + (n.operator === '++' ? 1 : -1) };
            env.assign(n.argument.name, nv);
            return n.prefix ? nv : v;
          }
          env.assign(n.argument.name, unknown(n.argument.name, 'updated value not known'));
        }
        return unknown(this.text(n, rec), 'update expression');
      }
      case 'AssignmentExpression': {
        let value: Value;
        if (n.operator === '=') value = this.evalExpr(n.right, env, rec, patternName(n.left));
        else if (n.operator === '+=') {
          const cur = this.evalExpr(n.left as t.Expression, env, rec);
          const r = force(this.evalExpr(n.right, env, rec));
          const c = force(cur);
          value = c.kind === 'num' && r.kind === 'num' ? { kind: 'num', value: c.value + r.value } : concat(c, r, (x) => this.holeOf(x, this.text(n, rec)));
        } else if (n.operator === '||=' || n.operator === '??=') {
          const cur = force(this.evalExpr(n.left as t.Expression, env, rec));
          value = cur.kind === 'undef' || cur.kind === 'null' ? this.evalExpr(n.right, env, rec) : cur;
        } else value = unknown(this.text(n, rec), `operator ${n.operator}`);
        this.bindPattern(n.left, value, env, rec, false);
        return value;
      }
      case 'CallExpression':
      case 'OptionalCallExpression':
        return this.evalCall(n, env, rec, false);
      case 'NewExpression':
        return this.evalCall(n, env, rec, true);
      case 'TaggedTemplateExpression':
        return unknown(this.text(n, rec), 'tagged template', this.loc(n, rec));
      case 'ImportExpression' as string:
        return this.dynamicImport((n as unknown as { source: t.Expression }).source, env, rec, n);
      default:
        return unknown(this.text(n, rec), `${n.type} not evaluated`, this.loc(n, rec));
    }
  }

  private dynamicImport(source: t.Node, env: Env, rec: ModuleRecord, n: t.Node): Value {
    const s = asString(force(this.evalExpr(source, env, rec)));
    if (s === undefined) return unknown(this.text(n, rec), 'dynamic import of a path not known statically', this.loc(n, rec));
    const r = this.opts.resolver.resolve(rec.file, s);
    if (r.kind === 'file') {
      const target = this.getModule(r.file);
      if (target) {
        this.ensureEvaluated(target);
        const ns = target.namespace(this);
        return ns;
      }
    }
    return this.requireModule(rec, s, this.loc(n, rec));
  }

  private evalObject(n: t.ObjectExpression, env: Env, rec: ModuleRecord): Value {
    const o = obj();
    o.loc = this.loc(n, rec);
    for (const p of n.properties) {
      if (p.type === 'SpreadElement') {
        const v = force(this.evalExpr(p.argument, env, rec));
        if (v.kind === 'obj') {
          for (const [k, pv] of v.props) o.props.set(k, pv);
          if (v.partial) o.partial = true;
        } else if (v.kind !== 'undef' && v.kind !== 'null') o.partial = true;
        continue;
      }
      let key: string | undefined;
      if (p.computed) key = asString(force(this.evalExpr(p.key as t.Expression, env, rec)));
      else if (p.key.type === 'Identifier') key = p.key.name;
      else key = asString(this.literal(p.key));
      if (key === undefined) {
        o.partial = true;
        continue;
      }
      if (key === '__proto__' && !p.computed && p.type === 'ObjectProperty' && !p.shorthand) {
        // `{ __proto__: base }` sets the prototype: not a property of its own, but the base's may be inherited
        const base = force(this.evalExpr(p.value as t.Expression, env, rec));
        if (base.kind === 'obj' || base.kind === 'unknown' || base.kind === 'ext' || base.kind === 'lazy') o.partial = true;
        continue;
      }
      if (p.type === 'ObjectMethod') {
        const fn = this.makeFn(p, env, rec, key);
        if (p.kind === 'get') {
          const self = o;
          o.props.set(key, { kind: 'lazy', get: () => this.callFunction(fn, [], self, undefined) });
        } else if (p.kind === 'method') o.props.set(key, fn);
      } else {
        o.props.set(key, this.evalExpr(p.value as t.Expression, env, rec, key));
      }
    }
    return o;
  }

  private evalBinary(n: t.BinaryExpression, env: Env, rec: ModuleRecord): Value {
    if (n.left.type === 'PrivateName') return unknown(this.text(n, rec), 'private name');
    const a = force(this.evalExpr(n.left, env, rec));
    const b = force(this.evalExpr(n.right, env, rec));
    const op = n.operator;
    if (op === '+') {
      if (a.kind === 'num' && b.kind === 'num') return { kind: 'num', value: a.value + b.value };
      const stringy = (v: Value) => v.kind === 'str' || v.kind === 'pstr';
      if (stringy(a) || stringy(b) || a.kind === 'unknown' || b.kind === 'unknown' || a.kind === 'ext' || b.kind === 'ext') {
        return concat(a, b, (x) => this.holeOf(x, this.text(x === a ? n.left : n.right, rec), { node: x === a ? n.left : n.right, rec }));
      }
      return unknown(this.text(n, rec), 'operands not known', this.loc(n, rec));
    }
    const sa = prim(a);
    const sb = prim(b);
    if (sa === undefined || sb === undefined) return unknown(this.text(n, rec), 'comparison of values not known statically', this.loc(n, rec));
    switch (op) {
      case '===':
        return { kind: 'bool', value: sa === sb };
      case '!==':
        return { kind: 'bool', value: sa !== sb };
      case '==':
        // eslint-disable-next-line eqeqeq
        return { kind: 'bool', value: sa == sb };
      case '!=':
        // eslint-disable-next-line eqeqeq
        return { kind: 'bool', value: sa != sb };
      default:
        if (typeof sa === 'number' && typeof sb === 'number') {
          switch (op) {
            case '-':
              return { kind: 'num', value: sa - sb };
            case '*':
              return { kind: 'num', value: sa * sb };
            case '/':
              return { kind: 'num', value: sa / sb };
            case '%':
              return { kind: 'num', value: sa % sb };
            case '<':
              return { kind: 'bool', value: sa < sb };
            case '>':
              return { kind: 'bool', value: sa > sb };
            case '<=':
              return { kind: 'bool', value: sa <= sb };
            case '>=':
              return { kind: 'bool', value: sa >= sb };
          }
        }
        return unknown(this.text(n, rec), `operator ${op}`);
    }
  }

  // ---------------------------------------------------------------- calls

  private evalArgs(args: t.Node[], env: Env, rec: ModuleRecord): Value[] {
    const out: Value[] = [];
    for (const a of args) {
      if (a.type === 'SpreadElement') {
        const it = this.iterate(this.evalExpr(a.argument, env, rec));
        out.push(...it.items);
        if (it.partial) out.push(unknown(this.text(a, rec), 'spread of values not known statically', this.loc(a, rec)));
      } else if (a.type === 'Identifier' && a.name !== 'undefined') {
        // an import passed along is loaded only if the callee uses it
        out.push(env.peek(a.name) ?? this.evalExpr(a, env, rec));
      } else if (a.type === 'MemberExpression' && rootIsPendingImport(a, env)) {
        // so is `UserController.list`: read when something needs the handler, not before
        let memo: Value | undefined;
        out.push({ kind: 'lazy', get: () => (memo ??= this.evalExpr(a, env, rec)) });
      } else out.push(this.evalExpr(a, env, rec));
    }
    return out;
  }

  private evalCall(n: t.CallExpression | t.OptionalCallExpression | t.NewExpression, env: Env, rec: ModuleRecord, isNew: boolean): Value {
    const callee = n.callee;
    const loc = this.loc(n, rec);
    const ctx: CallContext = { it: this, mod: rec, node: n, argNodes: n.arguments as t.Node[], loc, calleeLoc: loc, isNew };
    if (callee.type === 'Import') return n.arguments[0] ? this.dynamicImport(n.arguments[0], env, rec, n) : UNDEF;
    if (callee.type === 'Super') {
      const self = env.lookup('this') ?? UNDEF;
      const home = findHome(env);
      const args = this.evalArgs(n.arguments as t.Node[], env, rec);
      if (home?.superV) this.initInstance(force(home.superV), self, args, ctx);
      if (home) this.initFields(home, self);
      return UNDEF;
    }
    if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
      const objV = force(this.evalExpr(callee.object, env, rec));
      const key = this.memberKey(callee, env, rec);
      ctx.calleeLoc = this.loc(callee.property, rec);
      if (key === undefined) {
        if (objV.kind === 'host') return this.callHost(objV, '?', this.evalArgs(n.arguments as t.Node[], env, rec), ctx);
        // a dispatch table called with a key we cannot know (`mounts[name](router)`): each function in it may be the one
        if (objV.kind === 'obj' && !objV.cls) {
          const args = this.evalArgs(n.arguments as t.Node[], env, rec);
          for (const v of [...objV.props.values()].slice(0, 50)) {
            const fv = force(v);
            if (fv.kind === 'fn') this.callFunction(fv, args, objV, loc);
          }
        }
        return unknown(this.text(n, rec), 'call of a computed method not known statically', loc);
      }
      if (objV.kind === 'fn' || objV.kind === 'native' || objV.kind === 'class') {
        if (key === 'call' || key === 'apply') {
          const args = this.evalArgs(n.arguments as t.Node[], env, rec);
          const thisArg = args[0] ?? UNDEF;
          const rest = key === 'call' ? args.slice(1) : this.iterate(args[1] ?? arr([])).items;
          return this.callValue(objV, rest, thisArg, ctx);
        }
        if (key === 'bind' && objV.kind === 'fn') {
          const args = this.evalArgs(n.arguments as t.Node[], env, rec);
          return { ...objV, thisVal: args[0] ?? UNDEF };
        }
      }
      const args = this.evalArgs(n.arguments as t.Node[], env, rec);
      return this.callMethod(objV, key, args, ctx, this.text(callee, rec));
    }
    if (callee.type === 'Identifier' && callee.name === 'require' && !isNew) {
      const spec = n.arguments[0] ? asString(force(this.evalExpr(n.arguments[0], env, rec))) : undefined;
      const bound = env.lookup('require');
      if (bound && bound.kind === 'native' && bound.name === 'require') {
        if (spec === undefined) return unknown(this.text(n, rec), 'require() of a path not known statically', loc);
        return this.requireModule(rec, spec, loc);
      }
    }
    const calleeV = force(this.evalExpr(callee, env, rec));
    const args = this.evalArgs(n.arguments as t.Node[], env, rec);
    if (isNew) return this.construct(calleeV, args, ctx, this.text(callee, rec));
    return this.callValue(calleeV, args, UNDEF, ctx, this.text(callee, rec));
  }

  callMethod(objV: Value, key: string, args: Value[], ctx: CallContext, calleeText = key): Value {
    const o = force(objV);
    // promises: `await` is transparent here, so `p.then(cb)` is `cb(p)` (a `.then` the object really has comes first)
    if ((key === 'then' || key === 'catch' || key === 'finally') && !(o.kind === 'obj' && o.props.has(key)) && o.kind !== 'host') {
      const cb = args[0] ? force(args[0]) : undefined;
      if (cb?.kind === 'fn') {
        const arg = key === 'then' ? o : unknown('error', 'rejection value');
        return this.callFunction(cb, [arg], UNDEF, ctx.loc);
      }
      return o.kind === 'ext' ? this.getMember(o, key, ctx.mod) : o;
    }
    switch (o.kind) {
      case 'host':
        return this.callHost(o, key, args, ctx);
      case 'arr':
        return this.arrayMethod(o, key, args, ctx, calleeText);
      case 'str':
      case 'pstr':
        return this.stringMethod(o, key, args, calleeText);
      case 'ext': {
        const member = this.getMember(o, key, ctx.mod) as ExtV;
        return this.callValue(member, args, o, ctx, calleeText);
      }
      case 'obj':
      case 'class':
      case 'fn': {
        const m = this.getMember(o, key, ctx.mod, calleeText);
        return this.callValue(m, args, o, ctx, calleeText);
      }
      case 'unknown':
        if (key === 'forEach' || key === 'map' || key === 'flatMap') {
          const cb = args[0] && force(args[0]);
          if (cb && cb.kind === 'fn') this.callFunction(cb, [unknown(`${o.text}[i]`, 'element of a collection not known statically', o.loc), unknown('i', 'index')], UNDEF, ctx.loc);
        } else this.invokeCallbacks(args, ctx);
        return unknown(`${calleeText}(...)`, `result of calling a method on a value not known statically`, ctx.loc);
      default:
        return unknown(`${calleeText}(...)`, `method '${key}' of a ${o.kind}`, ctx.loc);
    }
  }

  private callHost(host: HostV, key: string, args: Value[], ctx: CallContext): Value {
    for (const p of this.opts.plugins) {
      if (p.name === host.plugin && p.callHost) {
        const r = this.hook(p, ctx.loc, () => p.callHost!(host, key, args, ctx));
        if (r) return r;
      }
    }
    return unknown(`${key}(...)`, 'framework method not modelled', ctx.loc);
  }

  callValue(calleeV: Value, args: Value[], thisVal: Value, ctx: CallContext, calleeText = '?'): Value {
    const c = force(calleeV);
    switch (c.kind) {
      case 'fn':
        return this.callFunction(c, args, c.thisVal ?? thisVal, ctx.loc);
      case 'native':
        return c.call(args, thisVal, ctx);
      case 'class':
        return this.construct(c, args, ctx, calleeText);
      case 'hostfn':
        return this.callHost(c.host, c.name, args, ctx);
      case 'ext': {
        for (const p of this.opts.plugins) {
          const r = p.callExternal && this.hook(p, ctx.loc, () => p.callExternal!(c, args, ctx));
          if (r) return r;
        }
        const builtin = builtinExternal(c, args);
        if (builtin) return builtin;
        this.invokeCallbacks(args, ctx);
        return { kind: 'ext', module: c.module, chain: [...c.chain, { call: args, loc: ctx.loc, text: this.text(ctx.node, ctx.mod) }], text: `${c.text}(...)`, loc: c.loc ?? ctx.loc };
      }
      default:
        this.invokeCallbacks(args, ctx);
        return unknown(calleeText === '?' ? this.text(ctx.node, ctx.mod) : `${calleeText}(...)`, c.kind === 'unknown' ? `calls ${c.text}, which is not known statically` : `not a function (${c.kind})`, ctx.loc);
    }
  }

  /**
   * Callbacks handed to code we cannot follow (`db.connect().then(() => { app.get(...) })`, a package's
   * `createConnection().then(...)`): run once, with unknown arguments, when a plugin sees routes in them.
   */
  private invokeCallbacks(args: Value[], ctx: CallContext): void {
    for (const a of args) {
      const f = force(a);
      if (f.kind !== 'fn' || this.invoked.has(f.node)) continue;
      if (!this.registersRoutes(f)) continue;
      this.callFunction(f, f.node.params.map((p) => unknown(this.text(p, f.mod), 'argument passed by code the scan cannot follow', this.loc(p, f.mod))), UNDEF, ctx.loc);
    }
  }

  construct(calleeV: Value, args: Value[], ctx: CallContext, calleeText: string): Value {
    const c = force(calleeV);
    if (c.kind === 'class') {
      const instance = obj();
      instance.cls = c;
      instance.loc = ctx.loc;
      this.initInstance(c, instance, args, ctx);
      return instance;
    }
    if (c.kind === 'fn') {
      const instance = obj();
      const r = force(this.callFunction(c, args, instance, ctx.loc));
      return r.kind === 'obj' || r.kind === 'host' ? r : instance;
    }
    if (c.kind === 'ext') {
      for (const p of this.opts.plugins) {
        const r = p.callExternal && this.hook(p, ctx.loc, () => p.callExternal!(c, args, { ...ctx, isNew: true }));
        if (r) return r;
      }
      return { kind: 'ext', module: c.module, chain: [...c.chain, { new: args, loc: ctx.loc }], text: `new ${c.text}(...)`, loc: c.loc ?? ctx.loc };
    }
    if (c.kind === 'native') return c.call(args, UNDEF, { ...ctx, isNew: true });
    return unknown(`new ${calleeText}(...)`, 'constructor not known statically', ctx.loc);
  }

  /** Runs a class's constructor (and its field initialisers) on `self`. */
  private initInstance(cls: Value, self: Value, args: Value[], ctx: CallContext): void {
    if (cls.kind === 'ext') {
      for (const p of this.opts.plugins) if (p.callExternal) this.hook(p, ctx.loc, () => p.callExternal!(cls, args, { ...ctx, isNew: true }));
      return;
    }
    if (cls.kind !== 'class') return;
    this.invoked.add(cls.node);
    const ctor = cls.node.body.body.find((m): m is t.ClassMethod => m.type === 'ClassMethod' && m.kind === 'constructor');
    if (!ctor) {
      if (cls.superV) this.initInstance(force(cls.superV), self, args, ctx);
      this.initFields(cls, self);
      return;
    }
    const fn = this.makeFn(ctor, cls.env, cls.mod, 'constructor', cls);
    if (!cls.superV) this.initFields(cls, self);
    // TypeScript parameter properties: `constructor(private readonly users: UserService)`
    ctor.params.forEach((p, i) => {
      if (p.type === 'TSParameterProperty') {
        const id = p.parameter.type === 'Identifier' ? p.parameter.name : p.parameter.left.type === 'Identifier' ? p.parameter.left.name : undefined;
        if (id) this.setMember(self, id, args[i] ?? UNDEF);
      }
    });
    this.callFunction(fn, args, self, ctx.loc);
  }

  private initFields(cls: ClassV, self: Value): void {
    const env = new Env(cls.env);
    env.declare('this', self);
    if (cls.name) env.declare(cls.name, cls);
    for (const m of cls.node.body.body) {
      if ((m.type === 'ClassProperty' || m.type === 'ClassPrivateProperty') && !m.static) {
        const key = m.key.type === 'Identifier' ? m.key.name : m.key.type === 'PrivateName' ? '#' + m.key.id.name : m.key.type === 'StringLiteral' ? m.key.value : undefined;
        if (!key) continue;
        if ((m as t.ClassProperty).declare) continue;
        this.setMember(self, key, m.value ? this.evalExpr(m.value, env, cls.mod, key) : UNDEF);
      }
    }
  }

  callFunction(fn: FnV, args: Value[], thisVal: Value, callLoc: Loc | undefined): Value {
    const node = fn.node;
    if (this.callStack.length >= MAX_CALL_DEPTH) {
      if (this.registersRoutes(fn)) this.reportCut('analysis-recursion', callLoc, `calls nested more than ${MAX_CALL_DEPTH} deep: this call of ${fn.name ?? 'a function'} was not followed; routes it registers are not in the inventory.`);
      return unknown(fn.name ?? 'function', 'call depth limit reached', callLoc);
    }
    let same = 0;
    for (const f of this.callStack) if (f === node) same++;
    if (same >= 2) {
      if (this.registersRoutes(fn)) this.reportCut('analysis-recursion', callLoc, `${fn.name ?? 'a function'} calls itself (directly or through others) without an end the scan can see: followed ${same} levels deep, no further; routes it registers deeper are not in the inventory.`);
      return unknown(fn.name ?? 'function', 'recursive call', callLoc);
    }
    this.callStack.push(node);
    this.callSites.push(callLoc);
    this.invoked.add(node);
    try {
      const env = new Env(fn.env);
      if (node.type !== 'ArrowFunctionExpression') {
        env.declare('this', fn.thisVal ?? thisVal);
        env.declare('arguments', arr(args));
      }
      if (fn.homeClass) env.declare('%home', fn.homeClass as unknown as Value);
      node.params.forEach((p, i) => {
        if (p.type === 'RestElement') this.bindPattern(p.argument, arr(args.slice(i)), env, fn.mod, true);
        else this.bindPattern(p, args[i] ?? UNDEF, env, fn.mod, true);
      });
      if (node.body.type !== 'BlockStatement') return this.evalExpr(node.body, env, fn.mod);
      const frame: Frame = { candidates: [], homeClass: fn.homeClass };
      const c = this.execStatements(node.body.body, env, fn.mod, frame);
      if (c?.type === 'return') return c.value;
      return frame.candidates.find(interesting) ?? frame.candidates[0] ?? UNDEF;
    } finally {
      this.callStack.pop();
      this.callSites.pop();
    }
  }

  /** Does a plugin see route registrations (or an app being made) in this function's text? */
  private registersRoutes(f: FnV): boolean {
    const text = f.mod.text.slice(f.node.start ?? 0, f.node.end ?? 0);
    return this.opts.plugins.some((p) => ((p.wantsUncalled && this.hook(p, this.loc(f.node, f.mod), () => p.wantsUncalled!(text, f.mod.text))) || 0) > 0);
  }

  /**
   * When `name` is a parameter of the function running now, where that function was called from: a route
   * registered by a helper with a path it was given (`page(router, '/about')`) is reported at the helper's caller.
   */
  callerOfParam(name: string): Loc | undefined {
    const fn = this.callStack[this.callStack.length - 1];
    if (!fn) return undefined;
    const isParam = fn.params.some((p) => (p.type === 'Identifier' && p.name === name) || (p.type === 'AssignmentPattern' && p.left.type === 'Identifier' && p.left.name === name));
    return isParam ? this.callSites[this.callSites.length - 1] : undefined;
  }

  private arrayMethod(a: ArrV, key: string, args: Value[], ctx: CallContext, calleeText: string): Value {
    const cb = args[0] ? force(args[0]) : undefined;
    const call = (item: Value, i: number) => (cb ? this.callValue(cb, [item, { kind: 'num', value: i }, a], UNDEF, ctx) : UNDEF);
    const items = a.items.slice(0, MAX_LOOP).map(force);
    switch (key) {
      case 'forEach':
        items.forEach((it, i) => call(it, i));
        if (a.partial && cb?.kind === 'fn') this.callFunction(cb, [unknown(`${calleeText}[i]`, 'element of a collection not known statically', ctx.loc)], UNDEF, ctx.loc);
        return UNDEF;
      case 'map':
        return arr(
          items.map((it, i) => call(it, i)),
          a.partial,
        );
      case 'flatMap': {
        const out: Value[] = [];
        items.forEach((it, i) => {
          const r = force(call(it, i));
          if (r.kind === 'arr') out.push(...r.items);
          else out.push(r);
        });
        return arr(out, a.partial);
      }
      case 'filter': {
        const out = items.filter((it, i) => truthy(force(call(it, i))) !== false);
        return arr(out, a.partial);
      }
      case 'find': {
        for (let i = 0; i < items.length; i++) {
          const tv = truthy(force(call(items[i]!, i)));
          if (tv === true) return items[i]!;
          if (tv === undefined) return unknown(`${calleeText}(...)`, 'find with a condition not known statically', ctx.loc);
        }
        return a.partial ? unknown(`${calleeText}(...)`, 'find in a partial array') : UNDEF;
      }
      case 'reduce': {
        let acc: Value = args[1] ?? items[0] ?? UNDEF;
        const start = args[1] ? 0 : 1;
        for (let i = start; i < items.length; i++) acc = cb ? this.callValue(cb, [acc, items[i]!, { kind: 'num', value: i }], UNDEF, ctx) : acc;
        return a.partial ? unknown(`${calleeText}(...)`, 'reduce over a partial array') : acc;
      }
      case 'push':
      case 'unshift': {
        // an array put into itself (`list.push(list)`) is kept as an unknown: walks over arrays must end
        const safe = args.map((x) => {
          if (!wouldNestItself(a, x)) return x;
          this.reportCut('value-cycle', ctx.loc, `an array is put into itself (${calleeText}); that element is taken as a value not known statically.`);
          return unknown(`${calleeText}(...)`, 'an array put into itself', ctx.loc);
        });
        if (key === 'push') a.items.push(...safe);
        else a.items.unshift(...safe);
        return { kind: 'num', value: a.items.length };
      }
      case 'concat': {
        const out = [...a.items];
        let partial = a.partial;
        for (const x of args) {
          const fx = force(x);
          if (fx.kind === 'arr') {
            out.push(...fx.items);
            partial ||= fx.partial;
          } else out.push(fx);
        }
        return arr(out, partial);
      }
      case 'join': {
        const sep = args[0] ? asString(force(args[0])) ?? ',' : ',';
        let acc: Value = str('');
        items.forEach((it, i) => {
          if (i > 0) acc = concat(acc, str(sep), (x) => this.holeOf(x));
          acc = concat(acc, it, (x) => this.holeOf(x));
        });
        return a.partial ? unknown(`${calleeText}(...)`, 'join of a partial array') : acc;
      }
      case 'slice': {
        const s = args[0] && force(args[0]).kind === 'num' ? (force(args[0]) as { value: number }).value : 0;
        const e = args[1] && force(args[1]).kind === 'num' ? (force(args[1]) as { value: number }).value : undefined;
        return arr(a.items.slice(s, e), a.partial);
      }
      case 'flat':
        return arr(
          items.flatMap((x) => (x.kind === 'arr' ? x.items : [x])),
          a.partial,
        );
      case 'reverse':
        a.items.reverse();
        return a;
      case 'sort':
        return a;
      case 'includes': {
        const needle = args[0] ? prim(force(args[0])) : undefined;
        if (needle === undefined || a.partial) return unknown(`${calleeText}(...)`, 'includes on values not known');
        const all = items.map(prim);
        if (all.includes(undefined)) return unknown(`${calleeText}(...)`, 'includes on values not known');
        return { kind: 'bool', value: all.includes(needle) };
      }
      case 'entries':
        return arr(items.map((it, i) => arr([{ kind: 'num', value: i }, it])), a.partial);
      case 'keys':
        return arr(items.map((_, i) => ({ kind: 'num', value: i })), a.partial);
      case 'values':
        return a;
      default:
        return unknown(`${calleeText}(...)`, `array method '${key}' not modelled`, ctx.loc);
    }
  }

  private stringMethod(s: Value, key: string, args: Value[], calleeText: string): Value {
    if (s.kind === 'pstr') {
      if (key === 'concat') return args.reduce<Value>((acc, x) => concat(acc, force(x), (y) => this.holeOf(y)), s);
      if (key === 'toString' || key === 'valueOf' || key === 'trim') return s;
      return unknown(`${calleeText}(...)`, 'string with unresolved parts');
    }
    if (s.kind !== 'str') return UNDEF;
    const v = s.value;
    const a = args.map((x) => force(x));
    const sa = a.map((x) => asString(x));
    switch (key) {
      case 'concat':
        return a.reduce<Value>((acc, x) => concat(acc, x, (y) => this.holeOf(y)), s);
      case 'toLowerCase':
        return str(v.toLowerCase(), s.notes);
      case 'toUpperCase':
        return str(v.toUpperCase(), s.notes);
      case 'trim':
        return str(v.trim(), s.notes);
      case 'toString':
      case 'valueOf':
        return s;
      case 'slice':
      case 'substring':
        return a.every((x) => x.kind === 'num') ? str(key === 'slice' ? v.slice(...a.map((x) => (x as { value: number }).value)) : v.substring(...(a.map((x) => (x as { value: number }).value) as [number, number?]))) : unknown(`${calleeText}(...)`, 'slice bounds not known');
      case 'split':
        return sa[0] !== undefined ? arr(v.split(sa[0]).map((x) => str(x))) : unknown(`${calleeText}(...)`, 'split separator not known');
      case 'replace':
      case 'replaceAll': {
        const rep = sa[1];
        if (rep === undefined) return unknown(`${calleeText}(...)`, 'replacement not known');
        if (a[0]?.kind === 'regex') {
          const re = SafeRegex.compile(a[0].pattern, a[0].flags, { file: a[0].loc?.file, line: a[0].loc?.line, what: 'a .replace() pattern' });
          if (!re) return unknown(`${calleeText}(...)`, 'invalid regular expression');
          const out = re.replace(v, rep);
          return out === undefined ? unknown(`${calleeText}(...)`, 'regular expression not run (unsafe or over budget)') : str(out, s.notes);
        }
        if (sa[0] === undefined) return unknown(`${calleeText}(...)`, 'pattern not known');
        return str(key === 'replace' ? v.replace(sa[0], rep) : v.split(sa[0]).join(rep), s.notes);
      }
      case 'startsWith':
        return sa[0] !== undefined ? { kind: 'bool', value: v.startsWith(sa[0]) } : unknown(`${calleeText}(...)`, 'argument not known');
      case 'endsWith':
        return sa[0] !== undefined ? { kind: 'bool', value: v.endsWith(sa[0]) } : unknown(`${calleeText}(...)`, 'argument not known');
      case 'includes':
        return sa[0] !== undefined ? { kind: 'bool', value: v.includes(sa[0]) } : unknown(`${calleeText}(...)`, 'argument not known');
      default:
        return unknown(`${calleeText}(...)`, `string method '${key}' not modelled`);
    }
  }

  // ---------------------------------------------------------------- globals

  private installGlobals(): void {
    const g = this.globals;
    const native = (name: string, call: NativeV['call']): NativeV => ({ kind: 'native', name, call });
    g.declare('require', native('require', (args, _t, ctx) => {
      const s = args[0] ? asString(force(args[0])) : undefined;
      return s === undefined ? unknown('require(...)', 'require() of a path not known statically', ctx.loc) : this.requireModule(ctx.mod, s, ctx.loc);
    }));
    const ext = (name: string): ExtV => ({ kind: 'ext', module: name, chain: [], text: name });
    for (const name of GLOBAL_EXTERNALS) g.declare(name, ext(name));
    // Map and Set: route tables are often kept in them
    const collection = (kind: 'Map' | 'Set', init: Value | undefined): ObjV => {
      const src = init ? this.iterate(init) : { items: [], partial: false };
      const entries = arr(
        src.items.map((it) => (kind === 'Map' ? it : arr([it, it]))),
        src.partial,
      );
      const keyOf = (v: Value) => asString(force(v));
      const find = (k: Value) => entries.items.find((e) => { const fe = force(e); return fe.kind === 'arr' && keyOf(fe.items[0] ?? UNDEF) === keyOf(k); }) as ArrV | undefined;
      const m = obj();
      m.entries = entries;
      m.props.set('size', entries.partial ? unknown(`${kind}.size`, 'size not known') : { kind: 'num', value: entries.items.length });
      m.props.set('get', native(`${kind}.get`, (a) => { const e = find(a[0] ?? UNDEF); return e ? force(e.items[1] ?? UNDEF) : entries.partial ? unknown(`${kind}.get(...)`, 'entry not known') : UNDEF; }));
      m.props.set('has', native(`${kind}.has`, (a) => (find(a[0] ?? UNDEF) ? { kind: 'bool', value: true } : entries.partial ? unknown(`${kind}.has(...)`, 'entry not known') : { kind: 'bool', value: false })));
      m.props.set('set', native(`${kind}.set`, (a) => { entries.items.push(arr([a[0] ?? UNDEF, a[1] ?? UNDEF])); return m; }));
      m.props.set('add', native(`${kind}.add`, (a) => { entries.items.push(arr([a[0] ?? UNDEF, a[0] ?? UNDEF])); return m; }));
      m.props.set('keys', native(`${kind}.keys`, () => arr(entries.items.map((e) => force(force(e).kind === 'arr' ? (force(e) as ArrV).items[0] ?? UNDEF : UNDEF)), entries.partial)));
      m.props.set('values', native(`${kind}.values`, () => arr(entries.items.map((e) => force(force(e).kind === 'arr' ? (force(e) as ArrV).items[1] ?? UNDEF : UNDEF)), entries.partial)));
      m.props.set('entries', native(`${kind}.entries`, () => entries));
      m.props.set('forEach', native(`${kind}.forEach`, (a, _t, c) => {
        const cb = a[0] ? force(a[0]) : undefined;
        if (cb) for (const e of entries.items.slice(0, MAX_LOOP)) { const fe = force(e) as ArrV; this.callValue(cb, [fe.items[1] ?? UNDEF, fe.items[0] ?? UNDEF, m], UNDEF, c); }
        return UNDEF;
      }));
      return m;
    };
    g.declare('Map', native('Map', (args) => collection('Map', args[0])));
    g.declare('Set', native('Set', (args) => collection('Set', args[0])));
    g.declare('__dirname', unknown('__dirname', 'the directory of a file at run time'));
    g.declare('__filename', unknown('__filename', 'the file name at run time'));
    g.declare('String', native('String', (args) => {
      const s = args[0] ? force(args[0]) : str('');
      const v = asString(s);
      return v !== undefined ? str(v) : s.kind === 'pstr' ? s : unknown('String(...)', 'value not known');
    }));
    g.declare('Object', obj([
      ['keys', native('Object.keys', (args) => { const o = force(args[0] ?? UNDEF); return o.kind === 'obj' ? arr([...o.props.keys()].map((k) => str(k)), o.partial) : o.kind === 'arr' ? arr(o.items.map((_, i) => str(String(i))), o.partial) : unknown('Object.keys(...)', 'object not known'); })],
      ['values', native('Object.values', (args) => { const o = force(args[0] ?? UNDEF); return o.kind === 'obj' ? arr([...o.props.values()].map(force), o.partial) : o.kind === 'arr' ? o : unknown('Object.values(...)', 'object not known'); })],
      ['entries', native('Object.entries', (args) => { const o = force(args[0] ?? UNDEF); return o.kind === 'obj' ? arr([...o.props.entries()].map(([k, v]) => arr([str(k), force(v)])), o.partial) : unknown('Object.entries(...)', 'object not known'); })],
      ['assign', native('Object.assign', (args) => { const target = force(args[0] ?? UNDEF); for (const s of args.slice(1)) { const fs = force(s); if (target.kind === 'obj' && fs.kind === 'obj') for (const [k, v] of fs.props) target.props.set(k, v); else if (target.kind === 'obj') target.partial = true; } return target; })],
      ['freeze', native('Object.freeze', (args) => args[0] ?? UNDEF)],
      ['seal', native('Object.seal', (args) => args[0] ?? UNDEF)],
      ['create', native('Object.create', () => obj())],
      ['fromEntries', native('Object.fromEntries', (args) => { const a = force(args[0] ?? UNDEF); const o = obj(); if (a.kind !== 'arr') return unknown('Object.fromEntries(...)', 'entries not known'); o.partial = a.partial; for (const e of a.items) { const fe = force(e); if (fe.kind === 'arr') { const k = asString(force(fe.items[0] ?? UNDEF)); if (k !== undefined) o.props.set(k, fe.items[1] ?? UNDEF); else o.partial = true; } else o.partial = true; } return o; })],
    ]));
    g.declare('Array', obj([
      ['isArray', native('Array.isArray', (args) => { const a = force(args[0] ?? UNDEF); return a.kind === 'arr' ? { kind: 'bool', value: true } : a.kind === 'unknown' || a.kind === 'ext' ? unknown('Array.isArray(...)', 'value not known') : { kind: 'bool', value: false }; })],
      ['from', native('Array.from', (args) => { const it = this.iterate(args[0] ?? UNDEF); return arr(it.items, it.partial); })],
      ['of', native('Array.of', (args) => arr(args))],
    ]));
    g.declare('JSON', obj([
      ['stringify', native('JSON.stringify', () => unknown('JSON.stringify(...)', 'not evaluated'))],
      ['parse', native('JSON.parse', () => unknown('JSON.parse(...)', 'not evaluated'))],
    ]));
  }
}

// ------------------------------------------------------------------ small helpers

function unwrapTs(n: t.Node): t.Node {
  let cur = n;
  while (cur.type === 'TSAsExpression' || cur.type === 'TSSatisfiesExpression' || cur.type === 'ParenthesizedExpression' || cur.type === 'TSNonNullExpression') cur = cur.expression;
  return cur;
}

/** `a.b.c` rooted at an import binding that has not been loaded yet. */
function rootIsPendingImport(m: t.MemberExpression, env: Env): boolean {
  let cur: t.Node = m;
  while (cur.type === 'MemberExpression') {
    if (cur.computed) return false;
    cur = cur.object;
  }
  return cur.type === 'Identifier' && env.peek(cur.name)?.kind === 'lazy';
}

function prim(v: Value): string | number | boolean | null | undefined {
  switch (v.kind) {
    case 'str':
      return v.value;
    case 'num':
      return v.value;
    case 'bool':
      return v.value;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

function interesting(v: Value): boolean {
  const f = force(v);
  return f.kind !== 'unknown' && f.kind !== 'undef' && f.kind !== 'null';
}

function findHome(env: Env): ClassV | undefined {
  const h = env.lookup('%home');
  return h as unknown as ClassV | undefined;
}

function describe(v: Value): string {
  const f = force(v);
  if (f.kind === 'unknown' || f.kind === 'ext') return f.text;
  return f.kind;
}

function patternName(p: t.Node): string | undefined {
  if (p.type === 'Identifier') return p.name;
  if (p.type === 'MemberExpression' && !p.computed && p.property.type === 'Identifier') return p.property.name;
  return undefined;
}

export function declaredNames(d: t.Node): string[] {
  switch (d.type) {
    case 'VariableDeclaration':
      return d.declarations.flatMap((x) => patternNames(x.id));
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
    case 'TSEnumDeclaration':
      return d.id ? [d.id.name] : [];
    case 'TSModuleDeclaration':
      return d.id.type === 'Identifier' ? [d.id.name] : [];
    default:
      return [];
  }
}

/** The names a binding pattern declares (`{ a, b: [c] }` → a, c). */
export function patternNames(p: t.Node): string[] {
  switch (p.type) {
    case 'Identifier':
      return [p.name];
    case 'ObjectPattern':
      return p.properties.flatMap((x) => (x.type === 'RestElement' ? patternNames(x.argument) : patternNames(x.value)));
    case 'ArrayPattern':
      return p.elements.flatMap((x) => (x ? patternNames(x) : []));
    case 'AssignmentPattern':
      return patternNames(p.left);
    case 'RestElement':
      return patternNames(p.argument);
    default:
      return [];
  }
}

function fromJson(data: unknown, depth: number): Value {
  if (depth > 50) return unknown('json', 'JSON nested too deep');
  if (data === null) return NULL;
  if (typeof data === 'string') return str(data);
  if (typeof data === 'number') return { kind: 'num', value: data };
  if (typeof data === 'boolean') return { kind: 'bool', value: data };
  if (Array.isArray(data)) return arr(data.map((d) => fromJson(d, depth + 1)));
  if (typeof data === 'object') return obj(Object.entries(data as Record<string, unknown>).map(([k, v]) => [k, fromJson(v, depth + 1)]));
  return UNDEF;
}

/** Values from Node's own modules that are pure functions of their arguments (path.join and friends). */
function builtinExternal(c: ExtV, args: Value[]): Value | undefined {
  const props = c.chain.map((s) => ('prop' in s ? s.prop : undefined));
  if (props.some((p) => p === undefined)) return undefined;
  const name = props.join('.');
  if (c.module === 'path' || c.module === 'path/posix') {
    const fn = name.replace(/^posix\./, '');
    if (fn === 'join' || fn === 'normalize') {
      const parts = args.map((a) => asString(force(a)));
      if (parts.every((p): p is string => p !== undefined)) return str(path.posix.join(...parts));
    }
  }
  return undefined;
}
