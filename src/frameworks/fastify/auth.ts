import type * as t from '@babel/types';
import type { AuthClassifier, AuthDecision, KnownLib, UnlessRule } from '../../auth/classify.js';
import type { Interpreter } from '../../resolve/interpreter.js';
import { isFunctionNode, walkNodes } from '../../parse/walk.js';
import { asString, force, unknown, type FnV, type HostV, type Loc, type Value } from '../../resolve/values.js';

/**
 * Auth decisions for Fastify hooks: `request.jwtVerify()` (from @fastify/jwt, it throws a 401 error), hooks that
 * answer 401/403 with Fastify's own helpers (`reply.code(401)`, `fastify.httpErrors.unauthorized()`,
 * `reply.unauthorized()` from @fastify/sensible), decorators (`fastify.authenticate`) reached from hooks, and
 * `fastify.auth([...], { relation })` from @fastify/auth. Everything else goes to the shared classifier.
 */

export interface Handler {
  value: Value;
  text: string;
  loc: Loc;
}

/** `fastify.auth([a, b], { relation })` from @fastify/auth. */
export interface AuthCombo {
  items: Handler[];
  relation: 'or' | 'and';
}

export interface Deps {
  classifier: AuthClassifier;
  it: Interpreter;
  /** A decorator visible from a Fastify instance (its own, its parents', or one a fastify-plugin put there). */
  lookup: (host: HostV, name: string) => Value | undefined;
  /** A request decorator (`fastify.decorateRequest('isAdmin', fn)`), read as `request.isAdmin(...)`. */
  lookupRequest: (host: HostV, name: string) => Value | undefined;
  plugin: string;
}

const LOGIN_STRATEGIES = /^(local|google|github|facebook|twitter|oauth2?|saml|openidconnect|oidc|auth0|microsoft|apple|discord|gitlab|linkedin)/i;

/** Auth plugins of the Fastify ecosystem, by package and access chain. */
export const FASTIFY_AUTH_LIBS: KnownLib[] = [
  { module: /^(@fastify\/basic-auth|fastify-basic-auth)$/, chain: /^\.basicAuth$/, decide: () => ({ auth: 'required', reason: '@fastify/basic-auth basicAuth (answers 401 without valid credentials)' }) },
  { module: /^(@fastify\/bearer-auth|fastify-bearer-auth)$/, chain: /^\.(onRequest|verifyBearerAuth)$/, decide: () => ({ auth: 'required', reason: '@fastify/bearer-auth (answers 401 without a valid bearer token)' }) },
  { module: /^(fastify-auth0-verify|@auth0\/auth0-fastify-api)$/, chain: /^\.(authenticate|requireAuth)$/, decide: () => ({ auth: 'required', reason: 'Auth0 token verification' }) },
  {
    module: /^(@fastify\/passport|fastify-passport)$/,
    chain: /^(\.default)?\.authenticate\(\)/,
    decide: (args) => {
      const s = args[0] ? force(args[0]) : undefined;
      const names = s?.kind === 'arr' ? s.items.map((x) => asString(force(x)) ?? '?') : [asString(s ?? { kind: 'undef' }) ?? '?'];
      if (names.includes('anonymous')) return { auth: 'optional', reason: `fastifyPassport.authenticate(${names.join(', ')}) lets anonymous requests through` };
      if (names.every((n) => LOGIN_STRATEGIES.test(n))) return { auth: 'none', reason: `fastifyPassport.authenticate('${names.join("', '")}') is a sign-in flow, open to anonymous callers` };
      return { auth: 'required', reason: `fastifyPassport.authenticate('${names.join("', '")}')` };
    },
  },
  { module: /^(@fastify\/(jwt|auth|cookie|session|secure-session|cors|helmet|rate-limit|sensible|csrf-protection|formbody|multipart|compress|etag|caching|under-pressure|swagger|swagger-ui|static|request-context|env|autoload|websocket)|fastify-plugin)$/, chain: /.*/, decide: () => ({ auth: 'neutral', reason: 'Fastify plugin that does not decide authentication' }) },
];

const CREDS = /authori[sz]ation|bearer|\btoken\b|Token\b|jwt|session|api[-_]?key|x-api-key|(request|req|this)\.user\b|credential|apikey|signature|secret/i;
const FASTIFY_REJECT = /\b(unauthorized|forbidden)\s*\(|httpErrors\s*\.\s*(unauthorized|forbidden)|createError\s*\(\s*(401|403)|Unauthorized\s*\(|\bcode\s*\(\s*(401|403)\s*\)|\bstatus\s*\(\s*(401|403)\s*\)|statusCode\s*[:=]\s*(401|403)/i;
const HANDLER_CREDS = /!\s*(req|request)\.(user|session(\.\w+)?|auth)\b|(req|request)\.headers(\.authorization|\[\s*['"]authorization['"]\s*\])/i;

function srcOf(fn: FnV): string {
  const n = fn.node;
  return n.start != null && n.end != null ? fn.mod.text.slice(n.start, n.end) : '';
}

/**
 * `request.jwtVerify()` in a function body: it throws a 401 error when the token is missing or invalid. Required
 * unless the error is caught and dropped, or the call only runs when credentials are present.
 */
function jwtVerifyDecision(fn: FnV): AuthDecision | undefined {
  const body = fn.node.body;
  const calls: t.CallExpression[] = [];
  const tries: t.TryStatement[] = [];
  const ifs: t.IfStatement[] = [];
  walkNodes(body, (n) => {
    if (n !== body && isFunctionNode(n) && n.type !== 'ArrowFunctionExpression') return 'skip';
    if (n.type === 'CallExpression' && (n.callee.type === 'MemberExpression' || n.callee.type === 'OptionalMemberExpression') && n.callee.property.type === 'Identifier' && n.callee.property.name === 'jwtVerify') calls.push(n);
    if (n.type === 'TryStatement') tries.push(n);
    if (n.type === 'IfStatement') ifs.push(n);
    return false;
  });
  if (!calls.length) return undefined;
  const text = fn.mod.text;
  const within = (outer: t.Node, inner: t.Node) => (outer.start ?? 0) <= (inner.start ?? 0) && (inner.end ?? 0) <= (outer.end ?? 0);
  let best: AuthDecision | undefined;
  for (const call of calls) {
    let d: AuthDecision = { auth: 'required', reason: 'request.jwtVerify() (@fastify/jwt) rejects a request without a valid token with 401' };
    const tr = tries.filter((x) => within(x.block, call)).sort((a, b) => (b.start ?? 0) - (a.start ?? 0))[0];
    if (tr?.handler) {
      const c = text.slice(tr.handler.body.start ?? 0, tr.handler.body.end ?? 0);
      const passesOn = /\b(reply|res)\s*\.\s*(send|code|status|unauthorized|forbidden)\s*\(|\bthrow\b|\b(done|next)\s*\(\s*\w|return\s+reply\b|\b40[13]\b|Unauthori[sz]ed|Forbidden/i.test(c);
      if (!passesOn) d = { auth: 'optional', reason: 'request.jwtVerify() is called, but its error is caught and the request goes on' };
      else d = { auth: 'required', reason: 'request.jwtVerify() (@fastify/jwt); on failure the error (401) is sent' };
    }
    // `if (request.headers.authorization) await request.jwtVerify()`: only checked when credentials are present
    const guard = ifs.find((x) => within(x.consequent, call));
    if (guard && d.auth === 'required') {
      const test = text.slice(guard.test.start ?? 0, guard.test.end ?? 0);
      if (!/^\s*!/.test(test) && /authori[sz]ation|token|cookie|headers/i.test(test)) d = { auth: 'optional', reason: 'request.jwtVerify() runs only when the request carries credentials' };
    }
    if (!best || (best.auth !== 'required' && d.auth === 'required')) best = d;
  }
  return best;
}

const URL_EXPR = /^(?:request|req)\.(?:url|raw\.url|originalUrl|routerPath|routeOptions\.url|routeConfig\.url)$/;
const CONFIG_EXPR = /^(?:request|req)\.(?:routeOptions\.config|routeConfig|context\.config|routeSchema\.config)\??\.(\w+)$/;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Requests a hook lets through before checking anything: `if (request.url.startsWith('/api/auth/login')) return`,
 * `if (PUBLIC.includes(request.url)) return done()`, `if (request.routeOptions.config.public) return`.
 * `opaque`: an early return on the URL that the scan cannot evaluate.
 */
export interface Exemptions {
  rules: UnlessRule[];
  configKeys: string[];
  opaque?: string;
}

export function hookExemptions(fn: FnV, it: Interpreter): Exemptions {
  const out: Exemptions = { rules: [], configKeys: [] };
  const body = fn.node.body;
  if (body.type !== 'BlockStatement') return out;
  const text = (n: t.Node) => fn.mod.text.slice(n.start ?? 0, n.end ?? 0).replace(/\s+/g, '').replace(/\?\./g, '.');
  const returnsEarly = (s: t.Statement): boolean => {
    if (s.type === 'ReturnStatement') return true;
    if (s.type === 'BlockStatement') return s.body.some((x) => x.type === 'ReturnStatement') && s.body.every((x) => x.type === 'ReturnStatement' || x.type === 'ExpressionStatement');
    return false;
  };
  const strs = (n: t.Node): string[] | undefined => {
    const v = force(it.evalExpr(n, fn.env, fn.mod));
    if (v.kind === 'str') return [v.value];
    if (v.kind === 'arr' && !v.partial) {
      const all = v.items.map((x) => force(x));
      if (all.every((x) => x.kind === 'str')) return all.map((x) => (x as { value: string }).value);
    }
    return undefined;
  };
  // one condition: true when it is understood
  const cond = (n: t.Node): boolean => {
    if (n.type === 'LogicalExpression' && n.operator === '||') return cond(n.left) && cond(n.right);
    if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') {
      const m = CONFIG_EXPR.exec(text(n));
      if (m) {
        out.configKeys.push(m[1]!);
        return true;
      }
      return false;
    }
    if (n.type === 'BinaryExpression' && (n.operator === '===' || n.operator === '==')) {
      const [a, b] = URL_EXPR.test(text(n.left)) ? [n.left, n.right] : [n.right, n.left];
      if (!URL_EXPR.test(text(a as t.Node))) return false;
      const vals = strs(b as t.Node);
      if (!vals) return false;
      for (const v of vals) out.rules.push({ path: v });
      return true;
    }
    if (n.type === 'CallExpression' && (n.callee.type === 'MemberExpression' || n.callee.type === 'OptionalMemberExpression') && n.callee.property.type === 'Identifier') {
      const method = n.callee.property.name;
      const objText = text(n.callee.object);
      const arg = n.arguments[0];
      if (!arg || arg.type === 'SpreadElement' || arg.type === 'ArgumentPlaceholder') return false;
      if (URL_EXPR.test(objText) && (method === 'startsWith' || method === 'includes')) {
        const vals = strs(arg);
        if (!vals) return false;
        for (const v of vals) out.rules.push({ regex: { pattern: (method === 'startsWith' ? '^' : '') + escapeRe(v), flags: '' } });
        return true;
      }
      if (method === 'includes' && URL_EXPR.test(text(arg))) {
        const vals = strs(n.callee.object);
        if (!vals) return false;
        for (const v of vals) out.rules.push({ path: v });
        return true;
      }
    }
    return false;
  };
  for (const s of body.body) {
    if (s.type !== 'IfStatement' || !returnsEarly(s.consequent)) continue;
    const testText = text(s.test);
    if (!/(request|req)\.(url|raw|originalUrl|routerPath|routeOptions|routeConfig|context|routeSchema)/.test(testText)) continue;
    if (!cond(s.test)) out.opaque = fn.mod.text.slice(s.test.start ?? 0, s.test.end ?? 0);
  }
  return out;
}

const RANK: Record<string, number> = { neutral: 0, none: 0, optional: 1, unknown: 2, required: 3 };

export class FastifyAuth {
  private readonly cache = new Map<Handler, AuthDecision>();
  private depth = 0;

  constructor(private readonly deps: Deps) {}

  /** A hook (or a value used as one) of a route registered on `owner`. */
  decide(h: Handler, owner: HostV): AuthDecision {
    const hit = this.cache.get(h);
    if (hit) return hit;
    const d = this.decideValue(h.value, h.text, owner);
    this.cache.set(h, d);
    return d;
  }

  decideValue(v: Value, text: string, owner: HostV): AuthDecision {
    const f = force(v);
    if (f.kind === 'host' && f.plugin === this.deps.plugin && f.tag === 'authcombo') return this.combo(f.data as AuthCombo, owner);
    if (f.kind === 'hostfn' && f.host.plugin === this.deps.plugin) {
      // a decorator read before it was defined (or never defined where this plugin can see it)
      const found = this.deps.lookup(f.host, f.name);
      if (found && force(found).kind !== 'hostfn') return this.decideValue(found, text, f.host);
      return this.deps.classifier.classify(unknown(text, `decorator '${f.name}' is not defined in the scope of this plugin (or by a plugin the scan can read)`), text);
    }
    if (f.kind === 'fn') {
      const d = this.decideFn(f, text, owner, false) ?? this.deps.classifier.classify(f, text);
      if (d.auth === 'neutral' || d.auth === 'none') return d;
      const ex = hookExemptions(f, this.deps.it);
      if (ex.opaque) return { auth: 'unknown', reason: `${d.reason}, but it lets some requests through on a condition the scan cannot evaluate (${ex.opaque.slice(0, 80)})` };
      const out: AuthDecision & { configKeys?: string[] } = ex.rules.length ? { ...d, unless: [...(d.unless ?? []), ...ex.rules] } : { ...d };
      if (ex.configKeys.length) out.configKeys = ex.configKeys;
      return out;
    }
    return this.deps.classifier.classify(f, text);
  }

  /** A route handler that protects itself (`await request.jwtVerify()` first, or 401 without `request.user`). */
  decideHandler(fn: FnV, owner: HostV): AuthDecision | undefined {
    const d = this.decideFn(fn, 'handler', owner, true);
    return d?.auth === 'required' ? d : undefined;
  }

  private decideFn(fn: FnV, text: string, owner: HostV, asHandler: boolean): AuthDecision | undefined {
    const jwt = jwtVerifyDecision(fn);
    if (jwt?.auth === 'required') return jwt;
    const generic = this.deps.classifier.classifyFn(fn, asHandler);
    if (generic.auth === 'required') return generic;
    const src = srcOf(fn);
    if (asHandler ? HANDLER_CREDS.test(src) && FASTIFY_REJECT.test(src) : CREDS.test(src) && FASTIFY_REJECT.test(src)) {
      return { auth: 'required', reason: `${fn.name ? `${fn.name} ` : ''}reads credentials and answers 401/403 without them` };
    }
    const delegated = this.delegation(fn, owner, asHandler);
    if (delegated && delegated.auth === 'required') return delegated;
    if (jwt) return jwt;
    if (delegated && RANK[delegated.auth]! > RANK[generic.auth]!) return delegated;
    return asHandler ? undefined : generic;
  }

  /**
   * The hook hands the request to a decorator or another function (`await fastify.authenticate(request, reply)`,
   * `this.verifyJWT(request, reply)`, `request.server.authenticate(...)`): what that does decides.
   */
  private delegation(fn: FnV, owner: HostV, asHandler: boolean): AuthDecision | undefined {
    if (this.depth > 3) return undefined;
    const own = new Set(fn.node.params.slice(0, 3).flatMap((p) => (p.type === 'Identifier' ? [p.name] : [])));
    if (!own.size) return undefined;
    const calls: t.Node[] = [];
    walkNodes(fn.node.body, (n) => {
      if (n.type !== 'CallExpression') return;
      if (!n.arguments.some((a) => a.type === 'Identifier' && own.has(a.name))) return;
      if (n.callee.type === 'MemberExpression' || n.callee.type === 'Identifier') calls.push(n.callee);
    });
    let best: AuthDecision | undefined;
    this.depth++;
    try {
      for (const c of calls) {
        const text = fn.mod.text.slice(c.start ?? 0, c.end ?? 0);
        if (/^(reply|res|done|next)\b/.test(text) || /\.(send|code|status|log|header|jwtVerify)$/.test(text)) continue;
        let v: Value | undefined;
        const m = /^(?:this|(?:request|req)\.server)\.(\w+)$/.exec(text);
        const r = /^(?:this|request|req)\.(\w+)$/.exec(text);
        if (m) v = this.deps.lookup(owner, m[1]!) ?? (text.startsWith('this.') ? this.deps.lookupRequest(owner, m[1]!) : undefined);
        else if (r) v = this.deps.lookupRequest(owner, r[1]!);
        else if (c.type === 'Identifier' && own.has(c.name)) continue;
        else v = this.deps.it.evalExpr(c, fn.env, fn.mod);
        if (!v) continue;
        const fv = force(v);
        if (fv.kind === 'fn' && fv.node === fn.node) continue;
        if (fv.kind === 'unknown' && !/auth|jwt|token|verify|guard|login|session/i.test(text)) continue;
        const d = fv.kind === 'fn' ? this.decideFn(fv, text, owner, asHandler) ?? { auth: 'neutral' as const, reason: '' } : this.decideValue(fv, text, owner);
        if (d.auth !== 'neutral' && (!best || RANK[d.auth]! > RANK[best.auth]!)) best = { ...d, reason: `calls ${text}: ${d.reason}` };
      }
    } finally {
      this.depth--;
    }
    return best;
  }

  /** @fastify/auth: with relation 'or' (the default) one function that lets a request through is enough. */
  private combo(c: AuthCombo, owner: HostV): AuthDecision {
    const ds = c.items.map((h) => ({ h, d: this.decide(h, owner) }));
    if (!ds.length) return { auth: 'none', reason: 'fastify.auth([]) with no function' };
    const names = ds.map((x) => x.h.text).join(', ');
    if (c.relation === 'and') {
      const top = ds.reduce((a, b) => (RANK[b.d.auth]! > RANK[a.d.auth]! ? b : a));
      return top.d.auth === 'neutral' ? { auth: 'neutral', reason: `fastify.auth([${names}]) checks nothing` } : { auth: top.d.auth, reason: `fastify.auth([${names}], { relation: 'and' }): ${top.h.text}: ${top.d.reason}` };
    }
    const weakest = ds.reduce((a, b) => (RANK[b.d.auth]! < RANK[a.d.auth]! ? b : a));
    if (weakest.d.auth === 'neutral' || weakest.d.auth === 'none') return { auth: 'none', reason: `fastify.auth([${names}]) (relation 'or'): ${weakest.h.text} lets every request through` };
    return { auth: weakest.d.auth, reason: `fastify.auth([${names}]) (relation 'or'): ${weakest.d.auth === 'required' ? 'every alternative requires credentials' : `${weakest.h.text}: ${weakest.d.reason}`}` };
  }
}
