import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import YAML from 'yaml';
import { annotationsOf, escapeData, escapeProperty, getInput, outputLine } from '../../src/action/main.js';
import { runCli } from '../cli/run-cli.js';
import { REPO } from '../helpers.js';
import { validateSarif } from '../report/sarif-validate.js';

const made: string[] = [];
function temp(label: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `apilantern-action-${label}-`));
  made.push(d);
  return d;
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

test('action: the committed bundle (dist-action/) is up to date', () => {
  const out = temp('bundle');
  const res = spawnSync(process.execPath, [path.join(REPO, 'scripts/bundle.mjs'), out], { cwd: REPO, encoding: 'utf8' });
  assert.is(res.status, 0, `bundle failed:\n${res.stderr}`);
  const committed = path.join(REPO, 'dist-action');
  const stale = 'dist-action/ is out of date with src/: run `npm run bundle` and commit dist-action/';
  assert.ok(fs.existsSync(committed), stale);
  assert.equal(listFiles(committed), listFiles(out), stale);
  for (const f of listFiles(out)) assert.ok(fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(committed, f))), `${stale} (${f} differs)`);
});

test('action: action.yml declares a node24 JavaScript action with the documented inputs and outputs', () => {
  const a = YAML.parse(fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8'));
  assert.is(a.runs.using, 'node24');
  assert.is(a.runs.main, 'dist-action/index.js');
  assert.equal(Object.keys(a.inputs).sort(), ['baseline', 'category', 'config', 'fail-on', 'format', 'logs', 'min-severity', 'path', 'sarif-file', 'spec'].sort());
  assert.is(a.inputs['fail-on'].default, 'high');
  assert.is(a.inputs['sarif-file'].default, 'apilantern.sarif');
  assert.is(a.inputs.path.default, '.');
  assert.equal(Object.keys(a.outputs).sort(), ['critical', 'endpoints', 'findings', 'high', 'sarif-file', 'shadow', 'unauthenticated'].sort());
});

test('action: workflow-command escaping, inputs and multiline outputs', () => {
  assert.is(escapeData('50% a\r\nb'), '50%25 a%0D%0Ab');
  assert.is(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  assert.is(getInput({ 'INPUT_FAIL-ON': ' medium ' }, 'fail-on'), 'medium');
  assert.is(getInput({ INPUT_MY_INPUT: 'x' }, 'my input'), 'x');
  assert.is(outputLine('n', '3'), 'n=3\n');
  const m = /^n<<(\S+)\na\nb\n(\S+)\n$/.exec(outputLine('n', 'a\nb'));
  assert.ok(m && m[1] === m[2]);
});

test('action: at most 10 annotations per level, most severe first', () => {
  const findings = [
    ...Array.from({ length: 12 }, (_, i) => ({ ruleId: 'r', severity: 'note', endpoint: 'GET /n', message: 'n', file: 'a.ts', line: i + 1 })),
    ...Array.from({ length: 12 }, (_, i) => ({ ruleId: 'r', severity: 'high', endpoint: 'GET /h', message: 'h', file: 'a.ts', line: i + 1 })),
    { ruleId: 'r', severity: 'critical', endpoint: 'GET /c', message: 'c', file: 'b.ts', line: 1 },
  ];
  const a = annotationsOf({ findings } as never);
  assert.is(a.filter((l) => l.startsWith('::error ')).length, 10);
  assert.is(a.filter((l) => l.startsWith('::notice ')).length, 10);
  assert.ok(a[0]!.includes('(critical)'));
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  ws: string;
}

let node24: string | undefined;
/**
 * The Node 24 binary of npm's `node` package (downloaded once into npm's cache by `npm exec`). It is then spawned
 * directly: `npm exec` runs its command through a shell, and sh drops variables such as `INPUT_FAIL-ON` whose names
 * are not shell identifiers, which the runner passes to the action as they are.
 */
function nodeBinary(): string {
  if (node24) return node24;
  const res = spawnSync('npm', ['exec', '--yes', '--package=node@24', '--', 'node', '-p', 'process.execPath + " " + process.version'], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
  const [bin, version] = (res.stdout ?? '').trim().split(' ');
  assert.ok(res.status === 0 && bin && version?.startsWith('v24.'), `could not get Node 24 through npm exec:\n${res.stderr}`);
  return (node24 = bin!);
}

/** Runs dist-action/index.js under Node 24 as the runner does (env passed as is, cwd the workspace). */
function shopfront(): string {
  const ws = temp('ws');
  fs.cpSync(path.join(REPO, 'examples/shopfront'), ws, { recursive: true });
  spawnSync('git', ['init', '-q'], { cwd: ws });
  return ws;
}

function runAction(inputs: Record<string, string>, ws = shopfront()): Run {
  const files = temp('files');
  const output = path.join(files, 'output');
  const summary = path.join(files, 'summary');
  fs.writeFileSync(output, '');
  fs.writeFileSync(summary, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: ws,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/shopfront',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    RUNNER_TEMP: files,
    // action.yml defaults, as the runner passes them
    INPUT_PATH: '.',
    'INPUT_FAIL-ON': 'high',
    'INPUT_SARIF-FILE': 'apilantern.sarif',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const res = spawnSync(nodeBinary(), [path.join(REPO, 'dist-action/index.js')], {
    cwd: ws,
    env,
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const outputs: Record<string, string> = {};
  for (const line of fs.readFileSync(output, 'utf8').split('\n')) {
    const m = /^([\w-]+)=(.*)$/.exec(line);
    if (m) outputs[m[1]!] = m[2]!;
  }
  return { code: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '', outputs, summary: fs.readFileSync(summary, 'utf8'), ws };
}

function show(r: Run): string {
  return `exit ${r.code}\n--- stderr ---\n${r.stderr.slice(0, 3000)}\n--- stdout ---\n${r.stdout.slice(0, 3000)}`;
}

test('action: the bundle under Node 24 on shopfront: SARIF, outputs, summary, annotations, exit 1', () => {
  const r = runAction({});
  assert.is(r.code, 1, show(r));
  const sarif = path.join(r.ws, 'apilantern.sarif');
  assert.ok(fs.existsSync(sarif), show(r));
  const errors = validateSarif(sarif);
  assert.equal(errors, [], errors.join('\n'));
  assert.equal(r.outputs, { 'sarif-file': 'apilantern.sarif', findings: '28', critical: '2', high: '5', endpoints: '24', shadow: '7', unauthenticated: '7' }, show(r));
  assert.ok(r.summary.startsWith('## apilantern: API posture\n\n| Measure | Value |\n'), r.summary.slice(0, 500));
  assert.ok(r.summary.includes('| Endpoints found in code | 24 (1 with unresolved path parts) |'));
  assert.ok(r.summary.includes('| Method | Path | Auth | In spec | Traffic |'));
  assert.ok(r.summary.includes('| POST | `/api/v1/internal/cache/flush` | none | no | no logs |'));
  assert.ok(r.summary.includes('[src/routes/legacy\\.ts\\:22](https://github.com/acme/shopfront/blob/0123456789abcdef0123456789abcdef01234567/src/routes/legacy.ts#L22)'));
  assert.ok(Buffer.byteLength(r.summary) <= 1024 * 1024);
  const ann = r.stdout.split('\n').filter((l) => /^::(error|warning|notice) file=/.test(l));
  const levels = ann.map((l) => /^::(\w+)/.exec(l)![1]!);
  for (const lv of ['error', 'warning', 'notice']) assert.ok(levels.filter((x) => x === lv).length <= 10, `${lv}: more than 10`);
  const rank = { error: 0, warning: 1, notice: 2 } as Record<string, number>;
  assert.equal(levels, [...levels].sort((a, b) => rank[a]! - rank[b]!), 'most severe first');
  assert.ok(ann[0]!.startsWith('::error file=src/routes/legacy.ts,line=22,title=unauthenticated-write (critical)%3A POST /api/v1/internal/cache/flush::'), ann[0]);
  assert.match(r.stdout, /^::error title=apilantern::28 finding\(s\); some at or above fail-on \(high\)/m);
});

test('action: fail-on none exits 0; logs input fills the traffic column', () => {
  const r = runAction({ 'fail-on': 'none', logs: 'logs/access.log', format: 'text' });
  assert.is(r.code, 0, show(r));
  assert.ok(fs.existsSync(path.join(r.ws, 'apilantern.sarif')));
  assert.is(r.outputs.endpoints, '24', show(r));
  assert.match(r.summary, /\| GET \| `\/api\/v1\/products` \| none \| yes \| \d+ \|/);
  assert.ok(!/^::error title=apilantern/m.test(r.stdout), show(r));
});

test('action: a tool error (a named spec that does not exist) fails with exit 2 and an ::error::', () => {
  const r = runAction({ spec: 'missing.yaml' });
  assert.is(r.code, 2, show(r));
  assert.match(r.stdout, /^::error title=apilantern::/m);
});

test('action: the baseline input is passed to the CLI; a full baseline leaves nothing to fail on', async () => {
  const ws = shopfront();
  const made = await runCli(['baseline', '.', '--output', '.apilantern-baseline.json'], { cwd: ws });
  assert.is(made.code, 0, made.stderr);
  const r = runAction({ baseline: '.apilantern-baseline.json' }, ws);
  assert.is(r.code, 0, show(r));
  assert.is(r.outputs.findings, '0', show(r));
  assert.is(r.outputs.endpoints, '24');
});

test('action: a hostile repository (forged workflow commands, escapes and HTML in file names and spec keys) cannot command the runner', () => {
  const ws = temp('hostile');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  };
  write('package.json', JSON.stringify({ name: 'h', dependencies: { express: '4' } }));
  const forged = 'x\n::add-mask::secret\r::error title=pwned::forged\u001b]0;t\u0007<img src=x onerror=alert(1)>';
  write('src/app.ts', `import express from 'express';\nimport { r } from './${forged.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u001b/g, '\\u001b').replace(/\u0007/g, '\\u0007')}';\nconst app = express();\napp.use(r);\napp.listen(1);\n`);
  write(`src/${forged}.ts`, "import express from 'express';\nexport const r = express.Router();\nr.post('/w', (req, res) => res.json({}));\nconst = ;\n");
  write('docs/x\n::stop-commands::y.yaml', 'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths:\n  "/z\\n::error::spec-key<details>":\n    get:\n      responses: { "200": { description: ok } }\n');
  spawnSync('git', ['init', '-q'], { cwd: ws });
  const r = runAction({ format: 'text,markdown,csv', 'fail-on': 'none' }, ws);
  assert.is(r.code, 0, show(r));
  const ours = /^::(stop-commands::apilantern-[0-9a-f-]{36}|apilantern-[0-9a-f-]{36}::|(error|warning|notice) (file=[^,:\n]*,line=\d+,)?title=[^:\n]*::.*)$/;
  const commands = [...r.stdout.split('\n'), ...r.stderr.split('\n')].filter((l) => /^\s*(::|##\[)/.test(l));
  for (const l of commands) assert.match(l, ours, `a workflow command the Action did not write: ${JSON.stringify(l)}`);
  // the reports between stop-commands and its token: neutralised as well
  assert.not.ok(/^\s*::/m.test(r.stdout.replace(/^::stop-commands::.*$|^::apilantern-.*::$|^::(error|warning|notice) .*$/gm, '')), r.stdout);
  assert.not.match(r.stdout + r.stderr, /\u001b|\r/, 'no escape sequence or carriage return from the repository');
  assert.ok(commands.some((l) => l.startsWith('::notice file=src/x%0A%3A%3Aadd-mask%3A%3Asecret%0D%3A%3Aerror title%3Dpwned') || l.includes('file=src/x%0A')), commands.join('\n'));
  const outsideCode = r.summary.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, '');
  assert.not.match(outsideCode, /<img|<details>|!\[/, r.summary);
});

test.after(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

test.run();
