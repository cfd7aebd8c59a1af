/**
 * JSON spec files: parsed here, not through the YAML parser. One linear, iterative pass builds the value (exactly
 * what `JSON.parse` builds: own `__proto__` keys stay data, the last duplicate wins) and records where every member
 * and item starts, so that lines of operations are right; nesting deeper than a bound is skipped, never recursed into.
 * The YAML parser was quadratic on big JSON mappings (every key compared with every earlier one) and recursive.
 */

/** Offsets of the children of one container: `[key, keyOffset, key, keyOffset, ...]` or `[itemOffset, ...]`. */
export type JsonPositions = Map<object, Array<string | number>>;

export type JsonParse =
  | {
      ok: true;
      value: unknown;
      positions: JsonPositions;
      /** Offsets of keys that repeat an earlier key of the same object. */
      duplicates: number[];
      /** Offsets of containers nested deeper than the bound: skipped, read as empty. */
      cuts: number[];
    }
  | { ok: false; offset: number; message: string };

interface Frame {
  value: unknown[] | Record<string, unknown>;
  array: boolean;
  positions: Array<string | number>;
  key: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Parses strict JSON text. Never throws; never recurses. */
export function parseJsonPositions(text: string, maxDepth: number): JsonParse {
  const n = text.length;
  const positions: JsonPositions = new Map();
  const duplicates: number[] = [];
  const cuts: number[] = [];
  const stack: Frame[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < n && isWs(text.charCodeAt(i))) i++;
  };
  const fail = (message: string): JsonParse => ({ ok: false, offset: Math.min(i, n), message });

  /** The next backslash at or after some offset: searched again only once passed (the whole text is searched once). */
  let backslash = -2;
  const backslashFrom = (j: number): number => {
    if (backslash !== -1 && backslash < j) backslash = text.indexOf('\\', j);
    return backslash;
  };

  /** The string starting at `i` (a quote); moves `i` past it. */
  const readString = (): string | undefined => {
    const start = i;
    let j = i + 1;
    let escaped = false;
    for (;;) {
      const q = text.indexOf('"', j);
      if (q < 0) return undefined;
      const b = backslashFrom(j);
      if (b >= 0 && b < q) {
        escaped = true;
        j = b + 2;
        continue;
      }
      i = q + 1;
      if (!escaped) {
        const s = text.slice(start + 1, q);
        // raw control characters are not JSON
        // eslint-disable-next-line no-control-regex
        if (/[\u0000-\u001f]/.test(s)) return undefined;
        return s;
      }
      try {
        return JSON.parse(text.slice(start, q + 1)) as string;
      } catch {
        return undefined;
      }
    }
  };

  /** Reads `"key" :` at `i` into the frame; false when that is not there. */
  const readKey = (f: Frame): boolean => {
    if (text.charCodeAt(i) !== 34) return false;
    const at = i;
    const k = readString();
    if (k === undefined) return false;
    ws();
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    ws();
    f.key = k;
    f.positions.push(k, at);
    return true;
  };

  /** Skips the container starting at `i` (not read: too deep); false when it does not end. */
  const skipContainer = (): boolean => {
    let depth = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        if (readString() === undefined) return false;
        continue;
      }
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) {
          i++;
          return true;
        }
      }
      i++;
    }
    return false;
  };

  ws();
  for (;;) {
    // a value starts at i
    let v: unknown;
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) {
      const array = c === 91;
      if (stack.length >= maxDepth) {
        cuts.push(i);
        if (!skipContainer()) return fail('unterminated array or object');
        v = array ? [] : {};
      } else {
        const f: Frame = { value: array ? [] : {}, array, positions: [], key: '' };
        positions.set(f.value, f.positions);
        i++;
        ws();
        if (text.charCodeAt(i) === (array ? 93 : 125)) {
          i++;
          v = f.value;
        } else {
          stack.push(f);
          if (array) f.positions.push(i);
          else if (!readKey(f)) return fail('expected a quoted key');
          continue;
        }
      }
    } else if (c === 34) {
      v = readString();
      if (v === undefined) return fail('bad string');
    } else if (c === 116 && text.startsWith('true', i)) {
      v = true;
      i += 4;
    } else if (c === 102 && text.startsWith('false', i)) {
      v = false;
      i += 5;
    } else if (c === 110 && text.startsWith('null', i)) {
      v = null;
      i += 4;
    } else {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) return fail(i >= n ? 'unexpected end of text' : `unexpected character ${JSON.stringify(text[i])}`);
      v = Number(m[0]);
      i += m[0].length;
    }
    // v is complete: add it to its container, closing containers that end here
    for (;;) {
      const top = stack[stack.length - 1];
      if (!top) {
        ws();
        if (i !== n) return fail('unexpected text after the JSON value');
        return { ok: true, value: v, positions, duplicates, cuts };
      }
      if (top.array) (top.value as unknown[]).push(v);
      else {
        const obj = top.value as Record<string, unknown>;
        // the last one wins, in the place of the first, as in JSON.parse
        if (Object.prototype.hasOwnProperty.call(obj, top.key)) duplicates.push(top.positions[top.positions.length - 1] as number);
        if (top.key === '__proto__') Object.defineProperty(obj, top.key, { value: v, enumerable: true, writable: true, configurable: true });
        else obj[top.key] = v;
      }
      ws();
      const d = text.charCodeAt(i);
      if (d === 44) {
        i++;
        ws();
        if (top.array) top.positions.push(i);
        else if (!readKey(top)) return fail('expected a quoted key');
        break;
      }
      if (d === (top.array ? 93 : 125)) {
        i++;
        stack.pop();
        v = top.value;
        continue;
      }
      return fail(`expected "," or "${top.array ? ']' : '}'}"`);
    }
  }
}

/** Offset of the child `seg` of `container` (its key, or the item itself), the last one for repeated keys. */
export function childOffset(positions: JsonPositions, container: unknown, seg: string): number | undefined {
  if (container === null || typeof container !== 'object') return undefined;
  const pos = positions.get(container);
  if (!pos) return undefined;
  if (Array.isArray(container)) {
    if (!/^(0|[1-9]\d*)$/.test(seg)) return undefined;
    const at = pos[Number(seg)];
    return typeof at === 'number' ? at : undefined;
  }
  if (pos.length <= 32) {
    for (let k = pos.length - 2; k >= 0; k -= 2) if (pos[k] === seg) return pos[k + 1] as number;
    return undefined;
  }
  let index = keyIndex.get(pos);
  if (!index) {
    index = new Map();
    for (let k = 0; k < pos.length; k += 2) index.set(pos[k] as string, pos[k + 1] as number); // the last one wins
    keyIndex.set(pos, index);
  }
  return index.get(seg);
}

/** Key → offset, for big objects (a `paths` object with thousands of entries). */
const keyIndex = new WeakMap<object, Map<string, number>>();

/** Source text of the scalar value of the member whose key starts at `keyOffset`. */
export function memberValueSource(text: string, keyOffset: number): string | undefined {
  let j = keyOffset + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) return undefined;
    const b = text.indexOf('\\', j);
    if (b >= 0 && b < q) {
      j = b + 2;
      continue;
    }
    j = q + 1;
    break;
  }
  const m = /\s*:\s*("(?:[^"\\]|\\.)*"|[^\s,}\]]+)/y;
  m.lastIndex = j;
  return m.exec(text)?.[1];
}
