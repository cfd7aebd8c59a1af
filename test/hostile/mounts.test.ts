/**
 * Mounts nested thousands deep (generated chains of routers, Koa nesting, Hono route()): the walk stops at a bound
 * with a warning naming the mount, in bounded time, and invents no endpoint from what lies below; nesting of a
 * realistic depth is followed to the end.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scanDir } from '../helpers.js';
import { removeTempDirs } from '../cli/run-cli.js';
import { brief, endpoints, hostileRepo } from './helpers.js';

test.after(removeTempDirs);

type Fw = 'express' | 'koa' | 'hono';

/** A chain of `n` routers, each mounting the one before under `/n`; the first serves `GET /leaf`. */
function chain(fw: Fw, n: number): string {
  const L: string[] = [];
  if (fw === 'express') {
    L.push("import express from 'express';", 'const app = express();', 'const r0 = express.Router();', "r0.get('/leaf', (req, res) => res.send('x'));");
    for (let i = 1; i <= n; i++) L.push(`const r${i} = express.Router();`, `r${i}.use('/n', r${i - 1});`);
    L.push(`app.use(r${n});`, 'app.listen(1);');
  } else if (fw === 'koa') {
    L.push("import Router from '@koa/router';", "import Koa from 'koa';", 'const app = new Koa();', 'const r0 = new Router();', "r0.get('/leaf', (ctx) => { ctx.body = 1; });");
    for (let i = 1; i <= n; i++) L.push(`const r${i} = new Router();`, `r${i}.use('/n', r${i - 1}.routes());`);
    L.push(`app.use(r${n}.routes());`, 'app.listen(1);');
  } else {
    L.push("import { Hono } from 'hono';", 'const a0 = new Hono();', "a0.get('/leaf', (c) => c.text('x'));");
    for (let i = 1; i <= n; i++) L.push(`const a${i} = new Hono();`, `a${i}.route('/n', a${i - 1});`);
    L.push(`export default a${n};`);
  }
  return L.join('\n') + '\n';
}

const repo = (fw: Fw, n: number) =>
  hostileRepo(`mounts-${fw}`, { files: { 'src/chain.ts': chain(fw, n), 'package.json': JSON.stringify({ name: 'm', dependencies: { express: '4', koa: '2', '@koa/router': '12', hono: '4' } }) } });

for (const fw of ['express', 'koa', 'hono'] as const) {
  test(`${fw}: 3,000 nested mounts stop at the bound with a warning; the good routes stay, nothing is invented`, async () => {
    const r = await scanDir(repo(fw, 3000));
    assert.equal(endpoints(r).sort(), ['GET /good/list', 'POST /good/create'], brief(r));
    const deep = r.notifications.filter((n) => n.code === 'mount-too-deep');
    assert.is(deep.length, 1, brief(r));
    // the walk holds 100 apps and routers when it meets the next mount (with Express and Koa the app is one of them,
    // a Hono chain starts at its top app): that mount is written on the line that creates the next router
    const line = fw === 'hono' ? 3 + 2 * 2901 : (fw === 'koa' ? 5 : 4) + 2 * 2902;
    assert.equal(deep[0], { level: 'warning', code: 'mount-too-deep', message: `src/chain.ts:${line}: mounts are nested more than 100 deep here; what is mounted below this point is not followed and its routes are missing from the report.`, file: 'src/chain.ts', line });
    assert.not.ok(r.notifications.some((n) => n.level === 'error'), brief(r));
  });

  test(`${fw}: 40 nested mounts are followed to the end`, async () => {
    const r = await scanDir(repo(fw, 40));
    assert.equal(endpoints(r).sort(), ['GET /good/list', `GET ${'/n'.repeat(40)}/leaf`, 'POST /good/create'], brief(r));
    assert.not.ok(r.notifications.some((n) => n.code === 'mount-too-deep'), brief(r));
  });
}

test.run();
