import type * as t from '@babel/types';
import { patternNames, type Interpreter } from '../../resolve/interpreter.js';
import { force, type FnV, type Value } from '../../resolve/values.js';
import { clerkRouteRegex } from './matcher.js';
import { escapeRegex, SafeRegex } from '../../resolve/safe-regex.js';
import { reportWalkCut, WALK_LIMIT } from '../../parse/walk.js';

/**
 * Reads what a Next.js middleware, a next-auth `authorized` callback or a route handler does about credentials, for
 * one request path and method: does some statement that rejects the request (a redirect to a login page, a 401/403
 * response, Clerk's `auth.protect()`, `redirectToSignIn()`, `return false` in `authorized`) run for this path when the
 * request has no credentials? Conditions on the path (`pathname.startsWith('/admin')`, `isProtectedRoute(req)` from
 * createRouteMatcher, `PUBLIC.includes(pathname)`) and on the method are evaluated for that path; conditions on
 * credentials are left free (a request without them takes the rejecting branch); anything else that depends on the
 * path and cannot be evaluated makes the answer unknown.
 */

export type GuardMode = 'middleware' | 'authorized' | 'handler';

export interface GuardResult {
  verdict: 'required' | 'none' | 'unknown';
  reason: string;
  line?: number;
  file?: string;
}

// ------------------------------------------------------------------ values of the little evaluator

const FREE = Symbol('free');
const UNKNOWN = Symbol('unknown');
const REQ = Symbol('request');
const NEXTURL = Symbol('nextUrl');

interface ObjE {
  obj: Map<string, E>;
}
interface ClosureE {
  closure: t.ArrowFunctionExpression | t.FunctionExpression;
  scope: Scope;
}
interface ProjFnE {
  projFn: FnV;
}
interface MatcherE {
  matcher: Array<SafeRegex | undefined>;
}
type E = string | number | boolean | null | undefined | SafeRegex | E[] | ObjE | ClosureE | ProjFnE | MatcherE | typeof FREE | typeof UNKNOWN | typeof REQ | typeof NEXTURL;

type Tri = true | false | 'free' | 'unknown';

function tri(v: E): Tri {
  if (v === FREE) return 'free';
  if (v === UNKNOWN) return 'unknown';
  return !!v;
}

const PATHISH = /pathname|nextUrl|\burl\b|\.url\b|[pP]ath|[rR]oute|matcher|[pP]ublic|[pP]rotected/;

class Scope {
  private readonly vals = new Map<string, E>();
  private readonly lazy = new Map<string, () => E>();
  private readonly busy = new Set<string>();
  constructor(readonly parent?: Scope) {}
  set(name: string, v: E): void {
    this.vals.set(name, v);
  }
  setLazy(name: string, f: () => E): void {
    this.lazy.set(name, f);
  }
  has(name: string): boolean {
    return this.vals.has(name) || this.lazy.has(name) || !!this.parent?.has(name);
  }
  get(name: string): E {
    if (this.vals.has(name)) return this.vals.get(name);
    const f = this.lazy.get(name);
    if (f) {
      if (this.busy.has(name)) return UNKNOWN;
      this.busy.add(name);
      try {
        const v = f();
        this.vals.set(name, v);
        return v;
      } finally {
        this.busy.delete(name);
      }
    }
    return this.parent ? this.parent.get(name) : undefined;
  }
}

interface Ctx {
  it: Interpreter;
  fn: FnV;
  path: string;
  method: string;
  depth: number;
}

function src(fn: FnV, n: t.Node): string {
  return n.start != null && n.end != null ? fn.mod.text.slice(n.start, n.end) : '';
}

function unwrap(n: t.Node): t.Node {
  let cur = n;
  while (cur.type === 'TSAsExpression' || cur.type === 'TSSatisfiesExpression' || cur.type === 'TSNonNullExpression' || cur.type === 'ParenthesizedExpression' || cur.type === 'TypeCastExpression' || cur.type === 'AwaitExpression') {
    cur = cur.type === 'AwaitExpression' ? cur.argument : (cur as { expression: t.Node }).expression;
  }
  return cur;
}

function fromValue(v: Value, text: string, depth = 0): E {
  const f = force(v);
  switch (f.kind) {
    case 'str':
      return f.value;
    case 'num':
      return f.value;
    case 'bool':
      return f.value;
    case 'null':
      return null;
    case 'undef':
      return undefined;
    case 'regex':
      return SafeRegex.compile(f.pattern, f.flags, { file: f.loc?.file, line: f.loc?.line, what: 'a regular expression read by a middleware guard' }) ?? UNKNOWN;
    case 'arr': {
      if (depth > 3) return UNKNOWN;
      const items = f.items.map((x) => fromValue(x, text, depth + 1));
      if (f.partial) items.push(UNKNOWN);
      return items;
    }
    case 'obj': {
      if (depth > 3) return UNKNOWN;
      const m = new Map<string, E>();
      for (const [k, x] of f.props) m.set(k, fromValue(x, text, depth + 1));
      return { obj: m };
    }
    case 'fn':
      return { projFn: f };
    case 'ext': {
      const m = routeMatcherOf(f);
      if (m) return m;
      return FREE;
    }
    default:
      return PATHISH.test(text) ? UNKNOWN : FREE;
  }
}

/** Clerk's `createRouteMatcher([...])` as a matcher of paths. */
function routeMatcherOf(v: Value): MatcherE | undefined {
  const f = force(v);
  if (f.kind !== 'ext' || !/^@clerk\/nextjs/.test(f.module)) return undefined;
  const last = f.chain[f.chain.length - 1];
  const prev = f.chain[f.chain.length - 2];
  if (!last || !('call' in last) || !prev || !('prop' in prev) || prev.prop !== 'createRouteMatcher') return undefined;
  const arg = last.call[0] ? force(last.call[0]) : undefined;
  const items = arg?.kind === 'arr' ? arg.items.map(force) : arg ? [arg] : [];
  const what = 'a Clerk createRouteMatcher() route';
  const out: Array<SafeRegex | undefined> = items.map((x) => (x.kind === 'str' ? clerkRouteRegex(x.value, { file: f.loc?.file, line: f.loc?.line, what }) : x.kind === 'regex' ? SafeRegex.compile(x.pattern, x.flags, { file: x.loc?.file ?? f.loc?.file, line: x.loc?.line ?? f.loc?.line, what }) : undefined));
  if (arg?.kind === 'arr' && arg.partial) out.push(undefined);
  return { matcher: out };
}

function safeRegex(p: string, f: string, fn: FnV, n: t.Node): SafeRegex | undefined {
  return SafeRegex.compile(p, f, { file: fn.mod.file, line: n.loc?.start.line, what: 'a regular expression in a middleware guard' });
}

function notE(v: E): E {
  const x = tri(v);
  return x === 'free' ? FREE : x === 'unknown' ? UNKNOWN : !x;
}

function isConcrete(v: E): boolean {
  return v !== FREE && v !== UNKNOWN;
}

const MAX_NEST = 1500;

class Evaluator {
  constructor(private readonly ctx: Ctx) {}

  opaque(n: t.Node): E {
    return PATHISH.test(src(this.ctx.fn, n)) ? UNKNOWN : FREE;
  }

  prop(v: E, key: string): E {
    if (v === REQ) {
      if (key === 'nextUrl') return NEXTURL;
      if (key === 'method') return this.ctx.method === 'ALL' ? UNKNOWN : this.ctx.method;
      if (key === 'url') return UNKNOWN;
      return FREE;
    }
    if (v === NEXTURL) {
      if (key === 'pathname') return this.ctx.path;
      if (key === 'href') return UNKNOWN;
      return FREE;
    }
    if (v === FREE || v === UNKNOWN) return v;
    if (typeof v === 'string' || Array.isArray(v)) return key === 'length' ? v.length : UNKNOWN;
    if (v && typeof v === 'object' && 'obj' in v) return v.obj.has(key) ? v.obj.get(key) : undefined;
    return FREE;
  }

  /** Expressions being evaluated at once: deeply nested code is not known, rather than a stack overflow. */
  private nest = 0;

  ev(n: t.Node, scope: Scope): E {
    if (this.nest > MAX_NEST) return UNKNOWN;
    this.nest++;
    try {
      const fn = this.ctx.fn;
      switch (n.type) {
        case 'StringLiteral':
          return n.value;
        case 'NumericLiteral':
          return n.value;
        case 'BooleanLiteral':
          return n.value;
        case 'NullLiteral':
          return null;
        case 'RegExpLiteral':
        return safeRegex(n.pattern, n.flags, this.ctx.fn, n) ?? UNKNOWN;
        case 'TemplateLiteral': {
          let s = '';
          for (let i = 0; i < n.quasis.length; i++) {
            s += n.quasis[i]!.value.cooked ?? '';
            const e = n.expressions[i];
            if (e) {
              const v = this.ev(e, scope);
              if (!isConcrete(v)) return v;
              if (typeof v === 'object' && v !== null) return this.opaque(n);
              s += String(v);
            }
          }
          return s;
        }
        case 'Identifier': {
          if (n.name === 'undefined') return undefined;
          if (scope.has(n.name)) return scope.get(n.name);
          const v = this.ctx.it.evalExpr(n, fn.env, fn.mod);
          return fromValue(v, n.name);
        }
        case 'TSAsExpression':
        case 'TSSatisfiesExpression':
        case 'TSNonNullExpression':
        case 'ParenthesizedExpression':
          return this.ev(n.expression, scope);
        case 'AwaitExpression':
          return this.ev(n.argument, scope);
        case 'MemberExpression':
        case 'OptionalMemberExpression': {
          const o = this.ev(n.object, scope);
          let key: string | undefined;
          if (!n.computed && n.property.type === 'Identifier') key = n.property.name;
          else {
            const k = this.ev(n.property, scope);
            if (typeof k === 'string' || typeof k === 'number') key = String(k);
          }
          if (key === undefined) return isConcrete(o) ? this.opaque(n) : o;
          if ((o === undefined || o === null) && n.type === 'OptionalMemberExpression') return undefined;
          return this.prop(o, key);
        }
        case 'UnaryExpression':
          if (n.operator === '!') return notE(this.ev(n.argument, scope));
          if (n.operator === 'void') return undefined;
          return this.opaque(n);
        case 'LogicalExpression': {
          const a = this.ev(n.left, scope);
          const ta = tri(a);
          if (n.operator === '??') {
            if (a === null || a === undefined) return this.ev(n.right, scope);
            return isConcrete(a) ? a : ta === 'unknown' ? UNKNOWN : FREE;
          }
          if (n.operator === '&&') {
            if (ta === false) return a;
            const b = this.ev(n.right, scope);
            if (ta === true) return b;
            const tb = tri(b);
            if (tb === false) return false;
            return ta === 'unknown' || tb === 'unknown' ? UNKNOWN : FREE;
          }
          if (ta === true) return a;
          const b = this.ev(n.right, scope);
          if (ta === false) return b;
          const tb = tri(b);
          if (tb === true) return true;
          return ta === 'unknown' || tb === 'unknown' ? UNKNOWN : FREE;
        }
        case 'BinaryExpression': {
          const a = this.ev(n.left, scope);
          const b = this.ev(n.right, scope);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          if (a === FREE || b === FREE) return FREE;
          switch (n.operator) {
            case '===':
            case '==':
              return a === b;
            case '!==':
            case '!=':
              return a !== b;
            case '+':
              return typeof a === 'string' || typeof b === 'string' ? String(a) + String(b) : this.opaque(n);
            default:
              return this.opaque(n);
          }
        }
        case 'ConditionalExpression': {
          const c = tri(this.ev(n.test, scope));
          if (c === true) return this.ev(n.consequent, scope);
          if (c === false) return this.ev(n.alternate, scope);
          const a = this.ev(n.consequent, scope);
          const b = this.ev(n.alternate, scope);
          if (isConcrete(a) && isConcrete(b) && tri(a) === tri(b)) return a;
          return c === 'unknown' || a === UNKNOWN || b === UNKNOWN ? UNKNOWN : FREE;
        }
        case 'ArrayExpression': {
          const out: E[] = [];
          for (const el of n.elements) {
            if (!el) continue;
            if (el.type === 'SpreadElement') {
              const v = this.ev(el.argument, scope);
              if (Array.isArray(v)) out.push(...v);
              else out.push(UNKNOWN);
            } else out.push(this.ev(el, scope));
          }
          return out;
        }
        case 'ObjectExpression': {
          const m = new Map<string, E>();
          for (const p of n.properties) {
            if (p.type === 'ObjectProperty' && !p.computed) {
              const k = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'StringLiteral' ? p.key.value : undefined;
              if (k) m.set(k, this.ev(p.value, scope));
            }
          }
          return { obj: m };
        }
        case 'ArrowFunctionExpression':
        case 'FunctionExpression':
          return { closure: n, scope };
        case 'NewExpression': {
          const callee = src(fn, n.callee);
          if (callee === 'URL' && n.arguments[0]) {
            const a0 = src(fn, n.arguments[0]);
            if (/\b(req|request)\w*\.(url|nextUrl)\b|nextUrl/.test(a0) && !/^['"`]/.test(a0)) return NEXTURL;
            return FREE;
          }
          if (callee === 'RegExp' && n.arguments[0]) {
            const p = this.ev(n.arguments[0], scope);
            const f = n.arguments[1] ? this.ev(n.arguments[1], scope) : '';
          return typeof p === 'string' && typeof f === 'string' ? safeRegex(p, f, this.ctx.fn, n) ?? UNKNOWN : UNKNOWN;
          }
          return FREE;
        }
        case 'CallExpression':
        case 'OptionalCallExpression':
          return this.call(n, scope);
        default:
          return this.opaque(n);
      }
    } finally {
      this.nest--;
    }
  }

  private call(n: t.CallExpression | t.OptionalCallExpression, scope: Scope): E {
    const args = n.arguments.filter((a): a is t.Expression => a.type !== 'SpreadElement' && a.type !== 'ArgumentPlaceholder');
    const callee = n.callee;
    if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
      const name = !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : undefined;
      const o = this.ev(callee.object, scope);
      if (name && typeof o === 'string') {
        const a = args.map((x) => this.ev(x, scope));
        if (a.some((x) => x === UNKNOWN)) return UNKNOWN;
        if (a.some((x) => x === FREE)) return FREE;
        const s0 = a[0];
        switch (name) {
          case 'startsWith':
            return typeof s0 === 'string' ? o.startsWith(s0) : UNKNOWN;
          case 'endsWith':
            return typeof s0 === 'string' ? o.endsWith(s0) : UNKNOWN;
          case 'includes':
            return typeof s0 === 'string' ? o.includes(s0) : UNKNOWN;
          case 'match': {
            const re = s0 instanceof SafeRegex ? s0 : typeof s0 === 'string' ? safeRegex(s0, '', this.ctx.fn, n) : undefined;
            return re ? (re.test(o) ?? UNKNOWN) : UNKNOWN;
          }
          case 'toLowerCase':
            return o.toLowerCase();
          case 'toUpperCase':
            return o.toUpperCase();
          case 'split':
            return typeof s0 === 'string' ? o.split(s0) : UNKNOWN;
          case 'trim':
            return o.trim();
          default:
            return UNKNOWN;
        }
      }
      if (name === 'test' && o instanceof SafeRegex && args[0]) {
        const s = this.ev(args[0], scope);
        return typeof s === 'string' ? o.test(s) ?? UNKNOWN : isConcrete(s) ? UNKNOWN : s;
      }
      if (name && Array.isArray(o)) return this.arrayCall(o, name, args, scope, n);
      if (o === FREE) return this.opaque(n);
      if (o === UNKNOWN) return UNKNOWN;
      if (o === REQ || o === NEXTURL) return this.opaque(n);
      return this.opaque(n);
    }
    const f = this.ev(callee, scope);
    const a = () => args.map((x) => this.ev(x, scope));
    if (f && typeof f === 'object' && 'matcher' in f) {
      const arg = a()[0];
      const path = arg === REQ ? this.ctx.path : arg === NEXTURL ? this.ctx.path : typeof arg === 'string' ? arg : undefined;
      if (path === undefined) return UNKNOWN;
      const hits = f.matcher.map((r) => r?.test(path));
      if (hits.some((h) => h === true)) return true;
      return hits.some((h) => h === undefined) ? UNKNOWN : false;
    }
    if (f && typeof f === 'object' && 'closure' in f) return this.apply(f.closure, f.scope, a());
    if (f && typeof f === 'object' && 'projFn' in f && this.ctx.depth < 3) {
      const node = f.projFn.node;
      if (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration') {
        const inner = new Evaluator({ ...this.ctx, fn: f.projFn, depth: this.ctx.depth + 1 });
        return inner.apply(node, new Scope(), a());
      }
    }
    return this.opaque(n);
  }

  private arrayCall(arr: E[], name: string, args: t.Expression[], scope: Scope, n: t.Node): E {
    const cb = args[0] ? this.ev(args[0], scope) : undefined;
    const results = (): E[] => arr.map((item) => (cb && typeof cb === 'object' && 'closure' in cb ? this.apply(cb.closure, cb.scope, [item]) : UNKNOWN));
    switch (name) {
      case 'includes': {
        if (!isConcrete(cb)) return cb as E;
        if (arr.some((x) => x === cb)) return true;
        return arr.some((x) => !isConcrete(x)) ? UNKNOWN : false;
      }
      case 'some':
      case 'find': {
        const r = results().map(tri);
        if (r.includes(true)) return true;
        if (r.includes('unknown')) return UNKNOWN;
        if (r.includes('free')) return FREE;
        return name === 'find' ? undefined : false;
      }
      case 'every': {
        const r = results().map(tri);
        if (r.includes(false)) return false;
        if (r.includes('unknown')) return UNKNOWN;
        if (r.includes('free')) return FREE;
        return true;
      }
      default:
        return this.opaque(n);
    }
  }

  /** Calls a function written in the code with evaluated arguments; its value is what it returns. */
  apply(node: t.Function, parent: Scope, args: E[]): E {
    if (this.ctx.depth > 4) return UNKNOWN;
    const scope = new Scope(parent);
    node.params.forEach((p, i) => bindPattern(p, args[i], scope, this));
    if (node.body.type !== 'BlockStatement') return this.ev(node.body, scope);
    return this.block(node.body.body, scope);
  }

  /** The value a block returns: declarations, `if (...) return x`, `return y`. */
  private block(stmts: t.Statement[], scope: Scope): E {
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i]!;
      if (s.type === 'VariableDeclaration') declareLocals(s, scope, this);
      else if (s.type === 'ReturnStatement') return s.argument ? this.ev(s.argument, scope) : undefined;
      else if (s.type === 'IfStatement') {
        const c = tri(this.ev(s.test, scope));
        const branch = (b: t.Statement | null | undefined): E | 'fallthrough' => {
          if (!b) return 'fallthrough';
          const body = b.type === 'BlockStatement' ? b.body : [b];
          if (!alwaysExits(b)) return 'fallthrough';
          return this.block(body, new Scope(scope));
        };
        if (c === true) {
          const r = branch(s.consequent);
          if (r !== 'fallthrough') return r;
        } else if (c === false) {
          const r = branch(s.alternate);
          if (r !== 'fallthrough') return r;
        } else {
          const a = branch(s.consequent);
          const rest = this.block(stmts.slice(i + 1), new Scope(scope));
          const b = a === 'fallthrough' ? rest : a;
          if (isConcrete(b) && isConcrete(rest) && tri(b) === tri(rest)) return rest;
          return c === 'unknown' || b === UNKNOWN || rest === UNKNOWN ? UNKNOWN : FREE;
        }
      } else if (s.type === 'ThrowStatement') return FREE;
    }
    return undefined;
  }
}

function bindPattern(p: t.Node, v: E, scope: Scope, ev: Evaluator): void {
  if (p.type === 'Identifier') scope.set(p.name, v);
  else if (p.type === 'AssignmentPattern') bindPattern(p.left, v === undefined ? ev.ev(p.right, scope) : v, scope, ev);
  else if (p.type === 'ObjectPattern') {
    for (const prop of p.properties) {
      if (prop.type === 'RestElement') {
        bindPattern(prop.argument, FREE, scope, ev);
        continue;
      }
      const key = !prop.computed && prop.key.type === 'Identifier' ? prop.key.name : prop.key.type === 'StringLiteral' ? prop.key.value : undefined;
      bindPattern(prop.value, key ? ev.prop(v, key) : FREE, scope, ev);
    }
  } else if (p.type === 'ArrayPattern') {
    p.elements.forEach((el, i) => el && bindPattern(el, Array.isArray(v) ? v[i] : v === UNKNOWN ? UNKNOWN : FREE, scope, ev));
  } else if (p.type === 'TSParameterProperty') bindPattern(p.parameter, v, scope, ev);
}

function declareLocals(d: t.VariableDeclaration, scope: Scope, ev: Evaluator): void {
  for (const decl of d.declarations) {
    const init = decl.init;
    if (decl.id.type === 'Identifier') {
      const name = decl.id.name;
      scope.setLazy(name, () => (init ? ev.ev(init, scope) : undefined));
    } else if (init) {
      const id = decl.id;
      let cached: E | typeof NOT_YET = NOT_YET;
      const value = () => (cached === NOT_YET ? (cached = ev.ev(init, scope)) : cached);
      for (const name of patternNames(id)) scope.setLazy(name, () => {
        const tmp = new Scope();
        bindPattern(id, value(), tmp, ev);
        return tmp.get(name);
      });
    }
  }
}
const NOT_YET = Symbol('not yet');


function alwaysExits(s: t.Statement): boolean {
  if (s.type === 'ReturnStatement' || s.type === 'ThrowStatement') return true;
  if (s.type === 'BlockStatement') return s.body.length > 0 && alwaysExits(s.body[s.body.length - 1]!);
  if (s.type === 'IfStatement') return !!s.alternate && alwaysExits(s.consequent) && alwaysExits(s.alternate);
  return false;
}

// ------------------------------------------------------------------ rejecting statements

const LOGINISH = /log-?in|sign-?in|sign_in|\/auth\b|\/auth\/|unauthori[sz]ed|\/session|sign-?up/i;
const STATUS_REJECT = /status\s*:\s*40[13]\b|\bstatus\(\s*40[13]\s*\)|\bsendStatus\(\s*40[13]\s*\)|statusCode\s*=\s*40[13]\b/;
const CRED_WORDS = /token|session|\bauth|Auth|user|User|jwt|JWT|cookie|Cookie|logged|Logged|signed|Signed|credential|claims|bearer|Bearer|api[_-]?key|apiKey|secret|verified|authorization|Authorization/;
/** Session readers of Next's auth libraries and the helpers projects write around them. */
const SESSION_CALL = /(?:^|[^\w.$])(auth|getAuth|currentUser|getCurrentUser|getServerSession|getServerAuthSession|getSession|getIronSession|getToken|getUser|validateRequest|verifySession|getKindeServerSession|getUserSession|getSessionUser|getLoggedInUser|getAuthUser|getAuthSession|requireUser|requireAuth|requireSession|requireAdmin|getAccessToken|getClaims|getSignedInUser|getViewer|verifyToken|verifyJwt|verifyJWT|jwtVerify|decodeToken|getUserFromToken|getUserFromRequest|authenticate|isAuthenticated)\s*\(|\.auth\.(getUser|getSession|getClaims)\s*\(|\bcookies\s*\(\s*\)|\.cookies\b|\.headers\.get\(\s*['"](authorization|x-api-key|cookie)['"]|\.headers(\.authorization\b|\[\s*['"](authorization|x-api-key)['"]\s*\])|(req|request)\.(session|auth|user)\b/i;
const BODYISH = /\b(body|email|password|credentials|username|formData|json\(\))/i;

interface Site {
  node: t.Node;
  why: string;
  /** The statement rejects only when credentials are missing if one of its conditions says so (redirects). */
  needsCredCondition: boolean;
  /** For `return <expr>` in an authorized callback: the request is rejected when the expression is falsy. */
  falsy?: t.Node;
  /** A call to another guard: its own result for this path. */
  delegated?: GuardResult;
}

/** Parent links inside one function body (nested functions are not entered). */
function parentsOf(root: t.Node): Map<t.Node, t.Node> {
  const parents = new Map<t.Node, t.Node>();
  const stack: t.Node[] = [root];
  let count = 0;
  while (stack.length) {
    if (count++ >= WALK_LIMIT) {
      reportWalkCut(root, WALK_LIMIT);
      break;
    }
    const n = stack.pop()!;
    for (const k of Object.keys(n)) {
      if (k === 'loc' || k === 'start' || k === 'end' || k === 'extra' || k.endsWith('Comments')) continue;
      const child = (n as unknown as Record<string, unknown>)[k];
      const push = (c: unknown) => {
        if (!c || typeof c !== 'object' || typeof (c as t.Node).type !== 'string') return;
        const cn = c as t.Node;
        parents.set(cn, n);
        if (cn.type === 'FunctionExpression' || cn.type === 'ArrowFunctionExpression' || cn.type === 'FunctionDeclaration' || cn.type === 'ClassMethod' || cn.type === 'ObjectMethod') return;
        stack.push(cn);
      };
      if (Array.isArray(child)) child.forEach(push);
      else push(child);
    }
  }
  return parents;
}

/** Names bound to what a session reader returns (and what is derived from them). */
function credentialNames(fn: FnV, body: t.Node, parents: Map<t.Node, t.Node>): Set<string> {
  const names = new Set<string>();
  const decls: t.VariableDeclarator[] = [];
  for (const n of parents.keys()) if (n.type === 'VariableDeclarator' && n.init) decls.push(n);
  decls.sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  void body;
  for (const d of decls) {
    const text = src(fn, d.init!);
    const fromSession = SESSION_CALL.test(text) && !BODYISH.test(text);
    const derived = [...names].some((nm) => new RegExp(`\\b${escapeRegex(nm)}\\b`).test(text));
    if (fromSession || derived) for (const nm of patternNames(d.id)) names.add(nm);
  }
  // parameters of a handler wrapped by next-auth's auth(): `req.auth`
  return names;
}

function rejectSites(fn: FnV, mode: GuardMode, parents: Map<t.Node, t.Node>): Site[] {
  const sites: Site[] = [];
  const body = fn.node.body;
  const visit = (n: t.Node) => {
    if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression' || n.type === 'NewExpression') {
      const callee = src(fn, n.callee);
      const argsText = n.arguments.map((a) => src(fn, a)).join(', ');
      const last = callee.split('.').pop() ?? '';
      if (/auth\b.*\.protect$|^auth\(\)\.protect$|\)\.protect$/.test(callee) || (last === 'protect' && /auth/i.test(callee))) sites.push({ node: n, why: `${callee}() rejects requests without a session`, needsCredCondition: false });
      else if (/^(redirectToSignIn|redirectToLogin|redirectToSignUp)$/.test(last)) sites.push({ node: n, why: `${callee}() sends requests without a session to sign in`, needsCredCondition: false });
      else if (n.type === 'CallExpression' && /^(unauthorized|forbidden)$/.test(callee)) sites.push({ node: n, why: `${callee}() answers ${callee === 'unauthorized' ? 401 : 403}`, needsCredCondition: false });
      else if (last === 'redirect' || last === 'permanentRedirect') sites.push({ node: n, why: `redirects (${callee}(${argsText.length > 60 ? '...' : argsText}))`, needsCredCondition: !LOGINISH.test(argsText) });
      else if (last === 'rewrite' && LOGINISH.test(argsText)) sites.push({ node: n, why: `rewrites to a login page`, needsCredCondition: false });
      else if ((/^(NextResponse|Response)$/.test(callee) && n.type === 'NewExpression') || /^(NextResponse|Response)\.json$/.test(callee) || /^res(ponse)?\.status$/.test(callee) || /\.status$/.test(callee) || /^res(ponse)?\.sendStatus$/.test(callee)) {
        const text = src(fn, n);
        if (STATUS_REJECT.test(text) || /status\(\s*40[13]/.test(text) || /sendStatus\(\s*40[13]/.test(text)) sites.push({ node: n, why: `answers ${/403/.test(text) ? 403 : 401}`, needsCredCondition: mode !== 'middleware' });
      } else if (n.type === 'NewExpression' && /Error$/.test(callee) && /unauthori[sz]ed|unauthenticated|not authenticated|not logged in|forbidden|sign in/i.test(argsText) && parents.get(n)?.type === 'ThrowStatement') {
        sites.push({ node: n, why: `throws ${argsText.slice(0, 40)}`, needsCredCondition: true });
      }
    }
    if (mode === 'authorized' && n.type === 'ReturnStatement' && n.argument) {
      const a = unwrap(n.argument);
      if (a.type === 'BooleanLiteral' && !a.value) sites.push({ node: n, why: 'authorized() returns false', needsCredCondition: false });
      else if (a.type !== 'BooleanLiteral' && a.type !== 'CallExpression' && a.type !== 'NewExpression' && CRED_WORDS.test(src(fn, a))) sites.push({ node: n, why: `authorized() returns ${src(fn, a).slice(0, 40)}`, needsCredCondition: false, falsy: a });
    }
  };
  for (const n of parents.keys()) visit(n);
  if (mode === 'authorized' && body.type !== 'BlockStatement') {
    const a = unwrap(body);
    if (a.type === 'BooleanLiteral' && !a.value) sites.push({ node: body, why: 'authorized() returns false', needsCredCondition: false });
    else if (a.type !== 'BooleanLiteral' && CRED_WORDS.test(src(fn, a))) sites.push({ node: body, why: `authorized() returns ${src(fn, a).slice(0, 40)}`, needsCredCondition: false, falsy: a });
  }
  return sites;
}

const NEG_CRED = /!\s*\(?\s*(await\s+)?[\w$.?]*(token|session|auth|user|jwt|cookie|logged|signed|credential|claims|bearer|apikey|api_key|secret|verified|authorization)|(token|session|auth|user|jwt|logged|signed)\w*(\?\.\w+)*\s*={2,3}\s*(null|undefined|false)\b/i;

/** Does taking this branch mean the request has no credentials? (`!token`, or the else of `if (session)`) */
function credMissing(text: string, want: boolean): boolean {
  const neg = NEG_CRED.test(text);
  return want ? neg : CRED_WORDS.test(text) && !neg;
}

interface Cond {
  test: t.Node;
  want: boolean;
  /** A switch case: the discriminant must equal one of these tests (or no other, for default). */
  switchCase?: { disc: t.Node; tests: t.Node[]; others: t.Node[]; isDefault: boolean };
}

/** The conditions under which a node inside the body runs: enclosing branches and earlier early exits. */
function conditionsOf(node: t.Node, root: t.Node, parents: Map<t.Node, t.Node>, siteNodes: Set<t.Node>): Cond[] | 'unreachable' {
  const out: Cond[] = [];
  let child = node;
  for (let p = parents.get(node); p && child !== root; child = p, p = parents.get(p)) {
    if (p.type === 'IfStatement') {
      if (child === p.consequent) out.push({ test: p.test, want: true });
      else if (child === p.alternate) out.push({ test: p.test, want: false });
    } else if (p.type === 'ConditionalExpression') {
      if (child === p.consequent) out.push({ test: p.test, want: true });
      else if (child === p.alternate) out.push({ test: p.test, want: false });
    } else if (p.type === 'LogicalExpression' && child === p.right) {
      if (p.operator === '&&') out.push({ test: p.left, want: true });
      else if (p.operator === '||') out.push({ test: p.left, want: false });
    } else if (p.type === 'SwitchCase') {
      const sw = parents.get(p);
      if (sw?.type === 'SwitchStatement') {
        const idx = sw.cases.indexOf(p);
        // cases that fall through into this one
        const tests: t.Node[] = [];
        let isDefault = false;
        for (let i = idx; i >= 0; i--) {
          const c = sw.cases[i]!;
          if (i < idx && c.consequent.length && c.consequent.some((s) => alwaysExits(s) || s.type === 'BreakStatement')) break;
          if (c.test) tests.push(c.test);
          else isDefault = true;
        }
        const others = sw.cases.filter((c) => c.test && !tests.includes(c.test)).map((c) => c.test!);
        out.push({ test: sw.discriminant, want: true, switchCase: { disc: sw.discriminant, tests, others, isDefault } });
      }
    }
    const siblings = p.type === 'BlockStatement' || p.type === 'Program' ? p.body : p.type === 'SwitchCase' ? p.consequent : undefined;
    if (siblings) {
      const idx = (siblings as t.Node[]).indexOf(child);
      for (const s of (siblings as t.Statement[]).slice(0, Math.max(0, idx))) {
        if (s.type === 'ReturnStatement' || s.type === 'ThrowStatement') return 'unreachable';
        if (s.type !== 'IfStatement') continue;
        const containsSite = (b: t.Node | null | undefined) => !!b && [...siteNodes].some((sn) => (sn.start ?? 0) >= (b.start ?? 0) && (sn.end ?? 0) <= (b.end ?? 0));
        if (alwaysExits(s.consequent) && !containsSite(s.consequent)) out.push({ test: s.test, want: false });
        if (s.alternate && alwaysExits(s.alternate) && !containsSite(s.alternate)) out.push({ test: s.test, want: true });
      }
    }
  }
  return out;
}

/**
 * Does the guard function reject, for this path and method, a request without credentials?
 * `bind` gives its parameters (the request, Clerk's `auth`, next-auth's `{ auth, request }`).
 */
export function analyzeGuard(it: Interpreter, fn: FnV, mode: GuardMode, bind: E[] | ((p: t.Node[]) => E[]), path: string, method: string, depth = 0): GuardResult {
  try {
    return analyzeGuardUnguarded(it, fn, mode, bind, path, method, depth);
  } catch (err) {
    // code the evaluator does not expect (or nested deeper than the stack allows): this guard's verdict is unknown,
    // never a failure of the whole Next.js extraction
    const why = err instanceof RangeError ? 'nested too deep: the analysis ran out of stack' : `${(err as Error)?.message ?? String(err)}`.split('\n')[0]!.slice(0, 200);
    return { verdict: 'unknown', reason: `${fn.name ?? 'the guard'} could not be analysed (${why})`, line: fn.node.loc?.start.line, file: fn.mod.file };
  }
}

function analyzeGuardUnguarded(it: Interpreter, fn: FnV, mode: GuardMode, bind: E[] | ((p: t.Node[]) => E[]), path: string, method: string, depth: number): GuardResult {
  const ctx: Ctx = { it, fn, path, method, depth };
  const ev = new Evaluator(ctx);
  const scope = new Scope();
  const args = typeof bind === 'function' ? bind(fn.node.params) : bind;
  fn.node.params.forEach((p, i) => bindPattern(p, args[i], scope, ev));
  const body = fn.node.body;
  const parents = parentsOf(body);
  // locals of the whole body (declared anywhere, evaluated on first use)
  for (const n of parents.keys()) if (n.type === 'VariableDeclaration') declareLocals(n, scope, ev);
  const creds = mode === 'middleware' || mode === 'authorized' ? undefined : credentialNames(fn, body, parents);
  const fnText = src(fn, fn.node);
  const sites = rejectSites(fn, mode, parents);
  // calls to other project functions (helpers such as updateSession(req), requireUser(), the handler a wrapper wraps)
  if (depth < 3) {
    let calls = 0;
    for (const n of parents.keys()) {
      if (calls > 30) break;
      if (n.type !== 'CallExpression' || (n.callee.type !== 'Identifier' && n.callee.type !== 'MemberExpression')) continue;
      if (n.callee.type === 'Identifier' && scope.has(n.callee.name) && !(typeof scope.get(n.callee.name) === 'object' && 'projFn' in (scope.get(n.callee.name) as object))) continue;
      const v = n.callee.type === 'Identifier' && scope.has(n.callee.name) ? scope.get(n.callee.name) : fromValue(it.evalExpr(n.callee, fn.env, fn.mod), '');
      if (!v || typeof v !== 'object' || !('projFn' in v) || v.projFn.node === fn.node) continue;
      calls++;
      const argVals = n.arguments.map((a) => (a.type === 'SpreadElement' || a.type === 'ArgumentPlaceholder' ? FREE : ev.ev(a, scope)));
      const r = analyzeGuard(it, v.projFn, mode === 'authorized' ? 'middleware' : mode, argVals, path, method, depth + 1);
      if (r.verdict !== 'none') sites.push({ node: n, why: `calls ${src(fn, n.callee)}: ${r.reason}`, needsCredCondition: false, delegated: r });
    }
  }
  sites.sort((a, b) => (a.node.start ?? 0) - (b.node.start ?? 0));
  const siteNodes = new Set(sites.map((s) => s.node));
  let best: GuardResult = { verdict: 'none', reason: 'no statement rejects requests without credentials on this path' };
  for (const s of sites) {
    const conds = conditionsOf(s.node, body, parents, siteNodes);
    if (conds === 'unreachable') continue;
    if (s.needsCredCondition) {
      const condText = conds.map((c) => src(fn, c.test)).join(' ');
      const ok = creds ? [...creds].some((nm) => new RegExp(`\\b${escapeRegex(nm)}\\b`).test(condText)) || SESSION_CALL.test(condText) : conds.some((c) => credMissing(src(fn, c.test), c.want));
      if (!ok) continue;
    }
    if (!s.delegated && !s.falsy && mode === 'middleware' && !CRED_WORDS.test(fnText) && !/protect|redirectTo/.test(s.why)) continue;
    let reach: Tri = true;
    const all = s.falsy ? [...conds, { test: s.falsy, want: false }] : conds;
    for (const c of all) {
      let v: Tri;
      if (c.switchCase) {
        const d = ev.ev(c.switchCase.disc, scope);
        if (!isConcrete(d)) v = d === FREE ? 'free' : 'unknown';
        else {
          const vals = c.switchCase.tests.map((x) => ev.ev(x, scope));
          const others = c.switchCase.others.map((x) => ev.ev(x, scope));
          if (vals.some((x) => x === d)) v = true;
          else if (c.switchCase.isDefault && !others.some((x) => x === d)) v = others.every(isConcrete) ? true : 'unknown';
          else v = vals.every(isConcrete) ? false : 'unknown';
        }
      } else {
        const r = tri(ev.ev(c.test, scope));
        v = r === 'free' || r === 'unknown' ? r : r === c.want;
      }
      if (v === false) {
        reach = false;
        break;
      }
      if (v === 'unknown') reach = 'unknown';
    }
    const line = s.delegated?.line ?? s.node.loc?.start.line;
    const file = s.delegated?.file ?? fn.mod.file;
    if (reach === false) continue;
    const verdict = s.delegated ? s.delegated.verdict : 'required';
    if (reach === 'unknown' || verdict === 'unknown') {
      if (best.verdict === 'none') best = { verdict: 'unknown', reason: `${s.why}, under a condition on the path that cannot be evaluated statically`, line, file };
      continue;
    }
    return { verdict: 'required', reason: s.why, line, file };
  }
  return best;
}

export { FREE, UNKNOWN, REQ, NEXTURL };
export type GuardValue = E;
