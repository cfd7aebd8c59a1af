/** Base paths (Swagger `basePath`, OpenAPI `servers`), path joining and security requirements. */
import type { SpecSecurity } from '../model.js';
import { isObject } from './source.js';

/** `/a//b/` → `/a/b`; `''`, `/`, `.` → `''` (no base path). */
export function normalizeBase(p: string): string {
  const segs = p.split('/').filter((s) => s !== '' && s !== '.');
  return segs.length ? '/' + segs.join('/') : '';
}

/** Base path + path key: a leading slash, no double slashes, no trailing slash except for `/`. */
export function joinPath(base: string, raw: string): string {
  const joined = `${base}/${raw}`.replace(/\/{2,}/g, '/');
  const trimmed = joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
  return trimmed.startsWith('/') ? trimmed || '/' : '/' + trimmed;
}

/**
 * The path part of an OpenAPI server URL, with `{variables}` replaced by their `default`:
 * `https://api.example.com/v1` → `/v1`, `/api` → `/api`, `//host/x` → `/x`, `localhost:8080/v2` → `/v2`.
 */
export function serverBasePath(url: string, variables: unknown): string {
  let u = url.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const v = isObject(variables) ? variables[name] : undefined;
    const d = isObject(v) ? v.default : undefined;
    return typeof d === 'string' || typeof d === 'number' ? String(d) : whole;
  });
  u = u.trim().replace(/[?#].*$/, '');
  const authority = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/]*/i.exec(u);
  const first = u.split('/')[0]!;
  if (authority) u = u.slice(authority[0].length);
  else if (/^[^/]*:\d+$/.test(first)) u = u.slice(first.length); // localhost:8080/v1
  else if (/^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i.test(first)) u = u.slice(first.length); // api.example.com/v1
  return normalizeBase(u);
}

/** Distinct base paths of a `servers` array, in order; undefined when it has no usable entry. */
export function serversBasePaths(servers: unknown): string[] | undefined {
  if (!Array.isArray(servers)) return undefined;
  const out: string[] = [];
  for (const s of servers) {
    if (!isObject(s) || typeof s.url !== 'string') continue;
    const b = serverBasePath(s.url, s.variables);
    if (!out.includes(b)) out.push(b);
  }
  return out.length ? out : undefined;
}

/**
 * An OpenAPI / Swagger security requirement array. Empty array or no requirement → `none`; an alternative
 * `{}` next to real ones → `optional`.
 */
export function securityOf(req: unknown): { security: SpecSecurity; schemes: string[] } {
  if (!Array.isArray(req)) return { security: 'none', schemes: [] };
  let anonymous = false;
  let required = false;
  const schemes = new Set<string>();
  for (const alt of req) {
    if (!isObject(alt)) continue;
    const names = Object.keys(alt);
    if (names.length === 0) anonymous = true;
    else {
      required = true;
      for (const n of names) schemes.add(n);
    }
  }
  const security: SpecSecurity = required ? (anonymous ? 'optional' : 'required') : 'none';
  return { security, schemes: [...schemes].sort() };
}
