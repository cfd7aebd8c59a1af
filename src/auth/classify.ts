import type * as t from '@babel/types';
import type { AuthState, Notification } from '../model.js';
import { GLOBAL_EXTERNALS, type Interpreter } from '../resolve/interpreter.js';
import { callsNextItself, isFunctionNode, walkNodes } from '../parse/walk.js';
import { asString, force, type ExtV, type FnV, type Value } from '../resolve/values.js';
import { regexBudgetExhausted, SafeRegex } from '../resolve/safe-regex.js';

/**
 * Decides what a middleware / guard does about authentication, the way the framework would run it:
 * - values from well-known libraries by package and call chain (`passport.authenticate('jwt')`);
 * - project functions by what their body does (reads credentials and answers 401/403 → required;
 *   reads them and carries on → optional);
 * - names alone are a hint: an auth-sounding name whose body we cannot see is `unknown`, never `required`.
 */

export type Verdict = AuthState | 'neutral';

/** Requests a guard lets through unchecked (`express-jwt`'s `.unless({ path })`). */
export interface UnlessRule {
  path?: string;
  regex?: { pattern: string; flags: string; loc?: { file: string; line: number } };
  methods?: string[];
}

export interface AuthDecision {
  auth: Verdict;
  reason: string;
  unless?: UnlessRule[];
}

export interface KnownLib {
  module: string | RegExp;
  /** Matched against the access chain: `.authenticate()`, `.expressjwt().unless()`, `()`, `#new().protect()`. */
  chain: RegExp;
  decide: (firstCallArgs: Value[]) => AuthDecision;
}

/** Passport strategies that sign a user in (open to anonymous callers), as opposed to ones that check a token. */
const LOGIN_STRATEGIES = /^(local|google|google-oauth20?|github2?|gitlab|facebook|twitter|linkedin|microsoft|azuread-openidconnect|azure_ad_oauth2|apple|discord|slack|steam|instagram|spotify|twitch|saml|openidconnect|oidc|oauth2?|auth0|okta|keycloak|cas|magic-?link|magiclogin|passwordless|ldapauth|wsfed-saml2)$/i;

function opt(args: Value[], key: string): Value | undefined {
  const o = args[0] ? force(args[0]) : undefined;
  if (!o || o.kind !== 'obj') return undefined;
  const v = o.props.get(key);
  return v ? force(v) : undefined;
}
const isFalse = (v: Value | undefined) => v?.kind === 'bool' && !v.value;
const req = (reason: string): AuthDecision => ({ auth: 'required', reason });
const optional = (reason: string): AuthDecision => ({ auth: 'optional', reason });
const neutral = (reason: string): AuthDecision => ({ auth: 'neutral', reason });

/** Libraries every Node framework shares; framework plugins add their own. */
export const KNOWN_LIBS: KnownLib[] = [
  {
    module: 'passport',
    chain: /^\.authenticate\(\)/,
    decide: (args) => {
      const s = args[0] ? force(args[0]) : undefined;
      const names = s?.kind === 'arr' ? s.items.map((x) => asString(force(x)) ?? '?') : [asString(s ?? { kind: 'undef' }) ?? '?'];
      if (names.includes('anonymous')) return optional(`passport.authenticate(${names.join(', ')}) lets anonymous requests through`);
      // a sign-in strategy (a password form, an identity provider) starts or completes a login: it is how an
      // anonymous caller gets credentials, not a check that the caller has them
      if (names.every((n) => LOGIN_STRATEGIES.test(n))) return { auth: 'none', reason: `passport.authenticate('${names.join("', '")}') is a sign-in flow, open to anonymous callers` };
      return req(`passport.authenticate('${names.join("', '")}')`);
    },
  },
  { module: 'passport', chain: /^\.(initialize|session)\(\)/, decide: () => neutral('passport set-up, does not require a user') },
  {
    module: 'express-jwt',
    chain: /^(\.expressjwt|\.expressJwt|\.default|\.jwt)?\(\)/,
    decide: (args) => (isFalse(opt(args, 'credentialsRequired')) ? optional('express-jwt with credentialsRequired: false') : req('express-jwt verifies a bearer token')),
  },
  {
    module: 'express-oauth2-jwt-bearer',
    chain: /^\.auth\(\)/,
    decide: (args) => (isFalse(opt(args, 'authRequired')) ? optional('express-oauth2-jwt-bearer auth({ authRequired: false })') : req('express-oauth2-jwt-bearer auth()')),
  },
  { module: 'express-oauth2-jwt-bearer', chain: /^\.(requiredScopes|scopeIncludesAny|claimCheck|claimEquals|claimIncludes)\(\)/, decide: () => req('express-oauth2-jwt-bearer claim/scope check') },
  { module: 'express-openid-connect', chain: /^\.requiresAuth\(\)/, decide: () => req('express-openid-connect requiresAuth()') },
  { module: 'express-openid-connect', chain: /^\.claim(Equals|Includes|Check)\(\)/, decide: () => req('express-openid-connect claim check') },
  {
    module: 'express-openid-connect',
    chain: /^\.auth\(\)/,
    decide: (args) => (isFalse(opt(args, 'authRequired')) ? optional('express-openid-connect auth({ authRequired: false })') : req('express-openid-connect auth() (authRequired defaults to true)')),
  },
  { module: '@clerk/express', chain: /^\.requireAuth\(\)/, decide: () => req('@clerk/express requireAuth()') },
  { module: '@clerk/express', chain: /^\.clerkMiddleware\(\)/, decide: () => optional('@clerk/express clerkMiddleware() reads the session but does not require it') },
  { module: '@clerk/clerk-sdk-node', chain: /^\.ClerkExpressRequireAuth\(\)/, decide: () => req('ClerkExpressRequireAuth()') },
  { module: '@clerk/clerk-sdk-node', chain: /^\.ClerkExpressWithAuth\(\)/, decide: () => optional('ClerkExpressWithAuth() does not require a session') },
  { module: 'express-basic-auth', chain: /^(\.default)?\(\)/, decide: () => req('express-basic-auth') },
  { module: 'connect-ensure-login', chain: /^\.ensureLoggedIn\(\)/, decide: () => req('connect-ensure-login ensureLoggedIn()') },
  { module: 'connect-ensure-login', chain: /^\.ensureLoggedOut\(\)/, decide: () => neutral('ensureLoggedOut()') },
  { module: 'keycloak-connect', chain: /#new\(\)\.protect\(\)/, decide: () => req('keycloak-connect protect()') },
  { module: '@okta/oidc-middleware', chain: /\.ensureAuthenticated\(\)/, decide: () => req('@okta/oidc-middleware ensureAuthenticated()') },
  { module: 'express-jwt-authz', chain: /^(\.default)?\(\)/, decide: () => req('express-jwt-authz scope check') },
  { module: 'express-bearer-token', chain: /^(\.default)?\(\)/, decide: () => optional('express-bearer-token only reads the token') },
];

/** Packages whose middleware never decides authentication. */
const NEUTRAL_MODULES = /^(express|cors|helmet|morgan|compression|body-parser|cookie-parser|express-session|cookie-session|connect-redis|express-rate-limit|express-slow-down|rate-limiter-flexible|multer|express-validator|celebrate|joi|zod|express-fileupload|csurf|csrf-csrf|hpp|express-mongo-sanitize|xss-clean|response-time|serve-static|serve-favicon|method-override|connect-timeout|express-async-handler|express-async-errors|http-errors|swagger-ui-express|express-openapi-validator|express-winston|pino-http|winston|debug|uuid|express-request-id|errorhandler|connect-flash|express-ejs-layouts|i18n|vhost|express-prom-bundle|prom-client|@sentry\/node|newrelic|dd-trace|express-http-proxy|http-proxy-middleware|lusca|express-validation|express-joi-validation|csrf-sync|express-brute|util|events|jsonwebtoken|jose|bcrypt|bcryptjs|argon2|crypto|node-jose|jwks-rsa)(\/|$)/;


/** Words of a name that suggest an auth check. A hint only: with no body to read, the answer is `unknown`. */
const AUTH_WORDS = new Set(
  'auth authn authz authenticate authenticated authentication authorize authorized authorization authorise authorised jwt jwts token tokens bearer login logged loggedin signin signedin passport guard guards protect protected firewall admin admins role roles permission permissions permit acl rbac scope scopes apikey clerk oauth oidc sso saml credential credentials requireuser currentuser'.split(' '),
);
/** Words of a name that say a middleware is about something else. */
const NEUTRAL_WORDS = new Set(
  'validate validator validation validators schema cors helmet limit limiter ratelimit rate throttle log logger logging morgan parse parser body json urlencoded upload uploads multer file files cache compress compression static csrf csurf xsrf i18n locale locals timing metrics trace tracing sanitize xss error errors async wrap catch catchasync cookie cookies flash'.split(' '),
);

/** Splits `requireAuth`, `ensure_logged_in`, `lusca.xssProtection` into lower-case words (and joined neighbours). */
export function nameWords(name: string): string[] {
  const words = name
    .replace(/\(.*$/s, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const pairs = words.slice(1).map((w, i) => words[i] + w);
  return [...words, ...pairs];
}

export function hintsAuth(name: string): boolean {
  return nameWords(name).some((w) => AUTH_WORDS.has(w));
}

function hintsNeutral(name: string): boolean {
  return nameWords(name).some((w) => NEUTRAL_WORDS.has(w));
}

const CRED_RE = /authori[sz]ation|bearer|\btoken\b|Token\b|jwt|req(uest)?\.session\??\.(user|userId|uid|account|passport|auth|token|logged|isAuth|isLogged)|session(Id|Token)\b|api[-_]?key|x-api-key|isAuthenticated|req(uest)?\.(is)?(logged|loggedIn|signedIn|authenticated)\b|req(uest)?\.user\b|req(uest)?\.auth\b|ctx\.state\.(user|auth|jwt)|c\.get\(\s*['"](user|jwtPayload|session)|currentUser|credential|passport|verify(Id)?Token|getSession|getServerSession|getAuth|signature|secret/i;
const REJECT_RE = /status\(\s*(401|403)\s*\)|sendStatus\(\s*(401|403)\s*\)|statusCode\s*=\s*(401|403)|\b(401|403)\b|Unauthori[sz]ed|Forbidden|UNAUTHORI[SZ]ED|FORBIDDEN|NotAuthenticated|Authentication(Error|Exception|Failed)|AccessDenied|PermissionDenied|redirect\(\s*['"`][^'"`]*(login|signin|sign-in|auth)/;
const CSRF_RE = /csrf|xsrf/i;
/** In a handler (not a middleware) only a check of the request's own credentials counts, so a login handler
 * that answers 401 to a wrong password is not taken for a protected endpoint. */
/** `const user = sessions.userFrom(req)` … `if (!user)`: the request's own credentials, looked up by a helper. */
const HANDLER_LOOKUP_RE = /(?:const|let|var)\s+(\w+)\s*=\s*(?:await\s+)?[\w$.]+\(\s*(?:req|request)(?:\.(?:headers|cookies|signedCookies|session)[\w$.[\]'"-]*)?\s*[,)][\s\S]{0,400}?if\s*\(\s*!\s*\1\b/;
const HANDLER_CRED_RE = /!\s*(req|request)\.(user|session(\.\w+)?|auth|isAuthenticated\(\s*\))|(req|request)\.headers(\.authorization|\[\s*['"]authorization['"]\s*\])|(req|request)\.(get|header)\(\s*['"]authorization['"]|!\s*(await\s+)?(getServerSession|auth|currentUser|getSession)\s*\(/i;

function chainSignature(e: ExtV): string {
  return e.chain.map((s) => ('prop' in s ? `.${s.prop}` : 'call' in s ? '()' : '#new()')).join('');
}

function firstCallArgs(e: ExtV): Value[] {
  for (const s of e.chain) if ('call' in s) return s.call;
  return [];
}

export class AuthClassifier {
  /** Keyed by closure environment and node: closures made by one wrapper (`wrap(fn)`) differ by what they close over. */
  private readonly fnCache = new WeakMap<object, Map<t.Node, AuthDecision>>();
  private readonly libs: KnownLib[];
  private depth = 0;

  constructor(
    private readonly it: Interpreter | undefined,
    extraLibs: KnownLib[] = [],
    /** From config: exact names (as written) declared as auth middleware. */
    private readonly declared: Map<string, AuthState> = new Map(),
    /** From config: packages (`@acme/auth-kit`) or exports (`@acme/auth-kit#requireUser`) declared as auth middleware. */
    private readonly declaredImports: Map<string, AuthState> = new Map(),
    /** Where a failure to classify a value is reported (an error naming the value's place). */
    private readonly notify?: (n: Notification) => void,
  ) {
    this.libs = [...extraLibs, ...KNOWN_LIBS];
  }

  private readonly failedAt = new Set<string>();

  /**
   * A classification that threw (hostile code the walks below do not expect): the value counts as `unknown` (it may
   * check credentials), and an error names its place; the endpoint itself is kept.
   */
  private failed(value: Value, text: string, err: unknown): AuthDecision {
    const v = force(value);
    const loc = v.kind === 'fn' ? { file: v.mod.file, line: v.node.loc?.start.line ?? 1 } : v.kind === 'ext' || v.kind === 'unknown' ? v.loc : undefined;
    const why = err instanceof RangeError ? 'nested too deep: the analysis ran out of stack' : `${(err as Error)?.message ?? String(err)}`.split('\n')[0]!.slice(0, 200);
    const key = `${loc?.file}:${loc?.line}:${text}`;
    if (!this.failedAt.has(key)) {
      this.failedAt.add(key);
      this.notify?.({ level: 'error', code: 'analysis-failed', message: `${loc ? `${loc.file}:${loc.line}: ` : ''}what ${text.slice(0, 80)} does about authentication could not be analysed (${why}); it counts as unknown.`, ...(loc ? { file: loc.file, line: loc.line } : {}) });
    }
    return { auth: 'unknown', reason: `could not be analysed (${why})` };
  }

  /**
   * Classifies a middleware value; `text` is how the code writes it (for names and config). A middleware the scan
   * cannot see (`unknown`) is `unknown` unless its name says it is about something else: a guess of `none` could
   * hide an auth check. A final handler the scan cannot see is `unknown` only when its name suggests auth.
   */
  classify(value: Value, text: string, role: 'middleware' | 'handler' = 'middleware'): AuthDecision {
    try {
      return this.classifyUnguarded(value, text, role);
    } catch (err) {
      return this.failed(value, text, err);
    }
  }

  private classifyUnguarded(value: Value, text: string, role: 'middleware' | 'handler'): AuthDecision {
    const declared = this.declaredFor(text);
    if (declared) return { auth: declared, reason: 'declared in config' };
    const v = force(value);
    switch (v.kind) {
      case 'ext':
        return this.classifyExt(v, text);
      case 'fn':
        return this.classifyFn(v, false);
      case 'unknown': {
        const name = text.length <= 80 ? text : v.text;
        if (hintsAuth(name) || hintsAuth(v.text)) return { auth: 'unknown', reason: `name suggests auth, but ${v.reason}` };
        if (role === 'handler' || hintsNeutral(name)) return neutral(v.reason);
        return { auth: 'unknown', reason: `not known statically (${v.reason}); it may check credentials` };
      }
      case 'obj':
        if (v.cls) return neutral('an object instance');
        return neutral('not a function');
      default:
        return neutral(`a ${v.kind} value`);
    }
  }

  private declaredFor(text: string): AuthState | undefined {
    if (!this.declared.size) return undefined;
    const bare = text.replace(/\(.*$/s, '').trim();
    return this.declared.get(text) ?? this.declared.get(bare) ?? this.declared.get(bare.split('.').pop() ?? '');
  }

  private classifyExt(e: ExtV, text: string): AuthDecision {
    const first = e.chain[0] && 'prop' in e.chain[0] ? e.chain[0].prop : undefined;
    const byImport = (first !== undefined ? this.declaredImports.get(`${e.module}#${first}`) : undefined) ?? this.declaredImports.get(e.module);
    if (byImport) return { auth: byImport, reason: `${e.module}${first !== undefined && this.declaredImports.has(`${e.module}#${first}`) ? `#${first}` : ''} declared in config` };
    const sig = chainSignature(e);
    const unlessAt = sig.lastIndexOf('.unless()');
    if (unlessAt > 0 && unlessAt === sig.length - '.unless()'.length) {
      const base: ExtV = { ...e, chain: e.chain.slice(0, -2) };
      const d = this.classifyExt(base, text);
      const lastCall = e.chain[e.chain.length - 1] as { call: Value[] };
      return { ...d, unless: unlessRules(lastCall.call[0]) };
    }
    for (const lib of this.libs) {
      const modOk = typeof lib.module === 'string' ? e.module === lib.module : lib.module.test(e.module);
      if (modOk && lib.chain.test(sig)) return lib.decide(firstCallArgs(e));
    }
    // wrappers such as asyncHandler(fn) / catchAsync(fn): what they wrap decides
    for (const s of e.chain) {
      if (!('call' in s)) continue;
      for (const a of s.call) {
        const fa = force(a);
        if (fa.kind === 'fn') {
          const d = this.classifyFn(fa, false);
          if (d.auth !== 'neutral') return { ...d, reason: `${d.reason} (wrapped by ${e.text.replace(/\(\.\.\.\)$/, '')})` };
        }
      }
    }
    if (NEUTRAL_MODULES.test(e.module) || GLOBAL_EXTERNALS.has(e.module)) return neutral(`${e.module} does not decide authentication`);
    // the hint reads the value's own name (the package and the function called), never its arguments
    const props = e.chain.flatMap((s) => ('prop' in s ? [s.prop] : []));
    if (hintsAuth(e.module) || hintsAuth(props[props.length - 1] ?? '')) return { auth: 'unknown', reason: `from package '${e.module}', not a known auth library` };
    return neutral(`from package '${e.module}'`);
  }

  /** A project function: does its body reject a request without credentials? */
  classifyFn(fn: FnV, asHandler: boolean): AuthDecision {
    const cacheKey = asHandler ? (fn.node.body as t.Node) : fn.node;
    let byNode = this.fnCache.get(fn.env);
    if (!byNode) {
      byNode = new Map();
      this.fnCache.set(fn.env, byNode);
    }
    const hit = byNode.get(cacheKey);
    if (hit) return hit;
    let d: AuthDecision;
    try {
      d = this.decideFn(fn, asHandler);
    } catch (err) {
      d = this.failed(fn, fn.name ?? 'a function', err);
    }
    byNode.set(cacheKey, d);
    return d;
  }

  private decideFn(fn: FnV, asHandler: boolean): AuthDecision {
    const node = fn.node;
    if (node.params.length >= 4) return neutral('error handler');
    const src = node.start != null && node.end != null ? fn.mod.text.slice(node.start, node.end) : '';
    const rejects = REJECT_RE.test(src);
    if (asHandler) {
      if ((HANDLER_CRED_RE.test(src) || HANDLER_LOOKUP_RE.test(src)) && rejects) return req('the handler answers 401/403 when the request has no user or credentials');
      // a wrapper such as asyncHandler(fn) or wrap(fn): what it calls with the request decides
      const d = this.delegation(fn, true);
      return d?.auth === 'required' ? d : neutral('handler does not check credentials');
    }
    const creds = CRED_RE.test(src);
    if (creds && rejects && !(CSRF_RE.test(src) && !/authori[sz]ation|bearer|jwt|req\.user|session/i.test(src))) {
      return req(`${fn.name ? `${fn.name} ` : ''}reads credentials and answers 401/403 (or redirects to login) without them`);
    }
    // delegation: the body calls another middleware we can classify (passport.authenticate(...)(req, res, next))
    const delegated = this.delegation(fn, false);
    if (delegated?.auth === 'required') {
      // `if (req.headers.authorization) return passport.authenticate(...)(req, res, next); next();`: the check runs
      // only when credentials are present, and the request goes on without them. (`if (!req.user) return
      // reject(req, res); next();` is the opposite: the call is the rejection.)
      const { call, ...d } = delegated;
      if (callsNextItself(fn.node) && !rejects && call && underPositiveTest(fn.node, call)) return optional(`${d.reason}, but only when credentials are present; without them the request is passed on`);
      return d;
    }
    if (creds && !rejects) return optional(`${fn.name ? `${fn.name} ` : ''}reads credentials but lets requests without them through`);
    if (delegated) return delegated;
    return neutral('does not check credentials');
  }

  /**
   * Delegation: the body hands the request to another middleware or handler we can classify
   * (`passport.authenticate('jwt')(req, res, next)`, `fn(req, res, next)` inside a wrapper). Only calls that pass the
   * function's own request/response/next on count, so a service called with data (`login(req.body)`) does not.
   * The strongest verdict wins: required > unknown > optional.
   */
  private delegation(fn: FnV, asHandler: boolean): (AuthDecision & { call?: t.CallExpression }) | undefined {
    if (!this.it || this.depth > 3) return undefined;
    const own = new Set(fn.node.params.slice(0, 3).flatMap((p) => (p.type === 'Identifier' ? [p.name] : [])));
    if (!own.size) return undefined;
    const calls: Array<{ callee: t.Node; call: t.CallExpression }> = [];
    // handing the request on means passing at least two of (req, res, next); a call with `req` alone reads data
    const needed = Math.min(2, own.size);
    walkNodes(fn.node.body, (n) => {
      if (n.type !== 'CallExpression') return;
      if (n.arguments.filter((a) => a.type === 'Identifier' && own.has(a.name)).length < needed) return;
      let c: t.Node = n.callee;
      while (c.type === 'CallExpression') c = c.callee;
      calls.push({ callee: c, call: n });
    });
    const rank = { required: 3, unknown: 2, optional: 1, none: 0, neutral: 0 } as const;
    let best: (AuthDecision & { call?: t.CallExpression }) | undefined;
    this.depth++;
    try {
      for (const { callee: c, call } of calls) {
        if (c.type !== 'Identifier' && c.type !== 'MemberExpression') continue;
        const text = fn.mod.text.slice(c.start ?? 0, c.end ?? 0);
        if (/^(req|res|next|request|response|ctx)\b/.test(text)) continue;
        if (c.type === 'Identifier' && fn.env.lookup(c.name) === undefined && !own.has(c.name)) continue;
        const v = force(this.it.evalExpr(c, fn.env, fn.mod));
        let d: AuthDecision | undefined;
        if (v.kind === 'ext') {
          if (asHandler) continue;
          // the call in the body completes the chain: passport.authenticate('jwt', ...)(req, res, next)
          const callNode = findCallOf(fn.node.body, c);
          const args = callNode ? callNode.arguments.map((a) => (a.type === 'SpreadElement' || a.type === 'ArgumentPlaceholder' ? ({ kind: 'undef' } as Value) : this.it!.evalExpr(a, fn.env, fn.mod))) : [];
          d = this.classifyExt({ ...v, chain: [...v.chain, { call: args }] }, text);
        } else if (v.kind === 'fn' && v.node !== fn.node) d = this.classifyFn(v, asHandler);
        if (d && d.auth !== 'neutral' && (!best || rank[d.auth] > rank[best.auth])) best = { ...d, reason: `calls ${text}: ${d.reason}`, call };
      }
    } finally {
      this.depth--;
    }
    return best;
  }
}

/** Is `call` inside the consequent of an `if` whose test is positive (`if (req.headers.authorization)`)? */
function underPositiveTest(fn: t.Function, call: t.Node): boolean {
  let positive = false;
  walkNodes(fn.body, (n) => {
    if (n !== fn.body && isFunctionNode(n)) return 'skip';
    if (n.type === 'IfStatement' && (n.consequent.start ?? 0) <= (call.start ?? 0) && (call.end ?? 0) <= (n.consequent.end ?? 0)) {
      const test = n.test;
      const negated = (test.type === 'UnaryExpression' && test.operator === '!') || (test.type === 'BinaryExpression' && /^[!=]==?$/.test(test.operator) && /null|undefined/.test(`${(test.right as t.Node).type}${(test.right as t.Identifier).name ?? ''}`));
      positive = !negated;
    }
    return false;
  });
  return positive;
}

function findCallOf(root: t.Node, callee: t.Node): t.CallExpression | undefined {
  let found: t.CallExpression | undefined;
  walkNodes(root, (n) => {
    if (n.type === 'CallExpression' && n.callee === callee) {
      found = n;
      return true;
    }
    return false;
  });
  return found;
}

function unlessRules(v: Value | undefined): UnlessRule[] {
  const o = v ? force(v) : undefined;
  if (!o || o.kind !== 'obj') return [];
  const out: UnlessRule[] = [];
  const topMethods = listOfStrings(o.props.get('method'));
  const p = o.props.get('path');
  const entries = p ? (force(p).kind === 'arr' ? (force(p) as { items: Value[] }).items : [p]) : [];
  // express-unless and koa-unless: each condition exempts on its own (`path` OR `method`); only an entry
  // `{ url, methods }` ties a path to methods
  for (const e of entries) {
    const fe = force(e);
    if (fe.kind === 'str') out.push({ path: fe.value });
    else if (fe.kind === 'regex') out.push({ regex: { pattern: fe.pattern, flags: fe.flags, loc: fe.loc } });
    else if (fe.kind === 'obj') {
      const url = fe.props.get('url') && force(fe.props.get('url')!);
      const methods = listOfStrings(fe.props.get('methods') ?? fe.props.get('method'));
      if (url?.kind === 'str') out.push({ path: url.value, methods });
      else if (url?.kind === 'regex') out.push({ regex: { pattern: url.pattern, flags: url.flags, loc: url.loc }, methods });
    }
  }
  if (topMethods) out.push({ regex: { pattern: '.*', flags: '' }, methods: topMethods });
  return out;
}

function listOfStrings(v: Value | undefined): string[] | undefined {
  if (!v) return undefined;
  const f = force(v);
  if (f.kind === 'str') return [f.value.toUpperCase()];
  if (f.kind === 'arr') return f.items.map((x) => asString(force(x))?.toUpperCase()).filter((x): x is string => !!x);
  return undefined;
}

/** Combines the verdicts of everything in front of a handler. */
export function combine(verdicts: Verdict[]): AuthState {
  if (verdicts.includes('required')) return 'required';
  if (verdicts.includes('unknown')) return 'unknown';
  if (verdicts.includes('optional')) return 'optional';
  return 'none';
}

/**
 * Does an `unless` rule exempt a concrete-ish endpoint path? Parameters are matched as one segment of text.
 * `undefined` when that cannot be decided: a regular expression of the rule could not be run safely (and no other
 * rule exempts the path); the caller must then claim neither protected nor exempt.
 */
export function unlessExempts(rules: UnlessRule[] | undefined, path: string, method: string): boolean | undefined {
  if (!rules?.length) return false;
  const sample = path.replace(/\{[^}]*\}/g, '1');
  let undecided = false;
  let budgetOut = false;
  for (const r of preparedUnless(rules)) {
    if (r.methods && method !== 'ALL' && !r.methods.has(method)) continue;
    if (r.paths) {
      if (r.paths.has(path) || r.paths.has(sample)) return true;
    } else if (r.re && !budgetOut) {
      const hit = r.re.test(sample);
      if (hit) return true;
      if (hit === undefined) {
        undecided = true;
        // past the scan's regex budget every expression answers undefined: asking the rest costs time for nothing
        budgetOut = regexBudgetExhausted();
      }
    }
    // an invalid regex in code (no `re`): not an exemption we can prove, as JavaScript would throw
  }
  return undecided ? undefined : false;
}

interface PreparedUnless {
  methods?: Set<string>;
  /** Plain paths (trailing slash stripped), all of one method list. */
  paths?: Set<string>;
  re?: SafeRegex;
}

/** Rules compiled once per list (many routes ask the same list): plain paths of one method list in one set. */
const preparedUnlessLists = new WeakMap<UnlessRule[], PreparedUnless[]>();

function preparedUnless(rules: UnlessRule[]): PreparedUnless[] {
  let out = preparedUnlessLists.get(rules);
  if (out) return out;
  out = [];
  const pathSets = new Map<string, PreparedUnless>();
  for (const r of rules) {
    const methods = r.methods?.length ? new Set(r.methods) : undefined;
    if (r.path !== undefined) {
      const key = methods ? [...methods].sort().join(',') : '';
      let p = pathSets.get(key);
      if (!p) {
        p = { methods, paths: new Set() };
        pathSets.set(key, p);
        out.push(p);
      }
      p.paths!.add(r.path.replace(/\/$/, '') || '/');
    } else if (r.regex) {
      const re = SafeRegex.compile(r.regex.pattern, r.regex.flags, { file: r.regex.loc?.file, line: r.regex.loc?.line, what: 'an unless() path' });
      if (re) out.push({ methods, re });
    }
  }
  preparedUnlessLists.set(rules, out);
  return out;
}
