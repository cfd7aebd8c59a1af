import type { PathT, Piece, Segment } from '../../resolve/paths.js';

/**
 * Hono path strings to templates. Hono splits a path on `/`; a segment that starts with `:` is one parameter whose
 * name runs to an optional `{regex}` constraint (`:id{[0-9]+}` → {id}); a trailing `?` makes it optional (two
 * variants); `*` is a wildcard (a trailing `/*` also matches the path without it, see `honoCovers`). A `*` inside a
 * segment (`/assets*`, `*.png`) is kept as a wildcard piece of that segment.
 */
export function honoPath(text: string): PathT[] {
  let variants: PathT[] = [[]];
  for (const raw of splitSegments(text)) {
    const { seg, optional } = parseSegment(raw);
    const next: PathT[] = [];
    for (const v of variants) {
      next.push([...v, seg]);
      if (optional) next.push(v);
    }
    variants = next.slice(0, 16);
  }
  // the variant without the optional parameter first is not needed: keep the written order, no duplicates
  const seen = new Set<string>();
  return variants.filter((v) => {
    const k = JSON.stringify(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `@hono/zod-openapi` paths are OpenAPI style: `/users/{id}` is registered as `/users/:id` (its own rewrite). */
export function openApiPath(text: string): PathT[] {
  return honoPath(text.replace(/\/\{([^}\u0001]+?)\}/g, '/:$1'));
}

/** Splits on `/` outside `{...}` constraints. */
function splitSegments(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      cur += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') depth = Math.max(0, depth - 1);
    if (c === '/' && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

function parseSegment(raw: string): { seg: Segment; optional: boolean } {
  if (raw.startsWith(':') && raw.length > 1) {
    let body = raw.slice(1);
    let optional = false;
    if (body.endsWith('?')) {
      optional = true;
      body = body.slice(0, -1);
    }
    const brace = body.indexOf('{');
    const name = (brace >= 0 ? body.slice(0, brace) : body) || 'param';
    return { seg: [{ param: name }], optional };
  }
  if (raw === '*') return { seg: [{ wild: null }], optional: false };
  const pieces: Piece[] = [];
  let lit = '';
  for (const c of raw) {
    if (c === '*') {
      if (lit) pieces.push({ lit });
      lit = '';
      pieces.push({ wild: null });
    } else lit += c;
  }
  if (lit) pieces.push({ lit });
  return { seg: pieces, optional: false };
}

function isWildSeg(s: Segment | undefined): boolean {
  return !!s && s.length === 1 && 'wild' in s[0]!;
}

function segCovers(g: Segment, e: Segment): boolean {
  // a wildcard inside a segment (`/assets*`): Hono's default router never applies such middleware (honojs/hono#5258)
  if (g.some((p) => 'wild' in p)) return false;
  if (e.some((p) => 'wild' in p)) return false;
  if (g.length === 1 && 'param' in g[0]!) return true;
  if (g.length !== e.length) return false;
  for (let i = 0; i < g.length; i++) {
    const a = g[i]!;
    const b = e[i]!;
    if ('lit' in a) {
      if (!('lit' in b) || a.lit !== b.lit) return false;
    } else if ('param' in a) {
      continue;
    } else if ('hole' in a) {
      if (!('hole' in b) || a.hole.text !== b.hole.text) return false;
    }
  }
  return true;
}

/**
 * Does every request to `endpoint` also match the middleware pattern `guard`, as Hono matches it? Patterns are whole
 * paths, not prefixes: `/admin` matches `/admin` only, `/admin/*` matches `/admin` and everything below it, a `*` in
 * the middle matches one segment, `:param` one segment.
 */
export function honoCovers(guard: PathT, endpoint: PathT): boolean {
  const go = (i: number, j: number): boolean => {
    if (i === guard.length) return j === endpoint.length;
    const g = guard[i]!;
    if (isWildSeg(g)) {
      if (i === guard.length - 1) return true;
      return j < endpoint.length && !isWildSeg(endpoint[j]) && go(i + 1, j + 1);
    }
    const e = endpoint[j];
    if (!e) return false;
    return segCovers(g, e) && go(i + 1, j + 1);
  };
  return go(0, 0);
}
