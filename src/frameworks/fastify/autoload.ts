import path from 'node:path';
import { force, type ExtV, type RegexV, type Value } from '../../resolve/values.js';
import { SafeRegex } from '../../resolve/safe-regex.js';

/**
 * @fastify/autoload's directory walk (lib/find-plugins.js), over the scan's file list instead of the disk:
 * - a directory with an index file (`index.ts`, ...) loads only that file (and its sub-directories);
 * - otherwise every script file is a plugin (`*.d.ts` excluded; `autohooks` files are hooks, never plugins);
 * - sub-directories prefix their plugins with their name (`dirNameRoutePrefix`, default true);
 * - `ignorePattern` (relative path), `matchFilter` / `ignoreFilter` ('/'-rooted relative path), `maxDepth`.
 * Files starting with `_` are NOT skipped by default; `routeParams: true` turns `_id` folders into `:id`.
 */

/**
 * A pattern: the built-in defaults, or a regular expression from the scanned code run through SafeRegex, whose
 * `undefined` ("not run safely", with a warning) keeps the file: a plugin is listed rather than lost in silence.
 */
export interface Pattern {
  test(s: string): boolean | undefined;
}

export interface AutoloadOptions {
  dir: string;
  dirNameRoutePrefix: boolean;
  ignorePattern?: Pattern;
  indexPattern: Pattern;
  scriptPattern: Pattern;
  autoHooksPattern: Pattern;
  autoHooks: boolean;
  cascadeHooks: boolean;
  overwriteHooks: boolean;
  maxDepth?: number;
  matchFilter?: Pattern | string;
  ignoreFilter?: Pattern | string;
}

export interface AutoloadNode {
  dir: string;
  hooks: string[];
  plugins: Array<{ file: string; prefix: string | undefined }>;
}

export const DEFAULTS = {
  scriptPattern: /(?:(?:^.?|\.[^d]|[^.]d|[^.][^d])\.ts|\.js|\.cjs|\.mjs|\.cts|\.mts)$/i,
  indexPattern: /^index(?:\.ts|\.js|\.cjs|\.mjs|\.cts|\.mts)$/i,
  autoHooksPattern: /^[_.]?auto_?hooks(?:\.ts|\.js|\.cjs|\.mjs|\.cts|\.mts)$/i,
};

interface Entry {
  name: string;
  isDir: boolean;
}

function listDir(files: readonly string[], dir: string): Entry[] {
  const out = new Map<string, boolean>();
  const base = dir === '' || dir === '.' ? '' : dir + '/';
  for (const f of files) {
    if (!f.startsWith(base)) continue;
    const rest = f.slice(base.length);
    const i = rest.indexOf('/');
    if (i < 0) out.set(rest, out.get(rest) ?? false);
    else out.set(rest.slice(0, i), true);
  }
  return [...out.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([name, isDir]) => ({ name, isDir }));
}

function filterPath(p: string, filter: Pattern | string): boolean | undefined {
  return typeof filter === 'string' ? p.includes(filter) : filter.test(p);
}

export function findPlugins(files: readonly string[], opts: AutoloadOptions): AutoloadNode[] {
  const nodes: AutoloadNode[] = [];
  const build = (dir: string, prefix: string | undefined, depth: number, hooks: string[]) => {
    const entries = listDir(files, dir);
    let current: string[] = [];
    if (opts.autoHooks) {
      current = [...hooks];
      const ah = entries.find((e) => !e.isDir && opts.autoHooksPattern.test(e.name) === true);
      if (ah) {
        if (opts.overwriteHooks && current.length) current = [];
        current.push(path.posix.join(dir, ah.name));
      }
    }
    const node: AutoloadNode = { dir, hooks: current, plugins: [] };
    nodes.push(node);
    const accumulate = (file: string) => {
      const rel = '/' + path.posix.relative(opts.dir, file);
      if (opts.matchFilter !== undefined && filterPath(rel, opts.matchFilter) === false) return;
      if (opts.ignoreFilter !== undefined && filterPath(rel, opts.ignoreFilter) === true) return;
      node.plugins.push({ file, prefix });
    };
    const index = entries.find((e) => !e.isDir && opts.indexPattern.test(e.name) === true);
    if (index) {
      accumulate(path.posix.join(dir, index.name));
      if (entries.every((e) => !e.isDir)) return;
    }
    for (const e of entries) {
      const file = path.posix.join(dir, e.name);
      if (opts.ignorePattern && opts.ignorePattern.test(path.posix.relative(opts.dir, file)) === true) continue;
      const atMaxDepth = opts.maxDepth !== undefined && Number.isFinite(opts.maxDepth) && opts.maxDepth <= depth;
      if (e.isDir && !atMaxDepth) {
        const crumb = (prefix ? `${prefix}/` : '/') + (opts.dirNameRoutePrefix ? e.name : '');
        build(file, crumb, depth + 1, opts.autoHooks && opts.cascadeHooks ? current : []);
      } else if (index) {
        // an index file is present: the other modules of this directory are not loaded
      } else if (!e.isDir && opts.scriptPattern.test(e.name) !== false && opts.autoHooksPattern.test(e.name) !== true) {
        accumulate(file);
      }
    }
  };
  build(opts.dir, undefined, 0, []);
  return nodes;
}

/** autoload's `routeParams: true`: `/_id` → `/:id`; `__a-__b` → `:a-:b`. */
export function replaceRouteParams(prefix: string): string {
  if (/__/.test(prefix)) return prefix.replace(/__/g, ':');
  if (/\/_/.test(prefix)) return prefix.replace(/\/_/g, '/:');
  return prefix;
}

/**
 * The repo-relative directory a value names: `path.join(__dirname, 'routes')`, `join(dirname(fileURLToPath(
 * import.meta.url)), 'routes')`, `import.meta.dirname`, `fileURLToPath(new URL('./routes', import.meta.url))`,
 * `path.join(process.cwd(), 'src/routes')` (the package directory is taken for the working directory).
 */
export function resolveDirValue(v: Value, file: string, packageDir: string, notes: string[]): string | undefined {
  const f = force(v);
  const here = path.posix.dirname(file);
  switch (f.kind) {
    case 'str':
      if (path.posix.isAbsolute(f.value)) return undefined;
      notes.push(`autoload dir '${f.value}' is relative to the working directory; the package directory is assumed`);
      return clean(path.posix.join(packageDir, f.value));
    case 'unknown':
      if (/^(__dirname|import\.meta\.dirname)$/.test(f.text)) return here;
      return undefined;
    case 'ext': {
      const steps = f.chain;
      const last = steps[steps.length - 1];
      const props = steps.flatMap((s) => ('prop' in s ? [s.prop] : []));
      const fn = props[props.length - 1];
      const callFile = last && 'call' in last && last.loc ? last.loc.file : file;
      if (f.module === 'process' && fn === 'cwd') return clean(packageDir);
      if (!last || !('call' in last)) return undefined;
      const args = last.call;
      if ((f.module === 'path' || f.module === 'path/posix') && (fn === 'join' || fn === 'resolve')) {
        if (!args.length) return undefined;
        const base = resolveDirValue(args[0]!, callFile, packageDir, notes);
        if (base === undefined) return undefined;
        const rest: string[] = [];
        for (const a of args.slice(1)) {
          const s = force(a);
          if (s.kind !== 'str') return undefined;
          if (fn === 'resolve' && path.posix.isAbsolute(s.value)) return undefined;
          rest.push(s.value);
        }
        return clean(path.posix.join(base, ...rest));
      }
      if ((f.module === 'path' || f.module === 'path/posix') && fn === 'dirname' && args[0]) {
        const fileOf = resolveFileValue(args[0], callFile);
        return fileOf === undefined ? undefined : clean(path.posix.dirname(fileOf));
      }
      if (f.module === 'url' && fn === 'fileURLToPath' && args[0]) {
        // fileURLToPath(new URL('./routes', import.meta.url))
        const u = force(args[0]);
        if (u.kind === 'ext' && u.module === 'URL') {
          const n = u.chain.find((s): s is { new: Value[] } => 'new' in s);
          const rel = n ? force(n.new[0] ?? { kind: 'undef' }) : undefined;
          const baseUrl = n?.new[1] ? force(n.new[1]) : undefined;
          if (rel?.kind === 'str' && baseUrl && isImportMetaUrl(baseUrl)) return clean(path.posix.join(here, rel.value));
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function resolveFileValue(v: Value, file: string): string | undefined {
  const f = force(v);
  if (f.kind === 'unknown' && /^(__filename|import\.meta\.filename)$/.test(f.text)) return file;
  if (f.kind === 'ext' && f.module === 'url') {
    const last = f.chain[f.chain.length - 1];
    if (last && 'call' in last && last.call[0] && isImportMetaUrl(force(last.call[0]))) return file;
  }
  return undefined;
}

function isImportMetaUrl(v: Value): boolean {
  return v.kind === 'unknown' && /import\.meta\.url/.test(v.text);
}

function clean(p: string): string | undefined {
  const n = path.posix.normalize(p).replace(/\/$/, '');
  if (n.startsWith('..')) return undefined;
  return n === '.' ? '' : n;
}

export function regexOf(v: Value | undefined, what: string): SafeRegex | undefined {
  const f = v ? force(v) : undefined;
  if (f?.kind !== 'regex') return undefined;
  const r = f as RegexV;
  // `g`/`y` would make `test` depend on the last match; autoload tests each name afresh
  return SafeRegex.compile(r.pattern, r.flags.replace(/[gy]/g, ''), { file: r.loc?.file, line: r.loc?.line, what });
}

export type { ExtV };
