/**
 * A function too large to read whole (generated code): the walk over its syntax stops at a bound, and that is said,
 * with the file and line, instead of deciding from a part as if it were the whole.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scanDir } from '../helpers.js';
import { removeTempDirs } from '../cli/run-cli.js';
import { assertGood, brief, hostileRepo } from './helpers.js';

test.after(removeTempDirs);

test('a middleware body of more than 20,000 syntax nodes: read in part, an analysis-budget warning names it', async () => {
  const big = Array.from({ length: 25_000 }, (_, i) => String(i)).join(',\n');
  const dir = hostileRepo('big-fn', {
    appLines: [`function audit(req, res, next) {`, `  const table = [${big}];`, '  res.locals.n = table.length;', '  next();', '}', "app.get('/audited', audit, (req, res) => res.send('x'));"],
  });
  const r = await scanDir(dir);
  assertGood(r, ['GET /audited']);
  const cut = r.notifications.filter((n) => n.code === 'analysis-budget');
  assert.equal(
    cut.map((n) => [n.level, n.file, n.line, n.message]),
    [['warning', 'src/app.ts', 6, 'src/app.ts:6: this code is too large to read whole (more than 20,000 syntax nodes); only that much was read, so what it does about authentication or methods may be missed.']],
    brief(r),
  );
});

test.run();
