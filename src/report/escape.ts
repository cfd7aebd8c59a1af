/**
 * Neutralising text that comes from the scanned repository (file names, paths, spec keys, log paths, messages that
 * quote them) before it reaches a terminal, a CI runner's log or a Markdown page.
 *
 * - A terminal or a log line: control characters (C0, DEL, C1, the Unicode line and paragraph separators and the
 *   bidirectional overrides) are shown as escapes (`\n`, `\x1b`, `\u202e`), so a name cannot start a new line (a
 *   GitHub workflow command such as `::add-mask::` or `::error::` is read only at the start of a line), move the
 *   cursor, recolour the screen, set a terminal title (OSC) or reorder what is shown.
 * - Markdown: text is entity- and backslash-escaped, so that no HTML, image, link, emphasis or table cell break can
 *   come from the repository; literal values go in code spans whose fence is longer than any backtick run inside.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of plain text: every control character shown as an escape (no line breaks, no terminal sequences). */
export function plain(s: string): string {
  return s.replace(CONTROL, escapeChar);
}

/** True when a line would be read by a GitHub runner as a workflow command (`::name ...::`), as the runner trims it. */
export function isWorkflowCommand(line: string): boolean {
  return /^\s*::/.test(line) || /^\s*##\[/.test(line);
}

/**
 * A line for a CI log or a terminal: control characters escaped, and a line that would begin a workflow command
 * (`::` or `##[` after leading blanks) is shown with a zero-width-free visible guard (`\:` in front).
 */
export function logLine(s: string): string {
  const p = plain(s);
  return isWorkflowCommand(p) ? p.replace(/^(\s*)([:#])/, '$1\\$2') : p;
}

// (also `.` and `:`, so that `www.x` and `http:` in a name do not become links; `-`, `+`, `=` matter only at the
// start of a line, where no value from the repository is ever put)
const MD_SPECIAL = /[\\`*_{}[\]()#!|~<>&"'.:]/g;
const MD_ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;', '|': '&#124;' };

/** Text for a Markdown paragraph or table cell: no HTML, no links or images, no emphasis, no cell breaks. */
export function mdText(s: string): string {
  return plain(s).replace(MD_SPECIAL, (c) => MD_ENTITY[c] ?? `\\${c}`);
}

/**
 * A literal value (a path, a file name) as a Markdown code span: shown exactly, never interpreted. In a table cell,
 * `|` is escaped as GitHub's table syntax requires even inside code spans.
 */
export function mdCode(s: string, inTable = true): string {
  let v = plain(s);
  if (inTable) v = v.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = v.startsWith('`') || v.endsWith('`') || (v.startsWith(' ') && v.endsWith(' ') && v.trim() !== '') ? ' ' : '';
  return v === '' ? '' : `${fence}${pad}${v}${pad}${fence}`;
}

/**
 * A copy of a report's input in which every string is {@link plain}: what the text, Markdown and CSV reports print
 * can then hold no control character from the repository, whichever field it comes from. Functions (rule checks)
 * and numbers are kept as they are.
 */
export function neutral<T>(value: T, seen = new Map<object, unknown>()): T {
  if (typeof value === 'string') return plain(value) as T;
  if (value === null || typeof value !== 'object' || value instanceof Map || value instanceof Set) return value;
  // shared objects stay shared (and a cycle cannot recurse for ever)
  const hit = seen.get(value);
  if (hit !== undefined) return hit as T;
  if (Array.isArray(value)) {
    const arr: unknown[] = [];
    seen.set(value, arr);
    for (const v of value) arr.push(neutral(v, seen));
    return arr as T;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  // (defined, not assigned: a key `__proto__` from the repository stays a key)
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) Object.defineProperty(out, plain(k), { value: neutral(v, seen), enumerable: true, writable: true, configurable: true });
  return out as T;
}

/** Every line of a report printed for people: a line that a runner would take for a workflow command is guarded. */
export function guardLines(text: string): string {
  return text.replace(/^\s*?(?:::|##\[)/gm, (m) => m.replace(/[:#]/, '\\$&'));
}
