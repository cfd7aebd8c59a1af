/**
 * The GitHub Action (action.yml; bundled into dist-action/ by scripts/bundle.mjs). Runs the CLI in-process with argv
 * built from the `INPUT_*` variables, so the Action and the CLI share one code path (config file, baseline, exit
 * codes), then reads the JSON report it wrote to produce the step outputs, the job summary and the annotations.
 *
 * Order matters: the CLI writes the SARIF file before anything can fail the step, so an upload step with
 * `if: ${{ !cancelled() }}` always finds it. Exit: 0 clean, 1 findings at or above `fail-on`, 2 the tool failed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { main as cli, type Io } from '../cli/main.js';
import { mdCode, mdText, plain } from '../report/escape.js';

type Level = 'error' | 'warning' | 'notice';

interface JsonReport {
  summary: {
    endpoints: number;
    documented: number;
    authenticated: number;
    writeEnabled: number;
    unauthenticatedWrite: number;
    specOnly: number;
    unresolved: number;
    findings: Record<string, number>;
  };
  specs: Array<{ file: string }>;
  endpoints: Array<{
    method: string;
    path: string;
    auth: string;
    write: boolean;
    code: Array<{ file: string; line: number }>;
    spec: Array<{ file: string; line: number }>;
    traffic?: { requests: number } | null;
  }>;
  findings: Array<{ ruleId: string; severity: string; endpoint: string; message: string; file: string; line: number }>;
}

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'note'];
const LEVEL: Record<string, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice', note: 'notice' };
export const MAX_ANNOTATIONS_PER_LEVEL = 10;
export const MAX_SUMMARY_BYTES = 1024 * 1024;

/** An input as the runner passes it: `INPUT_` + the name upper-cased, spaces as `_`, dashes kept; trimmed. */
export function getInput(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** A list input: one item per line or comma. */
function getList(env: NodeJS.ProcessEnv, name: string): string[] {
  return getInput(env, name)
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Workflow-command escaping of the message (data); other control characters (ESC, ...) are shown as escapes. */
export function escapeData(s: string): string {
  return plain(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Workflow-command escaping of a property value (also `:` and `,`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `name=value`, or for values with line breaks the heredoc form with a random delimiter. */
export function outputLine(name: string, value: string): string {
  if (!/[\r\n]/.test(value)) return `${name}=${value}\n`;
  let delim: string;
  do delim = `ghadelimiter_${crypto.randomUUID()}`;
  while (value.includes(delim));
  return `${name}<<${delim}\n${value}\n${delim}\n`;
}

/** The CLI's arguments for these inputs; `report` is where it writes the JSON report (plus one file per extra format). */
export function buildArgv(env: NodeJS.ProcessEnv, report: string, extraFormats: string[], sarif: string): string[] {
  const argv = ['scan', getInput(env, 'path') || '.', '--format', 'json'];
  for (const f of extraFormats) argv.push('--format', f);
  argv.push('--output', report, '--sarif-output', sarif);
  for (const s of getList(env, 'spec')) argv.push('--spec', s);
  for (const l of getList(env, 'logs')) argv.push('--logs', l);
  const single: Array<[string, string]> = [
    ['config', '--config'],
    ['fail-on', '--fail-on'],
    ['min-severity', '--min-severity'],
    ['category', '--category'],
  ];
  for (const [input, flag] of single) {
    const v = getInput(env, input);
    if (v) argv.push(flag, v);
  }
  // the CLI is strict: were --baseline unknown to it, the run would stop with a usage error (exit 2), never pass
  const baseline = getInput(env, 'baseline');
  if (baseline) argv.push('--baseline', baseline);
  return argv;
}

function count(r: JsonReport, s: string): number {
  return r.summary.findings[s] ?? 0;
}

/** Step outputs from the JSON report. */
export function outputsOf(r: JsonReport, sarifFile: string): Record<string, string> {
  const code = r.endpoints.filter((e) => e.code.length);
  return {
    'sarif-file': sarifFile,
    findings: String(r.findings.length),
    critical: String(count(r, 'critical')),
    high: String(count(r, 'high')),
    endpoints: String(r.summary.endpoints),
    // served by the code, documented in no spec (only meaningful when a spec was found)
    shadow: String(r.specs.length ? code.filter((e) => !e.spec.length).length : 0),
    unauthenticated: String(code.filter((e) => e.auth === 'none').length),
  };
}

function pct(n: number, d: number): string {
  return d === 0 ? 'n/a' : `${Math.round((100 * n) / d)}%`;
}

/** A path segment for a URL: everything but unreserved characters percent-encoded (also `(`, `)`, `!`, `*`, `'`). */
function urlSegment(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Link to a file and line of the analysed commit, when the run's context is known; else the plain path. */
function link(env: NodeJS.ProcessEnv, file: string, line: number): string {
  const label = `${file}:${line}`;
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  if (!server || !repo || !sha || !file) return mdCode(label);
  const url = `${server}/${repo}/blob/${sha}/${file.split('/').map(urlSegment).join('/')}#L${line}`;
  return `[${mdText(label)}](${url})`;
}

/** The job summary: the posture table, the inventory, the top findings. Truncated to stay under 1 MiB. */
export function summaryOf(r: JsonReport, env: NodeJS.ProcessEnv, failOn: string, exit: number): string {
  const s = r.summary;
  const head = [
    '## apilantern: API posture',
    '',
    '| Measure | Value |',
    '| --- | --- |',
    `| Endpoints found in code | ${s.endpoints}${s.unresolved ? ` (${s.unresolved} with unresolved path parts)` : ''} |`,
    `| Documented in a spec | ${s.documented}/${s.endpoints} (${pct(s.documented, s.endpoints)}) |`,
    `| Authenticated | ${s.authenticated}/${s.endpoints} (${pct(s.authenticated, s.endpoints)}) |`,
    `| Write-enabled | ${s.writeEnabled}/${s.endpoints} (${pct(s.writeEnabled, s.endpoints)}) |`,
    `| Write-enabled without authentication | ${s.unauthenticatedWrite}/${s.writeEnabled} (${pct(s.unauthenticatedWrite, s.writeEnabled)}) |`,
    `| Only in the spec | ${s.specOnly} |`,
    `| Findings | ${SEVERITIES.map((v) => `${count(r, v)} ${v}`).join(', ')} |`,
    `| Result | ${exit === 1 ? `failed: findings at or above \`${failOn}\`` : exit === 0 ? 'passed' : 'tool error'} |`,
    '',
  ];
  const inv = ['### Inventory', '', '| Method | Path | Auth | In spec | Traffic |', '| --- | --- | --- | --- | --- |'];
  for (const e of r.endpoints) {
    const traffic = e.traffic === undefined ? 'no logs' : e.traffic ? String(e.traffic.requests) : '0';
    inv.push(`| ${mdText(e.method)} | ${mdCode(e.path)} | ${mdText(e.auth)} | ${e.spec.length ? 'yes' : 'no'} | ${traffic} |`);
  }
  inv.push('');
  const sorted = sortFindings(r.findings);
  const top = ['### Top findings', ''];
  if (!sorted.length) top.push('No findings.');
  else {
    top.push('| Severity | Rule | Endpoint | Where | Message |', '| --- | --- | --- | --- | --- |');
    for (const f of sorted.slice(0, 50)) {
      top.push(`| ${mdText(f.severity)} | ${mdCode(f.ruleId)} | ${mdCode(f.endpoint)} | ${link(env, f.file, f.line)} | ${mdText(firstSentence(f.message))} |`);
    }
    if (sorted.length > 50) top.push('', `…and ${sorted.length - 50} more: see the code scanning alerts or the SARIF file.`);
  }
  top.push('');
  // the posture first, then the findings, then the inventory (the longest part, cut first)
  let out = [...head, ...top].join('\n');
  const rest = inv.join('\n') + '\n';
  const budget = MAX_SUMMARY_BYTES - Buffer.byteLength(out) - 200;
  if (Buffer.byteLength(rest) <= budget) out += '\n' + rest;
  else {
    let kept = '';
    for (const line of inv) {
      if (Buffer.byteLength(kept) + Buffer.byteLength(line) + 1 > budget) break;
      kept += line + '\n';
    }
    out += '\n' + kept + '\n…inventory truncated (job summaries are limited to 1 MiB).\n';
  }
  return out;
}

function firstSentence(m: string): string {
  const i = m.search(/\.\s/);
  return i < 0 ? m : m.slice(0, i + 1);
}

function sortFindings<T extends { severity: string; file: string; line: number }>(fs_: T[]): T[] {
  return [...fs_].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.file.localeCompare(b.file) || a.line - b.line);
}

/** `::error file=F,line=L,title=T::message` lines, most severe first, at most 10 per level. */
export function annotationsOf(r: JsonReport): string[] {
  const used: Record<Level, number> = { error: 0, warning: 0, notice: 0 };
  const out: string[] = [];
  for (const f of sortFindings(r.findings)) {
    const level = LEVEL[f.severity] ?? 'notice';
    if (used[level] >= MAX_ANNOTATIONS_PER_LEVEL) continue;
    used[level]++;
    const props = [`file=${escapeProperty(f.file)}`, ...(f.line ? [`line=${f.line}`] : []), `title=${escapeProperty(`${f.ruleId} (${f.severity}): ${f.endpoint}`)}`];
    out.push(`::${level} ${props.join(',')}::${escapeData(f.message)}`);
  }
  return out;
}

export interface ActionIo {
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** Runs the Action; resolves to the process exit code. */
export async function run(aio: ActionIo): Promise<number> {
  const { env } = aio;
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const fail = (msg: string): number => {
    aio.stdout(`::error title=apilantern::${escapeData(msg)}\n`);
    return 2;
  };
  const formats = getList(env, 'format').filter((f) => f !== 'sarif' && f !== 'json');
  const tmp = fs.mkdtempSync(path.join(env.RUNNER_TEMP || os.tmpdir(), 'apilantern-'));
  try {
    const sarifFile = getInput(env, 'sarif-file') || 'apilantern.sarif';
    const report = path.join(tmp, 'report.json');
    const argv = buildArgv(env, formats.length ? path.join(tmp, 'report') : report, formats, sarifFile);
    const io: Io = {
      stdout: aio.stdout,
      stderr: aio.stderr,
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env: { ...env, CI: env.CI || 'true' },
      cwd: workspace,
    };
    const exit = await cli(argv, io);
    if (!fs.existsSync(report)) return exit === 2 ? fail('the scan failed (see the log above)') : fail(`no report was written (exit ${exit})`);
    // the other formats asked for, in the log. They are already neutralised (no control characters, no line that
    // starts a workflow command); as a second guard the runner is told to ignore commands while they are printed
    for (const f of formats) {
      const ext = { text: 'txt', markdown: 'md', csv: 'csv' }[f] ?? f;
      const file = path.join(tmp, `report.${ext}`);
      if (!fs.existsSync(file)) continue;
      const token = `apilantern-${crypto.randomUUID()}`;
      const text = fs.readFileSync(file, 'utf8');
      aio.stdout(`::stop-commands::${token}\n${text}${text.endsWith('\n') ? '' : '\n'}::${token}::\n`);
    }
    const r = JSON.parse(fs.readFileSync(report, 'utf8')) as JsonReport;
    const outputs = outputsOf(r, sarifFile);
    if (env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, Object.entries(outputs).map(([k, v]) => outputLine(k, v)).join(''));
    const failOn = getInput(env, 'fail-on') || 'high';
    if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, summaryOf(r, env, failOn, exit));
    for (const a of annotationsOf(r)) aio.stdout(a + '\n');
    if (exit === 1) aio.stdout(`::error title=apilantern::${escapeData(`${outputs.findings} finding(s); some at or above fail-on (${failOn}). SARIF: ${sarifFile}`)}\n`);
    else if (exit !== 0) return fail(`apilantern could not do its job (exit ${exit}); see the log above`);
    return exit;
  } catch (err) {
    return fail(`internal error: ${(err as Error).message}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// run when executed (the bundle's entry, or `tsx src/action/main.ts`), not when imported by tests
if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  process.exitCode = await run({ env: process.env, stdout: (s) => void process.stdout.write(s), stderr: (s) => void process.stderr.write(s) });
}
