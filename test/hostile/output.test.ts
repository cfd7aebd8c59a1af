/**
 * Names and keys from the repository reach every output neutralised: no GitHub workflow command (a line starting with
 * `::` once the runner trims it), no line break, carriage return, ANSI or OSC sequence in what a terminal or a runner
 * log shows, no HTML, image, link or cell break in Markdown. CSV keeps its formula neutralising.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, show } from '../cli/run-cli.js';
import { removeTempDirs } from '../cli/run-cli.js';
import { guardLines, logLine, mdCode, mdText, plain } from '../../src/report/escape.js';
import { assertNoControl, assertNoWorkflowCommands, hostileRepo } from './helpers.js';

test.after(removeTempDirs);

/** A route file whose name carries a line break and a forged workflow command, an OSC title and a colour. */
const FORGED_FILE = 'src/x\n::error title=pwned::forged\r::add-mask::secret\u001b]0;owned\u0007\u001b[31m.ts';
const HTML_FILE = 'src/<img src=x onerror=alert(1)>`|[a](http://e)![i](http://e).ts';
const ROUTE = (p: string) => `import express from 'express';\nexport const r = express.Router();\nr.post('${p}', (req, res) => res.json({}));\n`;

function hostile(): string {
  return hostileRepo('inject', {
    imports: ["import { r as a } from './x\\n::error title=pwned::forged\\r::add-mask::secret\\u001b]0;owned\\u0007\\u001b[31m';", "import { r as b } from './<img src=x onerror=alert(1)>`|[a](http://e)![i](http://e)';"],
    appLines: ['app.use(a);', 'app.use(b);'],
    files: {
      [FORGED_FILE]: ROUTE('/forged').replace('\n', '\nconst = ;\n'),
      [HTML_FILE]: ROUTE('/html'),
      // a file that cannot be parsed, so that a notification on stderr names a hostile file too
      'src/\n::stop-commands::x\u001b[2J.ts': "import express from 'express';\nexport const = ;\nconst app = express();\n",
      // a spec whose keys are hostile: a path with a line break and a workflow command, HTML in an operation
      'openapi.yaml': [
        'openapi: 3.0.3',
        "info: { title: t, version: '1' }",
        'paths:',
        '  "/spec\\n::error::forged-by-spec\\u001b[31m":',
        '    get:',
        "      responses: { '200': { description: ok } }",
        '  "/<details><summary>x</summary>":',
        '    get:',
        "      responses: { '200': { description: ok } }",
        '',
      ].join('\n'),
    },
  });
}

test('escaping units: plain, logLine, mdText, mdCode, guardLines', () => {
  assert.is(plain('a\nb\r\u001b[31mc\u009b\u202ed\te'), 'a\\nb\\r\\x1b[31mc\\x9b\\u202ed\\te');
  assert.is(logLine('  ::error::x'), '  \\::error::x');
  assert.is(logLine('##[error]x'), '\\##[error]x');
  assert.is(mdText('<img src=x onerror=a()> ![i](u) *b* | c http://w.x'), '&lt;img src=x onerror=a\\(\\)&gt; \\!\\[i\\]\\(u\\) \\*b\\* &#124; c http\\://w\\.x');
  assert.is(mdCode('a`b|c'), '``a`b\\|c``');
  assert.is(mdCode('`x`', false), '`` `x` ``');
  assert.is(guardLines('ok\n  ::add-mask::s\n::error::e\n##[group]g\n'), 'ok\n  \\::add-mask::s\n\\::error::e\n\\##[group]g\n');
});

test('text, Markdown and CSV reports and stderr: no workflow command, no control sequence, no HTML from the repository', async () => {
  const dir = hostile();
  for (const format of ['text', 'markdown', 'csv', 'json', 'sarif']) {
    const r = await runCli(['scan', dir, '--format', format, '--fail-on', 'none'], { env: { FORCE_COLOR: '1' } });
    assert.is(r.code, 0, show(r));
    assertNoWorkflowCommands(r.stdout, `${format} report`);
    assertNoWorkflowCommands(r.stderr, `stderr with --format ${format}`);
    assertNoControl(r.stderr, `stderr with --format ${format}`);
    if (format === 'text') {
      // our own colours stay; the repository's sequences are shown as escapes
      const theirs = r.stdout.replace(/\u001b\[\d+m/g, '');
      assertNoControl(theirs, 'text report');
      assert.ok(r.stdout.includes('src/x\\n::error title=pwned::forged\\r::add-mask::secret\\x1b]0;owned\\x07\\x1b[31m.ts:4'), 'the forged file is shown, escaped');
      assert.ok(r.stdout.includes('/spec\\n::error::forged-by-spec\\x1b[31m'), 'the spec key is shown, escaped');
    } else assertNoControl(r.stdout, `${format} report`);
    if (format === 'markdown') {
      // outside code spans (shown literally), nothing from the repository is HTML, an image or a link
      const outsideCode = r.stdout.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, '');
      assert.not.match(outsideCode, /<img|<details><summary>x|!\[i\]\(http|\[a\]\(http/, outsideCode);
      // (the scan normalises `//` in the file name it was given by the import)
      assert.ok(r.stdout.includes('``src/<img src=x onerror=alert(1)>`\\|[a](http:/e)![i](http:/e).ts:3``'), r.stdout);
      // every table row keeps its cells: a `|` from the repository does not split one
      const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
      const header = r.stdout.split('\n').find((l) => l.startsWith('| Method | Path | Auth | In spec |'))!;
      const rows = r.stdout.split('\n').filter((l) => /^\| (GET|POST) \| /.test(l));
      assert.ok(rows.length >= 4, r.stdout);
      for (const line of rows) assert.is(cells(line), cells(header), line);
    }
    if (format === 'json') {
      // data formats keep the real names (JSON escapes control characters itself)
      const j = JSON.parse(r.stdout) as { endpoints: Array<{ path: string; code: Array<{ file: string }> }> };
      assert.ok(j.endpoints.some((e) => e.code.some((c) => c.file === FORGED_FILE)), 'JSON has the real file name');
    }
  }
  const stderr = (await runCli(['scan', dir, '--fail-on', 'none'])).stderr;
  assert.ok(stderr.includes('apilantern: warning: src/\\n::stop-commands::x\\x1b[2J.ts: its name starts with a line break, which no file pattern matches; skipped.'), stderr);
  assert.ok(stderr.includes('apilantern: warning: src/x\\n::error title=pwned::forged\\r::add-mask::secret\\x1b]0;owned\\x07\\x1b[31m.ts:2: syntax error'), stderr);
});

test('CSV: spreadsheet formulas stay neutralised and a cell cannot start a workflow command line', async () => {
  const dir = hostileRepo('csv');
  for (const svc of ['=HYPERLINK(1)', '::error::svc']) {
    fs.mkdirSync(path.join(dir, svc, 'src'), { recursive: true });
    fs.writeFileSync(path.join(dir, svc, 'package.json'), JSON.stringify({ name: 'svc', dependencies: { express: '4' } }));
    fs.writeFileSync(path.join(dir, svc, 'src/app.ts'), "import express from 'express';\nconst app = express();\napp.get('/svc', (req, res) => res.send('x'));\napp.listen(1);\n");
  }
  const r = await runCli(['scan', dir, '--format', 'csv', '--fail-on', 'none']);
  assert.is(r.code, 0, show(r));
  const lines = r.stdout.split('\n');
  assert.ok(lines.includes("'=HYPERLINK(1),'=HYPERLINK(1)/src/app.ts:2,GET,/svc,yes,no,none,no,'=HYPERLINK(1)/src/app.ts:3,,"), r.stdout);
  assert.ok(lines.includes('"::error::svc","::error::svc/src/app.ts:2",GET,/svc,yes,no,none,no,"::error::svc/src/app.ts:3",,'), r.stdout);
  assertNoWorkflowCommands(r.stdout, 'csv');
});

test.run();
