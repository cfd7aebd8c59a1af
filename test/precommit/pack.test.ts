// What `npm pack` puts in the package (what pre-commit and `npm install -g` install): the built JavaScript, the
// launcher, the config schema and the README; no tests, examples, benches or TypeScript sources.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { REPO } from '../helpers.js';

test('npm pack contents: dist/src, dist/rules, bin, schema, README; nothing of test/, examples/, bench/, src/*.ts', () => {
  // --ignore-scripts: list what is there without rebuilding dist/ (npm install / npm run build made it)
  const res = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8' });
  assert.is(res.status, 0, res.stderr);
  const files = (JSON.parse(res.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
  for (const f of ['bin/apilantern.js', 'dist/src/cli/main.js', 'dist/src/scan.js', 'dist/src/config/config.js', 'dist/rules/index.js', 'schema/apilantern.schema.json', 'README.md', 'package.json']) {
    assert.ok(files.includes(f), `${f} missing from the package`);
  }
  assert.ok(files.filter((f) => f.startsWith('dist/rules/')).length >= 11, 'every rule is built');
  const bad = files.filter((f) => /^(test|examples|bench|scripts|src|rules|\.ci|\.scratch|node_modules)\//.test(f) || /\.ts$/.test(f) || f.startsWith('dist/test/') || f.startsWith('dist/bench/'));
  assert.equal(bad, [], `unexpected files in the package: ${bad.join(', ')}`);
  for (const f of files) assert.ok(/^(bin|dist\/src|dist\/rules|schema)\/|^(README\.md|package\.json|LICENSE.*)$/.test(f), `unexpected file ${f}`);
});

test.run();
