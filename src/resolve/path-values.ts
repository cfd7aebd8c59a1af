import type { Unresolved } from '../model.js';
import type { Interpreter } from './interpreter.js';
import type { PathT, Piece, Segment } from './paths.js';
import { force, type Value } from './values.js';

/** Parses one framework's path syntax into variants (optional parts give several). Holes arrive as `\u0001N\u0001`. */
export type PathSyntax = (text: string) => PathT[];

export interface PathVariants {
  variants: PathT[];
  notes: string[];
}

const MAX_LIST_DEPTH = 32;

const SENTINEL = /\u0001(\d+)\u0001/g;

/**
 * Turns a path value into templates: strings are parsed with the framework's syntax, unknown parts become holes
 * (`{?}`), regular expressions become one hole that names the pattern, arrays give one variant per element.
 */
export function pathFromValue(v: Value, syntax: PathSyntax, it: Interpreter, fallbackText: string, site?: { file: string; line: number }, depth = 0): PathVariants {
  const f = force(v);
  // lists of lists: Express flattens them, but not without end
  if (f.kind === 'arr' && depth > MAX_LIST_DEPTH) return { variants: [[[{ hole: { text: fallbackText, reason: `path lists nested more than ${MAX_LIST_DEPTH} deep`, ...(site ?? {}) } }]]], notes: [] };
  const notes = (f as { notes?: string[] }).notes ?? [];
  switch (f.kind) {
    case 'str':
      return { variants: syntax(f.value), notes };
    case 'pstr': {
      const holes: Unresolved[] = [];
      const text = f.parts.map((p) => (typeof p === 'string' ? p : `\u0001${holes.push(p) - 1}\u0001`)).join('');
      return { variants: syntax(text).map((pt) => fillHoles(pt, holes)), notes };
    }
    case 'arr': {
      const out: PathT[] = [];
      const n: string[] = [];
      for (const item of f.items) {
        const r = pathFromValue(item, syntax, it, fallbackText, site, depth + 1);
        out.push(...r.variants);
        n.push(...r.notes);
      }
      if (f.partial) out.push([[{ hole: { text: fallbackText, reason: 'an element of the path list is not known statically' } }]]);
      return { variants: out, notes: n };
    }
    case 'regex':
      return { variants: [[[{ hole: { text: `/${f.pattern}/${f.flags}`, reason: 'regular-expression path: served, but not a template', ...(f.loc ? { file: f.loc.file, line: f.loc.line } : {}) } }]]], notes };
    default: {
      const hole = it.holeOf(f, fallbackText);
      if (site) hole.site = { text: fallbackText, ...site };
      return { variants: [[[{ hole }]]], notes };
    }
  }
}

function fillHoles(p: PathT, holes: Unresolved[]): PathT {
  return p.map((seg): Segment => {
    const out: Piece[] = [];
    for (const pc of seg) {
      if (!('lit' in pc) || !pc.lit.includes('\u0001')) {
        out.push(pc);
        continue;
      }
      let last = 0;
      const s = pc.lit;
      SENTINEL.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = SENTINEL.exec(s))) {
        if (m.index > last) out.push({ lit: s.slice(last, m.index) });
        out.push({ hole: holes[Number(m[1])]! });
        last = m.index + m[0].length;
      }
      if (last < s.length) out.push({ lit: s.slice(last) });
    }
    return out;
  });
}
