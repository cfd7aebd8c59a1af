import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';

// createApp() is called only from main.ts, which does not mention express; legacy.js exports `function (app)` that
// no visible code calls (loaded dynamically in real apps). Both must still yield their endpoints.
test('apps built in functions that no entry file calls, and route factories loaded dynamically', async () => {
  const r = await scanDir('test/frameworks/express/fixtures/uncalled-factories');
  assert.equal(endpointLines(r), ['GET /api/users none src/users.ts:3', 'GET /legacy/ping none src/legacy.js:2']);
  const legacy = r.codeEndpoints.find((e) => e.path === '/legacy/ping')!;
  assert.equal(legacy.notes, ['app is assumed to be the application: the function that registers these routes is not called by code the scan can see']);
  const users = r.codeEndpoints.find((e) => e.path === '/api/users')!;
  assert.equal(users.notes, []);
  assert.is(users.server, 'src/app.ts:4');
});

test.run();
