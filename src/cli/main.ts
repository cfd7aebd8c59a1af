import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import yargs, { type Argv } from 'yargs';
import { RULES } from '../../rules/index.js';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { SEVERITY_ORDER, type Endpoint, type Finding, type Severity } from '../model.js';
import { baselineEntries, compareWithBaseline, endpointKey, extractRef, readBaseline, serializeBaseline, type BaselineInfo } from '../baseline/baseline.js';
import { toCsv } from '../report/csv.js';
import { toJson } from '../report/json.js';
import { toMarkdown } from '../report/markdown.js';
import { toSarif } from '../report/sarif.js';
import { toText } from '../report/text.js';
import { guardLines, logLine, neutral } from '../report/escape.js';
import type { ReportInput } from '../report/types.js';
import { atLeast, fingerprint } from '../rules/engine.js';
import { findRepoRoot, scan, UsageError } from '../scan.js';

export const FORMATS = ['text', 'json', 'sarif', 'markdown', 'csv'] as const;
type Format = (typeof FORMATS)[number];
const EXT: Record<Format, string> = { text: 'txt', json: 'json', sarif: 'sarif', markdown: 'md', csv: 'csv' };

export function toolVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        const p = JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string; version?: string };
        if (p.name === 'apilantern' && p.version) return p.version;
      } catch {
        /* keep looking */
      }
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stdoutIsTTY: !!process.stdout.isTTY,
  stderrIsTTY: !!process.stderr.isTTY,
  env: process.env,
  cwd: process.cwd(),
});

/**
 * One report. JSON and SARIF are data (their encoders escape every control character); the formats people read get
 * the repository's strings with control characters shown as escapes, and no line that a CI runner would take for a
 * workflow command.
 */
export function render(format: Format, input: ReportInput): string {
  switch (format) {
    case 'json':
      return toJson(input);
    case 'sarif':
      return toSarif(input);
    case 'markdown':
      return guardLines(toMarkdown(neutral(input)));
    case 'csv':
      return guardLines(toCsv(neutral(input)));
    default:
      return guardLines(toText(neutral(input)));
  }
}

/** Runs the CLI; resolves to the exit code (0 clean, 1 findings at or above --fail-on, 2 the tool could not do its job). */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let exit = 0;
  let verbose = argv.includes('--verbose');
  const parser = yargs(argv)
    .scriptName('apilantern')
    .usage('$0 scan [path] [options]')
    .command(
      'scan [path]',
      'Find every endpoint the code serves, compare it with the OpenAPI spec and report what is undocumented, unauthenticated or write-enabled.',
      (y) =>
        scanOptions(y)
          .option('format', { alias: 'f', type: 'string', array: true, choices: FORMATS as unknown as string[], describe: 'Report format (repeatable)' })
          .option('output', { alias: 'o', type: 'string', describe: 'Write the report to this file (with several formats: one file per format, extension added)' })
          .option('sarif-output', { type: 'string', describe: 'Also write SARIF to this file' })
          .option('fail-on', { type: 'string', choices: [...SEVERITY_ORDER, 'none'], describe: 'Exit 1 when a finding is at or above this severity (default: high)' })
          .option('min-severity', { type: 'string', choices: SEVERITY_ORDER as unknown as string[], describe: 'Report findings at or above this severity (default: note)' })
          .option('category', { type: 'string', describe: 'SARIF automationDetails.id, to tell several analyses apart' })
          .option('baseline', { type: 'string', describe: "Report only findings not in this baseline file (made by 'apilantern baseline')" })
          .option('baseline-ref', { type: 'string', describe: 'Report only findings and endpoints that are new since this git ref (e.g. origin/main); read from git objects, no checkout' })
          .option('show-suppressed', { type: 'boolean', default: false, describe: 'Include findings suppressed by apilantern-ignore in SARIF (with result.suppressions)' }),
      async (args) => {
        verbose = !!args.verbose;
        exit = await runScan(args as unknown as ScanArgs, io);
      },
    )
    .command(
      'baseline [path]',
      'Write the current findings to a baseline file (keyed by rule, method, normalized path and service, never by line), or with --prune drop the entries of an existing baseline that match nothing any more.',
      (y) =>
        scanOptions(y)
          .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'The baseline file to write' })
          .option('prune', { type: 'boolean', default: false, describe: 'Rewrite the existing --output baseline without the entries that match no current finding (adds nothing)' }),
      async (args) => {
        verbose = !!args.verbose;
        exit = await runBaseline(args as unknown as BaselineArgs, io);
      },
    )
    .demandCommand(1, 'Name a command: scan or baseline')
    .strict()
    .version(toolVersion())
    .help()
    .exitProcess(false)
    .fail((msg, err) => {
      // a mistyped flag must never let a scan run and turn a CI gate green
      throw err ?? new UsageError(`${msg}\nRun 'apilantern --help' for usage.`);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    // messages may quote the repository (a config key, a path): one line each, control characters escaped
    if (err instanceof UsageError || err instanceof ConfigError) io.stderr(`apilantern: ${err.message.split('\n').map(logLine).join('\n')}\n`);
    else io.stderr(`apilantern: internal error: ${logLine((err as Error).message)}\n${verbose ? `${((err as Error).stack ?? '').split('\n').map(logLine).join('\n')}\n` : 'Run with --verbose for details.\n'}`);
    return 2;
  }
  return exit;
}

/** The options that decide what a scan finds (shared by `scan` and `baseline`). */
function scanOptions<T>(y: Argv<T>) {
  return y
    .positional('path', { type: 'string', default: '.', describe: 'Directory to scan' })
    .option('spec', { type: 'string', array: true, describe: 'OpenAPI/Swagger file (repeatable); default: discovered by content' })
    .option('config', { type: 'string', describe: 'Config file (JSON or YAML)' })
    .option('allow-remote-refs', { type: 'boolean', default: false, describe: 'Allow remote $refs in specs (off: never touches the network)' })
    .option('logs', { type: 'string', array: true, describe: 'Access-log samples to compare with code and spec (repeatable; .gz too)' })
    .option('log-format', { type: 'string', choices: ['auto', 'combined', 'common', 'jsonl', 'cloudflare', 'alb', 'har', 'csv'], describe: 'Log format (default: detected from the first lines)' })
    .option('session-key', { type: 'string', describe: 'What a session is: header:NAME, cookie:NAME, field:NAME or ip (default ip)' })
    .option('log-field', { type: 'string', array: true, describe: 'JSON-lines field names: method=...,path=...,status=...,time=... (repeatable)' })
    .option('log-strip-prefix', { type: 'string', array: true, describe: 'A base path or host the log includes but the code does not (repeatable)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing on stderr but errors' })
    .option('verbose', { type: 'boolean', default: false, describe: 'Print statistics, notes and stack traces on stderr' });
}

interface CommonArgs {
  path: string;
  spec?: string[];
  config?: string;
  allowRemoteRefs: boolean;
  quiet: boolean;
  verbose: boolean;
  logs?: string[];
  logFormat?: string;
  sessionKey?: string;
  logField?: string[];
  logStripPrefix?: string[];
}

interface ScanArgs extends CommonArgs {
  format?: Format[];
  output?: string;
  sarifOutput?: string;
  failOn?: Severity | 'none';
  minSeverity?: Severity;
  category?: string;
  baseline?: string;
  baselineRef?: string;
  showSuppressed: boolean;
}

interface BaselineArgs extends CommonArgs {
  output: string;
  prune: boolean;
}

/** Runs the scan the options describe. `at` scans the tree of a git ref extracted to a temporary directory instead. */
async function runPipeline(args: CommonArgs, io: Io, at?: { root: string; repoRoot: string; realRepo: string }) {
  const root = path.resolve(io.cwd, args.path);
  const { config: fileConfig, file: configPath } = loadConfig(args.config ? path.resolve(io.cwd, args.config) : undefined, root, RULES.map((r) => r.id));
  const config: Config = { ...fileConfig, ...(args.allowRemoteRefs ? { allowRemoteRefs: true } : {}) };
  let specs = args.spec?.map((s) => path.resolve(io.cwd, s));
  // reported paths are relative to the repository (GitHub resolves SARIF uris there), else to the scanned directory
  const repoRoot = fs.existsSync(root) ? findRepoRoot(root) : undefined;
  const fields: Record<string, string> = {};
  for (const group of args.logField ?? []) {
    for (const pair of group.split(',')) {
      const m = /^\s*(method|path|status|time|session|ip|host|count)\s*=\s*(.+?)\s*$/.exec(pair);
      if (!m) throw new UsageError(`--log-field ${pair}: expected NAME=FIELD with NAME one of method, path, status, time, session, ip, host, count`);
      fields[m[1]!] = m[2]!;
    }
  }
  const traffic = args.logs?.length
    ? { files: args.logs.map((l) => path.resolve(io.cwd, l)), format: args.logFormat as never, sessionKey: args.sessionKey, fields, stripPrefixes: args.logStripPrefix }
    : undefined;
  const configFile = configPath && !configPath.endsWith('package.json') ? path.relative(repoRoot ?? root, configPath).split(path.sep).join('/') : undefined;
  if (at) {
    // the same options against the ref's tree: specs inside the repository are read from the ref (when they exist there)
    const inRepo = (f: string) => {
      const rel = path.relative(at.realRepo, fs.existsSync(f) ? fs.realpathSync(f) : f);
      return rel.startsWith('..') || path.isAbsolute(rel) ? f : path.join(at.repoRoot, rel);
    };
    specs = specs?.map(inRepo).filter((f) => fs.existsSync(f));
    const result = await scan({ root: at.root, repoRoot: at.repoRoot, specs: specs?.length ? specs : undefined, config, traffic, configFile });
    return { result, config, specs: undefined, repoRoot: at.repoRoot, root: at.root };
  }
  const result = await scan({ root, repoRoot, specs, config, traffic, configFile });
  return { result, config, specs, repoRoot, root };
}

function serviceByFingerprint(inventory: Endpoint[], findings: Finding[]): (f: Finding) => string | undefined {
  const map = new Map<string, string>();
  for (const r of new Set(findings.map((f) => f.ruleId))) for (const e of inventory) map.set(fingerprint(r, e), e.service);
  return (f) => map.get(f.fingerprint);
}

async function runBaseline(args: BaselineArgs, io: Io): Promise<number> {
  const out = path.resolve(io.cwd, args.output);
  const shown = path.relative(io.cwd, out) || out;
  // read the old file first: a prune of a missing or broken baseline must fail before scanning
  const old = args.prune ? readBaseline(out, shown) : undefined;
  const { result } = await runPipeline(args, io);
  for (const n of result.notifications) {
    if (n.level === 'error' || (!args.quiet && (n.level === 'warning' || args.verbose))) io.stderr(`apilantern: ${n.level}: ${logLine(n.message)}\n`);
  }
  // an incomplete result (an extraction failed, a spec could not be read) would write an incomplete baseline
  if (result.notifications.some((n) => n.level === 'error')) {
    io.stderr(`apilantern: error: the result is incomplete (see the errors above); the baseline was not written.\n`);
    return 2;
  }
  if (old) {
    const { prunable } = compareWithBaseline(result.findings, old);
    const gone = new Set(prunable.map((e) => e.fingerprint));
    writeFile(out, serializeBaseline(old.entries.filter((e) => !gone.has(e.fingerprint)), toolVersion()));
    if (!args.quiet) io.stderr(`apilantern: ${shown}: pruned ${prunable.length} of ${old.entries.length} baseline entries\n`);
    return 0;
  }
  const entries = baselineEntries(result.findings, serviceByFingerprint(result.inventory, result.findings));
  writeFile(out, serializeBaseline(entries, toolVersion()));
  if (!args.quiet) io.stderr(`apilantern: ${shown}: ${entries.length} baseline entries from ${result.findings.length} findings\n`);
  return 0;
}

async function runScan(args: ScanArgs, io: Io): Promise<number> {
  const started = process.hrtime.bigint();
  if (args.baseline && args.baselineRef) throw new UsageError('--baseline and --baseline-ref cannot be combined: choose a baseline file or a git ref.');
  const baselineFile = args.baseline ? path.resolve(io.cwd, args.baseline) : undefined;
  const baselineData = baselineFile ? readBaseline(baselineFile, args.baseline) : undefined;
  const { result, config, specs, repoRoot, root } = await runPipeline(args, io);
  let candidates = result.findings;
  let baselineInfo: BaselineInfo | undefined;
  const prunableCount = { n: 0 };
  if (baselineData) {
    const cmp = compareWithBaseline(result.findings, baselineData);
    candidates = cmp.fresh;
    prunableCount.n = cmp.prunable.length;
    baselineInfo = { file: args.baseline!.split(path.sep).join('/'), suppressed: cmp.suppressed, prunable: cmp.prunable.length };
  } else if (args.baselineRef) {
    const tree = extractRef(root, args.baselineRef);
    try {
      const realRepo = fs.realpathSync(execGitTop(root));
      const before = await runPipeline(args, io, { root: tree.root, repoRoot: tree.repoRoot, realRepo });
      const known = new Set(before.result.findings.map((f) => f.fingerprint));
      const knownEndpoints = new Set(before.result.inventory.map(endpointKey));
      candidates = result.findings.filter((f) => !known.has(f.fingerprint));
      baselineInfo = { ref: args.baselineRef, suppressed: result.findings.length - candidates.length, newEndpoints: result.inventory.filter((e) => !knownEndpoints.has(endpointKey(e))) };
    } finally {
      tree.cleanup();
    }
  }
  const minSeverity = args.minSeverity ?? config.minSeverity ?? 'note';
  const failOn = args.failOn ?? config.failOn ?? 'high';
  const reported = candidates.filter((f) => atLeast(f.severity, minSeverity));
  const formats: Format[] = args.format?.length ? [...new Set(args.format)] : ['text'];
  const color = useColor(io.env, io.stdoutIsTTY && !args.output);
  const input: ReportInput = {
    toolVersion: toolVersion(),
    frameworks: result.frameworks,
    inventory: result.inventory,
    findings: reported,
    notifications: result.notifications,
    specs: result.specs,
    rules: RULES,
    category: args.category,
    color,
    traffic: result.traffic,
    ...(baselineInfo ? { baseline: baselineInfo } : {}),
    suppressed: result.suppressed.filter((f) => atLeast(f.severity, minSeverity)),
    showSuppressed: args.showSuppressed,
  };
  // SARIF first, so that a failing exit code never leaves the upload step without its file
  if (args.sarifOutput) writeFile(path.resolve(io.cwd, args.sarifOutput), render('sarif', { ...input, color: false }));
  if (args.output) {
    const out = path.resolve(io.cwd, args.output);
    if (formats.length === 1) writeFile(out, render(formats[0]!, { ...input, color: false }));
    else for (const f of formats) writeFile(`${out.replace(/\.[^./\\]+$/, '')}.${EXT[f]}`, render(f, { ...input, color: false }));
  } else {
    for (const f of formats) io.stdout(render(f, f === 'text' ? input : { ...input, color: false }));
  }
  // diagnostics on stderr (GitHub does not show SARIF notifications)
  for (const n of result.notifications) {
    if (args.quiet && n.level !== 'error') continue;
    if (n.level === 'note' && !args.verbose) continue;
    io.stderr(`apilantern: ${n.level}: ${logLine(n.message)}\n`);
  }
  if (baselineInfo && !args.quiet) {
    if (prunableCount.n) io.stderr(`apilantern: ${prunableCount.n} baseline entries are prunable (they match no finding any more); run 'apilantern baseline ${args.path} --output ${args.baseline} --prune' to drop them.\n`);
    if (args.verbose) io.stderr(`apilantern: ${baselineInfo.suppressed} finding(s) left out by the baseline${baselineInfo.ref ? ` (${baselineInfo.ref})` : ''}\n`);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (args.verbose) {
    const s = result.stats;
    io.stderr(`apilantern: ${s.filesDiscovered} source files, ${s.entryFiles} entry files, ${s.filesParsed} parsed, ${s.skipped} skipped, ${s.specsLoaded} spec(s), ${result.inventory.length} endpoints, ${result.findings.length} findings in ${ms.toFixed(0)} ms\n`);
  } else if (!args.quiet && io.stderrIsTTY && !io.env.CI) {
    io.stderr(`apilantern: ${result.inventory.length} endpoints, ${reported.length} findings (${ms.toFixed(0)} ms)\n`);
  }
  // a spec the user named that could not be read at all: the tool could not do its job
  if (specs?.length) {
    const loaded = new Set(result.specs.map((s) => path.resolve(repoRoot ?? root, s.file)));
    const missing = specs.filter((s) => !loaded.has(s));
    if (missing.length) {
      io.stderr(`apilantern: error: could not read the spec(s) named with --spec: ${missing.map((m) => path.relative(io.cwd, m) || m).join(', ')}\n`);
      return 2;
    }
  }
  // errors win over findings: an extraction that failed or a spec that could not be read leaves the result
  // incomplete, and an incomplete result must never turn a gate green
  const errors = result.notifications.filter((n) => n.level === 'error');
  if (errors.length) {
    io.stderr(`apilantern: error: the result is incomplete (${errors.length} error(s) above); exit 2.\n`);
    return 2;
  }
  if (failOn !== 'none' && candidates.some((f) => atLeast(f.severity, failOn))) return 1;
  return 0;
}

/** NO_COLOR wins; FORCE_COLOR=0/false turns colour off and any other value on; else colour on a terminal. */
export function useColor(env: NodeJS.ProcessEnv, tty: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR.toLowerCase());
  return tty;
}

function writeFile(file: string, content: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function execGitTop(dir: string): string {
  return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}
