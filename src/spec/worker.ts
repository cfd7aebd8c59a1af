import { parentPort, workerData } from 'node:worker_threads';
import { loadSpec, type LoadSpecOptions } from './index.js';

/**
 * Loads specs off the main thread (see load-many.ts): takes the next index from the shared counter until none is
 * left, posting each result as soon as it is ready.
 */
const { files, opts, counter } = workerData as { files: string[]; opts: LoadSpecOptions; counter: SharedArrayBuffer };
const next = new Int32Array(counter);
for (;;) {
  const i = Atomics.add(next, 0, 1);
  if (i >= files.length) break;
  parentPort?.postMessage({ i, result: await loadSpec(files[i]!, opts) });
}
parentPort?.postMessage({ done: true });
