import fs from 'node:fs';
import path from 'node:path';
import { AuthClassifier } from './auth/classify.js';
import type { Config } from './config/config.js';
import { discoverFiles, findRepoRoot, packageDirOf, type DiscoveryProblem } from './discover/files.js';
import { formatBytes, isInside, readBounded, ReadRefused, realDir } from './discover/safe-read.js';
import { FRAMEWORKS } from './frameworks/index.js';
import { buildInventory } from './inventory/merge.js';
import type { CodeEndpoint, Endpoint, Finding, Notification, SpecDocument } from './model.js';
import { MAX_FILE_BYTES, isBinary, looksMinified, parseSource, type ParsedFile } from './parse/parse.js';
import { Interpreter } from './resolve/interpreter.js';
import { ModuleResolver } from './resolve/modules.js';
import { withRegexScope } from './resolve/safe-regex.js';
import { withWalkScope } from './parse/walk.js';
import { resolveByType } from './resolve/types.js';
import type { TrafficContext } from './rules/engine.js';
import { analyseTraffic, TrafficInputError, type TrafficOptions, type TrafficReport } from './traffic/stage.js';
import { runRules } from './rules/engine.js';
import { RULES } from '../rules/index.js';
import { looksLikeSpec } from './spec/detect.js';
import { startLoadingSpecs } from './spec/load-many.js';
import { applySuppressions, parseSuppressions, type CodeSuppression, type SuppressedFinding } from './baseline/suppress.js';

export interface ScanOptions {
  /** Absolute path of the directory to scan. */
  root: string;
  /**
   * Absolute path that reported file names are relative to (default: `root`). The CLI passes the enclosing git
   * repository, so that a scan of a subdirectory reports repository-relative paths, as GitHub code scanning expects.
   */
  repoRoot?: string;
  /** Spec files named by the user (relative to the working directory or absolute). Discovered when empty. */
  specs?: string[];
  config?: Config;
  /** Injected for tests: reads a file as bytes. */
  readFile?: (abs: string) => Buffer;
  /** Access logs to compare with code and spec (absolute paths) and how to read them. */
  traffic?: TrafficOptions;
  /** The config file in use (repo-relative), for anchoring findings. */
  configFile?: string;
}

export interface ScanStats {
  filesDiscovered: number;
  filesRead: number;
  filesParsed: number;
  entryFiles: number;
  bytesRead: number;
  specsLoaded: number;
  skipped: number;
}

export interface ScanResult {
  root: string;
  codeEndpoints: CodeEndpoint[];
  specs: SpecDocument[];
  inventory: Endpoint[];
  findings: Finding[];
  notifications: Notification[];
  stats: ScanStats;
  frameworks: string[];
  traffic?: TrafficReport;
  /** Findings left out by an inline or spec suppression (`apilantern-ignore`), with the reason. */
  suppressed: SuppressedFinding[];
}

export { findRepoRoot };

/** Thrown for errors that stop the tool from doing its job (exit code 2). */
export class UsageError extends Error {}

export async function scan(opts: ScanOptions): Promise<ScanResult> {
  const notifications: Notification[] = [];
  const notify = (n: Notification) => notifications.push(n);
  // regular expressions from the scanned code run under this scan's work budget and report to it
  return withRegexScope(notify, () => withWalkScope(notify, () => scanWith(opts, notifications, notify)));
}

async function scanWith(opts: ScanOptions, notifications: Notification[], notify: (n: Notification) => void): Promise<ScanResult> {
  const root = path.resolve(opts.root);
  const config = opts.config ?? {};
  const maxFileBytes = config.maxFileBytes ?? MAX_FILE_BYTES;
  // every source is a regular file of bounded size whose real path stays inside the scanned directory
  const readFile = opts.readFile ?? ((abs: string) => readBounded(abs, { maxBytes: maxFileBytes, within: root }));
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch {
    throw new UsageError(`${opts.root}: no such directory`);
  }
  if (!st.isDirectory()) throw new UsageError(`${opts.root}: not a directory`);

  const base = path.resolve(opts.repoRoot ?? root);
  const prefix = path.relative(base, root).split(path.sep).join('/');
  if (prefix.startsWith('..')) throw new UsageError(`${opts.root} is not inside ${opts.repoRoot}`);
  const id = (rel: string) => (prefix ? `${prefix}/${rel}` : rel);
  // (.gitignore files up to the enclosing git repository apply, as git applies them)
  const found = await discoverFiles(root, { include: config.include, exclude: config.exclude, top: findRepoRoot(root) ?? base });
  for (const p of found.problems) notify(discoveryNotice(p, id));
  if (found.ignoredByParent) {
    notify({ level: 'warning', code: 'root-gitignored', message: `${prefix || '.'}: the scanned directory is ignored by a .gitignore above it; it was scanned without .gitignore rules.`, file: prefix || undefined });
  }
  for (const l of found.skippedLinks) {
    const why = l.why === 'dangling' ? 'a dangling symbolic link' : l.why === 'directory' ? 'a symbolic link to a directory (not followed, so that link loops cannot trap the scan)' : 'a symbolic link that leads out of the scanned directory';
    notify({ level: 'note', code: 'link-skipped', message: `${id(l.file)}: ${why}; skipped.`, file: id(l.file) });
  }
  const files = {
    sources: found.sources.map(id),
    packageJsons: found.packageJsons.map(id),
    specCandidates: found.specCandidates.map(id),
    compiledCopies: found.compiledCopies.map(id),
  };
  if (!files.sources.length) {
    const narrowed = config.include?.length || config.exclude !== undefined;
    notify({
      level: 'warning',
      code: 'no-sources',
      message: narrowed
        ? `${opts.configFile ?? 'config'}: include/exclude leave no JavaScript or TypeScript source file to scan under ${prefix || '.'}; the inventory from code is empty.`
        : `${prefix || '.'}: no JavaScript or TypeScript source file found to scan; the inventory from code is empty.`,
      file: narrowed ? opts.configFile : prefix || undefined,
    });
  }
  const stats: ScanStats = { filesDiscovered: files.sources.length, filesRead: 0, filesParsed: 0, entryFiles: 0, bytesRead: 0, specsLoaded: 0, skipped: 0 };
  const packageDirs = files.packageJsons.map((p) => path.posix.dirname(p));
  const serviceOf = (file: string) => {
    const d = packageDirOf(file, packageDirs);
    return d === '.' && prefix ? prefix : d;
  };

  // read every source once; a cheap text test picks the files that can create apps or register routes
  const texts = new Map<string, string>();
  const suppressions: CodeSuppression[] = [];
  const skippedFiles = new Set<string>();
  const readText = (file: string): string | undefined => {
    if (texts.has(file)) return texts.get(file);
    if (skippedFiles.has(file)) return undefined;
    let buf: Buffer;
    try {
      buf = readFile(path.join(base, file));
      if (buf.length > maxFileBytes) throw new ReadRefused('too-large', `${formatBytes(buf.length)}, larger than the ${formatBytes(maxFileBytes)} limit`);
    } catch (err) {
      skippedFiles.add(file);
      stats.skipped++;
      if (err instanceof ReadRefused && err.reason === 'too-large') notify({ level: 'note', code: 'file-skipped-large', message: `${file}: ${err.why} (generated code?); skipped.`, file });
      else {
        const why = err instanceof ReadRefused ? (err.reason === 'missing' ? 'dangling link or file removed' : err.why) : ((err as NodeJS.ErrnoException).code ?? String(err));
        notify({ level: 'warning', code: 'file-unreadable', message: `${file}: could not be read (${why}); skipped.`, file });
      }
      return undefined;
    }
    stats.filesRead++;
    stats.bytesRead += buf.length;
    if (isBinary(buf)) {
      skippedFiles.add(file);
      stats.skipped++;
      notify({ level: 'note', code: 'file-skipped-binary', message: `${file}: binary content under a source extension; skipped.`, file });
      return undefined;
    }
    const text = buf.toString('utf8');
    if (looksMinified(text, file)) {
      skippedFiles.add(file);
      stats.skipped++;
      notify({ level: 'note', code: 'file-skipped-minified', message: `${file}: minified or bundled code; route-looking calls in it are not counted.`, file });
      return undefined;
    }
    texts.set(file, text);
    if (text.includes('apilantern-ignore')) suppressions.push(...parseSuppressions(file, text, notify));
    return text;
  };

  const entries: string[] = [];
  const enabled = new Set<string>();
  const entriesOf = new Map<string, string[]>();
  for (const file of files.sources) {
    const text = readText(file);
    if (text === undefined) continue;
    let entry = false;
    for (const fw of FRAMEWORKS) {
      if (fw.isEntry(text, file)) {
        enabled.add(fw.name);
        entry = true;
        const list = entriesOf.get(fw.name) ?? [];
        list.push(file);
        entriesOf.set(fw.name, list);
      }
    }
    if (entry) entries.push(file);
  }
  // files that import an entry wire it up (`new App([new UsersRoute()])` in a server.ts that never names express),
  // up to three levels (main.ts → bootstrap.ts → app.ts)
  const resolver = new ModuleResolver(base, files.sources, files.packageJsons);
  const entrySet = new Set(entries);
  // the seeds: entries of frameworks that are wired by code (not file-based ones)
  const wiringSeeds = new Set(FRAMEWORKS.filter((fw) => fw.wiredByImporters !== false).flatMap((fw) => entriesOf.get(fw.name) ?? []));
  const importsOf = new Map<string, string[]>();
  for (const file of files.sources) {
    const text = texts.get(file);
    if (text === undefined) continue;
    const targets: string[] = [];
    for (const spec of importSpecifiers(text)) {
      const r = resolver.resolve(file, spec);
      if (r.kind === 'file') targets.push(r.file);
    }
    if (targets.length) importsOf.set(file, targets);
  }
  for (let level = 0; level < 3; level++) {
    const added: string[] = [];
    for (const [file, targets] of importsOf) {
      if (!entrySet.has(file) && targets.some((t) => wiringSeeds.has(t))) added.push(file);
    }
    if (!added.length) break;
    for (const f of added) {
      entrySet.add(f);
      wiringSeeds.add(f);
      entries.push(f);
    }
  }
  // Node's load order: files nothing imports (the real entry points) first, so that require cycles resolve as they
  // do when the app starts, not in alphabetical order
  const imported = new Set<string>();
  for (const [file, targets] of importsOf) if (entrySet.has(file)) for (const t of targets) if (t !== file) imported.add(t);
  const mains = packageEntryPoints(files.packageJsons, resolver);
  const rank = (f: string) => (mains.has(f) ? 0 : !imported.has(f) ? 1 : /\.listen\s*\(/.test(texts.get(f) ?? '') ? 2 : 3);
  entries.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  stats.entryFiles = entries.length;
  for (const n of files.compiledCopies.slice(0, 1)) {
    notify({ level: 'note', code: 'file-skipped-compiled', message: `${files.compiledCopies.length} JavaScript file(s) beside a TypeScript source of the same name were taken for compiled copies and skipped (first: ${n}).`, file: n });
  }

  // specs: named by the user, else discovered by content
  let specFiles: string[];
  const pinnedService = new Map<string, string>();
  if (opts.specs?.length) {
    specFiles = [];
    for (const s of opts.specs) {
      const abs = path.resolve(s);
      if (!fs.existsSync(abs)) throw new UsageError(`--spec ${s}: no such file`);
      specFiles.push(abs);
    }
  } else {
    specFiles = [];
    for (const sp of config.specs ?? []) {
      const given = typeof sp === 'string' ? sp : sp.path;
      const abs = path.resolve(root, given);
      // a path from the repository's own config never leads out of it (only the command line may name such files)
      let real = abs;
      try {
        real = fs.realpathSync(abs);
      } catch {
        /* missing: reported when it is loaded */
      }
      if (!isInside(base, abs) || !isInside(realDir(base), real)) {
        throw new UsageError(`${opts.configFile ?? 'config'}: specs entry '${given}' is outside the scanned repository; config files may only name files inside it (name an outside spec with --spec on the command line).`);
      }
      specFiles.push(abs);
      if (typeof sp !== 'string' && sp.service !== undefined) {
        const rel = sp.service.replace(/^\.\/?|\/$/g, '');
        pinnedService.set(abs, rel ? id(rel) : prefix || '.');
      }
    }
    if (!specFiles.length) {
      for (const rel of files.specCandidates) {
        try {
          if (looksLikeSpec(readBounded(path.join(base, rel), { maxBytes: 0, within: root, head: 4096 }).toString('utf8'))) specFiles.push(path.join(base, rel));
        } catch (err) {
          // a candidate that cannot be read may be a spec: say so (links out and non-files were named by discovery)
          if (err instanceof ReadRefused && err.reason === 'unreadable') notify({ level: 'warning', code: 'spec-unreadable', message: `${rel}: could not be read to tell whether it is a spec (${err.why}); skipped.`, file: rel });
        }
      }
    }
  }
  // specs load on another core while the code is analysed
  const specsLoading = startLoadingSpecs(specFiles, { root: base, allowRemoteRefs: config.allowRemoteRefs === true });

  const parsedCache = new Map<string, ParsedFile | undefined>();
  const load = (file: string): ParsedFile | undefined => {
    if (parsedCache.has(file)) return parsedCache.get(file);
    const text = readText(file);
    let parsed: ParsedFile | undefined;
    if (text !== undefined) {
      const r = parseSource(file, text);
      stats.filesParsed++;
      for (const n of r.notifications) notify(n);
      parsed = r.parsed;
      if (!parsed) stats.skipped++;
    }
    parsedCache.set(file, parsed);
    texts.delete(file);
    return parsed;
  };

  const active = FRAMEWORKS.filter((fw) => enabled.has(fw.name));
  const readRepoJson = (file: string) => resolver.readJsonFile(file);
  const runs = active.map((fw) => fw.start({ serviceOf, notify, files: files.sources, readJson: readRepoJson }));
  const it = new Interpreter({
    resolver,
    plugins: runs.map((r) => r.hooks),
    load,
    readJson: readRepoJson,
    notify,
  });
  // entry files are parsed here, on a shallow stack, not from deep inside the evaluation of a module that imports them
  // (the parser's own recursion then has the whole stack for deeply nested expressions)
  for (const f of entries) load(f);
  it.run(entries);
  it.runUncalled(entries);
  const classifier = new AuthClassifier(it, active.flatMap((fw) => fw.authLibs ?? []), new Map(Object.entries(config.auth?.middleware ?? {})), new Map(Object.entries(config.auth?.imports ?? {})), notify);
  const codeEndpoints = runs.flatMap((r, i) => {
    try {
      return r.finish({ classifier, it, entries: entriesOf.get(active[i]!.name) ?? [] });
    } catch (err) {
      notify({ level: 'error', code: 'framework-failed', message: `the ${active[i]!.name} extraction failed (${(err as Error).message}); its endpoints are missing from the report.` });
      return [];
    }
  });

  // what the syntactic pass left unresolved, TypeScript's types may still know (loads the compiler only then)
  const typedEndpoints = await resolveByType(codeEndpoints, base, notify);

  const specs: SpecDocument[] = [];
  // a spec the user named (--spec, config) that cannot be used is an error (the run exits 2); one found by its
  // content is reported as a warning: a stray, draft or newer-version document must not fail every run
  const specsNamed = !!opts.specs?.length || !!config.specs?.length;
  for (const r of await specsLoading.finish()) {
    for (const n of r.notifications) notify(!specsNamed && n.level === 'error' ? { ...n, level: 'warning' } : n);
    if (r.doc) specs.push({ ...r.doc, service: pinnedService.get(path.join(base, r.doc.file)) ?? packageDirOf(r.doc.file, packageDirs) });
  }
  stats.specsLoaded = specs.length;

  let inventory = buildInventory(typedEndpoints, specs);
  let traffic: { report: TrafficReport; rules: TrafficContext } | undefined;
  if (opts.traffic?.files.length) {
    try {
      const t = await analyseTraffic(inventory, specs, opts.traffic, config, { base, configFile: opts.configFile, firstSource: files.sources[0], notify });
      inventory = t.inventory;
      traffic = t;
    } catch (err) {
      if (err instanceof TrafficInputError) throw new UsageError(err.message);
      throw err;
    }
  }
  const { kept: allKept, suppressed } = applySuppressions(runRules(RULES, { inventory, specs, codeEndpoints: typedEndpoints, traffic: traffic?.rules, config, notify }), inventory, suppressions, specs, notify);
  notifications.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
  // paths public by design (config auth.publicPaths): their unauthenticated-* findings are suppressed with that reason
  const publicPaths = config.auth?.publicPaths ?? [];
  const isPublic = (p: string) => publicPaths.some((pp) => (pp.endsWith('/*') ? p === pp.slice(0, -2) || p.startsWith(pp.slice(0, -1)) : p === pp));
  const findings = allKept.filter((f) => {
    if (!publicPaths.length || !/^unauthenticated-/.test(f.ruleId)) return true;
    const p = f.endpoint.slice(f.endpoint.indexOf(' ') + 1);
    if (!isPublic(p)) return true;
    suppressed.push({ ...f, suppression: { kind: 'inSource', justification: 'public by design (auth.publicPaths in config)', file: opts.configFile ?? f.file, line: opts.configFile ? 1 : f.line } });
    return false;
  });
  return { root, codeEndpoints: typedEndpoints, specs, inventory, findings, notifications, stats, frameworks: [...enabled].sort(), suppressed, ...(traffic ? { traffic: traffic.report } : {}) };
}

function discoveryNotice(p: DiscoveryProblem, id: (rel: string) => string): Notification {
  const file = p.file === '.' ? id('.').replace(/\/\.$/, '') || '.' : id(p.file);
  switch (p.kind) {
    case 'unreadable-directory':
      return { level: 'warning', code: 'directory-unreadable', message: `${file}/: ${p.why}; the files under it are not in the inventory.`, file };
    case 'not-regular':
      return { level: 'warning', code: 'file-not-regular', message: `${file}: ${p.why}; not read.`, file };
    case 'name-not-utf8':
      return { level: 'warning', code: 'file-name-not-utf8', message: `${file}: ${p.why}; skipped.`, file };
    case 'name-line-break':
      return { level: 'warning', code: 'file-name-line-break', message: `${file}: ${p.why}; skipped.`, file };
    case 'ignore-file-refused':
      return { level: 'warning', code: 'ignore-file-refused', message: `${file}: ${p.why}; its ignore rules were not applied.`, file };
    case 'spec-through-link':
      return { level: 'note', code: 'spec-through-link', message: `${file}: ${p.why}; read as a spec candidate.`, file };
  }
}

/** Import and require specifiers, by a cheap text scan (comments may give false candidates; they only cost a parse). */
export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  const re = /\b(?:from|import|require)\s*\(?\s*['"]([^'"\n]+)['"]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push(m[1]!);
  return out;
}

/** Files that package.json starts: `main`, `bin`, and the script of `start`/`dev`/`serve` (`node src/server.js`). */
function packageEntryPoints(packageJsons: string[], resolver: ModuleResolver): Set<string> {
  const out = new Set<string>();
  for (const pj of packageJsons) {
    const data = resolver.readJsonFile(pj) as { main?: unknown; bin?: unknown; scripts?: Record<string, unknown> } | undefined;
    if (!data) continue;
    const cands: string[] = [];
    if (typeof data.main === 'string') cands.push(data.main);
    if (typeof data.bin === 'string') cands.push(data.bin);
    else if (data.bin && typeof data.bin === 'object') cands.push(...Object.values(data.bin).filter((x): x is string => typeof x === 'string'));
    for (const k of ['start', 'dev', 'serve', 'start:dev']) {
      const script = data.scripts?.[k];
      if (typeof script !== 'string') continue;
      const m = /(?:node|nodemon|ts-node(?:-dev)?|tsx|bun|deno run)\s+(?:--?[\w-]+(?:[= ][^\s]+)?\s+)*([\w./@-]+\.[cm]?[jt]sx?)\b/.exec(script);
      if (m) cands.push(m[1]!);
    }
    for (const c of cands) {
      const r = resolver.resolve(pj, c.startsWith('.') ? c : `./${c}`);
      if (r.kind === 'file') out.add(r.file);
    }
  }
  return out;
}
