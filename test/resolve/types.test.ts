import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../helpers.js';

// A path part the interpreter cannot compute, but whose TypeScript type is one string literal, is resolved through
// the type checker; a union of literals gives one endpoint per member; a plain `string` stays unresolved.
test('type-aware resolution of what the syntactic pass leaves unresolved', async () => {
  const r = await scanDir('test/resolve/fixtures/typed-paths');
  assert.equal(endpointLines(r), [
    'GET /eu/status none src/app.ts:10',
    'GET /internal/health none src/app.ts:7',
    'GET /us/status none src/app.ts:10',
    'GET /v2/users none src/app.ts:5',
    'GET /{?}/wide none src/app.ts:9',
  ]);
  const eu = r.codeEndpoints.find((e) => e.path === '/eu/status')!;
  assert.equal(eu.notes, ["region is one of 'eu' | 'us' by its TypeScript type: this is 'eu'"]);
  const users = r.codeEndpoints.find((e) => e.path === '/v2/users')!;
  assert.equal(users.unresolved, []);
  assert.equal(users.notes, ["apiPrefix() resolved from its TypeScript type: '/v2'"]);
  const wide = r.codeEndpoints.find((e) => e.path.endsWith('/wide'))!;
  assert.equal(wide.unresolved.map((u) => u.text), ['process.env.WIDE']);
});

test.run();
