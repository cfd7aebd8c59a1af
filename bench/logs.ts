/**
 * Access-log ingestion benchmark.
 *
 *   node --import tsx bench/logs.ts                 # 0.25 GB and 1 GB combined logs, plain and gzip
 *   node --import tsx bench/logs.ts --gb 0.5        # sizes 0.125 and 0.5 GB
 *   node --import tsx bench/logs.ts --sizes 0.1,0.5,2 --runs 3
 *
 * Generates synthetic nginx `combined` logs (ids, UUIDs, query strings, percent-encoding, double slashes, scanner
 * noise, 0.1% malformed lines) into .bench/logs/ (reused while size and generator version match), plus a gzip copy
 * of each (zlib level 1, to keep generation short; decompression speed barely depends on the level).
 * Then, each in a child process (wall time from spawn to exit, CPU time and peak RSS from /usr/bin/time, median of
 * --runs):
 *   a. baseline: readline over createReadStream (through zlib.createGunzip for .gz), counting lines, no parsing
 *   b. ingestLogs with a callback that counts records
 *   c. the whole traffic stage: ingestLogs feeding the TrafficAnalyzer (matching against 307 endpoints, templating,
 *      noise, per-session 10-minute windows)
 * and prints MB/s (of log text), lines/s, peak RSS and the ratio ingest/baseline.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const OUT = path.join(ROOT, '.bench', 'logs');
const TIME = '/usr/bin/time';
const HAS_TIME = fs.existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
const GENERATOR_VERSION = 1;
const GB = 1024 ** 3;

// ---------------------------------------------------------------------------------------------------------------
// children

async function childReadline(file: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  const src = fs.createReadStream(file);
  const input = file.endsWith('.gz') ? src.pipe(zlib.createGunzip()) : src;
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let lines = 0;
  for await (const _ of rl) lines++;
  console.log(JSON.stringify({ lines, records: 0, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
}

async function childIngest(file: string): Promise<void> {
  const { ingestLogs } = await import('../src/traffic/ingest/index.ts');
  const t0 = process.hrtime.bigint();
  let records = 0;
  let requests = 0;
  const s = await ingestLogs([file], { format: 'auto', stripPrefixes: ['/api/v1'] }, (r) => {
    records++;
    requests += r.count;
  });
  const f = s.files[0]!;
  console.log(JSON.stringify({ lines: f.lines, records, requests, skipped: f.skipped, bytes: f.bytes, format: f.format, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
}

/** The whole traffic stage: ingestion plus matching, templating, noise and per-session rate windows. */
async function childTraffic(file: string): Promise<void> {
  const { ingestLogs } = await import('../src/traffic/ingest/index.ts');
  const { TrafficAnalyzer } = await import('../src/traffic/analyze/index.ts');
  const real = ['GET /users/{id}', 'GET /products/{id}/reviews', 'POST /carts/{cart}/items', 'GET /search', 'GET /orders/{id}', 'PATCH /users/{id}/settings', 'DELETE /sessions/{id}'];
  // a realistic inventory: the endpoints the generated log calls, among 300 others it does not
  const filler = Array.from({ length: 300 }, (_, i) => `${['GET', 'POST', 'PUT', 'DELETE'][i % 4]} /r${i % 37}/items${i}/{id}`);
  const endpoints = [...real, ...filler].map((x, i) => {
    const [method, p] = x.split(' ');
    return { id: String(i), method: method as 'GET', path: p!, source: 'code' as const };
  });
  const t0 = process.hrtime.bigint();
  const an = new TrafficAnalyzer(endpoints, { sessionKeyLabel: 'ip' });
  const s = await ingestLogs([file], { format: 'auto', stripPrefixes: ['/api/v1'] }, (r) => an.add(r));
  const res = an.result();
  const f = s.files[0]!;
  console.log(JSON.stringify({ lines: f.lines, records: f.used, skipped: f.skipped, bytes: f.bytes, format: f.format, matched: res.byEndpoint.size, templates: res.templates.length, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
}

// ---------------------------------------------------------------------------------------------------------------
// generation

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0', 'okhttp/4.12.0', 'python-requests/2.32.3', 'Go-http-client/2.0', 'curl/8.5.0', 'Mozilla/5.0 zgrab/0.x'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function clf(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function makeLine(r: () => number, t: number): string {
  const ip = `10.${(r() * 256) | 0}.${(r() * 256) | 0}.${(r() * 256) | 0}`;
  const id = (r() * 100000) | 0;
  const x = r();
  let req: string;
  let status = 200;
  if (x < 0.3) req = `GET /api/v1/users/${id}?expand=orders&page=${(r() * 9) | 0}`;
  else if (x < 0.5) req = `GET /api/v1/products/${id}/reviews`;
  else if (x < 0.6) req = `POST /api/v1/carts/${(r() * 0xffffffff).toString(16)}-1b4d-4c8e-9a51-${id}/items`;
  else if (x < 0.7) req = `GET /api/v1/search?q=caf%C3%A9+${id}&sort=desc`;
  else if (x < 0.78) req = `GET //api//v1/orders/${id}/`;
  else if (x < 0.85) req = `PATCH /api/v1/users/${id}/settings`;
  else if (x < 0.9) req = `DELETE /api/v1/sessions/${id}`;
  else if (x < 0.95) req = `GET /api/v1/files/report%20${id}.pdf`;
  else if (x < 0.97) {
    req = r() < 0.5 ? 'GET /wp-login.php' : 'GET /.env';
    status = 404;
  } else req = `GET /static/app.${id}.js`;
  if (r() < 0.05) status = 500;
  if (r() < 0.001) return `${ip} - - [${clf(t)}] "\\x16\\x03\\x01\\x00" 400 157 "-" "-"`;
  return `${ip} - - [${clf(t)}] "${req} HTTP/1.1" ${status} ${(r() * 20000) | 0} "https://shop.example.com/" "${AGENTS[(r() * AGENTS.length) | 0]}"`;
}

async function generate(file: string, bytes: number, seed: number): Promise<{ lines: number; note: string }> {
  const meta = file + '.json';
  try {
    const m = JSON.parse(fs.readFileSync(meta, 'utf8')) as { bytes: number; seed: number; version: number; lines: number };
    if (m.bytes === bytes && m.seed === seed && m.version === GENERATOR_VERSION && fs.existsSync(file) && fs.existsSync(file + '.gz')) return { lines: m.lines, note: 'reused' };
  } catch {
    /* generate */
  }
  const t0 = Date.now();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const r = rng(seed);
  const out = fs.createWriteStream(file);
  let written = 0;
  let lines = 0;
  let t = Date.UTC(2026, 10, 2, 0, 0, 0);
  while (written < bytes) {
    const batch: string[] = [];
    let size = 0;
    while (size < 4 * 1024 * 1024 && written + size < bytes) {
      t += (r() * 20) | 0;
      const l = makeLine(r, t) + '\n';
      batch.push(l);
      size += l.length;
      lines++;
    }
    written += size;
    if (!out.write(batch.join(''))) await new Promise<void>((res) => out.once('drain', () => res()));
  }
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  const t1 = Date.now();
  await pipeline(fs.createReadStream(file), zlib.createGzip({ level: 1 }), fs.createWriteStream(file + '.gz'));
  fs.writeFileSync(meta, JSON.stringify({ bytes, seed, version: GENERATOR_VERSION, lines }));
  return { lines, note: `generated in ${((t1 - t0) / 1000).toFixed(1)} s, gzip in ${((Date.now() - t1) / 1000).toFixed(1)} s` };
}

// ---------------------------------------------------------------------------------------------------------------
// measuring

interface Measure {
  wallMs: number;
  cpuMs: number;
  maxRssKB: number;
  out: { lines: number; records: number; requests?: number; skipped?: number; bytes?: number; format?: string; ms: number };
}

function runChild(mode: 'readline' | 'ingest' | 'traffic', file: string): Measure {
  const rssFile = path.join(OUT, `rss-${process.pid}.txt`);
  fs.rmSync(rssFile, { force: true });
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', mode, file];
  const [cmd, argv] = HAS_TIME ? [TIME, ['-f', '%U %S %M', '-o', rssFile, process.execPath, ...args]] : [process.execPath, ['--import', path.join(ROOT, 'bench/rss.mjs'), ...args]];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: ROOT, env: { ...process.env, BENCH_RSS_FILE: rssFile }, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${mode} ${file} exited with ${r.status}:\n${(r.stderr ?? '').slice(-2000)}`);
  const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
  const [user, sys, rss] = lines[lines.length - 1]!.trim().split(/\s+/).map(Number);
  fs.rmSync(rssFile, { force: true });
  return { wallMs, cpuMs: (user! + sys!) * 1000, maxRssKB: rss!, out: JSON.parse(r.stdout.trim().split('\n').pop()!) };
}

function median(ms: Measure[]): Measure {
  const s = [...ms].sort((a, b) => a.wallMs - b.wallMs);
  return s[Math.floor(s.length / 2)]!;
}

function parseArgs(argv: string[]) {
  const a: { gb: number; sizes?: number[]; runs: number; seed: number } = { gb: 1, runs: 1, seed: 7 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    if (k === '--gb') a.gb = Number(argv[++i]);
    else if (k === '--sizes') a.sizes = argv[++i]!.split(',').map(Number);
    else if (k === '--runs') a.runs = Number(argv[++i]);
    else if (k === '--seed') a.seed = Number(argv[++i]);
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    if (argv[1] === 'readline') return childReadline(argv[2]!);
    if (argv[1] === 'traffic') return childTraffic(argv[2]!);
    return childIngest(argv[2]!);
  }
  const a = parseArgs(argv);
  const sizes = a.sizes ?? [a.gb / 4, a.gb];
  const rows: string[][] = [];
  const header = ['size', 'file', 'lines', 'readline s', 'ingest s', 'ratio', 'ingest MB/s', 'ingest lines/s', 'RSS readline', 'RSS ingest', 'ingest CPU s', 'ingest+analyse s', 'ratio', 'RSS ingest+analyse'];
  for (const size of sizes) {
    const file = path.join(OUT, `combined-${size}gb.log`);
    const g = await generate(file, Math.round(size * GB), a.seed);
    console.error(`${path.relative(ROOT, file)}: ${g.lines} lines (${g.note})`);
    for (const f of [file, file + '.gz']) {
      const base: Measure[] = [];
      const ing: Measure[] = [];
      const full: Measure[] = [];
      for (let i = 0; i < a.runs; i++) {
        base.push(runChild('readline', f));
        ing.push(runChild('ingest', f));
        full.push(runChild('traffic', f));
      }
      const b = median(base);
      const m = median(ing);
      const t = median(full);
      if (b.out.lines !== m.out.lines) console.error(`  note: readline saw ${b.out.lines} lines, ingest ${m.out.lines}`);
      const textBytes = m.out.bytes ?? fs.statSync(file).size;
      rows.push([
        `${size} GB`,
        path.basename(f) + (f.endsWith('.gz') ? ` (${(fs.statSync(f).size / 1048576).toFixed(0)} MB)` : ''),
        String(m.out.lines),
        (b.wallMs / 1000).toFixed(2),
        (m.wallMs / 1000).toFixed(2),
        (m.wallMs / b.wallMs).toFixed(2) + 'x',
        (textBytes / 1048576 / (m.wallMs / 1000)).toFixed(0),
        ((m.out.lines / (m.wallMs / 1000)) / 1e6).toFixed(2) + 'M',
        (b.maxRssKB / 1024).toFixed(0) + ' MB',
        (m.maxRssKB / 1024).toFixed(0) + ' MB',
        (m.cpuMs / 1000).toFixed(2),
        (t.wallMs / 1000).toFixed(2),
        (t.wallMs / b.wallMs).toFixed(2) + 'x',
        (t.maxRssKB / 1024).toFixed(0) + ' MB',
      ]);
      console.error(`  ${path.basename(f)}: readline ${(b.wallMs / 1000).toFixed(2)} s, ingest ${(m.wallMs / 1000).toFixed(2)} s (${m.out.records} records, ${m.out.skipped} skipped)`);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(`\nnode ${process.version}, ${HAS_TIME ? '/usr/bin/time' : 'resourceUsage'} for RSS, median of ${a.runs} run(s), wall time from spawn to exit (includes tsx start-up)\n`);
  console.log(fmt(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(fmt(r));
}

await main();
