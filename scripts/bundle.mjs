// Bundles the GitHub Action (src/action/main.ts) into dist-action/, self-contained: the runner runs
// `node dist-action/index.js` from a checkout of this repository, with no `npm install`.
//
// - ESM with code splitting: index.js is the entry; ts-morph (with the TypeScript compiler, most of the size) is
//   imported dynamically by src/resolve/types.ts only when a TypeScript type must be resolved, so it lands in a chunk
//   of its own that Node reads only then. It is bundled, not external: the Action can need it on any repository.
// - worker.js: the spec-loading worker (src/spec/worker.ts). src/spec/load-many.ts looks for './worker.js' next to the
//   module that contains it (import.meta.url); every chunk is written to the same directory, so it finds it.
// - `createRequire(import.meta.url)('pkg')` is a runtime require esbuild cannot follow; the plugin below rewrites it
//   to a plain `require('pkg')` in our own sources, which esbuild bundles. The banner defines `require` for the
//   CommonJS dependencies that call it (node: built-ins only once bundled).
// - Deterministic: no metafile, no timestamps, content-hashed chunk names, fixed entry names, sorted inputs.
//
// Usage: node scripts/bundle.mjs [OUTDIR]   (default dist-action/; the up-to-date test builds into a temp dir)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.resolve(process.argv[2] ?? path.join(root, 'dist-action'));

/** Rewrites `createRequire(import.meta.url)` in our sources into the bundler's `require`. */
const inlineCreateRequire = {
  name: 'inline-create-require',
  setup(b) {
    b.onLoad({ filter: /[\\/](src|rules)[\\/].*\.ts$/ }, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      if (!text.includes('createRequire(import.meta.url)')) return undefined;
      text = text
        .replace(/^\s*const require = createRequire\(import\.meta\.url\);\s*$/m, '')
        .replace(/createRequire\(import\.meta\.url\)\(/g, 'require(');
      if (text.includes('createRequire(import.meta.url)')) {
        return { errors: [{ text: `${path.relative(root, args.path)}: a createRequire(import.meta.url) the bundler cannot rewrite` }] };
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

fs.rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { index: 'src/action/main.ts', worker: 'src/spec/worker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  chunkNames: 'chunk-[hash]',
  legalComments: 'none',
  minify: false,
  sourcemap: false,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __apilanternCreateRequire } from 'node:module';\nconst require = __apilanternCreateRequire(import.meta.url);" },
  plugins: [inlineCreateRequire],
});
if (result.errors.length) process.exit(1);
// the runner reads dist-action/*.js as ESM whatever the repository's package.json says
fs.writeFileSync(path.join(outdir, 'package.json'), '{\n  "type": "module"\n}\n');
console.log(`bundled the Action into ${path.relative(process.cwd(), outdir) || '.'}: ${fs.readdirSync(outdir).sort().join(', ')}`);
