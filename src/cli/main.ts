import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { RULES } from '../../rules/index.js';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { SEVERITY_ORDER, type Severity } from '../model.js';
import { toCsv } from '../report/csv.js';
import { toJson } from '../report/json.js';
import { toMarkdown } from '../report/markdown.js';
import { toSarif } from '../report/sarif.js';
import { toText } from '../report/text.js';
import type { ReportInput } from '../report/types.js';
import { atLeast } from '../rules/engine.js';
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

export function render(format: Format, input: ReportInput): string {
  switch (format) {
    case 'json':
      return toJson(input);
    case 'sarif':
      return toSarif(input);
    case 'markdown':
      return toMarkdown(input);
    case 'csv':
      return toCsv(input);
    default:
      return toText(input);
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
        y
          .positional('path', { type: 'string', default: '.', describe: 'Directory to scan' })
          .option('spec', { type: 'string', array: true, describe: 'OpenAPI/Swagger file (repeatable); default: discovered by content' })
          .option('format', { alias: 'f', type: 'string', array: true, choices: FORMATS as unknown as string[], describe: 'Report format (repeatable)' })
          .option('output', { alias: 'o', type: 'string', describe: 'Write the report to this file (with several formats: one file per format, extension added)' })
          .option('sarif-output', { type: 'string', describe: 'Also write SARIF to this file' })
          .option('config', { type: 'string', describe: 'Config file (JSON or YAML)' })
          .option('fail-on', { type: 'string', choices: [...SEVERITY_ORDER, 'none'], describe: 'Exit 1 when a finding is at or above this severity (default: high)' })
          .option('min-severity', { type: 'string', choices: SEVERITY_ORDER as unknown as string[], describe: 'Report findings at or above this severity (default: note)' })
          .option('category', { type: 'string', describe: 'SARIF automationDetails.id, to tell several analyses apart' })
          .option('allow-remote-refs', { type: 'boolean', default: false, describe: 'Allow remote $refs in specs (off: never touches the network)' })
          .option('logs', { type: 'string', array: true, describe: 'Access-log samples to compare with code and spec (repeatable; .gz too)' })
          .option('log-format', { type: 'string', choices: ['auto', 'combined', 'common', 'jsonl', 'cloudflare', 'alb', 'har', 'csv'], describe: 'Log format (default: detected from the first lines)' })
          .option('session-key', { type: 'string', describe: 'What a session is: header:NAME, cookie:NAME, field:NAME or ip (default ip)' })
          .option('log-field', { type: 'string', array: true, describe: 'JSON-lines field names: method=...,path=...,status=...,time=... (repeatable)' })
          .option('log-strip-prefix', { type: 'string', array: true, describe: 'A base path or host the log includes but the code does not (repeatable)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing on stderr but errors' })
          .option('verbose', { type: 'boolean', default: false, describe: 'Print statistics, notes and stack traces on stderr' }),
      async (args) => {
        verbose = !!args.verbose;
        exit = await runScan(args as unknown as ScanArgs, io);
      },
    )
    .demandCommand(1, 'Name a command: scan')
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
    if (err instanceof UsageError || err instanceof ConfigError) io.stderr(`apilantern: ${err.message}\n`);
    else io.stderr(`apilantern: internal error: ${(err as Error).message}\n${verbose ? `${(err as Error).stack}\n` : 'Run with --verbose for details.\n'}`);
    return 2;
  }
  return exit;
}

interface ScanArgs {
  path: string;
  spec?: string[];
  format?: Format[];
  output?: string;
  sarifOutput?: string;
  config?: string;
  failOn?: Severity | 'none';
  minSeverity?: Severity;
  category?: string;
  allowRemoteRefs: boolean;
  quiet: boolean;
  verbose: boolean;
  logs?: string[];
  logFormat?: string;
  sessionKey?: string;
  logField?: string[];
  logStripPrefix?: string[];
}

async function runScan(args: ScanArgs, io: Io): Promise<number> {
  const root = path.resolve(io.cwd, args.path);
  const started = process.hrtime.bigint();
  const { config: fileConfig, file: configPath } = loadConfig(args.config ? path.resolve(io.cwd, args.config) : undefined, root, RULES.map((r) => r.id));
  const config: Config = { ...fileConfig, ...(args.allowRemoteRefs ? { allowRemoteRefs: true } : {}) };
  const specs = args.spec?.map((s) => path.resolve(io.cwd, s));
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
  const result = await scan({ root, repoRoot, specs, config, traffic, configFile });
  const minSeverity = args.minSeverity ?? config.minSeverity ?? 'note';
  const failOn = args.failOn ?? config.failOn ?? 'high';
  const reported = result.findings.filter((f) => atLeast(f.severity, minSeverity));
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
    io.stderr(`apilantern: ${n.level}: ${n.message}\n`);
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
  if (failOn !== 'none' && result.findings.some((f) => atLeast(f.severity, failOn))) return 1;
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
