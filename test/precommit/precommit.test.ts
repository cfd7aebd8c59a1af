// The pre-commit hook for real: a temporary git repository made from this working tree (tracked and untracked,
// not ignored, files, so uncommitted changes count) is the hook repository; pre-commit installs it the way it
// installs any node hook (npm install, npm pack, npm install -g of the tarball: needs the npm registry) and runs
// `pre-commit run --all-files` in a fixture project. Skipped when the `pre-commit` tool is not installed
// (.ci/run installs it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from '../helpers.js';
import { removeTempDirs, tempDir } from '../cli/run-cli.js';

const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
const GIT = ['-c', 'user.name=apilantern-test', '-c', 'user.email=test@apilantern.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
}

function git(args: string[], cwd: string): string {
  const r = run('git', [...GIT, ...args], cwd);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

/** A git repository holding the current working tree of this repository, committed; returns [dir, sha]. */
function hookRepo(): [string, string] {
  const dir = tempDir('hookrepo');
  const files = git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], REPO).split('\0').filter(Boolean);
  for (const f of files) {
    const src = path.join(REPO, f);
    if (!fs.existsSync(src) || !fs.statSync(src).isFile()) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(src, path.join(dir, f));
  }
  git(['init', '-q'], dir);
  git(['add', '-A'], dir);
  git(['commit', '-q', '--no-verify', '-m', 'working tree'], dir);
  return [dir, git(['rev-parse', 'HEAD'], dir).trim()];
}

/** A git project with `fixture` copied in and a .pre-commit-config.yaml using our hook; everything staged. */
function project(fixture: string, repo: string, rev: string): string {
  const dir = tempDir('precommit-project');
  fs.cpSync(path.join(REPO, fixture), dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, '.pre-commit-config.yaml'),
    `repos:\n  - repo: ${JSON.stringify(repo)}\n    rev: ${rev}\n    hooks:\n      - id: apilantern\n`,
  );
  git(['init', '-q'], dir);
  git(['add', '-A'], dir);
  return dir;
}

if (!hasPreCommit) {
  console.log('SKIPPED test/precommit/precommit.test.ts: the `pre-commit` tool is not installed (apt-get install pre-commit, or pip install pre-commit); .ci/run installs it');
} else {
  let repo = '';
  let rev = '';
  let home = '';
  const env = () => ({ ...process.env, PRE_COMMIT_HOME: home, PRE_COMMIT_COLOR: 'never', NO_COLOR: '1' }) as NodeJS.ProcessEnv;

  test.before(() => {
    [repo, rev] = hookRepo();
    home = tempDir('precommit-home');
  });
  test.after(() => removeTempDirs());

  test('pre-commit hook: an Express app with a critical finding fails the hook (exit 1) and prints the finding', () => {
    const dir = project('test/cli/fixtures/webhook', repo, rev);
    const r = run('pre-commit', ['run', '--all-files'], dir, env());
    const out = `${r.stdout}${r.stderr}`;
    assert.is(r.status, 1, out);
    assert.match(out, /apilantern \(HTTP API posture\)\.+Failed/);
    assert.match(out, /- exit code: 1/);
    assert.match(out, /unauthenticated-write/);
    assert.match(out, /POST \/hooks\/payment/);
  });

  test('pre-commit hook: a clean app passes', () => {
    const dir = project('test/cli/fixtures/clean', repo, rev);
    const r = run('pre-commit', ['run', '--all-files'], dir, env());
    const out = `${r.stdout}${r.stderr}`;
    assert.is(r.status, 0, out);
    assert.match(out, /apilantern \(HTTP API posture\)\.+Passed/);
  });

  test.run();
}
