// What is not an endpoint: comments, strings that look like routes, tests, build output, compiled copies of
// TypeScript sources, dependencies.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';

const FX = 'test/frameworks/express/fixtures';

test('only the routes that src/app.ts really registers', async () => {
  const r = await scanDir(`${FX}/not-endpoints`);
  assert.equal(endpointLines(r), ['GET /widgets none src/app.ts:15', 'POST /widgets none src/app.ts:16']);
  // the compiled copy beside app.ts is skipped and said so
  const compiled = r.notifications.filter((n) => n.code === 'file-skipped-compiled');
  assert.equal(compiled.map((n) => n.file), ['src/app.js']);
  // no server was taken from a test file, dist/ or node_modules/
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.server))], ['src/app.ts:3']);
});

test.run();
