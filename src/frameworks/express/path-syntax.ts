import type { PathT, Piece, Segment } from '../../resolve/paths.js';

/**
 * Express path strings (path-to-regexp 0.1 in Express 4, 8.x in Express 5) to templates:
 * `:id` → {id}, `:id?` → two variants, `:id(\\d+)` → {id}, `*` → {*}, `*name` (Express 5) → {name*},
 * `{/:id}` optional groups (Express 5) → two variants. Trailing slashes and `//` do not matter.
 */
export function expressPath(text: string): PathT[] {
  const variants = expandGroups(text).slice(0, 16);
  const out: PathT[] = [];
  const seen = new Set<string>();
  for (const v of variants) {
    for (const p of expandOptionalParams(v)) {
      const key = JSON.stringify(p);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(p);
      }
    }
  }
  return out.slice(0, 16);
}

/** `{...}` optional groups: each gives a variant with and without it (nested groups included). */
function expandGroups(text: string): string[] {
  const open = findGroup(text);
  if (!open) return [text];
  const { start, end } = open;
  const inner = text.slice(start + 1, end);
  const before = text.slice(0, start);
  const after = text.slice(end + 1);
  return [...expandGroups(before + inner + after), ...expandGroups(before + after)];
}

function findGroup(text: string): { start: number; end: number } | undefined {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '(') {
      // a regex constraint: skip to its end
      let d = 1;
      for (i++; i < text.length && d > 0; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '(') d++;
        else if (text[i] === ')') d--;
      }
      i--;
      continue;
    }
    if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) return { start, end: i };
    }
  }
  return undefined;
}

interface Token {
  piece: Piece;
  optional: boolean;
}

function parseSegment(raw: string): Token[] {
  // Express 4: `/+name` means one or more slashes before `name`
  const seg = raw.replace(/^\++/, '');
  const toks: Token[] = [];
  let lit = '';
  const flush = () => {
    if (lit) toks.push({ piece: { lit }, optional: false });
    lit = '';
  };
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '\\' && i + 1 < seg.length) {
      lit += seg[++i];
      continue;
    }
    if (c === ':' && /[A-Za-z_$]/.test(seg[i + 1] ?? '')) {
      flush();
      let j = i + 1;
      while (j < seg.length && /[\w$]/.test(seg[j]!)) j++;
      const name = seg.slice(i + 1, j);
      if (seg[j] === '(') {
        let d = 1;
        j++;
        while (j < seg.length && d > 0) {
          if (seg[j] === '\\') j++;
          else if (seg[j] === '(') d++;
          else if (seg[j] === ')') d--;
          j++;
        }
      }
      let optional = false;
      let wild = false;
      if (seg[j] === '?') {
        optional = true;
        j++;
      } else if (seg[j] === '*') {
        wild = true;
        optional = true;
        j++;
      } else if (seg[j] === '+') {
        wild = true;
        j++;
      }
      // Express 4 (path-to-regexp 0.1): `:index*?` is the same optional wildcard
      if ((wild || optional) && seg[j] === '?') j++;
      toks.push({ piece: wild ? { wild: name } : { param: name }, optional });
      i = j - 1;
      continue;
    }
    if (c === '*') {
      flush();
      let j = i + 1;
      while (j < seg.length && /[\w$]/.test(seg[j]!)) j++;
      const name = seg.slice(i + 1, j);
      toks.push({ piece: { wild: name || null }, optional: false });
      i = j - 1;
      continue;
    }
    if (c === '(' ) {
      // an unnamed regex group in an Express 4 string path: keep it as a parameter
      flush();
      let d = 1;
      let j = i + 1;
      while (j < seg.length && d > 0) {
        if (seg[j] === '\\') j++;
        else if (seg[j] === '(') d++;
        else if (seg[j] === ')') d--;
        j++;
      }
      const group = seg.slice(i, j);
      const optional = seg[j] === '?';
      if (optional) j++;
      // a look-ahead/look-behind matches no text; any other group is a part of the path we cannot name
      if (!/^\(\?<?[=!]/.test(group)) toks.push({ piece: { hole: { text: group, reason: 'regular-expression group in the path' } }, optional });
      i = j - 1;
      continue;
    }
    lit += c;
  }
  flush();
  return toks;
}

function expandOptionalParams(text: string): PathT[] {
  // split on '/' outside of regex groups
  const segs: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      cur += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth = Math.max(0, depth - 1);
    if (c === '/' && depth === 0) {
      if (cur) segs.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) segs.push(cur);
  let variants: PathT[] = [[]];
  for (const s of segs) {
    const toks = parseSegment(s);
    const full: Segment = toks.map((t) => t.piece);
    const optionalWhole = toks.length === 1 && toks[0]!.optional;
    const next: PathT[] = [];
    for (const v of variants) {
      next.push([...v, full]);
      if (optionalWhole) next.push(v);
    }
    variants = next.slice(0, 16);
  }
  return variants;
}
