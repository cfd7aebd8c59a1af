import type { HttpMethod } from '../../model.js';
import { escapeRegex } from '../../resolve/safe-regex.js';
import { parseTemplate, type Segment } from '../../resolve/paths.js';
import { SafeRegex } from '../../resolve/safe-regex.js';

/** An endpoint the traffic is matched against: a code endpoint or a spec operation, as the inventory knows it. */
export interface KnownEndpoint {
  id: string;
  method: HttpMethod;
  /** OpenAPI-style template; may contain `{?}` holes and `{name*}` wildcards (`{name*?}`: zero segments allowed). */
  path: string;
  source: 'code' | 'spec';
}

/** Per endpoint id, per parameter name: what a value must look like (e.g. Express `:id(\\d+)`). */
export type ParamConstraints = Record<string, Record<string, RegExp | string>>;

/**
 * Matching rules:
 * - method: equal, or the endpoint's method is `ALL`; a `HEAD` request also matches a `GET` endpoint (frameworks answer
 *   HEAD with the GET handler), at the lowest method priority;
 * - `{param}`: exactly one non-empty segment (and its constraint, when one is given);
 * - `{name*}` / `{*}`: one or more segments; `{name*?}` / `{*?}`: zero or more;
 * - `{?}` (a part the scanner could not resolve) as a whole segment: one or more segments; inside a segment
 *   (`v{?}`): anything within that segment;
 * - literal segments: equal, case-sensitive;
 * - a template without any literal part (`/{*}`, `/{?}`, `/{slug}`, a 404 handler, an SPA fallback) is never matched:
 *   it would swallow all unknown traffic (the same choice as the inventory: such a path documents nothing). `/` is a
 *   literal path.
 *
 * Specificity, when several endpoints match (first difference wins):
 *   1. more fully literal segments;  2. more mixed segments (`{name}.json`);  3. fewer wildcards;  4. fewer holes;
 *   5. left to right, the more specific segment kind (literal > mixed > param > hole > wildcard);
 *   6. method: equal > `ALL` > GET-for-HEAD;  7. code over spec;  8. the order endpoints were given.
 */
type SegM =
  | { k: 'lit'; v: string }
  | { k: 'param'; re?: RegExp }
  | { k: 're'; re: { test(s: string): boolean | undefined } }
  | { k: 'wild'; min: 0 | 1 }
  | { k: 'hole' };

const KIND_RANK = { lit: 4, re: 3, param: 2, hole: 1, wild: 0 } as const;

interface Compiled {
  ep: KnownEndpoint;
  segs: SegM[];
  flexible: boolean;
  /** Least number of request segments it can match. */
  minSegs: number;
  /** Path specificity, compared lexicographically, larger is more specific. */
  score: number[];
  order: number;
}

interface Bucket {
  fixedByFirst: Map<string, Compiled[]>;
  fixedOther: Map<number, Compiled[]>;
  flexByFirst: Map<string, Compiled[]>;
  flexOther: Compiled[];
}


function toRe(c: RegExp | string): RegExp {
  if (typeof c !== 'string') return new RegExp(`^(?:${c.source})$`, c.flags.replace(/[gy]/g, ''));
  return new RegExp(`^(?:${c})$`);
}

function compileSegment(seg: Segment, constraints: Record<string, RegExp | string> | undefined, template: string): SegM {
  if (seg.length === 1) {
    const pc = seg[0]!;
    if ('lit' in pc) return { k: 'lit', v: pc.lit };
    if ('hole' in pc) return { k: 'hole' };
    if ('wild' in pc) return { k: 'wild', min: 1 };
    // parseTemplate reads `{name*?}` as a parameter named `name*?`: an optional wildcard
    if (pc.param.endsWith('*?')) return { k: 'wild', min: 0 };
    const c = constraints?.[pc.param];
    return c !== undefined ? { k: 'param', re: toRe(c) } : { k: 'param' };
  }
  let src = '';
  for (const pc of seg) {
    if ('lit' in pc) src += escapeRegex(pc.lit);
    else if ('param' in pc) src += constraints?.[pc.param] !== undefined ? `(?:${toRe(constraints[pc.param]!).source.slice(1, -1)})` : '.+?';
    else if ('wild' in pc) src += '.+';
    else src += '.*';
  }
  // many variable pieces in one segment (`{a}{b}{c}-x`, from a spec or code) backtrack polynomially on a long
  // request segment: those run in linear time (undefined, not run, is no match; a warning says so)
  if (seg.filter((pc) => !('lit' in pc)).length > 2) {
    const re = SafeRegex.compile(`^${src}$`, '', { what: `the segment of path template ${template.length > 80 ? `${template.slice(0, 77)}...` : template} matched against traffic` });
    if (re) return { k: 're', re };
  }
  return { k: 're', re: new RegExp(`^${src}$`) };
}

function compile(ep: KnownEndpoint, order: number, constraints: ParamConstraints | undefined): Compiled | undefined {
  const t = parseTemplate(ep.path);
  if (t.length && !t.some((seg) => seg.some((pc) => 'lit' in pc))) return undefined;
  const segs = t.map((s) => compileSegment(s, constraints?.[ep.id], ep.path));
  const count = (k: SegM['k']) => segs.filter((s) => s.k === k).length;
  const flexible = segs.some((s) => s.k === 'wild' || s.k === 'hole');
  const minSegs = segs.reduce((n, s) => n + (s.k === 'wild' ? s.min : 1), 0);
  const score = [count('lit'), count('re'), -count('wild'), -count('hole'), ...segs.map((s) => KIND_RANK[s.k])];
  return { ep, segs, flexible, minSegs, score, order };
}

function cmpScore(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    // a shorter template ends where the other goes on: the longer one is compared against "nothing" (-1)
    const x = a[i] ?? -1;
    const y = b[i] ?? -1;
    if (x !== y) return y - x;
  }
  return 0;
}

/** Negative when `a` is preferred. Method priority is handled by the caller. */
function cmpCompiled(a: Compiled, b: Compiled): number {
  return cmpScore(a.score, b.score) || (a.ep.source === b.ep.source ? 0 : a.ep.source === 'code' ? -1 : 1) || a.order - b.order;
}

function segMatches(m: SegM, v: string): boolean {
  switch (m.k) {
    case 'lit':
      return m.v === v;
    case 'param':
      return v.length > 0 && (!m.re || m.re.test(v));
    case 're':
      return m.re.test(v) === true;
    default:
      return true;
  }
}

function matches(c: Compiled, segs: string[]): boolean {
  if (!c.flexible) {
    if (c.segs.length !== segs.length) return false;
    for (let i = 0; i < segs.length; i++) if (!segMatches(c.segs[i]!, segs[i]!)) return false;
    return true;
  }
  if (segs.length < c.minSegs) return false;
  const go = (i: number, j: number): boolean => {
    if (i === c.segs.length) return j === segs.length;
    const m = c.segs[i]!;
    if (m.k === 'wild' || m.k === 'hole') {
      const min = m.k === 'wild' ? m.min : 1;
      // what the rest of the template needs at least
      let rest = 0;
      for (let x = i + 1; x < c.segs.length; x++) {
        const s = c.segs[x]!;
        rest += s.k === 'wild' ? s.min : 1;
      }
      for (let jj = j + min; jj <= segs.length - rest; jj++) if (go(i + 1, jj)) return true;
      return false;
    }
    return j < segs.length && segMatches(m, segs[j]!) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

function emptyBucket(): Bucket {
  return { fixedByFirst: new Map(), fixedOther: new Map(), flexByFirst: new Map(), flexOther: [] };
}

function push<K>(m: Map<K, Compiled[]>, k: K, c: Compiled): void {
  const l = m.get(k);
  if (l) l.push(c);
  else m.set(k, [c]);
}

export function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/**
 * Matches concrete request paths to known endpoints. Indexed by method, then by first literal segment and segment
 * count (templates with wildcards or holes: by first literal segment), each list sorted by specificity so that the
 * first hit in a list is its best; recent results are kept in a bounded cache keyed by method + path.
 */
export class EndpointMatcher {
  private readonly buckets = new Map<string, Bucket>();
  private cache = new Map<string, KnownEndpoint | null>();
  private previous = new Map<string, KnownEndpoint | null>();
  /** Endpoints that can never be matched (no literal part). */
  readonly unmatchable: KnownEndpoint[] = [];

  constructor(
    endpoints: KnownEndpoint[],
    constraints?: ParamConstraints,
    private readonly cacheSize = 50_000,
  ) {
    endpoints.forEach((ep, i) => {
      const c = compile(ep, i, constraints);
      if (!c) {
        this.unmatchable.push(ep);
        return;
      }
      let b = this.buckets.get(ep.method);
      if (!b) this.buckets.set(ep.method, (b = emptyBucket()));
      const first = c.segs[0];
      const lit = first?.k === 'lit' ? first.v : first === undefined ? '' : undefined;
      if (!c.flexible) {
        if (lit !== undefined) push(b.fixedByFirst, `${lit}\0${c.segs.length}`, c);
        else push(b.fixedOther, c.segs.length, c);
      } else if (lit !== undefined) push(b.flexByFirst, lit, c);
      else b.flexOther.push(c);
    });
    for (const b of this.buckets.values()) {
      for (const l of [...b.fixedByFirst.values(), ...b.fixedOther.values(), ...b.flexByFirst.values(), b.flexOther]) l.sort(cmpCompiled);
    }
  }

  /**
   * The best endpoint for a request, or undefined. The cache has two generations: when the current one is full it
   * becomes the previous one (and the older is dropped); a hit in the previous one is carried over. That keeps recent
   * paths in O(1) per request: evicting the oldest entry of one big Map one at a time walks the holes that deletions
   * leave at its front, which made a cache miss cost grow with the cache.
   */
  match(method: string, path: string): KnownEndpoint | undefined {
    const key = method + ' ' + path;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      hit = this.previous.get(key);
      if (hit !== undefined) this.remember(key, hit);
    }
    if (hit !== undefined) return hit ?? undefined;
    const r = this.lookup(method, splitPath(path));
    this.remember(key, r ?? null);
    return r;
  }

  private remember(key: string, v: KnownEndpoint | null): void {
    if (this.cache.size >= this.cacheSize / 2) {
      this.previous = this.cache;
      this.cache = new Map();
    }
    this.cache.set(key, v);
  }

  private lookup(method: string, segs: string[]): KnownEndpoint | undefined {
    let best: Compiled | undefined;
    let bestRank = -1;
    const tiers: [string, number][] = [
      [method, 2],
      ['ALL', 1],
    ];
    if (method === 'HEAD') tiers.push(['GET', 0]);
    for (const [m, rank] of tiers) {
      if (m === 'ALL' && method === 'ALL') continue;
      const b = this.buckets.get(m);
      if (!b) continue;
      const first = segs[0] ?? '';
      const lists = [b.fixedByFirst.get(`${first}\0${segs.length}`), b.fixedOther.get(segs.length), b.flexByFirst.get(first), b.flexOther];
      for (const l of lists) {
        if (!l) continue;
        const c = l.find((x) => matches(x, segs));
        if (!c) continue;
        const d = best ? cmpScore(c.score, best.score) : -1;
        if (d < 0 || (d === 0 && (rank > bestRank || (rank === bestRank && cmpCompiled(c, best!) < 0)))) {
          best = c;
          bestRank = rank;
        }
      }
    }
    return best?.ep;
  }
}
