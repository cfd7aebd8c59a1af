/**
 * Baselines: a committed file of the findings a team has accepted, keyed by fingerprint (rule + method + normalized
 * path + service, never line numbers), and `--baseline-ref`, which compares with the scan of a git ref.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Endpoint, Finding } from '../model.js';
import { UsageError } from '../scan.js';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  endpoint: string;
  service?: string;
}

export interface BaselineFile {
  version: 1;
  tool: { name: 'apilantern'; version: string };
  entries: BaselineEntry[];
}

/** What a comparison with a baseline (file or git ref) left out, for the reports. */
export interface BaselineInfo {
  file?: string;
  ref?: string;
  /** Findings left out because the baseline has them. */
  suppressed: number;
  /** Baseline entries that match no current finding (file baselines only). */
  prunable?: number;
  /** Endpoints (method + path key + service) not present at the ref (`--baseline-ref` only). */
  newEndpoints?: Endpoint[];
}

export function baselineEntries(findings: Finding[], serviceOf: (f: Finding) => string | undefined): BaselineEntry[] {
  const byPrint = new Map<string, BaselineEntry>();
  for (const f of findings) {
    if (byPrint.has(f.fingerprint)) continue;
    const service = serviceOf(f);
    byPrint.set(f.fingerprint, { fingerprint: f.fingerprint, ruleId: f.ruleId, endpoint: f.endpoint, ...(service && service !== '.' ? { service } : {}) });
  }
  return sortEntries([...byPrint.values()]);
}

function sortEntries(entries: BaselineEntry[]): BaselineEntry[] {
  return entries.sort((a, b) => a.ruleId.localeCompare(b.ruleId) || (a.service ?? '').localeCompare(b.service ?? '') || a.endpoint.localeCompare(b.endpoint) || a.fingerprint.localeCompare(b.fingerprint));
}

export function serializeBaseline(entries: BaselineEntry[], toolVersion: string): string {
  const file: BaselineFile = { version: 1, tool: { name: 'apilantern', version: toolVersion }, entries: sortEntries([...entries]) };
  return JSON.stringify(file, null, 2) + '\n';
}

/** Reads a baseline file; anything unreadable or malformed is a UsageError (exit 2). */
export function readBaseline(file: string, shown = file): BaselineFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--baseline ${shown}: cannot read the baseline (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); create it with 'apilantern baseline --output ${shown}'.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--baseline ${shown}: not valid JSON (${(err as Error).message}).`);
  }
  const d = data as Partial<BaselineFile>;
  if (!d || typeof d !== 'object' || d.version !== 1 || !Array.isArray(d.entries) || d.entries.some((e) => !e || typeof e !== 'object' || typeof (e as BaselineEntry).fingerprint !== 'string')) {
    throw new UsageError(`--baseline ${shown}: not an apilantern baseline (expected { "version": 1, "entries": [{ "fingerprint": ... }] }).`);
  }
  return d as BaselineFile;
}

/** Findings not in the baseline, and how many baseline entries match no finding at all. */
export function compareWithBaseline(findings: Finding[], baseline: BaselineFile): { fresh: Finding[]; suppressed: number; prunable: BaselineEntry[] } {
  const known = new Set(baseline.entries.map((e) => e.fingerprint));
  const current = new Set(findings.map((f) => f.fingerprint));
  const fresh = findings.filter((f) => !known.has(f.fingerprint));
  return { fresh, suppressed: findings.length - fresh.length, prunable: baseline.entries.filter((e) => !current.has(e.fingerprint)) };
}

export const endpointKey = (e: Endpoint) => `${e.method} ${e.key} ${e.service}`;

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; code?: string; message: string };
    if (e.code === 'ENOENT') throw new UsageError('--baseline-ref: git is not installed or not on PATH.');
    throw new UsageError(`--baseline-ref: git ${args.join(' ')} failed: ${(e.stderr ?? e.message).trim().split('\n')[0]}`);
  }
}

/**
 * Extracts the tree of `ref` for the directory `root` into a fresh temporary directory, from git objects (no checkout,
 * the working tree and index are never touched). Returns the directory standing for the repository at the ref and the
 * one standing for `root`; `cleanup()` removes them.
 */
export function extractRef(root: string, ref: string): { repo: string; root: string; repoRoot: string; cleanup: () => void } {
  let top: string;
  try {
    top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw new UsageError('--baseline-ref: git is not installed or not on PATH.');
    throw new UsageError(`--baseline-ref ${ref}: ${root} is not inside a git repository.`);
  }
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: top, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    throw new UsageError(`--baseline-ref ${ref}: no such commit, branch or tag in ${top} (in CI, fetch it first: actions/checkout with fetch-depth: 0, or git fetch origin ${ref}).`);
  }
  const realTop = fs.realpathSync(top);
  const sub = path.relative(realTop, fs.realpathSync(root)).split(path.sep).join('/');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apilantern-ref-'));
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const exists = !sub || git(top, ['ls-tree', '--name-only', ref, '--', sub]).trim() !== '';
    if (exists) {
      const archive = spawnSync('git', ['archive', '--format=tar', ref, ...(sub ? ['--', sub] : [])], { cwd: top, maxBuffer: 2 * 1024 * 1024 * 1024 });
      if (archive.status !== 0) throw new UsageError(`--baseline-ref ${ref}: git archive failed: ${archive.stderr?.toString().trim().split('\n')[0] ?? archive.error?.message}`);
      const untar = spawnSync('tar', ['-x', '-f', '-', '-C', tmp], { input: archive.stdout, maxBuffer: 64 * 1024 * 1024 });
      if (untar.status !== 0) throw new UsageError(`--baseline-ref ${ref}: could not unpack the tree (${untar.stderr?.toString().trim() || untar.error?.message}).`);
    }
    const dir = sub ? path.join(tmp, ...sub.split('/')) : tmp;
    fs.mkdirSync(dir, { recursive: true });
    return { repo: tmp, root: dir, repoRoot: tmp, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}
