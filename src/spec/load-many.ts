import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LoadSpecOptions, LoadSpecResult } from './index.js';

/** The loader (YAML, swagger-parser) is imported in this thread only when this thread loads a spec itself. */
const loadSpec = async (file: string, opts: LoadSpecOptions): Promise<LoadSpecResult> => (await import('./index.js')).loadSpec(file, opts);

export interface SpecLoading {
  /** Loads what the worker has not taken yet in this thread too, and resolves with every result, in file order. */
  finish(): Promise<LoadSpecResult[]>;
}

/**
 * Loads several specs on two cores. Parsing and validating large specs can take as long as analysing the code, so a
 * worker thread starts on them at once while the main thread analyses the code; when the main thread is done it
 * takes the specs the worker has not reached (a shared counter hands out each spec once). Without a worker, every
 * spec is loaded in this thread.
 */
export function startLoadingSpecs(files: string[], opts: LoadSpecOptions): SpecLoading {
  const results: Array<LoadSpecResult | undefined> = new Array(files.length);
  const counter = new SharedArrayBuffer(4);
  const next = new Int32Array(counter);
  let worker: Worker | undefined;
  let workerDone: Promise<void> = Promise.resolve();
  if (files.length) {
    const here = import.meta.url;
    const ts = here.endsWith('.ts');
    const workerUrl = new URL(ts ? './worker.ts' : './worker.js', here);
    if (fs.existsSync(fileURLToPath(workerUrl))) {
      try {
        worker = new Worker(workerUrl, { workerData: { files, opts, counter }, execArgv: ts ? ['--import', 'tsx'] : [] });
      } catch {
        worker = undefined;
      }
    }
  }
  if (worker) {
    const w = worker;
    workerDone = new Promise<void>((resolve) => {
      w.on('message', (m: { i?: number; result?: LoadSpecResult; done?: boolean }) => {
        if (m.done) resolve();
        else if (m.i !== undefined && m.result) results[m.i] = m.result;
      });
      // a worker that fails leaves its specs unloaded: they are loaded below
      w.once('error', () => resolve());
      w.once('exit', () => resolve());
    });
  }
  return {
    async finish() {
      for (;;) {
        const i = Atomics.add(next, 0, 1);
        if (i >= files.length) break;
        results[i] = await loadSpec(files[i]!, opts);
      }
      await workerDone;
      if (worker) void worker.terminate();
      // anything a failed worker took but did not deliver
      for (let i = 0; i < files.length; i++) results[i] ??= await loadSpec(files[i]!, opts);
      return results as LoadSpecResult[];
    },
  };
}
