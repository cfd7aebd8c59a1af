/**
 * Regular expressions taken from the scanned code (unless() paths, Next.js matchers, regular-expression routes,
 * `.replace(/re/, ...)`, autoload filters) are data from a possibly hostile repository: V8's backtracking engine can
 * take exponential time on them (`/^\/(a+)+$/` against `/aaaa…a!`). Every such expression is compiled and run here:
 *
 * - with RE2 (the pure-JS port `re2js`): linear in the input, whatever the pattern;
 * - what RE2 cannot express (look-ahead, back-references) runs on V8 only when its shape cannot backtrack
 *   badly (no repeated group holding a repetition or an alternation, at most two long repetitions) and on inputs of
 *   bounded length;
 * - anything else is not run: the answer is `undefined` ("cannot tell"), never a guess, and a warning names the file
 *   and line of the expression. A scan-wide work budget bounds the total (many expressions times many paths).
 *
 * The notifications go to the scan in progress (an async-local scope that `scan()` opens); outside a scan they are
 * dropped and the work is unbounded but still linear or shape-checked.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { RE2JS } from 're2js';
import type { Notification } from '../model.js';
import { plain } from '../report/escape.js';

/** Where an expression comes from, for the warning when it cannot be run. */
export interface RegexSite {
  file?: string;
  line?: number;
  /** What the expression is for: `an unless() path`, `a Next.js matcher`, ... */
  what: string;
}

/** Patterns longer than this are not compiled (route expressions are short; a huge one is generated or hostile). */
export const MAX_PATTERN_CHARS = 2000;
/** Inputs longer than this are not given to a pattern that must run on the backtracking engine. */
export const MAX_NATIVE_INPUT = 256;
/** Steps one backtracking run may take at most, by the pattern's shape: (input length + 1) ^ degree. */
export const MAX_NATIVE_STEPS = 50_000_000;
/** RE2 programs larger than this (instructions) are not run (`(x{1000}){1000}`-like blow-ups). */
export const MAX_PROGRAM = 20_000;
/** Scan-wide work budget: the sum over every test of (input length + 1) × program size (or input length² for V8). */
export const REGEX_WORK_BUDGET = 400_000_000;
/** Results kept per expression (the same path is often tested by many routes). */
const RESULT_CACHE = 2048;

interface Scope {
  notify: (n: Notification) => void;
  reported: Set<string>;
  work: number;
  budget: number;
  exhausted: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();

/** Runs `fn` (a scan) with its own regex work budget; warnings about expressions go to `notify`. */
export function withRegexScope<T>(notify: (n: Notification) => void, fn: () => T, budget = REGEX_WORK_BUDGET): T {
  return scopes.run({ notify, reported: new Set(), work: 0, budget, exhausted: false }, fn);
}

/** Has this scan's regex work budget run out (every further test answers undefined)? Lets callers stop asking. */
export function regexBudgetExhausted(): boolean {
  return scopes.getStore()?.exhausted === true;
}

type Engine =
  | { kind: 're2'; re: RE2JS; size: number }
  | { kind: 'native'; re: RegExp; degree: number }
  | { kind: 'refused'; why: string };

/** Compiled engines, shared by every site using the same pattern and flags. */
const engines = new Map<string, Engine>();

/**
 * A regular expression from scanned code, run safely. `test` and `replace` answer `undefined` when they cannot
 * decide (the expression or the input was refused, or the budget ran out); the site's warning is then emitted once.
 */
export class SafeRegex {
  private readonly results = new Map<string, boolean>();
  /** A literal every match starts the text with (`^\/open\/` of `/^\/open\/r1(\/.*)?$/`): a cheap exact pre-test. */
  private readonly prefix: string;

  private constructor(
    readonly source: string,
    readonly flags: string,
    readonly site: RegexSite,
    private readonly engine: Engine,
  ) {
    this.prefix = engine.kind === 'refused' ? '' : anchoredPrefix(source, flags);
  }

  /**
   * Compiles `source` with `flags` as JavaScript would; undefined when JavaScript itself rejects it (an invalid
   * expression decides nothing; callers treat it as they treated a failed `new RegExp`).
   */
  static compile(source: string, flags: string, site: RegexSite): SafeRegex | undefined {
    if (source.length > MAX_PATTERN_CHARS) return new SafeRegex(source, flags, site, { kind: 'refused', why: `it is ${source.length.toLocaleString('en')} characters long (limit ${MAX_PATTERN_CHARS.toLocaleString('en')})` });
    const key = `${flags}/${source}`;
    let engine = engines.get(key);
    if (!engine) {
      try {
        new RegExp(source, flags); // eslint-disable-line no-new -- validity as JavaScript sees it; parsing is linear
      } catch {
        return undefined;
      }
      engine = makeEngine(source, flags);
      if (engines.size > 10_000) engines.clear();
      engines.set(key, engine);
    }
    return new SafeRegex(source, flags, site, engine);
  }

  /** Does the expression match somewhere in `s` (as `RegExp.prototype.test` from index 0)? */
  test(s: string): boolean | undefined {
    // many expressions against many paths (hundreds of unless() paths, thousands of routes): most differ in the
    // first characters, decided without running anything
    if (this.prefix && !s.startsWith(this.prefix)) return false;
    const hit = this.results.get(s);
    if (hit !== undefined) return hit;
    const e = this.engine;
    if (e.kind === 'refused') return this.cannot(e.why);
    let r: boolean;
    if (e.kind === 're2') {
      if (!this.spend((s.length + 1) * e.size)) return undefined;
      r = e.re.matcher(s).find();
    } else {
      if (s.length > MAX_NATIVE_INPUT) return this.cannot(`it needs the backtracking engine and the text is ${s.length.toLocaleString('en')} characters long (limit ${MAX_NATIVE_INPUT})`);
      if (!this.spendNative(s, e.degree)) return undefined;
      e.re.lastIndex = 0;
      r = e.re.test(s);
    }
    if (this.results.size >= RESULT_CACHE) this.results.clear();
    this.results.set(s, r);
    return r;
  }

  /** `s.replace(re, replacement)` with JavaScript's `$` patterns (all matches with the `g` flag), or undefined. */
  replace(s: string, replacement: string): string | undefined {
    const e = this.engine;
    if (e.kind === 'refused') return this.cannot(e.why);
    const global = this.flags.includes('g');
    if (e.kind === 'native') {
      if (s.length > MAX_NATIVE_INPUT) return this.cannot(`it needs the backtracking engine and the text is ${s.length.toLocaleString('en')} characters long (limit ${MAX_NATIVE_INPUT})`);
      if (!this.spendNative(s, e.degree)) return undefined;
      return s.replace(global ? new RegExp(e.re.source, `${e.re.flags}g`) : e.re, replacement);
    }
    if (!this.spend((s.length + 1) * e.size * (global ? 2 : 1))) return undefined;
    const m = e.re.matcher(s);
    const names = e.re.namedGroups();
    let out = '';
    let last = 0;
    while (m.find()) {
      const start = m.start();
      const end = m.end();
      const groups: Array<string | undefined> = [];
      for (let g = 0; g <= m.groupCount(); g++) groups.push(m.group(g) ?? undefined);
      out += s.slice(last, start) + expand(replacement, groups, names, s, start, end);
      last = end;
      if (!global) break;
    }
    return out + s.slice(last);
  }

  /**
   * A backtracking run costs at most (length + 1) to the power of the pattern's degree: too much for one input is
   * undecided (and named), else it is charged to the budget.
   */
  private spendNative(s: string, degree: number): boolean {
    const units = (s.length + 1) ** degree;
    if (units > MAX_NATIVE_STEPS) {
      this.cannot(`it needs the backtracking engine, has ${degree} long repetitions and the text is ${s.length.toLocaleString('en')} characters long (up to ${units.toExponential(1)} steps, limit ${MAX_NATIVE_STEPS.toExponential(0)})`);
      return false;
    }
    return this.spend(units);
  }

  private spend(units: number): boolean {
    const scope = scopes.getStore();
    if (!scope) return true;
    if (!scope.exhausted && scope.work + units <= scope.budget) {
      scope.work += units;
      return true;
    }
    if (!scope.exhausted) {
      scope.exhausted = true;
      const at = where(this.site);
      scope.notify({
        level: 'warning',
        code: 'regex-budget',
        message: `${at ? `${at}: ` : ''}the work budget for regular expressions from the code (${scope.budget.toLocaleString('en')} steps) ran out at ${shown(this.source, this.flags)} (${this.site.what}); this and later regular-expression tests were left undecided.`,
        ...(this.site.file !== undefined ? { file: this.site.file } : {}),
        ...(this.site.line !== undefined ? { line: this.site.line } : {}),
      });
    }
    return false;
  }

  private cannot(why: string): undefined {
    const scope = scopes.getStore();
    if (!scope) return undefined;
    const key = `${this.site.file ?? ''}:${this.site.line ?? ''}:${this.flags}/${this.source}:${why}`;
    if (scope.reported.has(key)) return undefined;
    scope.reported.add(key);
    const at = where(this.site);
    scope.notify({
      level: 'warning',
      code: 'regex-unsafe',
      message: `${at ? `${at}: ` : ''}the regular expression ${shown(this.source, this.flags)} (${this.site.what}) was not run: ${why}; what it decides was left unknown.`,
      ...(this.site.file !== undefined ? { file: this.site.file } : {}),
      ...(this.site.line !== undefined ? { line: this.site.line } : {}),
    });
    return undefined;
  }
}

/** Escapes text for use as a literal inside a regular expression (`new RegExp(`\\b${escapeRegex(name)}\\b`)`). */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function where(site: RegexSite): string {
  return site.file !== undefined ? `${site.file}${site.line !== undefined ? `:${site.line}` : ''}` : '';
}

/** `/pattern/flags`, shortened, control characters shown as escapes (the text reaches logs and reports). */
function shown(source: string, flags: string): string {
  return `/${plain(source.length > 80 ? `${source.slice(0, 77)}...` : source)}/${flags}`;
}

/**
 * The literal text every match of a `^`-anchored expression starts the input with, or ''. Only plain characters
 * and escaped punctuation count, a character followed by a quantifier does not, and an alternation anywhere at
 * the top level (`^a|b`) or the `i`/`m` flags give ''.
 */
export function anchoredPrefix(source: string, flags: string): string {
  if (!source.startsWith('^') || /[im]/.test(flags)) return '';
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return '';
  }
  let out = '';
  for (let i = 1; i < source.length; ) {
    const c = source[i]!;
    let lit: string | undefined;
    let len = 1;
    if (c === '\\') {
      const n = source[i + 1];
      if (n !== undefined && /[\/.\-^$*+?()[\]{}|\\]/.test(n)) lit = n;
      len = 2;
    } else if (!/[.*+?()[\]{}|^$]/.test(c)) lit = c;
    if (lit === undefined) break;
    const next = source[i + len];
    if (next === '?' || next === '*' || next === '{') break;
    if (next === '+') {
      out += lit;
      break;
    }
    out += lit;
    i += len;
  }
  return out;
}

/** JavaScript's white space and line terminators, which RE2 reads more narrowly (ASCII `\s`; `.` stops only at `\n`). */
const JS_SPACE = '\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
const JS_LINE_END = '\n\r\u2028\u2029';

/**
 * The pattern with JavaScript's meaning of `\s`, `\S` and `.` spelled out for RE2: `\s` is every white space
 * JavaScript knows (not ASCII only) and `.` stops at every line terminator unless the `s` flag is set. Inside a
 * character class `\s` is spelled out too (`\S` there is left as RE2 reads it).
 */
export function withJsClasses(source: string, dotAll: boolean): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const e = source[i + 1]!;
      i++;
      if (e === 's') out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (e === 'S' && !inClass) out += `[^${JS_SPACE}]`;
      else out += c + e;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // a `]` right after `[` or `[^` is a literal in JavaScript too
      if (source[i + 1] === '^') out += source[++i];
      continue;
    }
    out += c === '.' && !dotAll ? `[^${JS_LINE_END}]` : c;
  }
  return out;
}

function makeEngine(source: string, flags: string): Engine {
  let re2Flags = 0;
  if (flags.includes('i')) re2Flags |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('s')) re2Flags |= RE2JS.DOTALL;
  if (flags.includes('m')) re2Flags |= RE2JS.MULTILINE;
  try {
    const re = RE2JS.compile(RE2JS.translateRegExp(withJsClasses(source, flags.includes('s'))), re2Flags);
    const size = re.programSize();
    if (size > MAX_PROGRAM) return { kind: 'refused', why: `it compiles to ${size.toLocaleString('en')} instructions (limit ${MAX_PROGRAM.toLocaleString('en')})` };
    return { kind: 're2', re, size: Math.max(1, size) };
  } catch {
    /* look-around or back-reference: RE2 cannot express it */
  }
  const shape = backtrackingShape(source);
  if (typeof shape === 'string') return { kind: 'refused', why: `it uses what the linear-time engine lacks (look-around or back-reference) and ${shape}, so backtracking could take exponential time` };
  return { kind: 'native', re: new RegExp(source, flags.replace(/[gy]/g, '')), degree: Math.max(2, shape) };
}

/**
 * How running `source` on a backtracking engine can grow with the input: why it could take exponential time (a
 * repeated group that itself holds a repetition or an alternation: `(a+)+`, `(a|a)*`), or else the number of long
 * repetitions, the degree of the polynomial that bounds its steps (`\d*\d*\d*`: cubic), which the work budget is
 * charged for each input. Conservative: a safe pattern may be refused.
 */
export function backtrackingShape(source: string): string | number {
  const stack: Array<{ inner: boolean }> = [{ inner: false }];
  let last: 'none' | 'atom' | 'group' = 'none';
  let lastInner = false;
  let long = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      last = 'atom';
      continue;
    }
    if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      last = 'atom';
      continue;
    }
    if (c === '(') {
      stack.push({ inner: false });
      const m = /^\(\?(?:<[=!]|[:=!]|<[^>]*>)?/.exec(source.slice(i, i + 300));
      if (m && m[0].length > 1) i += m[0].length - 1;
      last = 'none';
      continue;
    }
    if (c === ')') {
      const g = stack.length > 1 ? stack.pop()! : stack[0]!;
      if (g.inner) stack[stack.length - 1]!.inner = true;
      last = 'group';
      lastInner = g.inner;
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1]!.inner = true;
      last = 'none';
      continue;
    }
    let max: number | undefined;
    let len = 1;
    if (c === '*' || c === '+') max = Infinity;
    else if (c === '?') max = 1;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 40));
      if (m) {
        max = m[2] === undefined ? Number(m[1]) : m[3] ? Number(m[3]) : Infinity;
        len = m[0].length;
      }
    }
    if (max === undefined) {
      last = 'atom';
      continue;
    }
    i += len - 1;
    if (source[i + 1] === '?') i++;
    if (max > 1) {
      if (last === 'group' && lastInner) return 'a repeated group holds a repetition or an alternation';
      stack[stack.length - 1]!.inner = true;
      if (max > 16) long++;
    }
    last = 'none';
  }
  return long;
}

/** Why a pattern could take exponential time on a backtracking engine, or undefined (see {@link backtrackingShape}). */
export function backtrackingRisk(source: string): string | undefined {
  const shape = backtrackingShape(source);
  return typeof shape === 'string' ? shape : undefined;
}

/** JavaScript's GetSubstitution: `$$`, `$&`, `` $` ``, `$'`, `$1`..`$99`, `$<name>`. */
function expand(rep: string, groups: Array<string | undefined>, names: Record<string, number>, s: string, start: number, end: number): string {
  if (!rep.includes('$')) return rep;
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c !== '$' || i + 1 >= rep.length) {
      out += c;
      continue;
    }
    const n = rep[i + 1]!;
    if (n === '$') {
      out += '$';
      i++;
    } else if (n === '&') {
      out += groups[0] ?? '';
      i++;
    } else if (n === '`') {
      out += s.slice(0, start);
      i++;
    } else if (n === "'") {
      out += s.slice(end);
      i++;
    } else if (n >= '0' && n <= '9') {
      const two = rep.slice(i + 1, i + 3);
      const k2 = /^\d\d$/.test(two) ? Number(two) : NaN;
      const k1 = Number(n);
      if (k2 >= 1 && k2 < groups.length) {
        out += groups[k2] ?? '';
        i += 2;
      } else if (k1 >= 1 && k1 < groups.length) {
        out += groups[k1] ?? '';
        i++;
      } else out += c;
    } else if (n === '<' && Object.keys(names).length) {
      const close = rep.indexOf('>', i + 2);
      if (close < 0) out += c;
      else {
        const name = rep.slice(i + 2, close);
        const idx = Object.hasOwn(names, name) ? names[name] : undefined;
        out += idx !== undefined ? (groups[idx] ?? '') : '';
        i = close;
      }
    } else out += c;
  }
  return out;
}
