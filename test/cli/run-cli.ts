/** Runs the CLI in-process with a fake io (captured stdout/stderr, chosen env, TTY flags and cwd). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main, type Io } from '../../src/cli/main.js';
import { REPO } from '../helpers.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Environment seen by the CLI (default: empty, so NO_COLOR/FORCE_COLOR/CI of the test run do not leak in). */
  env?: NodeJS.ProcessEnv;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
}

export async function runCli(argv: string[], opts: CliOptions = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    stdoutIsTTY: opts.stdoutIsTTY ?? false,
    stderrIsTTY: opts.stderrIsTTY ?? false,
    env: opts.env ?? {},
    cwd: opts.cwd ?? REPO,
  };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** A human-readable summary of a run, for assertion messages. */
export function show(r: CliRun): string {
  return `exit ${r.code}\n--- stderr ---\n${r.stderr}--- stdout (first 2000 chars) ---\n${r.stdout.slice(0, 2000)}`;
}

const made: string[] = [];

/** A fresh temporary directory, removed by `removeTempDirs()`. */
export function tempDir(label = 'tmp'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `apilantern-${label}-`));
  made.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Copies a fixture directory (relative to the repo root or absolute) into a fresh temporary directory. */
export function copyFixture(rel: string, label = 'fixture'): string {
  const d = tempDir(label);
  fs.cpSync(path.resolve(REPO, rel), d, { recursive: true });
  return d;
}

export const ANSI = /\u001b\[[0-9;]*m/;
