import type { TrafficRecord, TrafficStats, TrafficTemplate } from '../types.js';
import { EndpointMatcher, type KnownEndpoint, type ParamConstraints } from './match.js';
import { STORM_REASON, StormDetector, probeReason } from './noise.js';
import { WindowMax, rateRecommendation } from './rate.js';
import { SessionSample, StatsAcc, sessionId } from './stats.js';
import { Templater } from './template.js';

export type { KnownEndpoint, ParamConstraints } from './match.js';
export { EndpointMatcher } from './match.js';
export { probeReason, STORM_REASON } from './noise.js';
export { FENCE_K, HEADROOM, friendly, percentile, rateConfidence, recommend, WindowMax } from './rate.js';
export { isVersion, shapeOf, paramConfidence } from './template.js';

export interface AnalyzeOptions {
  /** Rate window, default 10 minutes. */
  windowMs?: number;
  /** Below this many sessions (with timestamps) on an endpoint, the recommendation is withheld. Default 50. */
  minSessions?: number;
  /** What a session is: `header:x-api-key`, `cookie:sid`, `field:user`, `ip`. */
  sessionKeyLabel: string;
  /** Per endpoint id, per parameter name: a pattern its values must match for the endpoint to match. */
  paramConstraints?: ParamConstraints;
  /** How late (behind the newest record of the same endpoint and session) a record may be and still be placed exactly. Default 60 s. */
  maxLatenessMs?: number;
  /** A client with unmatched 404s on this many distinct paths is a 404 storm. Default 20. */
  stormMinPaths?: number;
  /** Size of the path → endpoint cache. Default 50 000. */
  matchCacheSize?: number;
}

export interface TrafficResult {
  /** Keyed by KnownEndpoint.id; only endpoints that got traffic. */
  byEndpoint: Map<string, TrafficStats>;
  /** Requests that matched no known endpoint, templated (noise included, marked). */
  templates: TrafficTemplate[];
  noise: { requests: number; byReason: Record<string, number> };
  /** ISO: the sample's time span. */
  firstSeen?: string;
  lastSeen?: string;
  durationMs?: number;
  /** Sessions keyed by the client IP: the configured key was missing (or none was configured: `ip`). */
  sessionsFromIp: number;
  /** Requests that matched a known endpoint / none (noise included). */
  matched: number;
  unmatched: number;
  /** Known endpoints that are never matched: templates without any literal part (`/{*}`, `/{?}`, `/{slug}`). */
  unmatchable: string[];
}

interface EndpointAcc {
  stats: StatsAcc;
  /** Per session: its window tracker and whether it is keyed by the IP fallback. */
  windows: Map<string, { w: WindowMax; fromIp: boolean }>;
}

/**
 * Streaming traffic analysis: `add` every record in log order, then `result()` once.
 * Each record is matched to a known endpoint (see match.ts); the rest is checked for scanner noise (noise.ts) and
 * templated (template.ts). Per endpoint: requests, status classes, distinct sessions, first/last seen, and the rate
 * recommendation from the per-session maximum in any window (rate.ts).
 */
export class TrafficAnalyzer {
  private readonly matcher: EndpointMatcher;
  private readonly windowMs: number;
  private readonly minSessions: number;
  private readonly latenessMs: number;
  private readonly endpoints = new Map<string, EndpointAcc>();
  private readonly templater = new Templater();
  private readonly storms: StormDetector;
  private readonly fromIp = new SessionSample(1 << 16);
  private readonly noise = { requests: 0, byReason: {} as Record<string, number> };
  private first?: number;
  private last?: number;
  private matched = 0;
  private unmatched = 0;
  private done?: TrafficResult;

  constructor(
    endpoints: KnownEndpoint[],
    private readonly opts: AnalyzeOptions,
  ) {
    this.matcher = new EndpointMatcher(endpoints, opts.paramConstraints, opts.matchCacheSize);
    this.windowMs = opts.windowMs ?? 10 * 60_000;
    this.minSessions = opts.minSessions ?? 50;
    this.latenessMs = opts.maxLatenessMs ?? 60_000;
    this.storms = new StormDetector(opts.stormMinPaths ?? 20);
  }

  add(r: TrafficRecord): void {
    if (this.done) throw new Error('TrafficAnalyzer: add() after result()');
    const count = r.count;
    const time = r.time !== undefined && Number.isFinite(r.time) ? r.time : undefined;
    if (time !== undefined) {
      if (this.first === undefined || time < this.first) this.first = time;
      if (this.last === undefined || time > this.last) this.last = time;
    }
    const sid = sessionId(r);
    if (sid !== undefined && r.sessionFromIp) this.fromIp.add(sid);
    const ep = this.matcher.match(r.method, r.path);
    if (ep) {
      this.matched += count;
      let acc = this.endpoints.get(ep.id);
      if (!acc) {
        const windows = new Map<string, { w: WindowMax; fromIp: boolean }>();
        // a session that leaves the sample takes its window with it: memory stays bounded however many sessions
        this.endpoints.set(ep.id, (acc = { stats: new StatsAcc((gone) => windows.delete(gone)), windows }));
      }
      acc.stats.add(r, sid);
      if (sid !== undefined && time !== undefined && acc.stats.sessions.has(sid)) {
        let w = acc.windows.get(sid);
        if (!w) acc.windows.set(sid, (w = { w: new WindowMax(this.windowMs, this.latenessMs), fromIp: !!r.sessionFromIp }));
        w.w.add(time, count);
      }
      return;
    }
    this.unmatched += count;
    const probe = probeReason(r.path);
    if (probe) {
      this.addNoise(r, sid, probe);
      return;
    }
    if (r.status === 404 && sid !== undefined) {
      this.storms.take(
        sid,
        r,
        (x) => this.addNoise(x, sid, STORM_REASON),
        (x) => this.templater.add(x, sid),
      );
      return;
    }
    this.templater.add(r, sid);
  }

  private addNoise(r: TrafficRecord, sid: string | undefined, reason: string): void {
    this.noise.requests += r.count;
    this.noise.byReason[reason] = (this.noise.byReason[reason] ?? 0) + r.count;
    this.templater.add(r, sid, reason);
  }

  /** Finishes the analysis (held-back 404s are released); later calls return the same result. */
  result(): TrafficResult {
    if (this.done) return this.done;
    this.storms.flush((x) => this.templater.add(x, sessionId(x)));
    const byEndpoint = new Map<string, TrafficStats>();
    const rateOpts = { windowMs: this.windowMs, minSessions: this.minSessions, sessionKeyLabel: this.opts.sessionKeyLabel };
    for (const [id, acc] of this.endpoints) {
      const stats = acc.stats.toStats();
      if (acc.windows.size) {
        const maxima: number[] = [];
        let fromIp = 0;
        for (const { w, fromIp: ip } of acc.windows.values()) {
          maxima.push(w.max);
          if (ip) fromIp++;
        }
        stats.rate = rateRecommendation(maxima, fromIp, rateOpts);
      }
      byEndpoint.set(id, stats);
    }
    const byReason: Record<string, number> = {};
    for (const k of Object.keys(this.noise.byReason).sort()) byReason[k] = this.noise.byReason[k]!;
    const res: TrafficResult = {
      byEndpoint,
      templates: this.templater.templates(),
      noise: { requests: this.noise.requests, byReason },
      sessionsFromIp: this.fromIp.size,
      matched: this.matched,
      unmatched: this.unmatched,
      unmatchable: this.matcher.unmatchable.map((e) => e.id),
    };
    if (this.first !== undefined && this.last !== undefined) {
      res.firstSeen = new Date(this.first).toISOString();
      res.lastSeen = new Date(this.last).toISOString();
      res.durationMs = this.last - this.first;
    }
    return (this.done = res);
  }
}
