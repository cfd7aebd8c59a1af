import type { Unresolved } from '../model.js';
import { SafeRegex } from './safe-regex.js';

/**
 * Path templates shared by every framework, the spec reader and the inventory. A path is a list of segments; a segment
 * is a list of pieces (`/files/{name}.{ext}` has a segment of three pieces).
 */

export type Piece = { lit: string } | { param: string } | { wild: string | null } | { hole: Unresolved };
export type Segment = Piece[];
export type PathT = Segment[];

export function render(p: PathT): string {
  if (!p.length) return '/';
  return (
    '/' +
    p
      .map((seg) =>
        seg
          .map((pc) => ('lit' in pc ? pc.lit : 'param' in pc ? `{${pc.param}}` : 'wild' in pc ? (pc.wild ? `{${pc.wild}*}` : '{*}') : '{?}'))
          .join(''),
      )
      .join('/')
  );
}

/** Matching key: parameter names and trailing slashes do not matter. */
export function pathKey(p: PathT): string {
  if (!p.length) return '/';
  return (
    '/' +
    p
      .map((seg) => seg.map((pc) => ('lit' in pc ? pc.lit : 'param' in pc ? '{}' : 'wild' in pc ? '{*}' : '{?}')).join(''))
      .join('/')
  );
}

export function keyOfRendered(path: string): string {
  return pathKey(parseTemplate(path));
}

export function join(a: PathT, b: PathT): PathT {
  return [...a, ...b];
}

export function holes(p: PathT): Unresolved[] {
  const out: Unresolved[] = [];
  for (const seg of p) for (const pc of seg) if ('hole' in pc) out.push(pc.hole);
  return out;
}

/** Parses an OpenAPI-style template (`/users/{id}`, `{?}` for a hole, `{name*}` for a wildcard). */
export function parseTemplate(path: string): PathT {
  const segs = path.split('/').filter((s) => s.length > 0);
  return segs.map((s) => {
    const pieces: Segment = [];
    const re = /\{([^}]*)\}/g;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s))) {
      if (m.index > last) pieces.push({ lit: s.slice(last, m.index) });
      const name = m[1]!;
      if (name === '?') pieces.push({ hole: { text: '?', reason: 'unresolved' } });
      else if (name === '*') pieces.push({ wild: null });
      else if (name.endsWith('*')) pieces.push({ wild: name.slice(0, -1) });
      else pieces.push({ param: name });
      last = m.index + m[0].length;
    }
    if (last < s.length) pieces.push({ lit: s.slice(last) });
    return pieces;
  });
}

function segCovers(g: Segment, e: Segment): boolean {
  if (g.length === 1 && 'param' in g[0]!) return true;
  if (g.length !== e.length) return false;
  for (let i = 0; i < g.length; i++) {
    const a = g[i]!;
    const b = e[i]!;
    if ('lit' in a) {
      if (!('lit' in b) || a.lit.toLowerCase() !== b.lit.toLowerCase()) return false;
    } else if ('param' in a) {
      continue;
    } else if ('hole' in a) {
      if (!('hole' in b) || a.hole.text !== b.hole.text) return false;
    }
  }
  return true;
}

/**
 * Does every request to `endpoint` pass through a guard registered at `guard`?
 * `prefix`: the guard applies to everything below its path (Express `use`); `exact`: same path (route-level guard).
 */
export function covers(guard: PathT, endpoint: PathT, mode: 'prefix' | 'exact'): boolean {
  for (let i = 0; i < guard.length; i++) {
    const g = guard[i]!;
    const e = endpoint[i];
    // `/api/*` needs something after `/api/`: it does not guard `/api` itself
    if (!e) return false;
    if (g.length === 1 && 'wild' in g[0]!) return true;
    if (!segCovers(g, e)) return false;
  }
  return mode === 'prefix' || guard.length === endpoint.length;
}

/**
 * Could a request to spec path `a` be served by code path `b` (or the reverse)? Holes and wildcards match any
 * run of segments; parameters match one segment.
 */
export function templatesMatch(codeP: PathT, specP: PathT): boolean {
  // a path with no literal part at all (`/{?}`, `/{*}`: a catch-all, a root regex) documents nothing
  if (!codeP.some((seg) => seg.some((pc) => 'lit' in pc))) {
    // a regular expression not run safely (undefined: a regex-unsafe warning names it) matches nothing proven
    const re = regexOfHole(codeP);
    return re ? re.test(samplePath(specP)) === true : false;
  }
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const k = `${i},${j}`;
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === codeP.length) r = j === specP.length;
    else {
      const seg = codeP[i]!;
      const flexible = seg.length === 1 && ('hole' in seg[0]! || 'wild' in seg[0]!);
      const re = flexible ? regexOfHole([seg]) : undefined;
      if (flexible) {
        r = false;
        // a regular-expression path matches what its expression accepts; other holes stand for any run of segments
        for (let jj = j + 1; jj <= specP.length && !r; jj++) if (!re || re.test(samplePath(specP.slice(j, jj))) === true) r = go(i + 1, jj);
      } else r = j < specP.length && segEq(seg, specP[j]!) && go(i + 1, j + 1);
    }
    memo.set(k, r);
    return r;
  };
  return go(0, 0);
}

function segEq(a: Segment, b: Segment): boolean {
  if (a.length !== b.length) {
    // a mixed segment with a hole matches anything in that one segment
    return a.some((p) => 'hole' in p) || b.some((p) => 'hole' in p);
  }
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if ('hole' in x || 'hole' in y) continue;
    if ('lit' in x) {
      if (!('lit' in y) || x.lit !== y.lit) return false;
    } else if ('param' in x || 'wild' in x) {
      if (!('param' in y) && !('wild' in y)) return false;
    }
  }
  return true;
}

/** Normalises a plain path string: collapses `//`, strips the trailing slash. */
export function normalizeSlashes(p: string): string {
  const s = ('/' + p).replace(/\/{2,}/g, '/');
  return s.length > 1 ? s.replace(/\/$/, '') : s;
}

/** The regular expression of a path that is one regular-expression hole (`app.get(/^\/sitemap-\d+\.xml$/)`). */
function regexOfHole(p: PathT): SafeRegex | undefined {
  if (p.length !== 1 || p[0]!.length !== 1) return undefined;
  const pc = p[0]![0]!;
  if (!('hole' in pc) || !/regular-expression path/.test(pc.hole.reason)) return undefined;
  const known = holeRegexes.get(pc.hole);
  if (known !== undefined) return known ?? undefined;
  const m = /^\/(.*)\/([a-z]*)$/s.exec(pc.hole.text);
  const re = m ? SafeRegex.compile(m[1]!, m[2]!.replace(/[gy]/g, ''), { file: pc.hole.file, line: pc.hole.line, what: 'a regular-expression route path' }) : undefined;
  holeRegexes.set(pc.hole, re ?? null);
  return re;
}
const holeRegexes = new WeakMap<object, SafeRegex | null>();

/** A concrete path standing for a template: parameters become `1`. */
function samplePath(p: PathT): string {
  return '/' + p.map((seg) => seg.map((pc) => ('lit' in pc ? pc.lit : '1')).join('')).join('/');
}
