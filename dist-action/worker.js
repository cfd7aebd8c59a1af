import { createRequire as __apilanternCreateRequire } from 'node:module';
const require = __apilanternCreateRequire(import.meta.url);
import {
  loadSpec
} from "./chunk-52SCNBL3.js";
import "./chunk-X742OSD6.js";
import "./chunk-KLNQWGDO.js";

// src/spec/worker.ts
import { parentPort, workerData } from "node:worker_threads";
var { files, opts, counter } = workerData;
var next = new Int32Array(counter);
for (; ; ) {
  const i = Atomics.add(next, 0, 1);
  if (i >= files.length) break;
  parentPort?.postMessage({ i, result: await loadSpec(files[i], opts) });
}
parentPort?.postMessage({ done: true });
