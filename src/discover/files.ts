import fs from 'node:fs';
import path from 'node:path';
import { globby } from 'globby';

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

async function discoverWith(root: string, opts: DiscoverOptions, gitignore: boolean): Promise<DiscoveredFiles> {
  const excludes = opts.exclude ?? DEFAULT_EXCLUDES;
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
    }),
    globby(['**/*.{yaml,yml,json}', '**/package.json'], {
      cwd: root,
      gitignore,
      // the same folders as for sources (tests, fixtures, build output), but `api.spec.yaml` is a spec, not a test
      ignore: [...ALWAYS_IGNORED, ...excludes.filter((g) => !/\*\.(test|spec|e2e-spec|stories)\.\*$|\.d\.[cm]?ts$|\.min\.js$/.test(g))],
      followSymbolicLinks: false,
      onlyFiles: true,
      dot: false,
      suppressErrors: true,
    }),
  ]);
  const realRoot = realpathOr(root);
  const sourcesRaw: string[] = [];
  const skippedLinks: DiscoveredFiles['skippedLinks'] = [];
  const isSource = (p: string) => SOURCE_EXTENSIONS.includes(p.slice(p.lastIndexOf('.') + 1));
  for (const e of walked.filter((x) => isSource(x.path) || x.dirent.isSymbolicLink())) {
    if (e.dirent.isFile()) sourcesRaw.push(e.path);
    else if (e.dirent.isSymbolicLink()) {
      // a link to a file inside the root is read like the file; anything else is named and skipped
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(path.join(root, e.path));
      } catch {
        skippedLinks.push({ file: e.path, why: 'dangling' });
        continue;
      }
      const real = realpathOr(path.join(root, e.path));
      if (!(real === realRoot || real.startsWith(realRoot + path.sep))) skippedLinks.push({ file: e.path, why: 'outside' });
      else if (st.isDirectory()) skippedLinks.push({ file: e.path, why: 'directory' });
      else if (st.isFile()) sourcesRaw.push(e.path);
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
  const packageJsons = others.filter((f) => path.posix.basename(f) === 'package.json').sort();
  const specCandidates = others.filter((f) => SPEC_NAME.test(f) && !NOT_SPEC_JSON.test(f)).sort();
  return { root, sources, specCandidates, packageJsons, compiledCopies: compiledCopies.sort(), skippedLinks: skippedLinks.sort((a, b) => a.file.localeCompare(b.file)) };
}

function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
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
