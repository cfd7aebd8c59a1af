/**
 * Cheap content test for OpenAPI / Swagger documents. Only the first few KB are looked at and nothing is parsed:
 * this runs on every YAML/JSON file of a repository.
 */

/** How much of a file `looksLikeSpec` reads. */
export const SNIFF_CHARS = 4096;

const VERSION_KEYS = new Set(['openapi', 'swagger']);

/**
 * A top-level `openapi:` / `swagger:` key whose value looks like a version (`3.0.3`, `"2.0"`, `3.1`).
 * YAML: the key must start at column 0 (so comments and nested keys do not count).
 * JSON (or a YAML flow mapping): the key must be at depth 1 of the outermost object.
 */
export function looksLikeSpec(text: string): boolean {
  let head = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  const first = /\S/.exec(head);
  if (!first) return false;
  if (first[0] === '{') return jsonHasVersionKey(head, first.index);
  return /^["']?(?:openapi|swagger)["']?[ \t]*:[ \t]*["']?\d/m.test(head);
}

/** Scans a (possibly truncated) JSON text for a depth-1 `"openapi"`/`"swagger"` key with a version-like value. */
function jsonHasVersionKey(s: string, start: number): boolean {
  let depth = 0;
  let i = start;
  const n = s.length;
  while (i < n) {
    const c = s[i]!;
    if (c === '"' || c === "'") {
      const end = stringEnd(s, i);
      if (end < 0) return false;
      if (depth === 1) {
        const key = s.slice(i + 1, end);
        let j = end + 1;
        while (j < n && /\s/.test(s[j]!)) j++;
        if (s[j] === ':' && VERSION_KEYS.has(key)) {
          j++;
          while (j < n && /\s/.test(s[j]!)) j++;
          if (s[j] === '"' || s[j] === "'") j++;
          return j < n && /\d/.test(s[j]!);
        }
      }
      i = end + 1;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth <= 0) return false;
    }
    i++;
  }
  return false;
}

/** Index of the closing quote of the string starting at `i`, or -1 when it does not end within `s`. */
function stringEnd(s: string, i: number): number {
  const q = s[i];
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === q) return j;
    else if (c === '\n') return -1;
  }
  return -1;
}
