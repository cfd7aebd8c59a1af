import type { PathT, Piece, Segment } from '../../resolve/paths.js';

/**
 * Fastify path strings (find-my-way) to templates: `:id` → {id}; `:id(^\\d+)` (regex constraint) → {id};
 * several parameters in one segment (`:lat-:lng`, `:hour(^\\d{2})h:minute(^\\d{2})m`); `::` is a literal colon;
 * `*` → {*}; an optional last parameter `:id?` gives two variants. Trailing slashes and `//` do not matter.
 * Holes of unresolved values arrive as `\u0001N\u0001` and are kept as literal text here.
 */
export function fastifyPath(text: string): PathT[] {
  const segs = splitSegments(text);
  let variants: PathT[] = [[]];
  for (const raw of segs) {
    const { seg, optional } = parseSegment(raw);
    const next: PathT[] = [];
    for (const v of variants) {
      next.push([...v, seg]);
      if (optional) next.push(v);
    }
    variants = next.slice(0, 16);
  }
  const seen = new Set<string>();
  return variants.filter((v) => {
    const k = JSON.stringify(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Splits on `/` outside regex constraints. */
function splitSegments(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && depth > 0) {
      cur += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    if (c === '/' && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

const PARAM_CHAR = /[A-Za-z0-9_$]/;

function parseSegment(seg: string): { seg: Segment; optional: boolean } {
  const pieces: Piece[] = [];
  let lit = '';
  let optional = false;
  const flush = () => {
    if (lit) pieces.push({ lit });
    lit = '';
  };
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === ':' && seg[i + 1] === ':') {
      // `::` is a literal colon
      lit += ':';
      i++;
      continue;
    }
    if (c === ':' && PARAM_CHAR.test(seg[i + 1] ?? '')) {
      flush();
      let j = i + 1;
      while (j < seg.length && PARAM_CHAR.test(seg[j]!)) j++;
      const name = seg.slice(i + 1, j);
      if (seg[j] === '(') j = skipGroup(seg, j);
      if (seg[j] === '?' && j === seg.length - 1) {
        optional = true;
        j++;
      }
      pieces.push({ param: name });
      i = j - 1;
      continue;
    }
    if (c === '(') {
      // a regex without a name: a part of the path we cannot name
      flush();
      const j = skipGroup(seg, i);
      pieces.push({ hole: { text: seg.slice(i, j), reason: 'regular-expression part of the path' } });
      i = j - 1;
      continue;
    }
    if (c === '*') {
      flush();
      pieces.push({ wild: null });
      continue;
    }
    lit += c;
  }
  flush();
  // `:id?` makes the whole segment optional only when it is the segment's only piece
  return { seg: pieces, optional: optional && pieces.length === 1 };
}

function skipGroup(s: string, start: number): number {
  let d = 1;
  let j = start + 1;
  while (j < s.length && d > 0) {
    if (s[j] === '\\') j++;
    else if (s[j] === '(') d++;
    else if (s[j] === ')') d--;
    j++;
  }
  return j;
}
