#!/usr/bin/env node
// Launcher: runs the compiled CLI (built by `npm install` / `npm run build`).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`apilantern: internal error: ${err && err.message}\n`);
    process.exitCode = 2;
  },
);
