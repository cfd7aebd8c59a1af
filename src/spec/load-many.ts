import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadSpec, type LoadSpecOptions, type LoadSpecResult } from './index.js';

/**
 * Loads several specs. Parsing and validating a large spec takes as long as analysing a mid-sized code base, so it
 * runs in a worker thread, on another core, while the main thread analyses the code; where a worker cannot be
 * started, in this thread. Results come back in the order of `files`.
 */
export function loadSpecs(files: string[], opts: LoadSpecOptions): Promise<LoadSpecResult[]> {
  if (!files.length) return Promise.resolve([]);
  const here = import.meta.url;
  const ts = here.endsWith('.ts');
  const workerUrl = new URL(ts ? './worker.ts' : './worker.js', here);
  let worker: Worker | undefined;
  if (fs.existsSync(fileURLToPath(workerUrl))) {
    try {
      worker = new Worker(workerUrl, { workerData: { files, opts }, execArgv: ts ? ['--import', 'tsx'] : [] });
    } catch {
      worker = undefined;
    }
  }
  if (!worker) return inProcess(files, opts);
  const w = worker;
  return new Promise((resolve) => {
    let settled = false;
    const fallback = () => {
      if (settled) return;
      settled = true;
      void w.terminate();
      inProcess(files, opts).then(resolve);
    };
    w.once('message', (results: LoadSpecResult[]) => {
      if (settled) return;
      settled = true;
      void w.terminate();
      resolve(results);
    });
    w.once('error', fallback);
    w.once('exit', (code) => {
      if (!settled && code !== 0) fallback();
    });
  });
}

async function inProcess(files: string[], opts: LoadSpecOptions): Promise<LoadSpecResult[]> {
  const out: LoadSpecResult[] = [];
  for (const f of files) out.push(await loadSpec(f, opts));
  return out;
}
