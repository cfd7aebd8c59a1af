import type * as t from '@babel/types';
import { KNOWN_LIBS, type AuthClassifier, type AuthDecision, type KnownLib } from '../../auth/classify.js';
import { isFunctionNode, walkNodes } from '../../parse/walk.js';
import { force, type FnV, type Value } from '../../resolve/values.js';

/**
 * Koa's auth ecosystem and the ctx-style checks the shared classifier (written around Express's `req`) does not read:
 * `ctx.session.user`, `ctx.user`, and in handlers `if (!ctx.state.user) ctx.throw(401)`.
 */

function opt(args: Value[], key: string): Value | undefined {
  const o = args[0] ? force(args[0]) : undefined;
  if (!o || o.kind !== 'obj') return undefined;
  const v = o.props.get(key);
  return v ? force(v) : undefined;
}

const passportDecide = KNOWN_LIBS.find((l) => l.module === 'passport' && l.chain.test('.authenticate()'))!.decide;

export const KOA_AUTH_LIBS: KnownLib[] = [
  {
    // koa-jwt: `jwt({ secret })` rejects requests without a valid token (401) unless `passthrough: true`, which only
    // decodes a token when there is one. `.unless({ path, method })` is koa-unless, read by the shared classifier (unlessRules).
    module: 'koa-jwt',
    chain: /^(\.default|\.koaJwt)?\(\)$/,
    decide: (args) => {
      const p = opt(args, 'passthrough');
      if (p?.kind === 'bool' && p.value) return { auth: 'optional', reason: 'koa-jwt with passthrough: true lets requests without a token through' };
      if (p && p.kind !== 'bool' && p.kind !== 'undef') return { auth: 'unknown', reason: 'koa-jwt with a passthrough option not known statically' };
      return { auth: 'required', reason: 'koa-jwt verifies a bearer token (401 without one)' };
    },
  },
  { module: 'koa-passport', chain: /^\.authenticate\(\)/, decide: (args) => { const d = passportDecide(args); return { ...d, reason: d.reason.replace(/^passport\./, 'koa-passport ') }; } },
  { module: 'koa-passport', chain: /^\.(initialize|session)\(\)/, decide: () => ({ auth: 'neutral', reason: 'koa-passport set-up, does not require a user' }) },
  { module: 'koa-basic-auth', chain: /^(\.default)?\(\)/, decide: () => ({ auth: 'required', reason: 'koa-basic-auth answers 401 without valid credentials' }) },
];

/** What a Koa middleware reads as the caller's credentials (beyond what the shared classifier reads). */
const KOA_CRED = /\bctx\.(state\.(user|auth|jwt|session|currentUser|account)\b|session\??\.(user|userId|uid|account|passport|auth|token|logged|isAuth|isLogged)|user\b|isAuthenticated\s*\(|isUnauthenticated\s*\(|(request\.)?headers?\s*(\.authorization|\[\s*['"]authorization)|(request\.)?(get|header)\s*\(\s*['"]authorization|cookies\.get\s*\(\s*['"][^'"]*(token|session|auth|jwt|sid))/i;
/** A Koa rejection: `ctx.throw(401)`, `ctx.status = 403`, `ctx.assert(x, 401)`, a redirect to a login page. */
const KOA_REJECT = /\bctx\.throw\s*\(\s*(401|403)\b|\bctx\.(response\.)?status\s*=\s*(401|403)\b|\bctx\.assert\s*\([^;]*?,\s*(401|403)\b|\bctx\.redirect\s*\(\s*['"`][^'"`]*(login|signin|sign-in|auth)|\b(401|403)\b/;
/** In a handler only a check of the request's own credentials counts (a login handler answering 401 does not). */
const KOA_HANDLER_CRED = /!\s*ctx\.(state\.(user|auth|jwt)|session(\??\.\w+)?|user|isAuthenticated\s*\(\s*\))|\bctx\.assert\s*\(\s*ctx\.(state\.(user|auth|jwt)|session(\??\.\w+)?|user|isAuthenticated\s*\(\s*\))|ctx\.(request\.)?headers?\s*(\.authorization|\[\s*['"]authorization)|ctx\.(request\.)?(get|header)\s*\(\s*['"]authorization/i;

function src(fn: FnV): string {
  return fn.node.start != null && fn.node.end != null ? fn.mod.text.slice(fn.node.start, fn.node.end) : '';
}

/**
 * The error-translation middleware of koa-jwt's README and most Koa apps:
 * `try { await next() } catch (err) { if (err.status === 401) { ctx.status = 401; ctx.body = '...Authorization...' } }`.
 * It passes every request on and only rewrites errors thrown further down: it checks nothing itself.
 */
function translatesErrors(fn: FnV): boolean {
  const text = fn.mod.text;
  let yes = false;
  walkNodes(fn.node.body, (n) => {
    if (n !== fn.node.body && isFunctionNode(n)) return 'skip';
    if (n.type !== 'TryStatement' || !n.handler) return false;
    if (!callsNext(n.block, fn.node)) return false;
    // the rejection is only in the catch clause
    const before = text.slice(fn.node.start ?? 0, n.handler.start ?? 0);
    const after = text.slice(n.handler.end ?? 0, fn.node.end ?? 0);
    if (!KOA_REJECT.test(before) && !KOA_REJECT.test(after)) yes = true;
    return yes;
  });
  return yes;
}

function callsNext(block: t.Node, fn: t.Function): boolean {
  const p = fn.params.find((x) => x.type === 'Identifier' && /^(next|done)$/.test(x.name)) ?? fn.params[1];
  if (!p || p.type !== 'Identifier') return false;
  let found = false;
  walkNodes(block, (n) => {
    if (isFunctionNode(n)) return 'skip';
    if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === p.name) {
      found = true;
      return true;
    }
    return false;
  });
  return found;
}


/** A middleware's verdict: the shared classifier, corrected for Koa idioms. */
export function decideKoa(cl: AuthClassifier, value: Value, text: string): AuthDecision {
  const d = cl.classify(value, text);
  if (d.reason === 'declared in config') return d;
  const v = force(value);
  // `.unless({ path, method })` (koa-unless) is read by the shared classifier: each condition exempts on its own
  if (v.kind !== 'fn') return d;
  if (d.auth === 'required' && translatesErrors(v)) return { auth: 'neutral', reason: 'turns 401 errors thrown further down into responses; checks nothing itself' };
  if (d.auth === 'neutral' || d.auth === 'optional') {
    const s = src(v);
    if (KOA_CRED.test(s)) {
      if (KOA_REJECT.test(s) && !translatesErrors(v)) return { auth: 'required', reason: `${v.name ? `${v.name} ` : ''}reads the caller's credentials from ctx and answers 401/403 without them` };
      if (d.auth === 'neutral') return { auth: 'optional', reason: `${v.name ? `${v.name} ` : ''}reads the caller's credentials from ctx but lets requests without them through` };
    }
  }
  return d;
}

/** Does a final handler reject callers without credentials itself (`if (!ctx.state.user) ctx.throw(401)`)? */
export function handlerRequiresAuth(cl: AuthClassifier, fn: FnV): AuthDecision | undefined {
  const d = cl.classifyFn(fn, true);
  if (d.auth === 'required') return d;
  const s = src(fn);
  if (KOA_HANDLER_CRED.test(s) && KOA_REJECT.test(s)) return { auth: 'required', reason: 'the handler answers 401/403 when ctx has no user or credentials' };
  return undefined;
}
