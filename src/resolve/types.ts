import fs from 'node:fs';
import path from 'node:path';
import type { CodeEndpoint, Notification, Unresolved } from '../model.js';
import { normalizeSlashes } from './paths.js';
import { isInside, LIMITS, readBounded, realDir } from '../discover/safe-read.js';

/**
 * The file system the TypeScript compiler sees: read-only, and only regular files of bounded size inside the
 * repository (a tsconfig `extends`, an import or a `.d.ts` that is a link to `/dev/zero`, a named pipe or a file out
 * of the repository reads as missing). Nothing is ever written.
 */
function repositoryFileSystem(base: string): import('ts-morph').FileSystemHost {
  const inRepo = (p: string) => isInside(base, path.resolve(p));
  const read = (p: string): string => {
    if (!inRepo(p)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    try {
      return readBounded(p, { maxBytes: LIMITS.smallFile, within: base }).toString('utf8');
    } catch {
      throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    }
  };
  const stat = (p: string): fs.Stats | undefined => {
    if (!inRepo(p)) return undefined;
    try {
      const st = fs.statSync(p);
      return isInside(realDir(base), fs.realpathSync(p)) ? st : undefined;
    } catch {
      return undefined;
    }
  };
  const readOnly = (): never => {
    throw new Error('the scan never writes to the repository');
  };
  return {
    isCaseSensitive: () => process.platform !== 'win32' && process.platform !== 'darwin',
    delete: async () => readOnly(),
    deleteSync: readOnly,
    readDirSync: (dir) => {
      if (!stat(dir)?.isDirectory()) return [];
      return fs.readdirSync(dir, { withFileTypes: true }).map((d) => {
        const st = d.isSymbolicLink() ? stat(path.join(dir, d.name)) : undefined;
        return { name: path.join(dir, d.name), isFile: d.isFile() || !!st?.isFile(), isDirectory: d.isDirectory() || !!st?.isDirectory(), isSymlink: d.isSymbolicLink() };
      });
    },
    readFile: async (p) => read(p),
    readFileSync: (p) => read(p),
    writeFile: async () => readOnly(),
    writeFileSync: readOnly,
    mkdir: async () => readOnly(),
    mkdirSync: readOnly,
    move: async () => readOnly(),
    moveSync: readOnly,
    copy: async () => readOnly(),
    copySync: readOnly,
    fileExists: async (p) => !!stat(p)?.isFile(),
    fileExistsSync: (p) => !!stat(p)?.isFile(),
    directoryExists: async (p) => !!stat(p)?.isDirectory(),
    directoryExistsSync: (p) => !!stat(p)?.isDirectory(),
    realpathSync: (p) => {
      try {
        return fs.realpathSync(p);
      } catch {
        return p;
      }
    },
    getCurrentDirectory: () => base,
    glob: async () => [],
    globSync: () => [],
  };
}

/**
 * Type-aware resolution, for what the fast syntactic pass leaves unresolved: a path part whose value the interpreter
 * cannot compute but whose TypeScript type is a single string literal (`function apiPrefix(): '/v2'`,
 * `settings as { base: '/internal' }`, a constant behind a declaration file) is replaced by that literal. It loads the
 * TypeScript compiler (through ts-morph) only when such parts exist in TypeScript files, and reads files only.
 */
export async function resolveByType(endpoints: CodeEndpoint[], base: string, notify: (n: Notification) => void): Promise<CodeEndpoint[]> {
  const targets = endpoints.flatMap((e) => e.unresolved.map((u, i) => ({ e, u, i }))).filter(({ u }) => u.site && /\.(ts|tsx|mts|cts)$/.test(u.site.file) && !/regular-expression/.test(u.reason));
  if (!targets.length) return endpoints;
  let tsMorph: typeof import('ts-morph');
  try {
    tsMorph = await import('ts-morph');
  } catch {
    return endpoints;
  }
  const { Project, Node } = tsMorph;
  const files = [...new Set(targets.map((t) => t.u.site!.file))];
  const tsconfig = nearestTsconfig(path.join(base, files[0]!), base);
  let project: InstanceType<typeof Project>;
  try {
    project = new Project({
      fileSystem: repositoryFileSystem(base),
      ...(tsconfig ? { tsConfigFilePath: tsconfig } : {}),
      skipAddingFilesFromTsConfig: true,
      compilerOptions: { noEmit: true, skipLibCheck: true, allowJs: false },
    });
    for (const f of files) project.addSourceFileAtPathIfExists(path.join(base, f));
    project.resolveSourceFileDependencies();
  } catch (err) {
    notify({ level: 'note', code: 'type-resolution-failed', message: `type-aware resolution could not start (${(err as Error).message.split('\n')[0]}); unresolved path parts stay unresolved.` });
    return endpoints;
  }
  const literalAt = new Map<string, string[] | null>();
  /** The literal values the expression's type allows: one, or the members of a union of literals. */
  const literalsOf = (site: NonNullable<Unresolved['site']>): string[] | undefined => {
    const key = `${site.file}:${site.line}:${site.text}`;
    if (literalAt.has(key)) return literalAt.get(key) ?? undefined;
    let found: string[] | undefined;
    const sf = project.getSourceFile(path.join(base, site.file));
    if (sf) {
      const want = site.text.replace(/\s+/g, '');
      // (walk.skip()/stop() return a value that forEachDescendant would take for a result: call, do not return them)
      sf.forEachDescendant((node, walk) => {
        if (found !== undefined) {
          walk.stop();
          return;
        }
        if (node.getStartLineNumber() > site.line || node.getEndLineNumber() < site.line) {
          walk.skip();
          return;
        }
        if (!Node.isExpression(node) || node.getText().replace(/\s+/g, '') !== want) return;
        const type = node.getType();
        const members = type.isUnion() ? type.getUnionTypes() : [type];
        if (members.length <= 16 && members.every((m) => m.isStringLiteral() || m.isNumberLiteral())) found = members.map((m) => String(m.getLiteralValue()));
      });
    }
    literalAt.set(key, found ?? null);
    return found;
  };
  const out: CodeEndpoint[] = [];
  for (const e of endpoints) {
    const subs = new Map<number, string[]>();
    let failed: { site: NonNullable<Unresolved['site']>; err: unknown } | undefined;
    e.unresolved.forEach((u, i) => {
      if (failed || !u.site || !/\.(ts|tsx|mts|cts)$/.test(u.site.file) || /regular-expression/.test(u.reason)) return;
      try {
        const lits = literalsOf(u.site);
        if (lits?.length) subs.set(i, lits);
      } catch (err) {
        failed = { site: u.site, err };
      }
    });
    if (failed) {
      // the compiler failed on this code (deeply nested expressions exhaust its stack): its state is not to be trusted
      // any more, so what it resolved is dropped and every endpoint stays as the interpreter found it
      const { site, err } = failed;
      const why = err instanceof RangeError ? 'the code there is nested too deep for the TypeScript compiler' : (err as Error)?.message?.split('\n')[0] ?? String(err);
      notify({ level: 'warning', code: 'type-resolution-failed', message: `${site.file}:${site.line}: type-aware resolution failed (${why}); unresolved path parts stay unresolved.`, file: site.file, line: site.line });
      return endpoints;
    }
    if (!subs.size) {
      out.push(e);
      continue;
    }
    // every combination of the allowed values (a union gives one endpoint per member)
    let combos: Array<Map<number, string>> = [new Map()];
    for (const [i, lits] of subs) combos = combos.flatMap((c) => lits.map((l) => new Map(c).set(i, l))).slice(0, 64);
    for (const combo of combos) {
      let k = -1;
      const p = e.path.replace(/\{\?\}/g, (whole) => {
        k++;
        return combo.get(k) ?? whole;
      });
      out.push({
        ...e,
        path: normalizeSlashes(p),
        unresolved: e.unresolved.filter((_, i) => !combo.has(i)),
        notes: [
          ...e.notes,
          ...[...combo].map(([i, lit]) => {
            const lits = subs.get(i)!;
            return lits.length > 1 ? `${e.unresolved[i]!.site!.text} is one of ${lits.map((l) => `'${l}'`).join(' | ')} by its TypeScript type: this is '${lit}'` : `${e.unresolved[i]!.site!.text} resolved from its TypeScript type: '${lit}'`;
          }),
        ],
      });
    }
  }
  return out;
}

function nearestTsconfig(file: string, base: string): string | undefined {
  let dir = path.dirname(file);
  for (let i = 0; i < 50; i++) {
    const f = path.join(dir, 'tsconfig.json');
    if (fs.existsSync(f)) return fs.statSync(f).isFile() ? f : undefined;
    if (dir === base || dir === path.dirname(dir)) return undefined;
    dir = path.dirname(dir);
  }
  return undefined;
}
