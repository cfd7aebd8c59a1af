import { combine, unlessExempts, type AuthClassifier, type AuthDecision, type Verdict } from '../../auth/classify.js';
import type { AuthEvidence, AuthState, CodeEndpoint, HttpMethod, Notification } from '../../model.js';
import type * as t from '@babel/types';
import type { CallContext } from '../../resolve/interpreter.js';
import { force, type FnV, type Loc, type Value } from '../../resolve/values.js';

/** A middleware, guard, hook or handler as the code writes it. */
export interface ChainItem {
  value: Value;
  text: string;
  loc: { file: string; line: number };
}

/**
 * What runs in front of one endpoint's handler, in order: the names of the middleware, the auth verdicts and the
 * evidence behind them. Shared by the framework plugins, which decide what is in front; this decides what it means.
 */
export class AuthChain {
  readonly middleware: string[] = [];
  readonly evidence: AuthEvidence[] = [];
  private readonly verdicts: Verdict[] = [];

  constructor(
    private readonly path: string,
    private readonly method: HttpMethod,
  ) {}

  /** A middleware with its decision; `unless()` exemptions of this path and method are honoured. */
  add(item: Pick<ChainItem, 'text' | 'loc'>, d: AuthDecision): void {
    this.middleware.push(item.text);
    if (d.auth === 'neutral') return;
    const exempt = unlessExempts(d.unless, this.path, this.method);
    if (exempt) {
      this.exempt(item, `${d.reason}, but its unless() exempts this path`);
      return;
    }
    if (exempt === undefined) {
      // neither protected nor exempt can be claimed: the unless() expression was not run (see the regex warning)
      this.record('middleware', item, 'unknown', `${d.reason}, but whether its unless() exempts this path could not be decided (a regular expression not run safely)`);
      return;
    }
    this.record('middleware', item, d.auth, d.reason);
  }

  /** A middleware that would check credentials but lets this endpoint through (an exemption the plugin found). */
  exempt(item: Pick<ChainItem, 'text' | 'loc'>, reason: string): void {
    this.evidence.push({ kind: 'middleware', name: item.text, auth: 'none', reason, file: item.loc.file, line: item.loc.line });
  }

  record(kind: AuthEvidence['kind'], item: Pick<ChainItem, 'text' | 'loc'>, auth: AuthState, reason: string, name = item.text): void {
    this.verdicts.push(auth);
    this.evidence.push({ kind, name, auth, reason, file: item.loc.file, line: item.loc.line });
  }

  get required(): boolean {
    return this.verdicts.includes('required');
  }

  get auth(): AuthState {
    return combine(this.verdicts);
  }

  /**
   * The handler's own check, looked at only when nothing in front already requires auth: a function answering
   * 401/403 without credentials (`ownCheck`, the framework's way of reading one, defaults to the shared one); a value
   * from a package or one the scan cannot see counts when the classifier says required or unknown.
   */
  handler(final: ChainItem | undefined, cl: AuthClassifier, ownCheck?: (fn: FnV) => AuthDecision | undefined): void {
    if (!final || this.required) return;
    const fv = force(final.value);
    if (fv.kind === 'fn') {
      const d = ownCheck ? ownCheck(fv) : cl.classifyFn(fv, true);
      if (d?.auth === 'required') this.record('handler', final, 'required', d.reason, final.text.length > 60 ? 'handler' : final.text);
    } else if (fv.kind === 'ext' || fv.kind === 'unknown') {
      const d = cl.classify(fv, final.text, 'handler');
      if (d.auth === 'none') this.evidence.push({ kind: 'handler', name: final.text, auth: 'none', reason: d.reason, file: final.loc.file, line: final.loc.line });
      if (d.auth === 'required' || d.auth === 'unknown') this.record('handler', final, d.auth, d.reason);
    }
  }
}

/**
 * A registration seen both through the real app and through a stand-in for a parameter of a function no visible
 * code calls (its endpoints carry `marker` in their notes): the real one wins.
 */
export function preferRealRegistrations(endpoints: CodeEndpoint[], marker: string): CodeEndpoint[] {
  const isStandIn = (e: CodeEndpoint) => e.notes.some((n) => n.includes(marker));
  const key = (e: CodeEndpoint) => `${e.method} ${e.location.file}:${e.location.line}`;
  const real = new Set(endpoints.filter((e) => !isStandIn(e)).map(key));
  return endpoints.filter((e) => !isStandIn(e) || !real.has(key(e)));
}

/** The note on endpoints found through a stand-in for a parameter of a function no visible code calls. */
export const STAND_IN = 'the function that registers these routes is not called by code the scan can see';

/** A value's own name, for middleware that reaches a registration through arrays and parameters. */
export function nameOf(v: Value): string | undefined {
  switch (v.kind) {
    case 'fn':
      return v.name;
    case 'ext':
    case 'unknown':
      return v.text;
    default:
      return undefined;
  }
}

/** Lists of handlers nested deeper than this are taken as one value the scan cannot see into. */
const MAX_LIST_DEPTH = 32;

/**
 * The middleware and handlers an argument list flattens to (arrays included), each named as the code writes it
 * (an inline function by where it is). With `keepLazy`, a handler written as `Controller.method` or an imported name
 * stays unread until something needs it.
 */
export function flattenHandlers(args: Value[], ctx: CallContext, from: number, keepLazy = false): Array<ChainItem & { loc: Loc }> {
  const out: Array<ChainItem & { loc: Loc }> = [];
  const push = (v: Value, node: t.Node | undefined, fallback: string, depth = 0) => {
    const f = keepLazy && v.kind === 'lazy' && (node?.type === 'MemberExpression' || node?.type === 'Identifier') ? v : force(v);
    if (f.kind === 'arr' && depth <= MAX_LIST_DEPTH) {
      const elNodes = node && node.type === 'ArrayExpression' ? node.elements : undefined;
      f.items.forEach((item, i) => push(item, elNodes?.[i] ?? undefined, `${fallback}[${i}]`, depth + 1));
      return;
    }
    const written = node && node.type !== 'SpreadElement' ? ctx.it.text(node, ctx.mod) : undefined;
    const at = node ? ctx.it.loc(node, ctx.mod) : ctx.loc;
    out.push({
      value: f,
      text: written && written.length <= 80 && !written.includes('\n') && !/^(async\s*)?(\(|function\b|\w+\s*=>)/.test(written) ? written : nameOf(f) ?? `${written ? 'inline function' : fallback} at ${at.file}:${at.line}`,
      loc: at,
    });
  };
  for (let i = from; i < args.length; i++) push(args[i]!, ctx.argNodes[i], `argument ${i + 1}`);
  return out;
}

/**
 * Turns one registration (a route, a use(), a mount) into endpoints; a failure there (hostile code the walk does not
 * expect, the stack running out) is an error naming that registration, and the walk goes on with the next one, so
 * that it never empties a whole framework's result.
 */
export function localFailure(notify: (n: Notification) => void, loc: { file: string; line: number }, what: string, run: () => void): void {
  try {
    run();
  } catch (err) {
    const why = err instanceof RangeError ? 'nested too deep: the analysis ran out of stack' : `${(err as Error)?.message ?? String(err)}`.split('\n')[0]!.slice(0, 200);
    notify({ level: 'error', code: 'analysis-failed', message: `${loc.file}:${loc.line}: ${what} could not be analysed (${why}); what it registers is missing from the report.`, file: loc.file, line: loc.line });
  }
}

/**
 * Mounts nested deeper than this are not followed: no real application comes near (a handful of levels), and a
 * generated chain of thousands would exhaust the stack. What lies below is reported, once per mount site.
 */
export const MAX_MOUNT_DEPTH = 100;

/** The `mount-too-deep` warning for a mount the walk does not follow (at most once per site and scan). */
export function mountTooDeep(notify: (n: Notification) => void, loc: { file: string; line: number }, reported: Set<string>): void {
  const key = `${loc.file}:${loc.line}`;
  if (reported.has(key)) return;
  reported.add(key);
  notify({ level: 'warning', code: 'mount-too-deep', message: `${key}: mounts are nested more than ${MAX_MOUNT_DEPTH} deep here; what is mounted below this point is not followed and its routes are missing from the report.`, file: loc.file, line: loc.line });
}

/**
 * Visits `start` and everything mounted below it, once each, until `visit` returns true; iterative, so any depth is
 * fine. Returns whether a visit returned true.
 */
export function someBelow<T>(start: T, mounted: (n: T) => Iterable<T>, visit: (n: T) => boolean | void): boolean {
  const seen = new Set<T>([start]);
  const todo = [start];
  while (todo.length) {
    const n = todo.pop()!;
    if (visit(n) === true) return true;
    for (const m of mounted(n)) {
      if (seen.has(m)) continue;
      seen.add(m);
      todo.push(m);
    }
  }
  return false;
}
