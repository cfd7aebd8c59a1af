/**
 * Broken access-log samples are counted and named, never dropped in silence: a HAR cut off between two entries (the
 * rest of the document lost) and a HAR whose entries are not objects.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { removeTempDirs, runCli, show, tempDir } from '../cli/run-cli.js';
import { assertNoWorkflowCommands, hostileRepo } from './helpers.js';

test.after(removeTempDirs);

const entry = (url: string) => ({ startedDateTime: '2026-11-02T14:00:00.000Z', request: { method: 'GET', url, headers: [] }, response: { status: 200 } });

/** The log-lines-skipped notification, with the log's path (outside the repository: named as given) cut off. */
async function skippedNotice(har: string): Promise<{ message: string; level: string }> {
  const dir = hostileRepo('har');
  const logs = tempDir('har-logs');
  const file = path.join(logs, 'sample.har');
  fs.writeFileSync(file, har);
  const r = await runCli(['scan', dir, '--logs', file, '--format', 'json', '--fail-on', 'none'], { cwd: logs });
  assert.is(r.code, 0, show(r));
  const j = JSON.parse(r.stdout) as { notifications: Array<{ code: string; message: string; level: string }>; endpoints: Array<{ path: string; traffic?: { requests: number } }> };
  assert.is(j.endpoints.find((e) => e.path === '/good/list')?.traffic?.requests, 1, 'the entry before the damage is used');
  const n = j.notifications.find((x) => x.code === 'log-lines-skipped');
  assert.ok(n, `no log-lines-skipped notification: ${JSON.stringify(j.notifications)}`);
  assert.ok(n!.message.startsWith(`${file}: `), n!.message);
  assert.ok(r.stderr.includes(`apilantern: warning: ${file}: `), r.stderr);
  return { ...n!, message: n!.message.slice(file.length - 'sample.har'.length) };
}

test('a HAR cut off between two entries: the rest of the document is reported lost', async () => {
  // the first entry and its comma, then nothing: the array, the log and the document are never closed
  const cut = `{"log": {"version": "1.2", "entries": [\n${JSON.stringify(entry('http://h/good/list'))},\n`;
  const n = await skippedNotice(cut);
  assert.is(n.level, 'warning');
  assert.is(n.message, 'sample.har: 1 of 2 lines skipped (1 truncated document); line 3: truncated document.');
});

test('HAR entries that are not objects are counted, one by one, with their line', async () => {
  const har = `{"log": {"version": "1.2", "entries": [\n${JSON.stringify(entry('http://h/good/list'))},\n"a string",\n42,\nnull,\n[1, 2],\ntrue\n]}}\n`;
  const n = await skippedNotice(har);
  assert.is(n.message, 'sample.har: 5 of 6 lines skipped (5 entry not an object); line 3: entry not an object; line 4: entry not an object; line 5: entry not an object.');
});

test('a log path with a line break and a workflow command is printed neutralised', async () => {
  const dir = hostileRepo('har-name');
  const logs = tempDir('har-name-logs');
  const file = path.join(logs, 'x\n::error::forged-log.log');
  fs.writeFileSync(file, '127.0.0.1 - - [02/Nov/2026:14:00:00 +0000] "GET /good/list HTTP/1.1" 200 2 "-" "curl"\nnot a log line\n');
  const r = await runCli(['scan', dir, '--logs', file, '--fail-on', 'none'], { cwd: logs });
  assert.is(r.code, 0, show(r));
  assertNoWorkflowCommands(r.stdout, 'text report');
  assertNoWorkflowCommands(r.stderr, 'stderr');
  assert.ok(r.stdout.includes('x\\n::error::forged-log.log'), r.stdout);
});

test.run();
