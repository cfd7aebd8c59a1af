// The raw cost of a scan: discover the JS/TS files with the scanner's own rules (dist/src/discover/files.js:
// node_modules, dist, tests, .d.ts ... skipped, .gitignore honoured), read each once and parse each once with
// @babel/parser, in one process. Plain JavaScript so that no TypeScript loader adds to its start-up time.
//
//   node bench/raw-parse.mjs <root>
//
// Prints one JSON line: files, bytes, per-phase milliseconds (inside the process) and maxRSS (KB).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '@babel/parser';
import { discoverFiles } from '../dist/src/discover/files.js';

const root = path.resolve(process.argv[2] ?? '.');
const t0 = performance.now();
const { sources } = await discoverFiles(root);
const t1 = performance.now();

let bytes = 0;
let readMs = 0;
let parseMs = 0;
let errors = 0;
let failed = 0;
let nodes = 0;
for (const rel of sources) {
  const a = performance.now();
  const text = fs.readFileSync(path.join(root, rel), 'utf8');
  const b = performance.now();
  bytes += Buffer.byteLength(text);
  const ts = /\.(ts|mts|cts)$/.test(rel);
  const tsx = /\.tsx$/.test(rel);
  try {
    const ast = parse(text, {
      sourceType: 'unambiguous',
      errorRecovery: true,
      plugins: ts ? ['typescript'] : tsx ? ['typescript', 'jsx'] : ['jsx'],
    });
    errors += ast.errors?.length ?? 0;
    nodes += ast.program.body.length; // keeps the result observable
  } catch {
    failed++;
  }
  readMs += b - a;
  parseMs += performance.now() - b;
}

process.stdout.write(
  JSON.stringify({
    files: sources.length,
    bytes,
    discoveryMs: Math.round(t1 - t0),
    readMs: Math.round(readMs),
    parseMs: Math.round(parseMs),
    parseErrors: errors,
    parseFailures: failed,
    topLevelStatements: nodes,
    maxRssKB: process.resourceUsage().maxRSS,
  }) + '\n',
);
