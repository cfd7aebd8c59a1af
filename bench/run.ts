/**
 * apilantern benchmark.
 *
 *   npm run bench                         # 3000-file synthetic monorepo, 3 runs each, median
 *   npm run bench -- --files 10000        # scale up (regenerates .bench/repo)
 *   npm run bench -- --runs 5 --no-profile --seed 7
 *
 * Measures, each as a child process from start to exit (wall time, median of --runs):
 *   a. the scan as a user runs it: node bin/apilantern.js scan .bench/repo --format json --output /dev/null --fail-on none
 *   b. the raw cost: bench/raw-parse.mjs discovers the same files, reads and parses each once with @babel/parser
 *   c. peak memory (max RSS) of each child, from /usr/bin/time (else from the child's own resourceUsage())
 *   d. files/s, MB/s, the ratio scan/raw, and recall: endpoints found in code / endpoints the generator wrote
 * then (unless --no-profile) one scan under `node --cpu-prof`, with the CPU time split by stage.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, generate, generatorHash, parseArgs, type ExpectedEndpoint } from './generate.ts';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BENCH = path.join(ROOT, '.bench');
const REPO = path.join(BENCH, 'repo');
const REPO_ARG = path.relative(ROOT, REPO) || '.';
const TIME = '/usr/bin/time';
const HAS_TIME = fs.existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;

interface Measure {
  wallMs: number;
  /** user + system CPU time of the child: steadier than wall time when other processes compete for the cores. */
  cpuMs: number;
  maxRssKB: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

// ---------------------------------------------------------------------------------------------------------------
// child processes

/** Runs `node <args>` from ROOT; wall time is measured here, from spawn to exit. */
function runNode(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Measure {
  const rssFile = path.join(BENCH, `rss-${process.pid}.txt`);
  fs.rmSync(rssFile, { force: true });
  const [cmd, argv] = HAS_TIME ? [TIME, ['-f', '%U %S %M', '-o', rssFile, process.execPath, ...args]] : [process.execPath, ['--import', path.join(ROOT, 'bench/rss.mjs'), ...args]];
  const env = { ...process.env, ...opts.env, NO_COLOR: '1', BENCH_RSS_FILE: rssFile };
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  let maxRssKB = NaN;
  let cpuMs = NaN;
  try {
    // "<user s> <sys s> <max RSS KB>"; /usr/bin/time writes "Command exited with non-zero status N" first when the child fails
    const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
    const [user, sys, rss] = lines[lines.length - 1]!.trim().split(/\s+/).map(Number);
    cpuMs = (user! + sys!) * 1000;
    maxRssKB = rss!;
  } catch {
    /* no figures */
  }
  fs.rmSync(rssFile, { force: true });
  return { wallMs, cpuMs, maxRssKB, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const SCAN_ARGS = ['bin/apilantern.js', 'scan', REPO_ARG, '--format', 'json', '--output', '/dev/null', '--fail-on', 'none'];

function scanOnce(): Measure {
  const m = runNode(SCAN_ARGS);
  if (m.status !== 0) throw new Error(`scan exited with ${m.status}:\n${m.stderr.slice(-2000)}`);
  return m;
}

interface RawOut {
  files: number;
  bytes: number;
  discoveryMs: number;
  readMs: number;
  parseMs: number;
  parseErrors: number;
  parseFailures: number;
  maxRssKB: number;
}

function rawOnce(): Measure & { out: RawOut } {
  const m = runNode(['bench/raw-parse.mjs', REPO_ARG]);
  if (m.status !== 0) throw new Error(`raw-parse exited with ${m.status}:\n${m.stderr.slice(-2000)}`);
  const out = JSON.parse(m.stdout.trim().split('\n').pop()!) as RawOut;
  if (!Number.isFinite(m.maxRssKB)) m.maxRssKB = out.maxRssKB;
  return { ...m, out };
}

// ---------------------------------------------------------------------------------------------------------------
// set-up: build and repo

function newestMtime(dir: string, re: RegExp): number {
  let max = 0;
  if (!fs.existsSync(dir)) return max;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !re.test(e.name)) continue;
    max = Math.max(max, fs.statSync(path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).mtimeMs);
  }
  return max;
}

function ensureBuild(): string {
  const main = path.join(ROOT, 'dist/src/cli/main.js');
  const srcNewest = Math.max(newestMtime(path.join(ROOT, 'src'), /\.ts$/), newestMtime(path.join(ROOT, 'rules'), /\.ts$/), fs.statSync(path.join(ROOT, 'tsconfig.json')).mtimeMs);
  const distTime = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
  if (distTime >= srcNewest) return 'dist/ up to date';
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('npm run build failed');
  return `built dist/ (${((Date.now() - t0) / 1000).toFixed(1)} s)`;
}

interface ExpectedFile {
  seed: number;
  requestedFiles?: number;
  generatorHash?: string;
  sourceFiles: number;
  sourceBytes: number;
  totalFiles: number;
  routeFiles: number;
  largeFiles: number;
  endpoints: number;
  expected: ExpectedEndpoint[];
}

function ensureRepo(files: number, seed: number, force: boolean): { expected: ExpectedFile; note: string } {
  const file = path.join(REPO, 'EXPECTED.json');
  const hash = generatorHash();
  if (!force && fs.existsSync(file)) {
    const e = JSON.parse(fs.readFileSync(file, 'utf8')) as ExpectedFile;
    if (e.requestedFiles === files && e.seed === seed && e.generatorHash === hash) return { expected: e, note: `reusing ${REPO_ARG} (${files} files, seed ${seed})` };
  }
  const t0 = Date.now();
  const s = generate({ out: REPO, files, seed });
  const e = JSON.parse(fs.readFileSync(file, 'utf8')) as ExpectedFile;
  return { expected: e, note: `${describe(s)}\n  (generated in ${((Date.now() - t0) / 1000).toFixed(1)} s)` };
}

// ---------------------------------------------------------------------------------------------------------------
// recall

interface ScanJson {
  summary: { endpoints: number; findings: number };
  endpoints: Array<{ method: string; path: string; service: string; sources: string[] }>;
  notifications: Array<{ level: string; code: string; message: string }>;
}

function recall(report: ScanJson, expected: ExpectedEndpoint[]) {
  const key = (e: { method: string; path: string; service: string }) => `${e.method} ${e.path} @${e.service}`;
  const code = report.endpoints.filter((e) => e.sources.includes('code'));
  const found = new Set(code.map(key));
  const want = new Set(expected.map(key));
  const missing = expected.filter((e) => !found.has(key(e)));
  const extra = code.filter((e) => !want.has(key(e)));
  return { codeEndpoints: code.length, matched: expected.length - missing.length, missing, extra };
}

// ---------------------------------------------------------------------------------------------------------------
// CPU profile: where the scan's time goes

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Stage of a stack: the innermost frame that names one wins (so parsing a file the interpreter imports is parsing). */
function stageOf(frame: ProfileNode['callFrame']): string | undefined {
  const u = frame.url;
  const f = frame.functionName;
  if (!u) {
    if (f === '(garbage collector)') return 'GC';
    if (f === '(idle)') return 'idle';
    if (f === '(program)') return 'V8/native (program)';
    return undefined;
  }
  if (/node_modules\/@babel\/parser\//.test(u)) return 'parse (@babel/parser)';
  if (/\/dist\/src\/parse\/parse\.js/.test(u)) return f === 'looksMinified' || f === 'isBinary' ? 'read + pre-checks (scan.js, looksMinified)' : 'parse (@babel/parser)';
  // other helpers under parse/ (AST walkers) work for their caller
  if (/\/dist\/src\/parse\//.test(u)) return undefined;
  if (/node_modules\/(globby|fast-glob|@nodelib|ignore|micromatch|picomatch|braces|unicorn-magic|slash|path-type)\//.test(u) || /\/dist\/src\/discover\//.test(u)) return 'discovery (globby, .gitignore)';
  if (/node_modules\/(@apidevtools|@jsdevtools|ajv|yaml|js-yaml|openapi-types|z-schema|call-me-maybe|json-schema)/.test(u) || /\/dist\/src\/spec\//.test(u)) return 'specs (load, validate)';
  if (/\/dist\/src\/resolve\/modules/.test(u)) return 'module resolution';
  // path templates are shared helpers: their time belongs to the caller (inventory matching, express mounts)
  if (/\/dist\/src\/resolve\/(paths|path-values)\.js/.test(u)) return undefined;
  if (/\/dist\/src\/(resolve|frameworks)\//.test(u)) return 'interpretation (interpreter, express plugin)';
  if (/\/dist\/src\/auth\//.test(u)) return 'auth classification';
  if (/\/dist\/src\/inventory\//.test(u)) return 'inventory merge';
  if (/\/dist\/(src\/rules|rules)\//.test(u)) return 'rules';
  if (/\/dist\/src\/report\//.test(u)) return 'reports (render JSON)';
  if (/\/dist\/src\/scan\.js/.test(u)) return f === 'readText' || f === 'readFile' ? 'read + pre-checks (scan.js, looksMinified)' : 'scan.js (other)';
  if (/node_modules\/(yargs|yargs-parser|cliui|y18n|escalade|get-caller-file|string-width|strip-ansi|wrap-ansi)/.test(u) || /\/dist\/src\/(cli|config)\//.test(u)) return 'CLI (yargs, config)';
  return undefined;
}

interface ProfileAnalysis {
  totalMs: number;
  /** [stage, self ms, GC ms that followed it] */
  stages: Array<[string, number, number]>;
  topSelf: Array<[string, number]>;
  /** Parsing split by what asked for the file: the interpreter's module graph, auth classification, other. */
  parseBy: Array<[string, number]>;
}

/** Who asked for a parse: the outermost of these frames on the stack. */
function parseRequester(frame: ProfileNode['callFrame']): string | undefined {
  if (/\/dist\/src\/auth\//.test(frame.url)) return 'auth classification (handler bodies -> the modules they call)';
  if (frame.functionName === 'run' && /\/resolve\/interpreter\.js/.test(frame.url)) return 'interpreter (entry files and their imports)';
  return undefined;
}

function analyseProfile(file: string): ProfileAnalysis {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageCache = new Map<number, string>();
  const stageFor = (id: number): string => {
    const hit = stageCache.get(id);
    if (hit) return hit;
    let cur: number | undefined = id;
    let s: string | undefined;
    let sawNodeInternal = false;
    while (cur !== undefined && !s) {
      const n = byId.get(cur)!;
      s = stageOf(n.callFrame);
      if (!s && /^node:/.test(n.callFrame.url)) sawNodeInternal = true;
      cur = parent.get(cur);
    }
    s ??= sawNodeInternal ? 'node start-up, module loading' : 'other';
    // node internals called from a stage (fs.readFileSync from readText) belong to that stage
    stageCache.set(id, s);
    return s;
  };
  const requesterFor = (id: number): string => {
    let cur: number | undefined = id;
    let r: string | undefined;
    while (cur !== undefined) {
      r = parseRequester(byId.get(cur)!.callFrame) ?? r; // outermost wins: auth classification runs outside run()
      cur = parent.get(cur);
    }
    return r ?? 'other';
  };
  const stages = new Map<string, number>();
  const gcAfter = new Map<string, number>();
  const self = new Map<string, number>();
  const parseBy = new Map<string, number>();
  let total = 0;
  let lastStage = 'other';
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    total += dt;
    const id = p.samples[i]!;
    const st = stageFor(id);
    stages.set(st, (stages.get(st) ?? 0) + dt);
    // a GC pause is charged to the stage that ran just before it (the allocator, most of the time)
    if (st === 'GC') gcAfter.set(lastStage, (gcAfter.get(lastStage) ?? 0) + dt);
    else if (st !== 'idle') lastStage = st;
    if (st.startsWith('parse')) {
      const who = requesterFor(id);
      parseBy.set(who, (parseBy.get(who) ?? 0) + dt);
    }
    const cf = byId.get(id)!.callFrame;
    const name = `${cf.functionName || '(anonymous)'} ${cf.url ? path.basename(cf.url.replace(/^file:\/\//, '')) + ':' + (cf.lineNumber + 1) : ''}`.trim();
    self.set(name, (self.get(name) ?? 0) + dt);
  }
  return {
    totalMs: total,
    stages: [...stages].sort((a, b) => b[1] - a[1]).map(([s, ms]) => [s, ms, gcAfter.get(s) ?? 0] as [string, number, number]),
    topSelf: [...self].sort((a, b) => b[1] - a[1]).slice(0, 12),
    parseBy: [...parseBy].sort((a, b) => b[1] - a[1]),
  };
}

function profileScan(): { wallMs: number; analysis: ReturnType<typeof analyseProfile>; file: string } {
  const dir = path.join(BENCH, 'prof');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const m = runNode(['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '500', ...SCAN_ARGS]);
  if (m.status !== 0) throw new Error(`profiled scan exited with ${m.status}`);
  const f = fs.readdirSync(dir).find((x) => x.endsWith('.cpuprofile'));
  if (!f) throw new Error('no .cpuprofile written');
  return { wallMs: m.wallMs, analysis: analyseProfile(path.join(dir, f)), file: path.join(dir, f) };
}

// ---------------------------------------------------------------------------------------------------------------
// output

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (kb: number) => (Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)} MB` : 'n/a');

function table(rows: string[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(rows[0]!), w.map((n) => '-'.repeat(n)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const a = parseArgs(process.argv.slice(2));
  let runs = 3;
  let profile = true;
  let regenerate = false;
  for (let i = 0; i < a.rest.length; i++) {
    const x = a.rest[i]!;
    if (x === '--runs') runs = Number(a.rest[++i]);
    else if (x.startsWith('--runs=')) runs = Number(x.slice(7));
    else if (x === '--no-profile') profile = false;
    else if (x === '--regenerate') regenerate = true;
    else if (x === '--help' || x === '-h') {
      console.log('npm run bench -- [--files N (3000)] [--seed S (42)] [--runs R (3)] [--no-profile] [--regenerate]');
      return;
    } else throw new Error(`unknown argument ${x}`);
  }
  const files = a.files ?? 3000;
  const seed = a.seed ?? 42;
  if (!(files >= 50) || !(runs >= 1)) throw new Error('--files must be >= 50 and --runs >= 1');
  fs.mkdirSync(BENCH, { recursive: true });
  const started = Date.now();
  const load0 = os.loadavg()[0]!;

  console.log(`apilantern bench: node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model.trim() ?? '?'}), load average ${load0.toFixed(2)}`);
  console.log(ensureBuild());
  const { expected, note } = ensureRepo(files, seed, regenerate);
  console.log(note);

  // warm-up (page cache, compile cache) that also gives the report for recall and the scan's own counters
  const outFile = path.join(BENCH, 'scan.json');
  const warm = runNode(['bin/apilantern.js', 'scan', REPO_ARG, '--format', 'json', '--output', outFile, '--fail-on', 'none', '--verbose']);
  if (warm.status !== 0) throw new Error(`scan exited with ${warm.status}:\n${warm.stderr.slice(-2000)}`);
  const report = JSON.parse(fs.readFileSync(outFile, 'utf8')) as ScanJson;
  const statsLine = /apilantern: (\d+) source files, (\d+) entry files, (\d+) parsed, (\d+) skipped, (\d+) spec\(s\), (\d+) endpoints, (\d+) findings in (\d+) ms/.exec(warm.stderr);
  const rc = recall(report, expected.expected);
  if (statsLine && Number(statsLine[1]) === 0) console.log('WARNING: the scan discovered no source files (is .bench/repo hidden by a .gitignore above it?)');
  const warnings = report.notifications.filter((n) => n.level !== 'note');

  // timed runs, interleaved so that a noisy neighbour hurts both alike
  const nodeStart: Measure[] = [];
  const scans: Measure[] = [];
  const raws: Array<Measure & { out: RawOut }> = [];
  for (let i = 0; i < runs; i++) {
    process.stdout.write(`run ${i + 1}/${runs} ...`);
    nodeStart.push(runNode(['-e', '0']));
    scans.push(scanOnce());
    raws.push(rawOnce());
    process.stdout.write(` scan ${sec(scans[i]!.wallMs)}, raw ${sec(raws[i]!.wallMs)}\n`);
  }
  const prof = profile ? profileScan() : undefined;

  const scanMs = median(scans.map((m) => m.wallMs));
  const rawMs = median(raws.map((m) => m.wallMs));
  const nodeMs = median(nodeStart.map((m) => m.wallMs));
  const scanCpu = median(scans.map((m) => m.cpuMs));
  const rawCpu = median(raws.map((m) => m.cpuMs));
  const nodeCpu = median(nodeStart.map((m) => m.cpuMs));
  const scanRss = median(scans.map((m) => m.maxRssKB));
  const rawRss = median(raws.map((m) => m.maxRssKB));
  const srcMB = expected.sourceBytes / 1048576;
  const discovered = statsLine ? Number(statsLine[1]) : raws[0]!.out.files;
  const raw0 = raws[raws.length >> 1]!.out;
  const runsOf = (ms: Measure[]) => ms.map((m) => (m.wallMs / 1000).toFixed(2)).join(' / ');

  console.log('');
  console.log(`repo: ${discovered} source files discovered (${srcMB.toFixed(1)} MB), ${expected.routeFiles} route files, ${expected.largeFiles} large files, ${expected.expected.length} expected endpoints`);
  console.log(`scan: ${SCAN_ARGS.join(' ').replace('bin/', 'node bin/')}`);
  console.log(`median of ${runs} run(s); wall = process start to exit, CPU = user + system`);
  console.log('');
  console.log(
    table([
      ['measure', 'wall', 'runs (wall s)', 'CPU', 'max RSS', 'files/s', 'MB/s'],
      ['a. scan (CLI)', sec(scanMs), runsOf(scans), sec(scanCpu), mb(scanRss), (discovered / (scanMs / 1000)).toFixed(0), (srcMB / (scanMs / 1000)).toFixed(2)],
      ['b. raw: discover + read + parse all', sec(rawMs), runsOf(raws), sec(rawCpu), mb(rawRss), (raw0.files / (rawMs / 1000)).toFixed(0), (srcMB / (rawMs / 1000)).toFixed(2)],
      ['   node -e 0 (process start-up)', sec(nodeMs), runsOf(nodeStart), sec(nodeCpu), '', '', ''],
    ]),
  );
  console.log('');
  console.log(`ratio scan/raw: ${(scanMs / rawMs).toFixed(2)}x wall, ${(scanCpu / rawCpu).toFixed(2)}x CPU   (net of node start-up: ${((scanMs - nodeMs) / (rawMs - nodeMs)).toFixed(2)}x wall)`);
  console.log(`raw inside the process: discovery ${raw0.discoveryMs} ms, read ${raw0.readMs} ms, parse ${raw0.parseMs} ms (${raw0.files} files, ${raw0.parseErrors} recovered errors, ${raw0.parseFailures} failures)`);
  if (statsLine) {
    console.log(`scan counters (warm-up run, --verbose): ${statsLine[1]} source files, ${statsLine[2]} entry files, ${statsLine[3]} parsed, ${statsLine[4]} skipped, ${statsLine[5]} spec(s), ${statsLine[6]} endpoints, ${statsLine[7]} findings, ${statsLine[8]} ms inside runScan`);
  }
  console.log(
    `recall: ${rc.matched}/${expected.expected.length} = ${((100 * rc.matched) / expected.expected.length).toFixed(1)}%   (code endpoints reported ${rc.codeEndpoints}, not expected ${rc.extra.length}; inventory ${report.endpoints.length} with spec-only)`,
  );
  if (rc.missing.length) console.log(`  missing, first ${Math.min(5, rc.missing.length)}: ${rc.missing.slice(0, 5).map((e) => `${e.method} ${e.path} @${e.service}`).join(', ')}`);
  if (rc.extra.length) console.log(`  not expected, first ${Math.min(5, rc.extra.length)}: ${rc.extra.slice(0, 5).map((e) => `${e.method} ${e.path} @${e.service}`).join(', ')}`);
  if (warnings.length) console.log(`scan warnings/errors: ${warnings.length} (first: ${warnings[0]!.message})`);

  if (prof) {
    const { analysis: an } = prof;
    console.log('');
    console.log(`CPU profile of one scan (node --cpu-prof, wall ${sec(prof.wallMs)}, ${sec(an.totalMs)} sampled; ${path.relative(ROOT, prof.file)}):`);
    console.log(
      table([
        ['stage (innermost frame that names one)', 'self ms', '%', 'GC right after'],
        ...an.stages.map(([s, ms, gc]) => [s, ms.toFixed(0), ((100 * ms) / an.totalMs).toFixed(1), s === 'GC' ? '' : gc.toFixed(0)]),
      ]),
    );
    console.log('');
    console.log(table([['parsing, by who asked for the file', 'ms'], ...an.parseBy.map(([s, ms]) => [s, ms.toFixed(0)])]));
    console.log('');
    console.log(table([['hottest functions (self time)', 'ms'], ...an.topSelf.map(([n, ms]) => [n, ms.toFixed(0)])]));
  }
  const load1 = os.loadavg()[0]!;
  console.log('');
  console.log(`bench took ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${load0.toFixed(2)} -> ${load1.toFixed(2)} on ${os.cpus().length} CPU(s)${Math.max(load0, load1) > os.cpus().length ? ' (busy machine: timings are noisy)' : ''}`);
}

main().catch((err) => {
  console.error(`bench: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
