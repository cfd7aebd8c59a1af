// Terminal middleware mounted at a path answers requests itself: it is an endpoint for every method.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';

const FX = 'test/frameworks/express/fixtures';

test('express-graphql mounted with app.use(path, graphqlHTTP(...)) is ALL <path>; middleware before it still counts', async () => {
  const r = await scanDir(`${FX}/graphql-mount`);
  assert.equal(endpointLines(r), [
    'ALL /admin/graphql required src/server.js:10',
    'ALL /graphql none src/server.js:9',
    'GET / none src/server.js:8',
  ]);
  const admin = r.codeEndpoints.find((e) => e.path === '/admin/graphql')!;
  // expressjwt runs once in front of graphqlHTTP: one middleware, one piece of evidence
  assert.equal(admin.middleware, ["expressjwt({ secret: process.env.ADMIN_JWT_SECRET, algorithms: ['HS256'] })"]);
  assert.equal(admin.evidence.map((e) => `${e.kind} ${e.auth} ${e.reason}`), ['middleware required express-jwt verifies a bearer token']);
  const open = r.codeEndpoints.find((e) => e.path === '/graphql')!;
  assert.equal(open.middleware, []);
  assert.equal(open.evidence, []);
});

test.run();
