import type * as t from '@babel/types';
import type { AuthClassifier, KnownLib, Verdict } from '../../auth/classify.js';
import type { Interpreter } from '../../resolve/interpreter.js';
import { walkNodes, isFunctionNode } from '../../parse/walk.js';
import { asString, force, type ClassV, type Value } from '../../resolve/values.js';
import { metaKeyOf } from './decorators.js';

/**
 * Guards, decided the way Nest runs them: `canActivate` returning false or throwing rejects the request.
 * - `AuthGuard('jwt')` from '@nestjs/passport' (and classes extending it) → required;
 * - a project guard whose `canActivate` reads credentials (request.user, the Authorization header, a token, the
 *   session, an API key) and throws 401/403 or returns false / a computed answer → required;
 * - an escape hatch read from metadata (`if (isPublic) return true`, `if (!roles) return true`) is kept so that each
 *   endpoint can be decided with its own metadata.
 */

export interface Exemption {
  /** Metadata key (see metaKeyOf) and how the code writes it. */
  key: string;
  keyText: string;
  /** 'present': the guard lets requests through when the metadata is set (a public marker); 'absent': when it is not (roles). */
  when: 'present' | 'absent';
  /** Where the guard reads the metadata: the handler, the class, or both (handler first). */
  on: 'handler' | 'class' | 'both';
}

export interface GuardDecision {
  auth: Verdict;
  reason: string;
  exemptions: Exemption[];
}

/** Passport strategies that sign a user in (open to anonymous callers), as in the shared passport rule. */
const LOGIN_STRATEGIES = /^(local|google|google-oauth20?|github2?|gitlab|facebook|twitter|linkedin|microsoft|azuread-openidconnect|azure_ad_oauth2|apple|discord|slack|steam|instagram|spotify|twitch|saml|openidconnect|oidc|oauth2?|auth0|okta|keycloak|cas|magic-?link|magiclogin|passwordless|ldapauth|wsfed-saml2)$/i;

function passportGuard(args: Value[]): { auth: Verdict; reason: string } {
  const s = args[0] ? force(args[0]) : undefined;
  if (!s || s.kind === 'undef') return { auth: 'required', reason: "AuthGuard() from '@nestjs/passport' (the default strategy) rejects requests without valid credentials" };
  const names = s.kind === 'arr' ? s.items.map((x) => asString(force(x)) ?? '?') : [asString(s) ?? '?'];
  if (names.includes('anonymous')) return { auth: 'optional', reason: `AuthGuard(${names.join(', ')}) lets anonymous requests through` };
  if (names.every((n) => LOGIN_STRATEGIES.test(n))) return { auth: 'none', reason: `AuthGuard('${names.join("', '")}') is a sign-in flow, open to anonymous callers` };
  return { auth: 'required', reason: `AuthGuard('${names.join("', '")}') from '@nestjs/passport' rejects requests without valid credentials` };
}

/** Guards and libraries of the Nest ecosystem. */
export const NEST_AUTH_LIBS: KnownLib[] = [
  { module: '@nestjs/passport', chain: /^\.AuthGuard(\(\))?/, decide: (args) => passportGuard(args) },
  { module: '@nestjs/throttler', chain: /^/, decide: () => ({ auth: 'neutral', reason: '@nestjs/throttler limits request rates, it does not authenticate' }) },
  { module: 'nest-keycloak-connect', chain: /^\.(AuthGuard|ResourceGuard|RoleGuard)\b/, decide: () => ({ auth: 'required', reason: 'nest-keycloak-connect guard requires a Keycloak token' }) },
];

const CRED = /authori[sz]ation|bearer|\btoken\b|[a-z]Token\b|\bjwt\b|\.user\b|\buser\b|\bsession\b|\.session\b|api[-_]?key|x-api-key|isAuthenticated|credential|currentUser/i;
const REJECT = /Unauthori[sz]ed|Forbidden|\b40[13]\b|HttpStatus\.(UNAUTHORIZED|FORBIDDEN)|Authentication(Error|Exception)|AccessDenied|PermissionDenied|return\s+false\b/;

const methodNamed = (cls: ClassV, name: string): t.ClassMethod | undefined =>
  cls.node.body.body.find((m): m is t.ClassMethod => m.type === 'ClassMethod' && !m.static && m.key.type === 'Identifier' && m.key.name === name);

const src = (cls: ClassV, n: t.Node) => (n.start != null && n.end != null ? cls.mod.text.slice(n.start, n.end) : '');

export class GuardReader {
  private readonly cache = new Map<t.Node, GuardDecision>();
  constructor(
    private readonly it: Interpreter,
    private readonly classifier: AuthClassifier,
  ) {}

  decide(v: Value, text: string, depth = 0): GuardDecision {
    const f = force(v);
    if (f.kind === 'obj' && f.cls) return this.decideClass(f.cls, depth);
    if (f.kind === 'class') return this.decideClass(f, depth);
    const d = this.classifier.classify(f, text);
    return { auth: d.auth, reason: d.reason, exemptions: [] };
  }

  private decideClass(cls: ClassV, depth: number): GuardDecision {
    const hit = this.cache.get(cls.node);
    if (hit) return hit;
    const d = this.readClass(cls, depth);
    this.cache.set(cls.node, d);
    return d;
  }

  private readClass(cls: ClassV, depth: number): GuardDecision {
    const name = cls.name ?? 'guard';
    const sup = cls.superV && depth < 6 ? this.decide(cls.superV, cls.superV.kind === 'ext' ? cls.superV.text : 'superclass', depth + 1) : undefined;
    const can = methodNamed(cls, 'canActivate');
    const handle = methodNamed(cls, 'handleRequest');
    // the class minus its constructor: helpers called by canActivate are part of the check
    const body = cls.node.body.body
      .filter((m) => !(m.type === 'ClassMethod' && m.kind === 'constructor'))
      .map((m) => src(cls, m))
      .join('\n');
    const exemptions = can ? this.exemptionsOf(cls, can) : [];
    // passport's handleRequest(err, user) throws when there is no user; an override that returns the user anyway
    // makes the guard optional
    const adjust = (d: { auth: Verdict; reason: string }): { auth: Verdict; reason: string } => {
      if (!handle || d.auth !== 'required') return d;
      const h = src(cls, handle);
      if (/\bthrow\b/.test(h)) return d;
      return { auth: 'optional', reason: `${name} overrides handleRequest() and lets requests without a user through` };
    };
    let base: { auth: Verdict; reason: string };
    if (can) {
      const canText = src(cls, can);
      const callsSuper = /\bsuper\s*\.\s*canActivate\s*\(/.test(canText);
      const creds = CRED.test(body);
      const decides = REJECT.test(body) || returnsComputed(can);
      if (callsSuper && sup && sup.auth !== 'neutral') base = adjust({ auth: sup.auth, reason: `${name} extends ${sup.reason}` });
      else if (creds && decides) base = { auth: 'required', reason: `${name}.canActivate reads credentials and rejects the request (throws 401/403 or returns false) without them` };
      else if (creds) base = { auth: 'optional', reason: `${name}.canActivate reads credentials but lets requests without them through` };
      else if (sup && sup.auth !== 'neutral' && !/\breturn\s+true\b/.test(canText)) base = adjust({ auth: sup.auth, reason: `${name} extends ${sup.reason}` });
      else base = { auth: 'neutral', reason: `${name}.canActivate does not check credentials` };
    } else if (sup) base = adjust({ auth: sup.auth, reason: sup.auth === 'neutral' ? sup.reason : `${name} extends ${sup.reason}` });
    else base = { auth: 'neutral', reason: `${name} has no canActivate the scan can read` };
    return { ...base, exemptions: [...exemptions, ...(sup && callsSuperOrInherits(can, cls) ? sup.exemptions : [])] };
  }

  /**
   * `const isPublic = this.reflector.getAllAndOverride(IS_PUBLIC_KEY, [ctx.getHandler(), ctx.getClass()]);
   * if (isPublic) return true;` → present-style; `if (!roles) return true;` → absent-style.
   */
  private exemptionsOf(cls: ClassV, can: t.ClassMethod): Exemption[] {
    const reads = new Map<string, Exemption>();
    const readOf = (n: t.Node | null | undefined): Omit<Exemption, 'when'> | undefined => {
      let e = n;
      while (e && (e.type === 'AwaitExpression' || e.type === 'TSAsExpression' || e.type === 'TSNonNullExpression' || e.type === 'ParenthesizedExpression')) e = (e as { argument?: t.Node; expression?: t.Node }).argument ?? (e as { expression: t.Node }).expression;
      if (!e) return undefined;
      if (e.type === 'Identifier') {
        const r = reads.get(e.name);
        return r ? { key: r.key, keyText: r.keyText, on: r.on } : undefined;
      }
      if (e.type !== 'CallExpression' || e.callee.type !== 'MemberExpression' || e.callee.property.type !== 'Identifier') return undefined;
      if (!/^(get|getAllAndOverride|getAllAndMerge)$/.test(e.callee.property.name)) return undefined;
      if (!/reflector/i.test(src(cls, e.callee.object))) return undefined;
      const keyNode = e.arguments[0];
      if (!keyNode || keyNode.type === 'SpreadElement' || keyNode.type === 'ArgumentPlaceholder') return undefined;
      const key = metaKeyOf(this.it.evalExpr(keyNode, cls.env, cls.mod));
      if (!key) return undefined;
      const targets = e.arguments[1] ? src(cls, e.arguments[1]) : '';
      const on = /getHandler/.test(targets) && /getClass/.test(targets) ? 'both' : /getClass/.test(targets) ? 'class' : 'handler';
      return { key, keyText: src(cls, keyNode), on };
    };
    const out: Exemption[] = [];
    walkNodes(can.body, (n) => {
      if (n !== can.body && isFunctionNode(n)) return 'skip';
      if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier') {
        const r = readOf(n.init);
        if (r) reads.set(n.id.name, { ...r, when: 'present' });
      }
      if (n.type === 'IfStatement' && returnsTrue(n.consequent)) {
        for (const { node, negated } of disjuncts(n.test)) {
          const r = readOf(node);
          if (r) out.push({ ...r, when: negated ? 'absent' : 'present' });
        }
      }
      if (n.type === 'ReturnStatement' && n.argument?.type === 'LogicalExpression' && n.argument.operator === '||') {
        const r = readOf(n.argument.left);
        if (r) out.push({ ...r, when: 'present' });
      }
      return false;
    });
    return out;
  }
}

function callsSuperOrInherits(can: t.ClassMethod | undefined, cls: ClassV): boolean {
  return !can || /\bsuper\s*\.\s*canActivate\s*\(/.test(src(cls, can));
}

/** `a || !b || c.length === 0`: the operands, with their negation. */
function disjuncts(test: t.Node): Array<{ node: t.Node; negated: boolean }> {
  if (test.type === 'LogicalExpression' && test.operator === '||') return [...disjuncts(test.left), ...disjuncts(test.right)];
  if (test.type === 'UnaryExpression' && test.operator === '!') return [{ node: test.argument, negated: true }];
  return [{ node: test, negated: false }];
}

function returnsTrue(n: t.Node): boolean {
  if (n.type === 'ReturnStatement') return n.argument?.type === 'BooleanLiteral' && n.argument.value;
  if (n.type === 'BlockStatement') return n.body.some(returnsTrue);
  return false;
}

/** Does canActivate return something computed (`return roles.some(...)`, `return !!user`), not only `true`? */
function returnsComputed(can: t.ClassMethod): boolean {
  let found = false;
  walkNodes(can.body, (n) => {
    if (n !== can.body && isFunctionNode(n)) return 'skip';
    if (n.type === 'ReturnStatement' && n.argument && n.argument.type !== 'BooleanLiteral') {
      found = true;
      return true;
    }
    return false;
  });
  return found;
}
