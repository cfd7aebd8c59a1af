// Runs every test file (test/**/*.test.ts) with uvu under tsx and ends with the plain summary line
// `tests: N passed, N failed` that CI reads. Extra arguments narrow the run: `npm test -- express`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const filter = process.argv[2] ? `${process.argv[2].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\.test\\.ts$` : '\\.test\\.ts$';
const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'node_modules/uvu/bin.js'), 'test', filter], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, FORCE_COLOR: '0' },
  maxBuffer: 256 * 1024 * 1024,
});
process.stdout.write(res.stdout ?? '');
process.stderr.write(res.stderr ?? '');
const total = Number(/Total:\s+(\d+)/.exec(res.stdout ?? '')?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(res.stdout ?? '')?.[1] ?? 0);
const failed = total - passed;
console.log(`tests: ${passed} passed, ${failed} failed`);
if (res.status !== 0 || failed > 0 || total === 0) process.exit(1);
