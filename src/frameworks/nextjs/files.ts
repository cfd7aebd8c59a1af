import path from 'node:path';
import type { PathT, Segment } from '../../resolve/paths.js';

/**
 * Next.js is routed by files. This module turns a repo-relative file name into what Next makes of it: an app-router
 * route handler (`app/**\/route.ts`), a pages-router API route (`pages/api/**`), a middleware (`middleware.ts`, in
 * Next 16 `proxy.ts`) or a config file (`next.config.*`), each with the project root it belongs to.
 */

export const ROUTE_FILE = /(^|\/)route\.(ts|js|mjs|tsx|jsx)$/;
export const PAGE_EXT = /\.(ts|js|mjs|tsx|jsx)$/;
export const MIDDLEWARE_FILE = /(^|\/)(middleware|proxy)\.(ts|js|mjs|tsx|jsx)$/;
export const CONFIG_FILE = /(^|\/)next\.config\.(js|mjs|cjs|ts|mts)$/;

export interface RouteFile {
  kind: 'app' | 'pages';
  /** Project root ('' for the repository root). */
  root: string;
  /** The router directory: `app`, `src/app`, `pages`, `apps/web/src/pages`. */
  routerDir: string;
  file: string;
  /** Path variants under the router (an optional catch-all gives two). */
  variants: PathT[];
}

const EXPORTS_METHOD = /export\s+(async\s+)?(function\s*\*?|const|let|var)\s+(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS)\b|export\s*(const|let|var)?\s*\{[^}]*\b(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS)\b|export\s*\*\s*from/;
const MIDDLEWARE_TEXT = /next\/server|next-auth|@clerk\/nextjs|@auth0\/nextjs|@kinde-oss|\bmatcher\b|NextResponse|NextRequest|@supabase\/ssr/;

/**
 * The plugin's pre-filter: by the file's name (Next is routed by files), confirmed by a cheap look at its text so
 * that a `middleware.ts` or a `route.ts` of another framework does not turn Next on.
 */
export function nextFileByPath(file: string, text: string): boolean {
  if (CONFIG_FILE.test(file)) return true;
  if (MIDDLEWARE_FILE.test(file)) return MIDDLEWARE_TEXT.test(text);
  const segs = file.split('/');
  if (ROUTE_FILE.test(file) && segs.slice(0, -1).includes('app')) return EXPORTS_METHOD.test(text);
  const i = segs.indexOf('pages');
  return i >= 0 && segs[i + 1] === 'api' && segs.length > i + 2 && PAGE_EXT.test(file) && /export\s+default\b|module\.exports\b|export\s*\{[^}]*\bdefault\b/.test(text);
}

const join = (...p: string[]) => p.filter(Boolean).join('/');

/**
 * The router directory a file is under. Among the `app`/`pages` folders on its path, the outermost whose project
 * root looks like a Next project (package.json or next.config) wins; `src/app` sits under root `.`.
 */
function routerOf(file: string, name: 'app' | 'pages', isRoot: (dir: string) => boolean): { root: string; routerDir: string; rest: string[] } | undefined {
  const segs = file.split('/');
  const cands: Array<{ root: string; routerDir: string; rest: string[] }> = [];
  for (let i = 0; i < segs.length - 1; i++) {
    if (segs[i] !== name) continue;
    const before = segs.slice(0, i);
    const root = before[before.length - 1] === 'src' ? before.slice(0, -1).join('/') : before.join('/');
    cands.push({ root, routerDir: segs.slice(0, i + 1).join('/'), rest: segs.slice(i + 1) });
  }
  return cands.find((c) => isRoot(c.root)) ?? cands[0];
}

/** One folder or file name of a route: a literal, a parameter, a catch-all, or nothing (groups, slots). */
type SegKind = { lit: string } | { param: string } | { wild: string } | { optWild: string } | 'skip' | 'private' | 'intercept';

function segmentOf(name: string): SegKind {
  if (/^\(\.{1,3}\)/.test(name) || /^\(\.\.\)/.test(name)) return 'intercept';
  if (/^\(.*\)$/.test(name)) return 'skip';
  if (name.startsWith('@')) return 'skip';
  if (name.startsWith('_')) return 'private';
  let m = /^\[\[\.\.\.([^\]]+)\]\]$/.exec(name);
  if (m) return { optWild: m[1]! };
  m = /^\[\.\.\.([^\]]+)\]$/.exec(name);
  if (m) return { wild: m[1]! };
  m = /^\[([^\]]+)\]$/.exec(name);
  if (m) return { param: m[1]! };
  // `%5Fname` is how a folder whose URL segment starts with an underscore is written
  return { lit: name.replace(/^%5F/i, '_') };
}

function variantsOf(names: string[], privateFolders: boolean): PathT[] | undefined {
  let variants: PathT[] = [[]];
  for (const n of names) {
    const k = segmentOf(n);
    if (k === 'skip') continue;
    if (k === 'intercept') return undefined;
    if (k === 'private') {
      if (privateFolders) return undefined;
      variants = variants.map((v) => [...v, [{ lit: n }]]);
      continue;
    }
    if ('optWild' in k) {
      variants = variants.flatMap((v) => [v, [...v, [{ wild: k.optWild }] as Segment]]);
      continue;
    }
    const seg: Segment = 'lit' in k ? [{ lit: k.lit }] : 'param' in k ? [{ param: k.param }] : [{ wild: k.wild }];
    variants = variants.map((v) => [...v, seg]);
  }
  return variants;
}

/**
 * What Next makes of a route-like file, or undefined when it is not routable (private folder, intercepting route,
 * an `src/app` shadowed by a root `app`).
 */
export function routeFileOf(file: string, isRoot: (dir: string) => boolean, hasDir: (dir: string) => boolean): RouteFile | undefined {
  if (ROUTE_FILE.test(file)) {
    const r = routerOf(file, 'app', isRoot);
    if (!r) return undefined;
    if (r.routerDir === join(r.root, 'src', 'app') && hasDir(join(r.root, 'app'))) return undefined;
    const variants = variantsOf(r.rest.slice(0, -1), true);
    return variants ? { kind: 'app', root: r.root, routerDir: r.routerDir, file, variants } : undefined;
  }
  const r = routerOf(file, 'pages', isRoot);
  if (!r || r.rest[0] !== 'api' || r.rest.length < 2 || !PAGE_EXT.test(file)) return undefined;
  if (r.routerDir === join(r.root, 'src', 'pages') && hasDir(join(r.root, 'pages'))) return undefined;
  const names = r.rest.slice();
  const base = names.pop()!.replace(PAGE_EXT, '');
  if (base !== 'index') names.push(base);
  const variants = variantsOf(names, false);
  return variants ? { kind: 'pages', root: r.root, routerDir: r.routerDir, file, variants } : undefined;
}

/** The project root a middleware file serves: the folder beside `app`/`pages` (the root, or `src`). */
export function middlewareRootOf(file: string): { root: string; dir: string } {
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const segs = dir ? dir.split('/') : [];
  const root = segs[segs.length - 1] === 'src' ? segs.slice(0, -1).join('/') : dir;
  return { root, dir };
}
