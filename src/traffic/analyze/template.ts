import type { TrafficRecord, TrafficTemplate } from '../types.js';
import { StatsAcc } from './stats.js';
import { splitPath } from './match.js';

/**
 * Templating of the requests that matched no known endpoint.
 *
 * Requests are grouped by method + number of segments (+ noise reason), into a trie with one level per segment. A
 * segment becomes a parameter:
 * - by its shape, request by request: UUID → `{uuid}`; ISO date (`2024-01-31`, `2024-01-31T10:00:00Z`) → `{date}`;
 *   digits → `{id}`; 8+ hex digits with a digit and a letter → `{hash}`; an e-mail address → `{email}`; a long
 *   random-looking token (16+ base64url characters, letters and digits, many changes between lower case, upper case
 *   and digits: API keys, base64 ids, Stripe-style `cus_…`) → `{token}`;
 * - by cardinality at its position (under the same prefix): more than `MAX_LITERALS` distinct literal values there
 *   while streaming → all of them become `{param}` (and later values too); at the end, when at least `END_MIN`
 *   distinct literal values each take less than `DOMINANT` of the requests at that position, those become `{param}`
 *   (frequent siblings such as `/users/me` stay literal).
 * Never parameters: the first segment, and version segments (`v1`, `v2.1`, `v1beta1` anywhere; `2024-01-01` right after
 * the first segment when more segments follow, as in `/api/2024-01-01/users`).
 *
 * Memory is bounded by the trie (at most `MAX_LITERALS` literal children per node, `ROOT_MAX` distinct first segments
 * per group — beyond that, a first segment is kept as `{?}` — and `MAX_DEPTH` levels), with per parameter the first
 * `VALUES_CAP` distinct values, and one entry per session per template; never by the number of records.
 */

export const MAX_LITERALS = 64;
export const ROOT_MAX = 1000;
export const MAX_DEPTH = 32;
export const VALUES_CAP = 100;
export const END_MIN = 8;
export const DOMINANT = 0.1;
const MAX_EXAMPLES = 3;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DIGITS = /^\d+$/;
const HEX = /^[0-9a-f]{8,}$/i;
const EMAIL = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)*\.[A-Za-z]{2,}$/;
const TOKEN_CHARS = /^[A-Za-z0-9_\-+=.~]{16,}$/;
const VERSION = /^v\d+(\.\d+)*([a-z]+\d*)?$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export type Shape = 'uuid' | 'date' | 'id' | 'hash' | 'email' | 'token';

function classOf(ch: string): number {
  return ch >= '0' && ch <= '9' ? 1 : ch >= 'a' && ch <= 'z' ? 2 : ch >= 'A' && ch <= 'Z' ? 3 : 0;
}

function looksRandom(s: string): boolean {
  if (!TOKEN_CHARS.test(s) || !/\d/.test(s) || !/[A-Za-z]/.test(s)) return false;
  let changes = 0;
  let prev = -1;
  for (const ch of s) {
    const c = classOf(ch);
    if (c === 0) continue;
    if (prev !== -1 && c !== prev) changes++;
    prev = c;
  }
  return changes >= Math.max(4, s.length / 5);
}

/** The parameter a segment's shape alone makes it, if any. */
export function shapeOf(seg: string): Shape | undefined {
  if (UUID.test(seg)) return 'uuid';
  if (DATE.test(seg)) return 'date';
  if (DIGITS.test(seg)) return 'id';
  if (HEX.test(seg) && /\d/.test(seg) && /[a-f]/i.test(seg)) return 'hash';
  if (seg.includes('@') && EMAIL.test(seg)) return 'email';
  if (looksRandom(seg)) return 'token';
  return undefined;
}

/** A version segment stays literal: `v1`, `v2.1`, `v1beta1`; a date right after the first segment, with more after it. */
export function isVersion(seg: string, pos: number, n: number): boolean {
  return VERSION.test(seg) || (pos === 1 && pos < n - 1 && DATE_ONLY.test(seg));
}

/** The shape of a value for consistency: runs of lower case → a, upper case → A, digits → 9, others kept. */
function signature(v: string): string {
  let out = '';
  for (const ch of v) {
    const c = classOf(ch);
    const s = c === 1 ? '9' : c === 2 ? 'a' : c === 3 ? 'A' : ch;
    if (!out.endsWith(s) || c === 0) out += s;
  }
  return out;
}

interface ParamInfo {
  /** `uuid`, `id`, ..., `param` (by cardinality), `?` (first-segment overflow, too deep a path). */
  name: string;
  values: Set<string>;
  overflow: boolean;
  sigs: Map<string, number>;
}

interface Node {
  /** Depth: this node's children are segment `depth`. */
  depth: number;
  kind: 'root' | 'lit' | 'version' | 'param';
  children: Map<string, Node>;
  /** Literal (non-version) children: what cardinality collapses. */
  literals: number;
  collapsed: boolean;
  param?: ParamInfo;
  acc?: StatsAcc;
  examples?: string[];
}

interface Group {
  method: string;
  n: number;
  noise?: string;
  root: Node;
}

function node(depth: number, kind: Node['kind']): Node {
  return { depth, kind, children: new Map(), literals: 0, collapsed: false };
}

function addValue(p: ParamInfo, v: string): void {
  if (p.values.has(v)) return;
  if (p.values.size >= VALUES_CAP) {
    p.overflow = true;
    return;
  }
  p.values.add(v);
  const s = signature(v);
  p.sigs.set(s, (p.sigs.get(s) ?? 0) + 1);
}

const PARAM_KEY = '\0';
const OVERFLOW = '\0?';

export class Templater {
  private readonly groups = new Map<string, Group>();

  add(r: TrafficRecord, sid: string | undefined, noise?: string): void {
    let segs = splitPath(r.path);
    let tooDeep = false;
    if (segs.length > MAX_DEPTH) {
      segs = segs.slice(0, MAX_DEPTH);
      tooDeep = true;
    }
    const n = segs.length;
    const gk = `${noise ?? ''}\0${r.method}\0${n}`;
    let g = this.groups.get(gk);
    if (!g) this.groups.set(gk, (g = { method: r.method, n, noise, root: node(0, 'root') }));
    let cur = g.root;
    for (let pos = 0; pos < n; pos++) {
      const v = segs[pos]!;
      let key: string;
      let kind: Node['kind'] = 'lit';
      if (tooDeep && pos === n - 1) {
        key = OVERFLOW;
        kind = 'param';
      } else if (pos === 0) {
        key = v;
        if (!cur.children.has(v) && cur.literals >= ROOT_MAX) {
          key = OVERFLOW;
          kind = 'param';
        }
      } else if (isVersion(v, pos, n)) {
        key = v;
        kind = 'version';
      } else {
        const shape = shapeOf(v);
        if (shape) {
          key = PARAM_KEY + shape;
          kind = 'param';
        } else if (cur.collapsed) {
          key = PARAM_KEY + 'param';
          kind = 'param';
        } else key = v;
      }
      let child = cur.children.get(key);
      if (!child) {
        child = node(pos + 1, kind);
        if (kind === 'param') child.param = { name: key.slice(1), values: new Set(), overflow: false, sigs: new Map() };
        cur.children.set(key, child);
        if (kind === 'lit') {
          cur.literals++;
          if (pos > 0 && cur.literals > MAX_LITERALS) {
            collapse(cur, () => true);
            cur.collapsed = true;
            child = cur.children.get(PARAM_KEY + 'param')!;
          }
        }
      }
      if (child.param) addValue(child.param, v);
      cur = child;
    }
    cur.acc ??= new StatsAcc();
    cur.acc.add(r, sid);
    cur.examples ??= [];
    if (cur.examples.length < MAX_EXAMPLES && !cur.examples.includes(r.path)) cur.examples.push(r.path);
  }

  /** The templates, after the end-of-sample cardinality pass. Sorted: noise last, most requests first, then path, method. */
  templates(): TrafficTemplate[] {
    const out: TrafficTemplate[] = [];
    for (const g of this.groups.values()) {
      finalCollapse(g.root);
      walk(g.root, [], [], (segs, params, leaf) => {
        const t: TrafficTemplate = {
          method: g.method,
          path: renderSegs(segs),
          stats: leaf.acc!.toStats(),
          confidence: confidenceOf(params),
          examples: [...(leaf.examples ?? [])],
        };
        if (g.noise) t.noise = g.noise;
        out.push(t);
      });
    }
    out.sort((a, b) => Number(!!a.noise) - Number(!!b.noise) || b.stats.requests - a.stats.requests || cmp(a.path, b.path) || cmp(a.method, b.method) || cmp(a.noise ?? '', b.noise ?? ''));
    return out;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Moves the literal children that `pick` selects into the `{param}` child, merging their subtrees. */
function collapse(n: Node, pick: (key: string, child: Node) => boolean): void {
  const moving = [...n.children].filter(([k, c]) => c.kind === 'lit' && pick(k, c));
  if (!moving.length) return;
  let p = n.children.get(PARAM_KEY + 'param');
  if (!p) {
    p = node(n.depth + 1, 'param');
    p.param = { name: 'param', values: new Set(), overflow: false, sigs: new Map() };
    n.children.set(PARAM_KEY + 'param', p);
  }
  for (const [k, c] of moving) {
    n.children.delete(k);
    n.literals--;
    addValue(p.param!, k);
    mergeInto(p, c);
  }
}

function mergeInto(a: Node, b: Node): void {
  if (b.param && a.param) {
    for (const v of b.param.values) addValue(a.param, v);
    if (b.param.overflow) a.param.overflow = true;
  }
  if (b.acc) {
    a.acc ??= new StatsAcc();
    a.acc.merge(b.acc);
    a.examples ??= [];
    for (const e of b.examples ?? []) if (a.examples.length < MAX_EXAMPLES && !a.examples.includes(e)) a.examples.push(e);
  }
  for (const [k, c] of b.children) {
    const have = a.children.get(k);
    if (have) mergeInto(have, c);
    else {
      a.children.set(k, c);
      if (c.kind === 'lit') a.literals++;
    }
  }
  if (b.collapsed) a.collapsed = true;
  if (a.depth > 0 && (a.collapsed || a.literals > MAX_LITERALS)) {
    collapse(a, () => true);
    a.collapsed = true;
  }
}

function requestsOf(n: Node): number {
  let s = n.acc?.requests ?? 0;
  for (const c of n.children.values()) s += requestsOf(c);
  return s;
}

/** End of sample: many rare literal values at one position are a parameter; frequent siblings stay literal. */
function finalCollapse(n: Node): void {
  if (n.depth > 0 && n.literals >= END_MIN) {
    const total = requestsOf(n);
    const rare = [...n.children].filter(([, c]) => c.kind === 'lit' && requestsOf(c) < DOMINANT * total);
    if (rare.length >= END_MIN) {
      const keys = new Set(rare.map(([k]) => k));
      collapse(n, (k) => keys.has(k));
    }
  }
  for (const c of n.children.values()) finalCollapse(c);
}

function walk(n: Node, segs: string[], params: ParamInfo[], leaf: (segs: string[], params: ParamInfo[], n: Node) => void): void {
  if (n.acc) leaf(segs, params, n);
  const keys = [...n.children.keys()].sort();
  for (const k of keys) {
    const c = n.children.get(k)!;
    walk(c, [...segs, k], c.param ? [...params, c.param] : params, leaf);
  }
}

function renderSegs(segs: string[]): string {
  if (!segs.length) return '/';
  const used = new Map<string, number>();
  return (
    '/' +
    segs
      .map((s) => {
        if (s === OVERFLOW) return '{?}';
        if (!s.startsWith(PARAM_KEY)) return s;
        const name = s.slice(1);
        const k = (used.get(name) ?? 0) + 1;
        used.set(name, k);
        return `{${k === 1 ? name : name + k}}`;
      })
      .join('/')
  );
}

const STRENGTH: Record<string, number> = { uuid: 0.95, email: 0.9, date: 0.9, hash: 0.85, id: 0.8, token: 0.7 };

/**
 * Confidence of one parameter:
 * - by shape: s + (1 − s)·(1 − 1/d), s the shape's strength (uuid .95, email .9, date .9, hash .85, id .8,
 *   token .7) and d the distinct values seen: one UUID already makes a good parameter, more make it surer;
 * - by cardinality: c·(1 − 1/√d), c the share of the values with the most common signature (how regular they are);
 * - `{?}` (overflow): 0.
 * A template's confidence is its least sure parameter's, 1 without parameters, rounded to two decimals.
 */
export function paramConfidence(name: string, distinct: number, consistency: number): number {
  if (name === '?') return 0;
  const d = Math.max(1, distinct);
  const s = STRENGTH[name];
  if (s !== undefined) return s + (1 - s) * (1 - 1 / d);
  return consistency * (1 - 1 / Math.sqrt(d));
}

function confidenceOf(params: ParamInfo[]): number {
  let c = 1;
  for (const p of params) {
    let top = 0;
    let total = 0;
    for (const v of p.sigs.values()) {
      total += v;
      if (v > top) top = v;
    }
    c = Math.min(c, paramConfidence(p.name, p.values.size, total ? top / total : 0));
  }
  return Math.round(c * 100) / 100;
}
