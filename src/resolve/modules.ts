import fs from 'node:fs';
import path from 'node:path';
import { LIMITS, readBounded } from '../discover/safe-read.js';

/**
 * Static module resolution: relative specifiers, index files, `.js` specifiers that point at `.ts` sources,
 * tsconfig `paths`/`baseUrl` (with `extends`), and workspace packages of a monorepo. Reads config files as data only.
 */

const EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export type Resolution = { kind: 'file'; file: string } | { kind: 'json'; file: string } | { kind: 'external'; specifier: string };

interface TsPaths {
  dir: string; // repo-relative dir that `paths` are relative to
  baseUrl?: string; // repo-relative
  paths: Array<{ pattern: string; targets: string[] }>;
}

/** Reads JSON with comments and trailing commas (tsconfig style). Returns undefined when it is not JSON. */
export function readJsonc(text: string): unknown {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  out = out.replace(/,(\s*[}\]])/g, '$1');
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}

export class ModuleResolver {
  private readonly sourceSet: Set<string>;
  private readonly tsconfigCache = new Map<string, TsPaths | null>();
  private readonly cache = new Map<string, Resolution>();
  private readonly workspaces = new Map<string, { dir: string; entry?: string }>();

  constructor(
    private readonly root: string,
    sources: Iterable<string>,
    packageJsons: string[],
  ) {
    this.sourceSet = new Set(sources);
    for (const pj of packageJsons) {
      const data = this.readJsonFile(pj) as { name?: string; main?: string; module?: string; source?: string; types?: string; exports?: unknown } | undefined;
      if (!data?.name) continue;
      const dir = path.posix.dirname(pj);
      const candidates = [data.source, typeof data.exports === 'string' ? data.exports : undefined, exportsDot(data.exports), data.types, data.module, data.main]
        .filter((x): x is string => typeof x === 'string');
      let entry: string | undefined;
      for (const c of candidates) {
        const r = this.tryFile(path.posix.join(dir, c));
        if (r) {
          entry = r;
          break;
        }
      }
      entry ??= this.tryFile(path.posix.join(dir, 'src/index')) ?? this.tryFile(path.posix.join(dir, 'index'));
      this.workspaces.set(data.name, { dir, entry });
    }
  }

  isSource(file: string): boolean {
    return this.sourceSet.has(file);
  }

  resolve(fromFile: string, specifier: string): Resolution {
    const dir = path.posix.dirname(fromFile);
    const key = `${dir}\0${specifier}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const r = this.resolveUncached(fromFile, dir, specifier);
    this.cache.set(key, r);
    return r;
  }

  private resolveUncached(fromFile: string, dir: string, spec: string): Resolution {
    if (spec.startsWith('node:')) return { kind: 'external', specifier: spec };
    if (spec.startsWith('.') || spec.startsWith('/')) {
      const target = spec.startsWith('/') ? spec.slice(1) : path.posix.join(dir, spec);
      return this.fileOrExternal(target, spec);
    }
    const ts = this.tsconfigFor(dir);
    if (ts) {
      for (const { pattern, targets } of ts.paths) {
        const star = pattern.indexOf('*');
        let captured: string | undefined;
        if (star < 0) {
          if (pattern === spec) captured = '';
        } else {
          const pre = pattern.slice(0, star);
          const post = pattern.slice(star + 1);
          if (spec.startsWith(pre) && spec.endsWith(post) && spec.length >= pre.length + post.length) captured = spec.slice(pre.length, spec.length - post.length);
        }
        if (captured === undefined) continue;
        for (const t of targets) {
          const base = ts.baseUrl ?? ts.dir;
          const r = this.fileOrExternal(path.posix.join(base, t.replace('*', captured)), spec);
          if (r.kind !== 'external') return r;
        }
      }
      if (ts.baseUrl !== undefined) {
        const r = this.fileOrExternal(path.posix.join(ts.baseUrl, spec), spec);
        if (r.kind !== 'external') return r;
      }
    }
    // workspace packages: `@acme/shared` or `@acme/shared/sub/path`
    const parts = spec.split('/');
    const pkgName = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    const ws = this.workspaces.get(pkgName);
    if (ws) {
      const rest = parts.slice(spec.startsWith('@') ? 2 : 1).join('/');
      if (!rest && ws.entry) return { kind: 'file', file: ws.entry };
      if (rest) {
        const r = this.fileOrExternal(path.posix.join(ws.dir, rest), spec);
        if (r.kind !== 'external') return r;
        const r2 = this.fileOrExternal(path.posix.join(ws.dir, 'src', rest), spec);
        if (r2.kind !== 'external') return r2;
      }
    }
    void fromFile;
    return { kind: 'external', specifier: spec };
  }

  private fileOrExternal(target: string, spec: string): Resolution {
    const norm = path.posix.normalize(target).replace(/^\.\//, '');
    if (norm.startsWith('../')) return { kind: 'external', specifier: spec };
    if (/\.json$/i.test(norm) && this.existsOnDisk(norm)) return { kind: 'json', file: norm };
    const f = this.tryFile(norm) ?? this.sourceOfBuildOutput(norm);
    return f ? { kind: 'file', file: f } : { kind: 'external', specifier: spec };
  }

  /**
   * A path into build output that is not scanned (`require('./dist/validators')` in a workspace package's shim):
   * the source it was built from, `src/validators`, when there is one.
   */
  private sourceOfBuildOutput(norm: string): string | undefined {
    const m = /^(.*?)(?:^|\/)(dist|build|lib|out|cjs|esm)(?:\/(?:cjs|esm|src))?(\/.*)?$/.exec(norm);
    if (!m) return undefined;
    const prefix = m[1] ? `${m[1]}/` : '';
    const rest = (m[3] ?? '').replace(/^\//, '');
    for (const cand of [`${prefix}src/${rest}`, `${prefix}${rest}`]) {
      const c = cand.replace(/\/$/, '') || 'index';
      const f = this.tryFile(c) ?? (rest === '' ? this.tryFile(`${prefix}src/index`) : undefined);
      if (f) return f;
    }
    return undefined;
  }

  private tryFile(p: string): string | undefined {
    const norm = path.posix.normalize(p).replace(/^\.\//, '').replace(/\/$/, '');
    if (this.sourceSet.has(norm)) return norm;
    // `.js` specifier pointing at a `.ts` source (NodeNext style), and `.mjs`/`.cjs` alike
    const m = /^(.*)\.(js|jsx|mjs|cjs)$/.exec(norm);
    if (m) {
      const alt = m[2] === 'mjs' ? ['.mts'] : m[2] === 'cjs' ? ['.cts'] : ['.ts', '.tsx'];
      for (const e of alt) if (this.sourceSet.has(m[1] + e)) return m[1] + e;
    }
    for (const e of EXTS) if (this.sourceSet.has(norm + e)) return norm + e;
    for (const e of EXTS) if (this.sourceSet.has(`${norm}/index${e}`)) return `${norm}/index${e}`;
    return undefined;
  }

  private existsOnDisk(rel: string): boolean {
    try {
      return fs.statSync(path.join(this.root, rel)).isFile();
    } catch {
      return false;
    }
  }

  readJsonFile(rel: string): unknown {
    try {
      // a regular file of bounded size inside the repository: a committed link to /dev/zero is never read
      return readJsonc(readBounded(path.join(this.root, rel), { maxBytes: LIMITS.smallFile, within: this.root }).toString('utf8'));
    } catch {
      return undefined;
    }
  }

  /** The nearest tsconfig.json/jsconfig.json above `dir` (within the root), with `extends` applied. */
  private tsconfigFor(dir: string): TsPaths | null {
    const hit = this.tsconfigCache.get(dir);
    if (hit !== undefined) return hit;
    let result: TsPaths | null = null;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const rel = dir === '.' ? name : `${dir}/${name}`;
      if (this.existsOnDisk(rel)) {
        result = this.loadTsconfig(rel, 0);
        break;
      }
    }
    if (!result && dir !== '.' && dir !== '') result = this.tsconfigFor(path.posix.dirname(dir));
    this.tsconfigCache.set(dir, result);
    return result;
  }

  private loadTsconfig(rel: string, depth: number): TsPaths | null {
    if (depth > 10) return null;
    const data = this.readJsonFile(rel) as { extends?: string | string[]; compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } } | undefined;
    if (!data || typeof data !== 'object') return null;
    const dir = path.posix.dirname(rel);
    let inherited: TsPaths | null = null;
    const exts = Array.isArray(data.extends) ? data.extends : data.extends ? [data.extends] : [];
    for (const e of exts) {
      let target: string | undefined;
      if (e.startsWith('.')) target = path.posix.normalize(path.posix.join(dir, e));
      else target = path.posix.join('node_modules', e);
      if (!/\.json$/.test(target)) target += '.json';
      if (target.startsWith('../')) continue;
      if (this.existsOnDisk(target)) inherited = this.loadTsconfig(target, depth + 1) ?? inherited;
    }
    const co = data.compilerOptions ?? {};
    const baseUrl = typeof co.baseUrl === 'string' ? path.posix.normalize(path.posix.join(dir, co.baseUrl)) : inherited?.baseUrl;
    let pathsList = inherited?.paths ?? [];
    let pathsDir = inherited?.dir ?? dir;
    if (co.paths && typeof co.paths === 'object') {
      pathsList = Object.entries(co.paths)
        .filter(([, v]) => Array.isArray(v))
        .map(([pattern, targets]) => ({ pattern, targets: targets.filter((t) => typeof t === 'string') }));
      pathsDir = dir;
    }
    if (!pathsList.length && baseUrl === undefined) return null;
    return { dir: baseUrl ?? pathsDir, baseUrl, paths: pathsList };
  }
}

function exportsDot(exp: unknown): string | undefined {
  if (!exp || typeof exp !== 'object') return undefined;
  const dot = (exp as Record<string, unknown>)['.'] ?? exp;
  if (typeof dot === 'string') return dot;
  if (dot && typeof dot === 'object') {
    const d = dot as Record<string, unknown>;
    for (const k of ['source', 'types', 'import', 'require', 'default']) {
      const v = d[k];
      if (typeof v === 'string') return v;
      if (v && typeof v === 'object') {
        const inner = (v as Record<string, unknown>).default;
        if (typeof inner === 'string') return inner;
      }
    }
  }
  return undefined;
}
