/**
 * Normalization shared by every log format: request targets to paths (and hosts), times to epoch milliseconds,
 * methods, cookies. Written for the hot path of a multi-GB log: the common case (an already clean path, a time
 * string equal to the previous line's) costs a scan of the string and no allocation.
 */

/** A configured prefix, split into an optional host and a path part (`api.example.com/v1` → host + `/v1`). */
export interface Prefix {
  host?: string;
  /** Normalized, no trailing slash; '' when the prefix is a bare host. */
  path: string;
}

/**
 * `stripPrefixes` entries: `/api/v1` (a path prefix, removed from every path), `api.example.com` or
 * `https://api.example.com/v1` (a host, with an optional path: removed where a log writes the host as the first path
 * segment, `/api.example.com/v1/users`; the path part is also removed from requests whose host is that host or is not
 * known). Longest first, so the most specific prefix wins; at most one prefix is removed per request.
 */
export function compilePrefixes(list: string[] | undefined): Prefix[] {
  const out: Prefix[] = [];
  for (let raw of list ?? []) {
    raw = raw.trim();
    if (!raw || raw === '/') continue;
    raw = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    if (raw.startsWith('/')) {
      const p = normalizeTarget(raw, null);
      if (p && p.path !== '/') out.push({ path: p.path });
      continue;
    }
    const slash = raw.indexOf('/');
    const host = (slash < 0 ? raw : raw.slice(0, slash)).toLowerCase().replace(/:\d+$/, '');
    const rest = slash < 0 ? '' : normalizeTarget(raw.slice(slash), null)?.path ?? '';
    out.push({ host, path: rest === '/' ? '' : rest });
  }
  return out.sort((a, b) => (b.host?.length ?? 0) + b.path.length - ((a.host?.length ?? 0) + a.path.length));
}

function stripPath(path: string, prefix: string): string | undefined {
  if (!prefix) return path;
  if (path === prefix) return '/';
  if (path.length > prefix.length && path.charCodeAt(prefix.length) === 47 && path.startsWith(prefix)) return path.slice(prefix.length);
  return undefined;
}

/** Removes the first (longest) matching prefix. */
export function applyPrefixes(path: string, host: string | undefined, prefixes: Prefix[]): string {
  for (const p of prefixes) {
    if (p.host === undefined) {
      const s = stripPath(path, p.path);
      if (s !== undefined) return s;
      continue;
    }
    // the host written as the first path segment
    const inPath = stripPath(path, '/' + p.host);
    if (inPath !== undefined) {
      const s = stripPath(inPath, p.path);
      if (s !== undefined) return s;
    }
    if (p.path && (host === undefined || host === p.host)) {
      const s = stripPath(path, p.path);
      if (s !== undefined) return s;
    }
  }
  return path;
}

/** Result of {@link normalizeTarget}; one object reused by the hot path is fine since callers copy the fields. */
export interface Target {
  path: string;
  host: string | undefined;
}

/**
 * A request target (`/a//b/?q=1#f`, `https://Host:443/a%20b`, `/x%2Fy`) to a normalized path:
 * - an absolute URL (`http(s)://host[:port]/path`, also `//host/path`) gives its path; its host (lower case, no
 *   port, no user info) goes to `host`;
 * - the query string and fragment are dropped;
 * - empty segments are removed (double slashes collapse, the trailing slash goes; the root stays `/`);
 * - each segment is percent-decoded, except that an encoded slash stays `%2F` (upper case) so that it does not become
 *   a separator; an invalid escape (`%zz`, a broken UTF-8 sequence) is left as written.
 * Returns undefined for a target that is not a path (`*`, `host:443` of CONNECT, an empty string).
 */
export function normalizeTarget(raw: string, out: Target | null): Target | undefined {
  const t = out ?? { path: '', host: undefined };
  t.host = undefined;
  const n = raw.length;
  if (n === 0) return undefined;
  // fast path: starts with '/', no '%' or '//' before the query or fragment, no trailing slash: the path is the text
  // up to the '?' or '#' (most request lines)
  if (raw.charCodeAt(0) === 47) {
    let prev = 0;
    let i = 0;
    let clean = true;
    for (; i < n; i++) {
      const c = raw.charCodeAt(i);
      if (c === 63 || c === 35) break;
      if (c === 37 || (c === 47 && prev === 47)) {
        clean = false;
        break;
      }
      prev = c;
    }
    if (clean && (i === 1 || prev !== 47)) {
      t.path = i === n ? raw : raw.slice(0, i);
      return t;
    }
  }
  let s = raw;
  let start = 0;
  // Only `scheme://host` is a URL: a path starting with `//` (`//api//users`) is far more common in access logs than a
  // network-path reference, so it is a path with a double slash.
  const scheme = s.charCodeAt(0) === 47 ? null : /^[a-z][a-z0-9+.-]*:\/\//i.exec(s);
  if (scheme) {
    {
      start = scheme[0].length;
      let end = start;
      while (end < n) {
        const c = s.charCodeAt(end);
        if (c === 47 || c === 63 || c === 35) break;
        end++;
      }
      let host = s.slice(start, end);
      const at = host.lastIndexOf('@');
      if (at >= 0) host = host.slice(at + 1);
      host = host.replace(/:\d*$/, '').toLowerCase();
      t.host = host || undefined;
      start = end;
    }
  }
  let end = n;
  for (let i = start; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 63 || c === 35) {
      end = i;
      break;
    }
  }
  if (start > 0 || end < n) s = s.slice(start, end);
  if (s === '') {
    if (t.host !== undefined) {
      t.path = '/';
      return t;
    }
    return undefined;
  }
  if (s.charCodeAt(0) !== 47) return undefined;
  const segs = s.split('/');
  let path = '';
  for (const seg of segs) {
    if (seg === '') continue;
    path += '/' + (seg.indexOf('%') >= 0 ? decodeSegment(seg) : seg);
  }
  t.path = path || '/';
  return t;
}

const ENCODED_SLASH = /%2f/i;

function decodeSegment(seg: string): string {
  if (ENCODED_SLASH.test(seg)) return seg.split(/%2f/i).map(safeDecode).join('%2F');
  return safeDecode(seg);
}

/** decodeURIComponent, leaving each run of escapes that does not decode (invalid hex, broken UTF-8) as written. */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        // decode the longest valid pieces byte by byte: a broken sequence stays as written
        let out = '';
        let i = 0;
        while (i < run.length) {
          let done = false;
          for (let j = run.length; j > i; j -= 3) {
            try {
              out += decodeURIComponent(run.slice(i, j));
              i = j;
              done = true;
              break;
            } catch {
              /* shorter */
            }
          }
          if (!done) {
            out += run.slice(i, i + 3);
            i += 3;
          }
        }
        return out;
      }
    });
  }
}

/** An HTTP method token (letters, plus `-` and `_` seen in WebDAV/extension methods), upper-cased; else undefined. */
export function normalizeMethod(m: string): string | undefined {
  const n = m.length;
  if (n === 0 || n > 20) return undefined;
  let lower = false;
  for (let i = 0; i < n; i++) {
    const c = m.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    else if (!((c >= 65 && c <= 90) || c === 45 || c === 95)) return undefined;
  }
  return lower ? m.toUpperCase() : m;
}

// ---------------------------------------------------------------------------------------------------------------
// time

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** `02/Nov/2026:14:03:12 +0000` (common log format, without the brackets) → epoch ms; undefined when malformed. */
export function parseClfTime(s: string): number | undefined {
  if (s.length < 20 || s.charCodeAt(2) !== 47 || s.charCodeAt(6) !== 47 || s.charCodeAt(11) !== 58) return undefined;
  const day = digits(s, 0, 2);
  const mon = MONTHS[s.slice(3, 6)];
  const year = digits(s, 7, 4);
  const h = digits(s, 12, 2);
  const mi = digits(s, 15, 2);
  const sec = digits(s, 18, 2);
  if (mon === undefined || Number.isNaN(day + year + h + mi + sec)) return undefined;
  let off = 0;
  if (s.length >= 26 && s.charCodeAt(20) === 32) {
    const sign = s.charCodeAt(21);
    const oh = digits(s, 22, 2);
    const om = digits(s, 24, 2);
    if ((sign === 43 || sign === 45) && !Number.isNaN(oh + om)) off = (sign === 45 ? -1 : 1) * (oh * 60 + om) * 60000;
  }
  return Date.UTC(year, mon, day, h, mi, sec) - off;
}

/** RFC 3339 / ISO 8601 (`2026-11-02T14:03:12.186641Z`, `...+01:00`) → epoch ms; falls back to Date.parse. */
export function parseIsoTime(s: string): number | undefined {
  if (s.length >= 19 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && (s.charCodeAt(10) === 84 || s.charCodeAt(10) === 32) && s.charCodeAt(13) === 58) {
    const year = digits(s, 0, 4);
    const mon = digits(s, 5, 2);
    const day = digits(s, 8, 2);
    const h = digits(s, 11, 2);
    const mi = digits(s, 14, 2);
    const sec = digits(s, 17, 2);
    if (!Number.isNaN(year + mon + day + h + mi + sec)) {
      let i = 19;
      let ms = 0;
      if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
        i++;
        let scale = 100;
        while (i < s.length) {
          const c = s.charCodeAt(i) - 48;
          if (c < 0 || c > 9) break;
          ms += c * scale;
          scale /= 10;
          i++;
        }
        ms = Math.floor(ms);
      }
      let off = 0;
      const z = s.charCodeAt(i);
      if (i === s.length || z === 90 || z === 122) off = 0;
      else if (z === 43 || z === 45) {
        const oh = digits(s, i + 1, 2);
        const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
        const om = s.length > i + 3 ? digits(s, i + 3 + colon, 2) : 0;
        if (Number.isNaN(oh + om)) return fallbackParse(s);
        off = (z === 45 ? -1 : 1) * (oh * 60 + om) * 60000;
      } else return fallbackParse(s);
      return Date.UTC(year, mon - 1, day, h, mi, sec, ms) - off;
    }
  }
  return fallbackParse(s);
}

function fallbackParse(s: string): number | undefined {
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * A time in any of the shapes logs use: a number or a string of digits (unix seconds, milliseconds, microseconds or
 * nanoseconds, told apart by magnitude), RFC 3339, the common log format (`02/Nov/2026:14:03:12 +0000`, brackets
 * allowed), or anything Date.parse understands.
 */
export function parseTimeValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? unixToMs(v) : undefined;
  if (typeof v !== 'string' || v === '' || v === '-') return undefined;
  const c0 = v.charCodeAt(0);
  if (c0 === 91) return parseClfTime(v.slice(1, v.endsWith(']') ? -1 : undefined));
  if (/^\d+(\.\d+)?$/.test(v)) return unixToMs(Number(v));
  if (v.length >= 20 && v.charCodeAt(2) === 47) return parseClfTime(v);
  return parseIsoTime(v);
}

function unixToMs(n: number): number {
  const a = Math.abs(n);
  if (a >= 1e17) return Math.floor(n / 1e6); // nanoseconds
  if (a >= 1e14) return Math.floor(n / 1e3); // microseconds
  if (a >= 1e11) return Math.floor(n); // milliseconds
  return Math.floor(n * 1000); // seconds
}

// ---------------------------------------------------------------------------------------------------------------
// headers and cookies

/** The value of cookie `name` in a Cookie header (`a=1; sid=xyz`), or undefined. */
export function cookieFromHeader(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
    }
  }
  return undefined;
}

/**
 * A header (case-insensitive) from an object map (`{"X-Api-Key": "k"}`) or a HAR-style list (`[{name, value}]`).
 * A list value (`["a", "b"]`) gives its first element.
 */
export function headerFrom(container: unknown, lowerName: string): string | undefined {
  if (!container || typeof container !== 'object') return undefined;
  if (Array.isArray(container)) {
    for (const h of container) {
      if (h && typeof h === 'object' && typeof (h as { name?: unknown }).name === 'string' && (h as { name: string }).name.toLowerCase() === lowerName) {
        return scalar((h as { value?: unknown }).value);
      }
    }
    return undefined;
  }
  const obj = container as Record<string, unknown>;
  if (lowerName in obj) return scalar(obj[lowerName]);
  for (const k in obj) if (k.toLowerCase() === lowerName) return scalar(obj[k]);
  return undefined;
}

/** A string or number as a non-empty string; an array gives its first element; `-` and '' are missing. */
export function scalar(v: unknown): string | undefined {
  if (Array.isArray(v)) v = v[0];
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string' || v === '' || v === '-') return undefined;
  return v;
}

/** A client address without its port: `1.2.3.4:5678` → `1.2.3.4`, `[2001:db8::1]:443` → `2001:db8::1`. */
export function stripPort(addr: string): string {
  if (addr.charCodeAt(0) === 91) {
    const e = addr.indexOf(']');
    return e > 0 ? addr.slice(1, e) : addr;
  }
  const c = addr.lastIndexOf(':');
  if (c > 0 && addr.indexOf(':') === c) return addr.slice(0, c);
  return addr;
}
