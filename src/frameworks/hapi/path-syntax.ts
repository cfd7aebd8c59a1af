import type { PathT, Piece, Segment } from '../../resolve/paths.js';

/**
 * hapi path strings to templates: `{id}` → {id}; `{id?}` (optional, last segment only) → two variants, with and
 * without the segment; `{path*}` (any number of segments) → {path*}; `{path*2}` (exactly two segments) → {path1}/{path2};
 * mixed segments such as `{name}.{ext}` keep their literal parts. Holes arrive as `\u0001N\u0001` inside literals.
 */
export function hapiPath(text: string): PathT[] {
  const segs = text.split('/').filter((s) => s.length > 0);
  let variants: PathT[] = [[]];
  for (const raw of segs) {
    const parsed = parseSegment(raw);
    if (parsed.optional) {
      // `/users/{id?}` answers `/users/` (which is `/users` here) and `/users/42`
      variants = [...variants, ...variants.map((v) => [...v, ...parsed.segments])];
    } else variants = variants.map((v) => [...v, ...parsed.segments]);
  }
  return variants;
}

function parseSegment(s: string): { segments: Segment[]; optional: boolean } {
  const pieces: Piece[] = [];
  const re = /\{([^{}]*)\}/g;
  let last = 0;
  let m: RegExpExecArray | null;
  let optional = false;
  let multi: { name: string; count: number } | undefined;
  while ((m = re.exec(s))) {
    if (m.index > last) pieces.push({ lit: s.slice(last, m.index) });
    const body = m[1]!;
    const star = /^(\w*)\*(\d*)$/.exec(body);
    if (star) {
      const count = star[2] ? Number(star[2]) : 0;
      if (count > 1) multi = { name: star[1] || 'param', count };
      else if (count === 1) pieces.push({ param: star[1] || 'param' });
      else pieces.push({ wild: star[1] || null });
    } else if (body.endsWith('?')) {
      pieces.push({ param: body.slice(0, -1) || 'param' });
      optional = true;
    } else pieces.push({ param: body || 'param' });
    last = m.index + m[0].length;
  }
  if (last < s.length) pieces.push({ lit: s.slice(last) });
  if (multi && pieces.length === 0) {
    const { name, count } = multi;
    return { segments: Array.from({ length: count }, (_, i) => [{ param: `${name}${i + 1}` }]), optional: false };
  }
  // an optional parameter is only a whole segment in hapi; inside a mixed segment it is kept as a parameter
  return { segments: [pieces], optional: optional && pieces.length === 1 };
}
