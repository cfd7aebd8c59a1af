/**
 * Hostile repositories, built at test time: links, pipes and odd file names are made here (never committed), next to
 * a small valid app whose routes must survive whatever the hostile part does.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import type { ScanResult } from '../../src/scan.js';
import { tempDir } from '../cli/run-cli.js';
import { isWorkflowCommand } from '../../src/report/escape.js';

/** The valid neighbour routes of every hostile app (in `src/good.ts`, mounted at the root). */
export const GOOD = ['GET /good/list', 'POST /good/create'];

export const GOOD_FILE = [
  "import express from 'express';",
  'export const good = express.Router();',
  "good.get('/good/list', (req, res) => res.json([]));",
  "good.post('/good/create', (req, res) => res.json({}));",
  '',
].join('\n');

/**
 * A fresh repository (a temporary directory with `.git`, so paths are repository-relative) holding an Express app:
 * `src/app.ts` mounts the good router and runs `appLines`; `files` adds or replaces any file.
 */
export function hostileRepo(label: string, opts: { appLines?: string[]; imports?: string[]; files?: Record<string, string | Buffer> } = {}): string {
  const dir = tempDir(`hostile-${label}`);
  fs.mkdirSync(path.join(dir, '.git'));
  const files: Record<string, string | Buffer> = {
    'package.json': JSON.stringify({ name: `hostile-${label}`, private: true, dependencies: { express: '^4.21.0' } }, null, 2),
    'src/good.ts': GOOD_FILE,
    'src/app.ts': [
      "import express from 'express';",
      "import { good } from './good';",
      ...(opts.imports ?? []),
      '',
      'const app = express();',
      'app.use(good);',
      ...(opts.appLines ?? []),
      'app.listen(3000);',
      '',
    ].join('\n'),
    ...opts.files,
  };
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return dir;
}

export const endpoints = (r: ScanResult): string[] => r.codeEndpoints.map((e) => `${e.method} ${e.path}`);

export const brief = (r: ScanResult): string => r.notifications.map((n) => `${n.level} ${n.code} ${n.file ?? '-'}:${n.line ?? '-'} ${n.message}`).join('\n');

/** The good routes are there, once each. */
export function assertGood(r: ScanResult, extra: string[] = []): void {
  const got = endpoints(r);
  for (const e of [...GOOD, ...extra]) assert.is(got.filter((x) => x === e).length, 1, `${e} found once; endpoints: ${got.join(', ')}\nnotifications:\n${brief(r)}`);
}

/** The notification with this code (and file, when given); returns it. */
export function noticeOf(r: ScanResult, code: string, file?: string): { level: string; message: string; file?: string; line?: number } {
  const n = r.notifications.find((x) => x.code === code && (file === undefined || x.file === file));
  assert.ok(n, `no ${code} notification${file ? ` for ${file}` : ''}; notifications:\n${brief(r)}`);
  return n!;
}

/** No line of this output would be read by a GitHub runner as a workflow command. */
export function assertNoWorkflowCommands(output: string, what: string): void {
  for (const line of output.split(/\r\n|\r|\n/)) assert.not.ok(isWorkflowCommand(line), `${what} has a line that a runner reads as a workflow command: ${JSON.stringify(line)}`);
}

/** No ANSI/OSC escape sequence and no raw control character but newline (and tab) in this output. */
export function assertNoControl(output: string, what: string): void {
  // eslint-disable-next-line no-control-regex
  const m = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.exec(output);
  assert.not.ok(m, `${what} holds a raw control character ${JSON.stringify(m?.[0])} at ${m?.index}: ${JSON.stringify(output.slice(Math.max(0, (m?.index ?? 0) - 60), (m?.index ?? 0) + 60))}`);
}
