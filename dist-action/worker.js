import { createRequire as __apilanternCreateRequire } from 'node:module';
const require = __apilanternCreateRequire(import.meta.url);
import {
  loadSpec
} from "./chunk-DZBBBFRF.js";
import "./chunk-3JAZL3ZZ.js";
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
