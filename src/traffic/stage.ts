import fs from 'node:fs';
import path from 'node:path';
import { parseDuration, type Config } from '../config/config.js';
import type { Endpoint, Notification, SourceLocation, SpecDocument } from '../model.js';
import type { TrafficContext } from '../rules/engine.js';
import { mergeTraffic } from './merge.js';
import { LOG_FORMATS, type IngestOptions, type IngestSummary, type LogField, type LogFormat, type SessionKey } from './types.js';

export interface TrafficOptions {
  /** Log files named by the user (absolute). */
  files: string[];
  format?: LogFormat | 'auto';
  sessionKey?: string;
  fields?: Partial<Record<LogField, string>>;
  stripPrefixes?: string[];
}

export interface TrafficReport {
  summary: IngestSummary;
  noise: { requests: number; byReason: Record<string, number> };
  firstSeen?: string;
  lastSeen?: string;
  durationMs?: number;
  sessionsFromIp: number;
  sessionKey: string;
}

/** Thrown when a log the user named cannot be read or recognised (exit 2). */
export class TrafficInputError extends Error {}

export function parseSessionKey(s: string | undefined): SessionKey {
  if (!s || s === 'ip') return { kind: 'ip' };
  const m = /^(header|cookie|field):(.+)$/.exec(s);
  if (!m) throw new TrafficInputError(`--session-key ${s}: expected header:NAME, cookie:NAME, field:NAME or ip`);
  return { kind: m[1] as SessionKey['kind'], name: m[2] };
}

/**
 * Reads the access logs in one streaming pass, matches every request to the inventory (code first, then spec),
 * templates the rest, and merges the statistics into the inventory.
 */
export async function analyseTraffic(
  inventory: Endpoint[],
  specs: SpecDocument[],
  opts: TrafficOptions,
  config: Config,
  ctx: { base: string; configFile?: string; firstSource?: string; notify: (n: Notification) => void },
): Promise<{ inventory: Endpoint[]; report: TrafficReport; rules: TrafficContext }> {
  for (const f of opts.files) {
    try {
      if (!fs.statSync(f).isFile()) throw new Error('not a file');
    } catch {
      throw new TrafficInputError(`--logs ${path.relative(process.cwd(), f) || f}: cannot be read`);
    }
  }
  const tc = config.traffic ?? {};
  const format = (opts.format ?? (tc.format as LogFormat | 'auto' | undefined) ?? 'auto') as LogFormat | 'auto';
  if (format !== 'auto' && !LOG_FORMATS.includes(format)) throw new TrafficInputError(`--log-format ${format}: expected one of auto, ${LOG_FORMATS.join(', ')}`);
  const sessionKeyText = opts.sessionKey ?? tc.sessionKey ?? 'ip';
  const sessionKey = parseSessionKey(sessionKeyText);
  const ingestOpts: IngestOptions = {
    format,
    sessionKey,
    fields: { ...(tc.fields as Partial<Record<LogField, string>> | undefined), ...opts.fields },
    stripPrefixes: [...(tc.stripPrefixes ?? []), ...(opts.stripPrefixes ?? [])],
  };
  const { ingestLogs } = await import('./ingest/index.js');
  const { TrafficAnalyzer } = await import('./analyze/index.js');
  const analyzer = new TrafficAnalyzer(
    inventory.map((e, i) => ({ id: String(i), method: e.method, path: e.path, source: e.code.length ? ('code' as const) : ('spec' as const) })),
    { sessionKeyLabel: sessionKeyText, minSessions: tc.minSessions },
  );
  let summary: IngestSummary;
  try {
    summary = await ingestLogs(opts.files, ingestOpts, (r) => analyzer.add(r));
  } catch (err) {
    throw new TrafficInputError((err as Error).message);
  }
  const res = analyzer.result();
  for (const f of summary.files) {
    // a log inside the repository is named by its repository path (and anchored there), one outside it as given
    const inRepo = path.relative(ctx.base, f.file);
    const rel = inRepo && !inRepo.startsWith('..') && !path.isAbsolute(inRepo) ? inRepo.split(path.sep).join('/') : undefined;
    if (f.skipped) {
      const reasons = Object.entries(f.skippedByReason).map(([k, v]) => `${v} ${k}`).join(', ');
      const samples = f.samples.slice(0, 3).map((s) => `line ${s.line}: ${s.reason}`).join('; ');
      ctx.notify({ level: 'warning', code: 'log-lines-skipped', message: `${rel ?? f.file}: ${f.skipped} of ${f.lines} lines skipped (${reasons}); ${samples}.`, ...(rel ? { file: rel } : {}) });
    }
  }
  if (res.sessionsFromIp && sessionKeyText !== 'ip') {
    ctx.notify({ level: 'note', code: 'session-ip-fallback', message: `${res.sessionsFromIp} session(s) are client IPs: ${sessionKeyText === 'ip' ? 'no --session-key was given' : `their requests had no ${sessionKeyText}`}.` });
  }
  const byEndpoint = new Map([...res.byEndpoint].map(([id, st]) => [inventory[Number(id)]!, st] as const));
  const noiseByReason = { ...res.noise.byReason };
  const before = Object.values(noiseByReason).reduce((a, b) => a + b, 0);
  const merged = mergeTraffic(inventory, { byEndpoint, templates: res.templates }, noiseByReason);
  const noise = { requests: res.noise.requests + Object.values(noiseByReason).reduce((a, b) => a + b, 0) - before, byReason: noiseByReason };
  // file names as the user knows them (relative to the working directory), never absolute in reports
  for (const f of summary.files) {
    f.file = path.relative(process.cwd(), f.file).split(path.sep).join('/') || f.file;
    for (const x of f.samples) x.file = f.file;
  }
  const anchor: SourceLocation = specs[0]
    ? { file: specs[0].file, line: specs[0].pathsLine }
    : ctx.configFile
      ? { file: ctx.configFile, line: 1 }
      : { file: ctx.firstSource ?? 'package.json', line: 1 };
  const minDurationMs = (tc.minDuration && parseDuration(tc.minDuration)) || 3_600_000;
  return {
    inventory: merged,
    report: { summary, noise, firstSeen: res.firstSeen, lastSeen: res.lastSeen, durationMs: res.durationMs, sessionsFromIp: res.sessionsFromIp, sessionKey: sessionKeyText },
    rules: { durationMs: res.durationMs, firstSeen: res.firstSeen, lastSeen: res.lastSeen, minDurationMs, anchor, files: summary.files.map((f) => f.file) },
  };
}
