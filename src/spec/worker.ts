import { parentPort, workerData } from 'node:worker_threads';
import { loadSpec, type LoadSpecOptions } from './index.js';

/** Loads specs off the main thread (see load-many.ts). */
const { files, opts } = workerData as { files: string[]; opts: LoadSpecOptions };
const results = [];
for (const f of files) results.push(await loadSpec(f, opts));
parentPort?.postMessage(results);
