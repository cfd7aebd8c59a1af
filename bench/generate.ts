/**
 * Generates a synthetic, deterministic Express monorepo for the benchmark.
 *
 *   node --import tsx bench/generate.ts [--files 3000] [--seed 42] [--out .bench/repo]
 *
 * Layout: a workspace root with several services (packages/<svc>) and one shared library (packages/shared).
 * Each TypeScript service has src/app.ts creating express(), routers in src/routes/*.ts mounted with prefixes
 * imported from src/config/constants.ts (some through an aggregating routes/index.ts, some CommonJS .js routers),
 * controllers, services, models, validators, types, utils, jobs, events, a few large data/SDK files, a tsconfig with
 * an `@/*` paths alias and an OpenAPI file. One service is legacy CommonJS JavaScript throughout. Tests, dist/ and
 * node_modules/ files exist too, so discovery has something to skip.
 *
 * `--files` counts the JS/TS source files that discovery scans (tests, dist and node_modules come on top).
 * The endpoints the code serves are written to <out>/EXPECTED.json, so the bench can measure recall.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GenerateOptions {
  /** Output directory (wiped first). */
  out: string;
  /** JS/TS source files in the scan's scope. */
  files: number;
  seed: number;
}

export interface ExpectedEndpoint {
  method: string;
  /** OpenAPI style, as the scanner reports it: /api/v1/orders/{id}. */
  path: string;
  /** Package directory, as the scanner reports it: packages/billing. */
  service: string;
}

export interface GenerateSummary {
  out: string;
  seed: number;
  /** JS/TS source files in scope (what the scanner should read). */
  sourceFiles: number;
  sourceBytes: number;
  /** Every file written (sources, tests, dist, node_modules, json, yaml). */
  totalFiles: number;
  totalBytes: number;
  /** Source files that register routes (routers, apps). */
  routeFiles: number;
  largeFiles: number;
  services: string[];
  specs: number;
  endpoints: number;
}

// ---------------------------------------------------------------------------------------------------------------
// deterministic randomness

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  shuffle<T>(xs: readonly T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
  /** Normal(0,1), Box-Muller. */
  gauss(): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// vocabulary

const SERVICE_NAMES = [
  'billing', 'catalog', 'identity', 'shipping', 'notifications', 'analytics', 'inventory', 'support', 'search', 'reporting',
  'payments', 'accounts', 'media', 'pricing', 'fulfillment', 'loyalty', 'compliance', 'scheduling', 'messaging', 'audit',
];
const RESOURCE_WORDS = [
  'order', 'user', 'product', 'invoice', 'payment', 'customer', 'shipment', 'refund', 'coupon', 'cart', 'review', 'category',
  'warehouse', 'supplier', 'ticket', 'comment', 'attachment', 'subscription', 'plan', 'webhook', 'session', 'team', 'member',
  'project', 'task', 'report', 'dashboard', 'notification', 'template', 'campaign', 'segment', 'event', 'metric', 'alert',
  'address', 'tax-rate', 'currency', 'discount', 'bundle', 'variant', 'price-list', 'stock-level', 'return', 'carrier',
  'label', 'document', 'folder', 'tag', 'role', 'permission', 'api-key', 'audit-log', 'export', 'import-job', 'schedule',
  'slot', 'booking', 'location', 'device', 'channel', 'message', 'thread', 'contact', 'lead', 'deal', 'quote', 'contract',
  'license', 'asset', 'image', 'video', 'playlist', 'article', 'page', 'menu', 'banner', 'survey', 'answer', 'badge',
  'reward', 'point', 'tier', 'partner', 'affiliate', 'payout', 'ledger', 'account', 'statement', 'dispute', 'chargeback',
];
const SUB_RESOURCES = ['notes', 'items', 'events', 'files', 'comments', 'lines', 'versions', 'approvals', 'links', 'tags'];
const FIELD_NAMES = [
  'id', 'name', 'status', 'createdAt', 'updatedAt', 'ownerId', 'amount', 'currency', 'description', 'email', 'quantity', 'sku',
  'priority', 'dueDate', 'region', 'locale', 'metadata', 'version', 'archived', 'score', 'total', 'reference', 'title', 'notes',
];
const TS_TYPES = ['string', 'number', 'boolean', 'string[]', 'Date', 'Record<string, unknown>', 'number | null', "'active' | 'inactive'"];
const VERBS_FN = ['normalize', 'compute', 'format', 'validate', 'merge', 'resolve', 'build', 'parse', 'collect', 'apply', 'derive', 'sanitize', 'map', 'group', 'rank'];
const NOUNS_FN = ['Totals', 'Window', 'Filter', 'Payload', 'Options', 'Snapshot', 'Summary', 'Batch', 'Range', 'Query', 'Record', 'Cursor', 'Diff', 'Score', 'Label'];
const UTIL_NAMES = [
  'date', 'money', 'strings', 'pagination', 'retry', 'cache', 'logger', 'errors', 'http-client', 'crypto', 'ids', 'collections',
  'env', 'metrics', 'feature-flags', 'csv', 'timezone', 'validation', 'queue', 'rate', 'slug', 'hash', 'diff', 'mask', 'locale',
];

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const pascal = (s: string) => camel(s).replace(/^[a-z]/, (c) => c.toUpperCase());
const plural = (s: string) => (s.endsWith('y') && !/[aeiou]y$/.test(s) ? s.slice(0, -1) + 'ies' : s.endsWith('s') || s.endsWith('x') || s.endsWith('ch') ? s + 'es' : s + 's');
const toOpenApi = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const joinPaths = (...parts: string[]) => {
  const segs = parts.join('/').split('/').filter(Boolean);
  return '/' + segs.join('/');
};

// ---------------------------------------------------------------------------------------------------------------
// filler code (realistic-looking, parseable, never minified)

class Filler {
  private n = 0;
  constructor(private readonly rng: Rng) {}

  private id(): string {
    return `${this.rng.pick(VERBS_FN)}${this.rng.pick(NOUNS_FN)}${++this.n}`;
  }

  iface(name: string, ts: boolean): string {
    if (!ts) return '';
    const fields = this.rng.shuffle(FIELD_NAMES).slice(0, this.rng.int(4, 10));
    return `export interface ${name} {\n${fields.map((f) => `  ${this.rng.chance(0.2) ? '/** ' + f + ' as stored upstream */\n  ' : ''}${f}${this.rng.chance(0.3) ? '?' : ''}: ${this.rng.pick(TS_TYPES)};`).join('\n')}\n}\n`;
  }

  /** Name of the last function or class fn() produced. */
  last = '';

  fn(ts: boolean, exported = true): string {
    let name = this.id();
    this.last = name;
    const r = this.rng;
    const arg = r.pick(['items', 'input', 'rows', 'records', 'entries']);
    const t = (s: string) => (ts ? s : '');
    const kind = r.int(0, 5);
    const doc = r.chance(0.6) ? `/**\n * ${r.pick(['Computes', 'Returns', 'Builds', 'Normalises', 'Collects'])} the ${r.pick(NOUNS_FN).toLowerCase()} for ${arg}.\n * ${r.pick(['Kept pure so it can be unit tested.', 'Called from the nightly job as well.', 'Order of the output is stable.', 'Does not mutate its input.'])}\n */\n` : '';
    const ex = exported && ts ? 'export ' : ''; // CommonJS files export through module.exports (see pad)
    switch (kind) {
      case 0:
        return `${doc}${ex}function ${name}(${arg}${t(': Array<Record<string, unknown>>')}, limit${t(': number')} = ${r.int(10, 500)})${t(': Record<string, number>')} {
  const out${t(': Record<string, number>')} = {};
  for (const row of ${arg}.slice(0, limit)) {
    const key = String(row['${r.pick(FIELD_NAMES)}'] ?? 'unknown');
    out[key] = (out[key] ?? 0) + Number(row['${r.pick(FIELD_NAMES)}'] ?? 1);
  }
  return out;
}
`;
      case 1:
        return `${doc}${ex}async function ${name}(${arg}${t(': string[]')}, options${t(': { retries?: number; delayMs?: number }')} = {})${t(': Promise<string[]>')} {
  const retries = options.retries ?? ${r.int(1, 5)};
  const results${t(': string[]')} = [];
  for (const entry of ${arg}) {
    let attempt = 0;
    while (attempt <= retries) {
      try {
        results.push(entry.trim().toLowerCase());
        break;
      } catch (err) {
        attempt++;
        if (attempt > retries) throw new Error(\`${name} failed for \${entry}: \${String(err)}\`);
        await new Promise((resolve) => setTimeout(resolve, (options.delayMs ?? ${r.int(50, 500)}) * attempt));
      }
    }
  }
  return results;
}
`;
      case 2: {
        const cases = r.shuffle(['draft', 'pending', 'active', 'suspended', 'archived', 'deleted', 'failed']).slice(0, r.int(3, 6));
        return `${doc}${ex}function ${name}(status${t(': string')})${t(': { label: string; terminal: boolean; weight: number }')} {
  switch (status) {
${cases.map((c, i) => `    case '${c}':\n      return { label: '${c[0]!.toUpperCase() + c.slice(1)}', terminal: ${i === cases.length - 1}, weight: ${r.int(1, 100)} };`).join('\n')}
    default:
      return { label: 'Unknown', terminal: false, weight: 0 };
  }
}
`;
      }
      case 3: {
        const cls = pascal(name);
        this.last = name = cls;
        return `${doc}${ex}class ${cls} {
  ${t('private readonly ')}entries${t(': Map<string, number>')} = new Map();
  ${t('private ')}hits = 0;

  constructor(${t('private readonly ')}capacity${t(': number')} = ${r.int(16, 4096)}) {${ts ? '' : '\n    this.capacity = capacity;'}}

  get(key${t(': string')})${t(': number | undefined')} {
    const v = this.entries.get(key);
    if (v !== undefined) this.hits++;
    return v;
  }

  set(key${t(': string')}, value${t(': number')})${t(': void')} {
    if (this.entries.size >= this.capacity) {
      const first = this.entries.keys().next().value;
      if (first !== undefined) this.entries.delete(first);
    }
    this.entries.set(key, value);
  }

  stats()${t(': { size: number; hits: number }')} {
    return { size: this.entries.size, hits: this.hits };
  }
}
`;
      }
      case 4:
        return `${doc}${ex}const ${name} = (${arg}${t(': Array<{ ' + r.pick(FIELD_NAMES) + ': string; amount: number }>')})${t(': number')} =>
  ${arg}
    .filter((x) => x.amount > ${r.int(0, 10)})
    .map((x) => Math.round(x.amount * ${(r.float() * 2).toFixed(3)}))
    .reduce((acc, x) => acc + x, 0);
`;
      default:
        return `${doc}${ex}function ${name}(${arg}${t(': Record<string, unknown>')})${t(': string')} {
  const parts${t(': string[]')} = [];
  for (const [key, value] of Object.entries(${arg})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) parts.push(\`\${key}=\${value.map(String).join(',')}\`);
    else if (typeof value === 'object') parts.push(\`\${key}=\${JSON.stringify(value)}\`);
    else parts.push(\`\${key}=\${encodeURIComponent(String(value))}\`);
  }
  return parts.sort().join('${r.pick(['&', ';', '|'])}');
}
`;
    }
  }

  /** Appends filler functions until `body` reaches `target` bytes. */
  pad(body: string, target: number, ts: boolean): string {
    let out = body;
    while (out.length < target) {
      if (ts && this.rng.chance(0.15)) {
        out += '\n' + this.iface(`${this.rng.pick(NOUNS_FN)}Shape${++this.n}`, ts);
        continue;
      }
      const exported = this.rng.chance(0.7);
      out += '\n' + this.fn(ts, exported);
      if (!ts && exported) out += `module.exports.${this.last} = ${this.last};\n`;
    }
    return out;
  }
}

/** Size of an ordinary file: mostly 1-10 KB, median ~3.5 KB, a few under 1 KB. */
function ordinarySize(rng: Rng): number {
  const s = Math.exp(Math.log(3500) + 0.65 * rng.gauss());
  return Math.round(Math.min(11_000, Math.max(400, s)));
}

// ---------------------------------------------------------------------------------------------------------------
// the repo

interface Written {
  files: number;
  bytes: number;
  sourceFiles: number;
  sourceBytes: number;
  routeFiles: number;
  largeFiles: number;
}

interface EndpointSpec {
  method: string;
  /** Path inside the router, Express style. */
  sub: string;
  auth: boolean;
  handler: string;
}

const SOURCE_RE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

export function generate(opts: GenerateOptions): GenerateSummary {
  const rng = new Rng(opts.seed);
  const filler = new Filler(rng);
  const out = path.resolve(opts.out);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const w: Written = { files: 0, bytes: 0, sourceFiles: 0, sourceBytes: 0, routeFiles: 0, largeFiles: 0 };
  const expected: ExpectedEndpoint[] = [];
  // in-scope sources are counted against the budget; tests/dist/node_modules are extras
  const seen = new Set<string>();
  const write = (rel: string, content: string, inScope = SOURCE_RE.test(rel)) => {
    if (seen.has(rel)) throw new Error(`generator bug: ${rel} written twice`);
    seen.add(rel);
    const abs = path.join(out, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
    w.files++;
    w.bytes += Buffer.byteLength(content);
    if (inScope && SOURCE_RE.test(rel)) {
      w.sourceFiles++;
      w.sourceBytes += Buffer.byteLength(content);
    }
  };

  const nServices = Math.max(3, Math.round(opts.files / 500));
  const services = SERVICE_NAMES.slice(0, Math.min(nServices, SERVICE_NAMES.length));
  while (services.length < nServices) services.push(`${SERVICE_NAMES[services.length % SERVICE_NAMES.length]}-${Math.floor(services.length / SERVICE_NAMES.length) + 1}`);
  const legacyIndex = services.length > 3 ? 3 : -1; // one CommonJS JavaScript service
  const sharedBudget = Math.max(20, Math.round(opts.files * 0.04));
  const perService = Math.floor((opts.files - sharedBudget - 2) / services.length); // 2: scripts/*

  // --- workspace root
  write('package.json', JSON.stringify({ name: 'bench-monorepo', private: true, workspaces: ['packages/*'], scripts: { build: 'npm run build --workspaces' }, devDependencies: { typescript: '^5.6.3' } }, null, 2) + '\n');
  write('tsconfig.base.json', JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true, allowJs: true, skipLibCheck: true, sourceMap: true } }, null, 2) + '\n');
  write('.gitignore', 'node_modules/\ndist/\ncoverage/\n*.log\n');
  write('README.md', `# bench-monorepo\n\nSynthetic Express monorepo generated by apilantern's bench (seed ${opts.seed}). Services: ${services.join(', ')}.\n`);
  write('scripts/check-env.js', `'use strict';\nconst required = ['DATABASE_URL', 'JWT_SECRET'];\nconst missing = required.filter((k) => !process.env[k]);\nif (missing.length) {\n  console.error('missing env: ' + missing.join(', '));\n  process.exit(1);\n}\n`);
  write('scripts/release.ts', filler.pad(`import { execSync } from 'node:child_process';\n\nexport function currentVersion(): string {\n  return execSync('git describe --tags').toString().trim();\n}\n`, 3000, true));
  // dependencies: never scanned
  for (let i = 0; i < 12; i++) write(`node_modules/express/lib/part${i}.js`, `'use strict';\nmodule.exports = function part${i}(req, res, next) { next(); };\n`, false);
  write('node_modules/express/package.json', JSON.stringify({ name: 'express', version: '4.21.2', main: 'index.js' }) + '\n');
  write('node_modules/express/index.js', `'use strict';\nmodule.exports = require('./lib/express');\n`, false);

  // --- shared library (workspace package, no routes)
  write('packages/shared/package.json', JSON.stringify({ name: '@bench/shared', version: '1.0.0', private: true, main: 'dist/index.js', types: 'src/index.ts', dependencies: { jsonwebtoken: '^9.0.2' } }, null, 2) + '\n');
  write('packages/shared/tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'] }, null, 2) + '\n');
  write(
    'packages/shared/src/middleware/auth.ts',
    `import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';

export interface Principal {
  id: string;
  roles: string[];
}

/** Rejects the request with 401 unless it carries a valid bearer token; puts the caller on res.locals.principal. */
export function requireAuth(req: Request, res: Response, next: NextFunction) {
  const header = req.headers.authorization;
  if (!header || !header.startsWith('Bearer ')) {
    return res.status(401).json({ error: 'missing_token' });
  }
  try {
    const claims = jwt.verify(header.slice(7), process.env.JWT_SECRET as string) as { sub: string; roles?: string[] };
    res.locals.principal = { id: claims.sub, roles: claims.roles ?? [] } satisfies Principal;
    return next();
  } catch {
    return res.status(401).json({ error: 'invalid_token' });
  }
}

export function requireRole(role: string) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const p = res.locals.principal as Principal | undefined;
    if (!p || !p.roles.includes(role)) return res.status(403).json({ error: 'forbidden', required: role });
    return next();
  };
}
`,
  );
  write('packages/shared/src/index.ts', `export * from './middleware/auth';\nexport * from './utils/strings';\n`);
  let sharedLeft = sharedBudget - 2;
  const sharedUtils: string[] = [];
  for (let i = 0; sharedLeft > 0; i++, sharedLeft--) {
    const name = `${UTIL_NAMES[i % UTIL_NAMES.length]}${i >= UTIL_NAMES.length ? Math.floor(i / UTIL_NAMES.length) : ''}`; // strings is index 2
    sharedUtils.push(name);
    write(`packages/shared/src/utils/${name}.ts`, filler.pad(`// shared ${name} helpers used by every service\n`, ordinarySize(rng), true));
  }

  const summaries: string[] = [];
  for (const [si, svc] of services.entries()) {
    const legacy = si === legacyIndex;
    const budget = si === services.length - 1 ? opts.files - sharedBudget - 2 - perService * (services.length - 1) : perService;
    const r = genService({ rng, filler, write, w, expected, svc, dir: `packages/${svc}`, budget, legacy, useSharedAuth: si % 2 === 1, version: si % 3 === 2 ? 'v2' : 'v1' });
    summaries.push(r);
  }

  const summary: GenerateSummary = {
    out,
    seed: opts.seed,
    sourceFiles: w.sourceFiles,
    sourceBytes: w.sourceBytes,
    totalFiles: w.files + 1,
    totalBytes: w.bytes,
    routeFiles: w.routeFiles,
    largeFiles: w.largeFiles,
    services: services.map((s) => `packages/${s}`),
    specs: services.length,
    endpoints: expected.length,
  };
  // EXPECTED.json sits outside every package; it is not a spec and not a source
  fs.writeFileSync(
    path.join(out, 'EXPECTED.json'),
    JSON.stringify({ ...summary, out: undefined, requestedFiles: opts.files, generator: 'bench/generate.ts', generatorHash: generatorHash(), expected }, null, 1) + '\n',
  );
  // a repo of its own: otherwise the scanned tree sits inside this repo's .gitignore'd .bench/
  try {
    execFileSync('git', ['init', '-q'], { cwd: out, stdio: 'ignore' });
  } catch {
    /* without git the parent .gitignore may hide the repo from discovery; run.ts checks the file count */
  }
  return summary;
}

interface ServiceCtx {
  rng: Rng;
  filler: Filler;
  write: (rel: string, content: string, inScope?: boolean) => void;
  w: Written;
  expected: ExpectedEndpoint[];
  svc: string;
  dir: string;
  budget: number;
  legacy: boolean;
  useSharedAuth: boolean;
  version: string;
}

interface Resource {
  name: string; // kebab singular, e.g. tax-rate
  key: string; // camel plural, e.g. taxRates (ROUTES key)
  base: string; // '/tax-rates'
  js: boolean; // CommonJS router in a TS service
  mount: 'app' | 'index';
  guarded: boolean; // requireAuth at the mount
  style: 'direct' | 'chain' | 'consts';
  endpoints: EndpointSpec[];
}

function pickEndpoints(rng: Rng, res: string): EndpointSpec[] {
  const sub = rng.pick(SUB_RESOURCES);
  const C = camel(res);
  const pool: Array<[string, string, string]> = [
    ['GET', '/', `list${pascal(plural(res))}`],
    ['POST', '/', `create${pascal(res)}`],
    ['GET', '/:id', `get${pascal(res)}`],
    ['PATCH', '/:id', `update${pascal(res)}`],
    ['DELETE', '/:id', `delete${pascal(res)}`],
    ['PUT', '/:id', `replace${pascal(res)}`],
    ['GET', '/search', `search${pascal(plural(res))}`],
    ['GET', `/:id/${sub}`, `list${pascal(sub)}`],
    ['POST', `/:id/${sub}`, `add${pascal(sub)}`],
    ['DELETE', `/:id/${sub}/:${camel(sub).replace(/s$/, '')}Id`, `remove${pascal(sub)}`],
    ['POST', '/:id/archive', `archive${pascal(res)}`],
    ['POST', '/:id/restore', `restore${pascal(res)}`],
    ['GET', '/export', `export${pascal(plural(res))}`],
    ['POST', '/bulk', `bulkUpsert${pascal(plural(res))}`],
    ['GET', '/stats', `${C}Stats`],
    ['GET', '/:id/history', `${C}History`],
  ];
  const k = rng.int(3, 10);
  const head = pool.slice(0, 3);
  const rest = rng.shuffle(pool.slice(3)).slice(0, k - 3);
  return [...head, ...rest].map(([method, sub2, handler]) => ({ method, sub: sub2, auth: method !== 'GET' || rng.chance(0.3), handler }));
}

function genService(c: ServiceCtx): string {
  const { rng, filler, write, w, dir, legacy } = c;
  const ts = !legacy;
  const ext = ts ? 'ts' : 'js';
  let left = c.budget;
  const src = (rel: string, content: string) => {
    write(`${dir}/src/${rel}`, content);
    left--;
  };

  // resources: six files each (route, controller, service, model, types, validator) plus filler makes ~12% route files
  const nRes = Math.max(3, Math.round(c.budget * 0.115));
  const names = rng.shuffle(RESOURCE_WORDS);
  const resources: Resource[] = [];
  for (let i = 0; i < nRes; i++) {
    const word = names[i % names.length]! + (i >= names.length ? `-${Math.floor(i / names.length) + 1}` : '');
    resources.push({
      name: word,
      key: camel(plural(word)),
      base: `/${plural(word)}`,
      js: ts && rng.chance(0.08),
      mount: rng.chance(0.5) ? 'app' : 'index',
      guarded: rng.chance(0.35),
      style: rng.pick(['direct', 'direct', 'chain', 'consts'] as const),
      endpoints: pickEndpoints(rng, word),
    });
  }
  const prefix = `/api/${c.version}`;
  // large generated modules (data tables, API clients); the first resources' services import one each
  const largeNames = Array.from({ length: Math.max(1, Math.round(c.budget * 0.006)) }, (_, i) => `${rng.pick(['country-rates', 'catalog-seed', 'generated-client', 'error-codes', 'geo-zones'])}-${i}`);
  const dataImport = (i: number) => {
    const n = largeNames[i];
    if (!n) return '';
    const v = camel(n).replace(/-(\d+)$/, '$1');
    return ts ? `import * as ${v} from '@/data/${n}';\n` : `const ${v} = require('../data/${n}');\n`;
  };

  // --- package files
  write(`${dir}/package.json`, JSON.stringify({ name: `@bench/${c.svc}`, version: `${rng.int(1, 4)}.${rng.int(0, 20)}.${rng.int(0, 9)}`, private: true, main: legacy ? 'src/server.js' : 'dist/server.js', scripts: { build: 'tsc -p tsconfig.json', start: 'node dist/server.js' }, dependencies: { express: '^4.21.2', '@bench/shared': '1.0.0', cors: '^2.8.5', helmet: '^8.0.0' } }, null, 2) + '\n');
  write(`${dir}/tsconfig.json`, `// service tsconfig: the @/ alias maps to src/\n` + JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist', baseUrl: '.', paths: { '@/*': ['src/*'] } }, include: ['src'], exclude: ['node_modules', 'dist', 'test'] }, null, 2) + '\n');

  // --- constants: prefixes and mount points
  const constants = ts
    ? `/** Mount points of the ${c.svc} API; the clients import the same constants. Keep in sync with openapi.yaml. */
export const API_VERSION = '${c.version}';
export const API_PREFIX = \`/api/\${API_VERSION}\`;

export const ROUTES = {
${resources.map((r) => `  ${r.key}: '${r.base}',`).join('\n')}
} as const;

export const HEALTH_PATH = '/healthz';
export type RouteKey = keyof typeof ROUTES;
`
    : `'use strict';

const API_VERSION = '${c.version}';
const API_PREFIX = '/api/' + API_VERSION;

const ROUTES = {
${resources.map((r) => `  ${r.key}: '${r.base}',`).join('\n')}
};

module.exports = { API_VERSION, API_PREFIX, ROUTES, HEALTH_PATH: '/healthz' };
`;
  src(`config/constants.${ext}`, constants);
  src(`config/env.${ext}`, filler.pad(ts ? `export const config = {\n  port: Number(process.env.PORT ?? 3000),\n  databaseUrl: process.env.DATABASE_URL ?? 'postgres://localhost/${c.svc}',\n  corsOrigins: (process.env.CORS_ORIGINS ?? '').split(','),\n};\n` : `'use strict';\n\nmodule.exports.config = {\n  port: Number(process.env.PORT || 3000),\n  databaseUrl: process.env.DATABASE_URL || 'postgres://localhost/${c.svc}',\n};\n`, 1500, ts));

  // --- middleware
  const authImport = ts ? (c.useSharedAuth ? `import { requireAuth, requireRole } from '@bench/shared/middleware/auth';` : `import { requireAuth, requireRole } from '@/middleware/auth';`) : `const { requireAuth, requireRole } = require('../middleware/auth');`;
  if (ts) {
    src(
      'middleware/auth.ts',
      `import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';

/** 401 unless the request carries a valid bearer token issued by identity. */
export function requireAuth(req: Request, res: Response, next: NextFunction) {
  const token = req.headers.authorization?.replace(/^Bearer /, '');
  if (!token) return res.status(401).json({ error: 'unauthorized' });
  try {
    res.locals.user = jwt.verify(token, process.env.JWT_SECRET as string);
    return next();
  } catch {
    return res.status(401).json({ error: 'invalid_token' });
  }
}

export function requireRole(role: string) {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (!res.locals.user?.roles?.includes(role)) return res.status(403).json({ error: 'forbidden' });
    return next();
  };
}
`,
    );
    src('middleware/errors.ts', filler.pad(`import type { NextFunction, Request, Response } from 'express';\n\nexport function errorHandler(err: Error, _req: Request, res: Response, _next: NextFunction) {\n  res.status(500).json({ error: 'internal', message: err.message });\n}\n`, 1800, true));
    src('middleware/validate.ts', `import type { NextFunction, Request, Response } from 'express';\n\nexport type Schema = { required: string[] };\n\nexport const validate = (schema: Schema) => (req: Request, res: Response, next: NextFunction) => {\n  const missing = schema.required.filter((k) => req.body?.[k] === undefined);\n  if (missing.length) return res.status(400).json({ error: 'invalid_body', missing });\n  return next();\n};\n`);
    src('utils/asyncHandler.ts', `import type { NextFunction, Request, RequestHandler, Response } from 'express';\n\nexport const asyncHandler =\n  (fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler =>\n  (req, res, next) => {\n    fn(req, res, next).catch(next);\n  };\n`);
  } else {
    src(
      'middleware/auth.js',
      `'use strict';
const jwt = require('jsonwebtoken');

function requireAuth(req, res, next) {
  const token = (req.headers.authorization || '').replace(/^Bearer /, '');
  if (!token) return res.status(401).json({ error: 'unauthorized' });
  try {
    req.user = jwt.verify(token, process.env.JWT_SECRET);
    return next();
  } catch (err) {
    return res.status(401).json({ error: 'invalid_token' });
  }
}

function requireRole(role) {
  return function (req, res, next) {
    if (!req.user || !(req.user.roles || []).includes(role)) return res.status(403).json({ error: 'forbidden' });
    return next();
  };
}

module.exports = { requireAuth, requireRole };
`,
    );
    src('middleware/errors.js', `'use strict';\n\nmodule.exports = function errorHandler(err, req, res, next) {\n  res.status(500).json({ error: 'internal', message: err.message });\n};\n`);
  }

  // --- per-resource files
  const e2e: Array<{ method: string; path: string; auth: boolean; opId: string }> = [];
  for (const [ri, r] of resources.entries()) {
    const R = pascal(r.name);
    const rext = r.js || legacy ? 'js' : 'ts';
    const routerVar = `${camel(r.name)}Router`;
    const full = (sub: string) => joinPaths(prefix, r.base, sub);
    for (const e of r.endpoints) e2e.push({ method: e.method, path: full(e.sub), auth: r.guarded || e.auth, opId: e.handler });

    // types, model, validator, service, controller
    if (ts) {
      src(`types/${r.name}.ts`, filler.pad(filler.iface(R, true) + filler.iface(`${R}Input`, true) + `export type ${R}Id = string;\n`, Math.min(ordinarySize(rng), 3000), true));
      src(`validators/${r.name}.schema.ts`, filler.pad(`import type { Schema } from '@/middleware/validate';\n\nexport const create${R}Schema: Schema = { required: ${JSON.stringify(rng.shuffle(FIELD_NAMES).slice(0, 3))} };\nexport const update${R}Schema: Schema = { required: [] };\n`, ordinarySize(rng), true));
    }
    src(
      `models/${r.name}.model.${ext}`,
      filler.pad(
        ts
          ? `import type { ${R} } from '@/types/${r.name}';\n\nexport const ${camel(r.name)}Table = '${plural(r.name).replace(/-/g, '_')}';\n\nexport class ${R}Model {\n  constructor(private readonly rows: Map<string, ${R}> = new Map()) {}\n\n  find(id: string): ${R} | undefined {\n    return this.rows.get(id);\n  }\n\n  all(): ${R}[] {\n    return [...this.rows.values()];\n  }\n}\n`
          : `'use strict';\n\nclass ${R}Model {\n  constructor() {\n    this.rows = new Map();\n  }\n\n  find(id) {\n    return this.rows.get(id);\n  }\n}\n\nmodule.exports = { ${R}Model, table: '${plural(r.name).replace(/-/g, '_')}' };\n`,
        ordinarySize(rng),
        ts,
      ),
    );
    src(
      `services/${r.name}.service.${ext}`,
      filler.pad(
        ts
          ? `${dataImport(ri)}import { ${R}Model } from '@/models/${r.name}.model';\nimport * as ${camel(UTIL_NAMES[rng.int(0, 4)]!)}Utils from '@/utils/${UTIL_NAMES[rng.int(0, 4)]}';\nimport type { ${R}, ${R}Input } from '@/types/${r.name}';\n\nexport class ${R}Service {\n  private readonly model = new ${R}Model();\n\n  async list(limit = 50): Promise<${R}[]> {\n    return this.model.all().slice(0, limit);\n  }\n\n  async get(id: string): Promise<${R} | undefined> {\n    return this.model.find(id);\n  }\n\n  async create(input: ${R}Input): Promise<${R}Input> {\n    return { ...input };\n  }\n}\n\nexport const ${camel(r.name)}Service = new ${R}Service();\n`
          : `'use strict';\n${dataImport(ri)}const { ${R}Model } = require('../models/${r.name}.model');\n\nconst model = new ${R}Model();\n\nasync function list(limit) {\n  return [...model.rows.values()].slice(0, limit || 50);\n}\n\nasync function get(id) {\n  return model.find(id);\n}\n\nmodule.exports = { list, get };\n`,
        ordinarySize(rng),
        ts,
      ),
    );
    const handlers = [...new Set(r.endpoints.map((e) => e.handler))];
    src(
      `controllers/${r.name}.controller.${ext}`,
      filler.pad(
        ts
          ? `import type { Request, Response } from 'express';\nimport { ${camel(r.name)}Service } from '@/services/${r.name}.service';\n\n${handlers
              .map(
                (h) =>
                  `export async function ${h}(req: Request, res: Response) {\n  const item = await ${camel(r.name)}Service.get(String(req.params.id ?? ''));\n  if (!item && req.method !== 'GET') return res.status(404).json({ error: '${r.name}_not_found' });\n  return res.json(item ?? { items: await ${camel(r.name)}Service.list(Number(req.query.limit ?? 50)) });\n}\n`,
              )
              .join('\n')}`
          : `'use strict';\nconst service = require('../services/${r.name}.service');\n\n${handlers.map((h) => `async function ${h}(req, res) {\n  const item = await service.get(req.params.id);\n  res.json(item || { items: await service.list(50) });\n}\n`).join('\n')}\nmodule.exports = { ${handlers.join(', ')} };\n`,
        ordinarySize(rng),
        ts,
      ),
    );

    // the router
    const consts = r.style === 'consts';
    const pathConst = new Map<string, string>();
    if (consts) {
      let n = 0;
      for (const e of r.endpoints) if (!pathConst.has(e.sub)) pathConst.set(e.sub, e.sub === '/' ? 'collection' : e.sub === '/:id' ? 'byId' : `p${++n}`);
    }
    const pathExpr = (sub: string) => (consts ? `${R.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PATHS.${pathConst.get(sub)}` : `'${sub}'`);
    const routeLines: string[] = [];
    const isJs = rext === 'js';
    const wrap = (h: string) => (isJs ? `controller.${h}` : rng.chance(0.5) ? `asyncHandler(${h})` : h);
    const mw = (e: EndpointSpec) => (e.auth && !r.guarded ? (isJs ? 'requireAuth, ' : 'requireAuth, ') : '') + (!isJs && e.method === 'POST' && rng.chance(0.5) ? `validate(create${R}Schema), ` : '');
    if (r.style === 'chain') {
      const bySub = new Map<string, EndpointSpec[]>();
      for (const e of r.endpoints) bySub.set(e.sub, [...(bySub.get(e.sub) ?? []), e]);
      for (const [sub, es] of bySub) {
        routeLines.push(`router\n  .route(${pathExpr(sub)})\n${es.map((e) => `  .${e.method.toLowerCase()}(${mw(e)}${wrap(e.handler)})`).join('\n')};`);
      }
    } else {
      for (const e of r.endpoints) routeLines.push(`router.${e.method.toLowerCase()}(${pathExpr(e.sub)}, ${mw(e)}${wrap(e.handler)});`);
    }
    const constBlock = consts ? `\nconst ${R.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PATHS = {\n${[...pathConst].map(([s, k]) => `  ${k}: '${s}',`).join('\n')}\n}${isJs ? '' : ' as const'};\n` : '';
    let routeText: string;
    if (isJs) {
      routeText = `'use strict';
const express = require('express');
const controller = require('../controllers/${r.name}.controller');
${legacy ? authImport : `const { requireAuth } = require('../middleware/auth');`}

const router = express.Router();
${constBlock}
${routeLines.join('\n')}

module.exports = router;
`;
    } else {
      routeText = `import { Router } from 'express';
${authImport}
import { asyncHandler } from '@/utils/asyncHandler';
import { validate } from '@/middleware/validate';
import { ${handlers.join(', ')} } from '@/controllers/${r.name}.controller';
import { create${R}Schema } from '@/validators/${r.name}.schema';

const router = Router();
${constBlock}
${routeLines.join('\n')}

export default router;
`;
    }
    const routeFile = `routes/${r.name}.routes.${rext}`;
    // a router in a TS service that is CommonJS JS: its own controller is TS, so point it at a JS shim
    if (r.js) {
      src(`controllers/${r.name}.legacy.js`, `'use strict';\n// hand-written before the TypeScript migration; re-exports the compiled controller\nmodule.exports = {\n${handlers.map((h) => `  ${h}: (req, res) => res.json({ legacy: true, handler: '${h}' }),`).join('\n')}\n};\n`);
      routeText = routeText.replace(`require('../controllers/${r.name}.controller')`, `require('../controllers/${r.name}.legacy')`);
    }
    src(routeFile, routeText);
    w.routeFiles++;
  }

  // --- routes/index.ts aggregates part of the routers; app.ts mounts the rest
  const viaIndex = resources.filter((r) => r.mount === 'index');
  const viaApp = resources.filter((r) => r.mount === 'app');
  const importRouter = (r: Resource, from: string) => {
    const v = `${camel(r.name)}Router`;
    if (!ts) return `const ${v} = require('${from}/${r.name}.routes');`;
    if (r.js) return rng.chance(0.5) ? `// eslint-disable-next-line @typescript-eslint/no-var-requires\nconst ${v} = require('${from}/${r.name}.routes');` : `import ${v} from '${from}/${r.name}.routes';`;
    return `import ${v} from '${from}/${r.name}.routes';`;
  };
  const mountArgs = (r: Resource, pathE: string) => `${pathE}, ${r.guarded ? 'requireAuth, ' : ''}${camel(r.name)}Router`;
  if (viaIndex.length) {
    const text = ts
      ? `import { Router } from 'express';\nimport { ROUTES } from '../config/constants';\n${authImport}\n${viaIndex.map((r) => importRouter(r, '.')).join('\n')}\n\nexport const apiRouter = Router();\n\n${viaIndex.map((r) => `apiRouter.use(${mountArgs(r, `ROUTES.${r.key}`)});`).join('\n')}\n`
      : `'use strict';\nconst express = require('express');\nconst { ROUTES } = require('../config/constants');\n${authImport}\n${viaIndex.map((r) => importRouter(r, '.')).join('\n')}\n\nconst apiRouter = express.Router();\n\n${viaIndex.map((r) => `apiRouter.use(${mountArgs(r, `ROUTES.${r.key}`)});`).join('\n')}\n\nmodule.exports = { apiRouter };\n`;
    src(`routes/index.${ext}`, text);
    w.routeFiles++;
  }
  const appMount = (r: Resource, i: number) => {
    const p = !ts ? `API_PREFIX + ROUTES.${r.key}` : i % 2 === 0 ? `\`\${API_PREFIX}\${ROUTES.${r.key}}\`` : `API_PREFIX + ROUTES.${r.key}`;
    return `app.use(${mountArgs(r, p)});`;
  };
  const appText = ts
    ? `import express from 'express';
import cors from 'cors';
import helmet from 'helmet';
import { API_PREFIX, HEALTH_PATH, ROUTES } from '@/config/constants';
import { config } from '@/config/env';
import { errorHandler } from '@/middleware/errors';
${authImport}
${viaIndex.length ? `import { apiRouter } from './routes';\n` : ''}${viaApp.map((r) => importRouter(r, './routes')).join('\n')}

export const app = express();

app.set('trust proxy', 1);
app.use(helmet());
app.use(cors({ origin: config.corsOrigins, credentials: true }));
app.use(express.json({ limit: '1mb' }));

app.get(HEALTH_PATH, (_req, res) => {
  res.json({ status: 'ok', service: '${c.svc}' });
});
app.get('/readyz', (_req, res) => res.status(204).end());

${viaApp.map(appMount).join('\n')}
${viaIndex.length ? `app.use(API_PREFIX, apiRouter);\n` : ''}app.use(\`\${API_PREFIX}/admin\`, requireAuth, requireRole('admin'), express.Router().get('/flags', (_req, res) => res.json({})));

app.use(errorHandler);
`
    : `'use strict';
const express = require('express');
const { API_PREFIX, ROUTES, HEALTH_PATH } = require('./config/constants');
const errorHandler = require('./middleware/errors');
${authImport.replace('../middleware', './middleware')}
${viaIndex.length ? `const { apiRouter } = require('./routes');\n` : ''}${viaApp.map((r) => importRouter(r, './routes')).join('\n')}

const app = express();

app.use(express.json());
app.get(HEALTH_PATH, function (req, res) {
  res.json({ status: 'ok', service: '${c.svc}' });
});
app.get('/readyz', (req, res) => res.status(204).end());

${viaApp.map(appMount).join('\n')}
${viaIndex.length ? `app.use(API_PREFIX, apiRouter);\n` : ''}app.use(API_PREFIX + '/admin', requireAuth, requireRole('admin'), express.Router().get('/flags', (req, res) => res.json({})));

app.use(errorHandler);

module.exports = app;
`;
  src(`app.${ext}`, appText);
  w.routeFiles++;
  src(`server.${ext}`, ts ? `import { app } from './app';\nimport { config } from '@/config/env';\n\napp.listen(config.port, () => {\n  console.log('${c.svc} listening on ' + config.port);\n});\n` : `'use strict';\nconst app = require('./app');\n\napp.listen(process.env.PORT || 3000);\n`);
  for (const [m, p] of [['GET', '/healthz'], ['GET', '/readyz'], ['GET', `${prefix}/admin/flags`]] as const) e2e.push({ method: m, path: p, auth: p.includes('admin'), opId: `${m.toLowerCase()}${pascal(p.replace(/[^a-z]+/g, '-'))}` });
  for (const e of e2e) c.expected.push({ method: e.method, path: toOpenApi(e.path), service: dir });

  // --- filler: utils, lib, jobs, events, data (a few large files), i18n
  for (const n of largeNames) {
    src(`data/${n}.${ext}`, largeFile(rng, filler, ts, 50_000 + rng.int(0, 50_000)));
    w.largeFiles++;
  }
  // filler files: most import a sibling or a service, so part of them is reachable from the app
  const dirs = ['utils', 'lib', 'jobs', 'events', 'helpers', 'integrations', 'mappers', 'constants'];
  let fi = 0;
  while (left > 0) {
    const d = dirs[fi % dirs.length]!;
    const name = `${UTIL_NAMES[Math.floor(fi / dirs.length) % UTIL_NAMES.length]}${fi >= dirs.length * UTIL_NAMES.length ? `-${Math.floor(fi / (dirs.length * UTIL_NAMES.length))}` : ''}`;
    const res = rng.pick(resources);
    const head = ts
      ? `${rng.chance(0.5) ? `import { ${camel(res.name)}Service } from '@/services/${res.name}.service';\n` : ''}${rng.chance(0.3) ? `import { ${rng.pick(['API_PREFIX', 'ROUTES', 'API_VERSION'])} } from '../config/constants';\n` : ''}\n`
      : `'use strict';\n${rng.chance(0.4) ? `const constants = require('../config/constants');\n` : ''}\n`;
    src(`${d}/${name}.${ext}`, filler.pad(head, ordinarySize(rng), ts));
    fi++;
  }

  // --- out of scope: tests, compiled output
  for (const r of resources.slice(0, Math.max(1, Math.round(resources.length / 4)))) {
    write(`${dir}/test/${r.name}.test.${ext}`, `import request from 'supertest';\nimport { app } from '../src/app';\n\ndescribe('${r.name}', () => {\n  it('lists', async () => {\n    await request(app).get('${joinPaths(prefix, r.base)}').expect(200);\n    await request(app).post('/api/v9/should-not-count').expect(404);\n  });\n});\n`, false);
    write(`${dir}/dist/routes/${r.name}.routes.js`, `"use strict";\nconst express_1 = require("express");\nconst router = (0, express_1.Router)();\nrouter.get("/compiled-copy", (req, res) => res.json({}));\nexports.default = router;\n`, false);
  }

  // --- the OpenAPI document: most endpoints, a couple that the code no longer serves
  const documented = e2e.filter(() => rng.chance(0.85));
  const specOnly = [{ method: 'GET', path: joinPaths(prefix, '/legacy/summary'), auth: true, opId: 'legacySummary' }, { method: 'POST', path: joinPaths(prefix, '/legacy/recalculate'), auth: true, opId: 'legacyRecalculate' }];
  write(`${dir}/openapi.yaml`, openapi(c.svc, [...documented, ...specOnly]));
  return dir;
}

function largeFile(rng: Rng, filler: Filler, ts: boolean, target: number): string {
  const kind = rng.int(0, 1);
  if (kind === 0) {
    // a generated data table: one object literal with thousands of entries
    const lines: string[] = [ts ? `// generated by scripts/gen-tables.ts, do not edit\nexport interface RateRow {\n  code: string;\n  rate: number;\n  zone: string;\n  active: boolean;\n}\n\nexport const RATES: Record<string, RateRow> = {` : `'use strict';\n// generated by scripts/gen-tables.js, do not edit\nconst RATES = {`];
    let size = lines[0]!.length;
    for (let i = 0; size < target; i++) {
      const code = `${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i / 26) | 0) % 26)}${i}`;
      const l = `  ${code}: { code: '${code}', rate: ${(rng.float() * 0.3).toFixed(4)}, zone: '${rng.pick(['eu', 'us', 'apac', 'latam', 'mea'])}', active: ${rng.chance(0.9)} },`;
      lines.push(l);
      size += l.length + 1;
    }
    lines.push(ts ? '};\n\nexport const RATE_CODES = Object.keys(RATES);\n' : '};\n\nmodule.exports = { RATES };\n');
    return lines.join('\n');
  }
  // a generated API client / big module: many functions
  return filler.pad(ts ? `/* eslint-disable */\n// Generated client for the partner API. Do not edit by hand.\n\n` : `'use strict';\n/* eslint-disable */\n`, target, ts);
}

function openapi(svc: string, eps: Array<{ method: string; path: string; auth: boolean; opId: string }>): string {
  const byPath = new Map<string, typeof eps>();
  for (const e of eps) {
    const p = toOpenApi(e.path);
    byPath.set(p, [...(byPath.get(p) ?? []), e]);
  }
  const used = new Set<string>();
  const lines = [
    'openapi: 3.0.3',
    'info:',
    `  title: ${svc} API`,
    '  version: 1.0.0',
    `  description: Public API of the ${svc} service.`,
    'servers:',
    `  - url: https://${svc}.example.com`,
    'paths:',
  ];
  for (const [p, es] of [...byPath].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${p}:`);
    const params = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    if (params.length) {
      lines.push('    parameters:');
      for (const name of params) lines.push(`      - name: ${name}`, '        in: path', '        required: true', '        schema:', '          type: string');
    }
    for (const e of es) {
      let op = e.opId;
      for (let i = 2; used.has(op); i++) op = `${e.opId}${i}`;
      used.add(op);
      lines.push(`    ${e.method.toLowerCase()}:`, `      operationId: ${op}`, `      summary: ${op.replace(/([A-Z])/g, ' $1').toLowerCase()}`);
      if (e.auth) lines.push('      security:', '        - bearerAuth: []');
      if (e.method === 'POST' || e.method === 'PUT' || e.method === 'PATCH') {
        lines.push('      requestBody:', '        required: true', '        content:', '          application/json:', '            schema:', "              $ref: '#/components/schemas/Payload'");
      }
      lines.push('      responses:', "        '200':", '          description: OK', '          content:', '            application/json:', '              schema:', "                $ref: '#/components/schemas/Item'");
      if (e.auth) lines.push("        '401':", '          description: Unauthorized');
    }
  }
  lines.push(
    'components:',
    '  securitySchemes:',
    '    bearerAuth:',
    '      type: http',
    '      scheme: bearer',
    '      bearerFormat: JWT',
    '  schemas:',
    '    Item:',
    '      type: object',
    '      properties:',
    '        id:',
    '          type: string',
    '        status:',
    '          type: string',
    '    Payload:',
    '      type: object',
    '      additionalProperties: true',
  );
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------------
// CLI

/** Identifies this generator's version: a repo generated by another version is regenerated by the bench. */
export function generatorHash(): string {
  return crypto.createHash('sha256').update(fs.readFileSync(fileURLToPath(import.meta.url))).digest('hex').slice(0, 12);
}

export function parseArgs(argv: string[]): { files?: number; seed?: number; out?: string; rest: string[] } {
  const r: { files?: number; seed?: number; out?: string; rest: string[] } = { rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [k, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => inline ?? argv[++i];
    if (k === '--files') r.files = Number(val());
    else if (k === '--seed') r.seed = Number(val());
    else if (k === '--out') r.out = val();
    else r.rest.push(a);
  }
  return r;
}

export function describe(s: GenerateSummary): string {
  return [
    `generated ${s.out}`,
    `  ${s.sourceFiles} source files in scope (${(s.sourceBytes / 1048576).toFixed(1)} MB), ${s.totalFiles} files in all (${(s.totalBytes / 1048576).toFixed(1)} MB, with tests, dist/, node_modules/, package.json, tsconfig, specs)`,
    `  ${s.services.length} services + 1 shared package, ${s.routeFiles} route files (${((100 * s.routeFiles) / s.sourceFiles).toFixed(1)}%), ${s.largeFiles} large files (50-100 KB), ${s.specs} OpenAPI files`,
    `  expected endpoints: ${s.endpoints} (seed ${s.seed})`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const a = parseArgs(process.argv.slice(2));
  const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const s = generate({ out: path.resolve(here, a.out ?? '.bench/repo'), files: a.files ?? 3000, seed: a.seed ?? 42 });
  console.log(describe(s));
}
