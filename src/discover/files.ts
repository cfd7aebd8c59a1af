import fs from 'node:fs';
import path from 'node:path';
import { globby } from 'globby';
import { isInside, kindOf, LIMITS, readBounded, ReadRefused } from './safe-read.js';

export const SOURCE_EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'];

/** Never scanned, whatever the config says: dependencies and VCS internals. */
export const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

/** Skipped by default; `exclude` in config replaces this list. */
export const DEFAULT_EXCLUDES = [
  // build output
  '**/dist/**',
  '**/build/**',
  '**/out/**',
  '**/coverage/**',
  '**/.next/**',
  '**/.nuxt/**',
  '**/.output/**',
  '**/.turbo/**',
  '**/.vercel/**',
  '**/.serverless/**',
  '**/vendor/**',
  // tests and fixtures
  '**/*.test.*',
  '**/*.spec.*',
  '**/*.e2e-spec.*',
  '**/__tests__/**',
  '**/__mocks__/**',
  '**/test/**',
  '**/tests/**',
  '**/e2e/**',
  '**/fixtures/**',
  '**/cypress/**',
  '**/*.stories.*',
  // declarations and minified copies
  '**/*.d.ts',
  '**/*.d.mts',
  '**/*.d.cts',
  '**/*.min.js',
];

export interface DiscoverOptions {
  include?: string[];
  exclude?: string[];
  /** The repository the root belongs to: ignore files above the root are read only inside it (default: the root). */
  top?: string;
}

export interface DiscoveredFiles {
  /** Absolute root. */
  root: string;
  /** Repo-relative source files, sorted. */
  sources: string[];
  /** Repo-relative YAML/JSON files that may hold a spec (not yet checked by content). */
  specCandidates: string[];
  /** Repo-relative package.json files (outside node_modules). */
  packageJsons: string[];
  /** Source files left out because a TypeScript source of the same name sits beside them (compiled copies). */
  compiledCopies: string[];
  /** True when every source is ignored by a .gitignore above the root and the root was scanned without it. */
  ignoredByParent?: boolean;
  /** Symbolic links that were not followed: dangling, to a directory (never followed: loops), or out of the root. */
  skippedLinks: Array<{ file: string; why: 'dangling' | 'directory' | 'outside' }>;
  /**
   * What the walk met and could not use, for notifications: directories it could not list, entries that are not
   * regular files (named pipes, devices, sockets), names that are not valid UTF-8, `.gitignore` files not read,
   * and spec candidates read through an in-repository symbolic link.
   */
  problems: DiscoveryProblem[];
}

export interface DiscoveryProblem {
  kind: 'unreadable-directory' | 'not-regular' | 'name-not-utf8' | 'name-line-break' | 'ignore-file-refused' | 'spec-through-link';
  /** Root-relative path (forward slashes; `.` for the root itself). */
  file: string;
  why: string;
}

const SPEC_NAME = /\.(ya?ml|json)$/i;
const NOT_SPEC_JSON = /(^|\/)(package(-lock)?\.json|tsconfig[^/]*\.json|jsconfig\.json|\.eslintrc[^/]*|composer\.json|renovate\.json|lerna\.json|nx\.json|turbo\.json|\.?babelrc[^/]*|pnpm-lock\.yaml|yarn\.lock|\.prettierrc[^/]*|angular\.json|project\.json|vercel\.json|nest-cli\.json|docker-compose[^/]*|\.github\/[^]*)$/i;

export async function discoverFiles(root: string, opts: DiscoverOptions = {}): Promise<DiscoveredFiles> {
  const found = await discoverWith(root, opts, true);
  if (found.sources.length) return found;
  // nothing: when the directory the user named is itself ignored by a .gitignore above it, scan it anyway
  const ungated = await discoverWith(root, opts, false);
  return ungated.sources.length ? { ...ungated, ignoredByParent: true } : found;
}

/**
 * The file system as the walk sees it: a directory that cannot be listed is recorded and walked as empty (instead of
 * being dropped in silence), and an ignore file (`.gitignore`, git's exclude files) is read only when it is a regular
 * file of bounded size inside the repository (a link to `/dev/zero` or a named pipe would never end).
 */
function walkFs(root: string, top: string, problems: DiscoveryProblem[]) {
  const rel = (p: string) => path.relative(root, path.resolve(root, String(p))).split(path.sep).join('/') || '.';
  const readIgnore = (file: unknown): string => {
    const abs = path.resolve(root, String(file));
    try {
      return readBounded(abs, { maxBytes: LIMITS.smallFile, within: top }).toString('utf8');
    } catch (err) {
      if (err instanceof ReadRefused && err.reason === 'missing') throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      problems.push({ kind: 'ignore-file-refused', file: rel(abs), why: err instanceof ReadRefused ? err.why : String(err) });
      return '';
    }
  };
  type Cb = (err: NodeJS.ErrnoException | null, entries?: unknown) => void;
  const readdir = (dir: fs.PathLike, optsOrCb: unknown, maybeCb?: Cb) => {
    const cb = (typeof optsOrCb === 'function' ? optsOrCb : maybeCb) as Cb;
    const o = typeof optsOrCb === 'function' ? undefined : (optsOrCb as fs.ObjectEncodingOptions & { withFileTypes: true });
    fs.readdir(dir, o as never, (err: NodeJS.ErrnoException | null, entries: unknown) => {
      if (err && err.code !== 'ENOENT' && err.code !== 'ENOTDIR') {
        problems.push({ kind: 'unreadable-directory', file: rel(String(dir)), why: `cannot be listed (${err.code ?? err.message})` });
        cb(null, []);
        return;
      }
      // a name that starts with a line break matches no file pattern (a glob's `*` needs a first character that is
      // not one): name it, so that it is not lost in silence
      for (const d of (entries as Array<string | fs.Dirent>) ?? []) {
        const name = typeof d === 'string' ? d : d.name;
        if (/^[\n\r\u2028\u2029]/.test(name)) problems.push({ kind: 'name-line-break', file: rel(path.join(String(dir), name)), why: 'its name starts with a line break, which no file pattern matches' });
      }
      cb(err, entries);
    });
  };
  return {
    ...fs,
    readdir,
    readFileSync: (file: unknown) => readIgnore(file),
    readFile: (file: unknown, o: unknown, cb?: Cb) => {
      const done = (typeof o === 'function' ? o : cb) as Cb;
      try {
        done(null, readIgnore(file));
      } catch (err) {
        done(err as NodeJS.ErrnoException);
      }
    },
    promises: { ...fs.promises, readFile: async (file: unknown) => readIgnore(file) },
  } as unknown as typeof fs;
}

/** True when a walked path (root-relative) stays inside the root: a pattern such as `../x/*.ts` can leave it. */
function staysInside(p: string): boolean {
  return !path.isAbsolute(p) && !p.split('/').includes('..');
}

async function discoverWith(root: string, opts: DiscoverOptions, gitignore: boolean): Promise<DiscoveredFiles> {
  const excludes = opts.exclude ?? DEFAULT_EXCLUDES;
  const problems: DiscoveryProblem[] = [];
  const fsImpl = walkFs(root, opts.top ?? root, problems);
  const srcPatterns = opts.include?.length ? opts.include : [`**/*.{${SOURCE_EXTENSIONS.join(',')}}`];
  // one walk for the sources and for extension-less names (links to directories are never followed, so that link
  // loops cannot trap the scan; this finds them so that they can be named)
  const [walked, others] = await Promise.all([
    globby([...srcPatterns, '**/!(*.*)'], {
      cwd: root,
      gitignore,
      ignore: [...ALWAYS_IGNORED, ...excludes],
      followSymbolicLinks: false,
      onlyFiles: false,
      objectMode: true,
      dot: false,
      suppressErrors: true,
      fs: fsImpl,
    }),
    globby(['**/*.{yaml,yml,json}', '**/package.json', ...(gitignore ? ['**/.gitignore'] : [])], {
      cwd: root,
      gitignore,
      fs: fsImpl,
      // the same folders as for sources (tests, fixtures, build output), but `api.spec.yaml` is a spec, not a test
      ignore: [...ALWAYS_IGNORED, ...excludes.filter((g) => !/\*\.(test|spec|e2e-spec|stories)\.\*$|\.d\.[cm]?ts$|\.min\.js$/.test(g))],
      followSymbolicLinks: false,
      onlyFiles: false,
      objectMode: true,
      dot: false,
      suppressErrors: true,
    }),
  ]);
  const realRoot = realpathOr(root);
  const sourcesRaw: string[] = [];
  const skippedLinks: DiscoveredFiles['skippedLinks'] = [];
  const isSource = (p: string) => SOURCE_EXTENSIONS.includes(p.slice(p.lastIndexOf('.') + 1));
  const named = (p: string) => {
    if (!staysInside(p)) return false;
    // a name that is not valid UTF-8 reaches us with replacement characters and cannot be opened by that name
    if (p.includes('\ufffd')) {
      problems.push({ kind: 'name-not-utf8', file: p, why: 'its name is not valid UTF-8 and cannot be read by name' });
      return false;
    }
    return true;
  };
  /**
   * What a walked entry is: a regular file (or a link to one inside the root: read like the file), or the reason it is
   * not read (a dangling link, a link to a directory or out of the root, a pipe, a device, a socket).
   */
  type Verdict = { ok: true; target?: string } | { ok: false; link?: 'dangling' | 'directory' | 'outside'; why?: string };
  const classify = (e: { path: string; dirent: Parameters<typeof kindOf>[0] & { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean } }): Verdict => {
    if (e.dirent.isFile()) return { ok: true };
    if (!e.dirent.isSymbolicLink()) return { ok: false, why: `${kindOf(e.dirent)}, not a regular file` };
    let st: fs.Stats;
    try {
      st = fs.statSync(path.join(root, e.path));
    } catch {
      return { ok: false, link: 'dangling' };
    }
    const real = realpathOr(path.join(root, e.path));
    if (!isInside(realRoot, real)) return { ok: false, link: 'outside' };
    if (st.isDirectory()) return { ok: false, link: 'directory' };
    if (!st.isFile()) return { ok: false, why: `a symbolic link to ${kindOf(st)}, not a regular file` };
    return { ok: true, target: path.relative(realRoot, real).split(path.sep).join('/') };
  };
  const refuse = (file: string, v: Verdict & { ok: false }) => {
    if (v.link) skippedLinks.push({ file, why: v.link });
    else problems.push({ kind: 'not-regular', file, why: v.why! });
  };
  for (const e of walked.filter((x) => named(x.path) && (isSource(x.path) || x.dirent.isSymbolicLink()))) {
    if (e.dirent.isDirectory()) continue;
    const v = classify(e);
    if (v.ok) sourcesRaw.push(e.path);
    else refuse(e.path, v);
  }
  // specs and package.json: regular files, or links to regular files inside the root (a spec so reached is named)
  const othersKept: string[] = [];
  for (const e of others) {
    if (!named(e.path) || e.dirent.isDirectory()) continue;
    const v = classify(e);
    if (path.posix.basename(e.path) === '.gitignore') {
      // read by the walk itself, through the bounded reader; what it cannot read is named here
      if (!v.ok) problems.push({ kind: 'ignore-file-refused', file: e.path, why: v.why ?? (v.link === 'outside' ? 'a symbolic link that leads out of the scanned directory' : `a ${v.link === 'dangling' ? 'dangling symbolic link' : 'symbolic link to a directory'}`) });
      continue;
    }
    if (!v.ok) refuse(e.path, v);
    else {
      othersKept.push(e.path);
      if (v.target && SPEC_NAME.test(e.path) && !NOT_SPEC_JSON.test(e.path)) problems.push({ kind: 'spec-through-link', file: e.path, why: `a symbolic link to ${v.target}` });
    }
  }
  const sourceSet = new Set(sourcesRaw.filter((f) => SOURCE_EXTENSIONS.includes(f.slice(f.lastIndexOf('.') + 1))));
  const compiledCopies: string[] = [];
  for (const f of sourceSet) {
    const m = /^(.*)\.(js|jsx|mjs|cjs)$/.exec(f);
    if (!m) continue;
    const base = m[1];
    if (sourceSet.has(`${base}.ts`) || sourceSet.has(`${base}.tsx`) || sourceSet.has(`${base}.mts`) || sourceSet.has(`${base}.cts`)) {
      compiledCopies.push(f);
    }
  }
  for (const f of compiledCopies) sourceSet.delete(f);
  const sources = [...sourceSet].sort();
  const packageJsons = othersKept.filter((f) => path.posix.basename(f) === 'package.json').sort();
  const specCandidates = othersKept.filter((f) => SPEC_NAME.test(f) && !NOT_SPEC_JSON.test(f)).sort();
  const seen = new Set<string>();
  const uniqueProblems = problems.filter((p) => {
    const k = `${p.kind}\0${p.file}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  return {
    root,
    sources,
    specCandidates,
    packageJsons,
    compiledCopies: compiledCopies.sort(),
    skippedLinks: skippedLinks.sort((a, b) => a.file.localeCompare(b.file)),
    problems: uniqueProblems.sort((a, b) => a.file.localeCompare(b.file) || a.kind.localeCompare(b.kind)),
  };
}


function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** The enclosing git repository of `dir` (a folder with `.git`), or undefined. Reads no git objects. */
export function findRepoRoot(dir: string): string | undefined {
  let cur = path.resolve(dir);
  for (let i = 0; i < 100; i++) {
    if (fs.existsSync(path.join(cur, '.git'))) return cur;
    const up = path.dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
  return undefined;
}

/** The package directory ('.' for the root) that holds `file`, given the known package.json files. */
export function packageDirOf(file: string, packageDirs: string[]): string {
  let best = '.';
  for (const d of packageDirs) {
    if (d === '.') continue;
    if ((file === d || file.startsWith(d + '/')) && d.length > (best === '.' ? 0 : best.length)) best = d;
  }
  return best;
}
