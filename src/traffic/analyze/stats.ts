import type { TrafficRecord, TrafficStats } from '../types.js';

/** `"2xx"`, `"4xx"`, ...; `"other"` outside 100..599. */
export function statusClass(status: number): string {
  return status >= 100 && status <= 599 ? `${Math.floor(status / 100)}xx` : 'other';
}

/** Internal session identity: a key value and an IP that happen to be equal are different sessions. */
export function sessionId(r: TrafficRecord): string | undefined {
  if (r.session === undefined || r.session === '') return undefined;
  return (r.sessionFromIp ? 'ip\0' : 'key\0') + r.session;
}

/** FNV-1a of a string with murmur3's finaliser (FNV alone is not uniform on short, similar keys such as IPs), as a fraction in [0, 1). */
export function hash01(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Sessions kept exactly per endpoint before sampling starts. */
export const SESSION_SAMPLE = 8192;

/**
 * The distinct sessions of one endpoint, in bounded memory: exact up to `capacity`; beyond, an adaptive hash sample
 * (distinct sampling): a session is kept when its hash falls under a threshold that halves each time the sample
 * overflows, so every session has the same chance to be kept whatever its traffic. Percentiles over the kept sessions
 * estimate those over all sessions; `size` estimates the distinct count (kept / threshold), exact while nothing was
 * dropped. `onEvict` lets the owner drop its per-session state for sessions that leave the sample.
 */
export class SessionSample implements Iterable<string> {
  private readonly kept = new Map<string, number>();
  private threshold = 1;

  constructor(
    private readonly capacity = SESSION_SAMPLE,
    private readonly onEvict?: (sid: string) => void,
  ) {}

  /** Adds a session; true when it is in the sample (keep its per-session state). */
  add(sid: string): boolean {
    if (this.kept.has(sid)) return true;
    const h = this.threshold === 1 ? -1 : hash01(sid);
    if (h >= this.threshold) return false;
    this.kept.set(sid, h < 0 ? hash01(sid) : h);
    while (this.kept.size > this.capacity) {
      this.threshold /= 2;
      for (const [s, x] of this.kept) {
        if (x >= this.threshold) {
          this.kept.delete(s);
          this.onEvict?.(s);
        }
      }
    }
    return this.kept.has(sid);
  }

  has(sid: string): boolean {
    return this.kept.has(sid);
  }

  /** Distinct sessions: exact while `exact`, else an estimate. */
  get size(): number {
    return Math.round(this.kept.size / this.threshold);
  }

  get exact(): boolean {
    return this.threshold === 1;
  }

  [Symbol.iterator](): Iterator<string> {
    return this.kept.keys();
  }
}

/** Running statistics of one endpoint or template. Memory: bounded (see SessionSample). */
export class StatsAcc {
  requests = 0;
  statuses: Record<string, number> = {};
  readonly sessions: SessionSample;
  first?: number;
  last?: number;

  constructor(onEvict?: (sid: string) => void) {
    this.sessions = new SessionSample(SESSION_SAMPLE, onEvict);
  }

  add(r: TrafficRecord, sid = sessionId(r)): void {
    const c = r.count;
    this.requests += c;
    if (r.status !== undefined) {
      const k = statusClass(r.status);
      this.statuses[k] = (this.statuses[k] ?? 0) + c;
    }
    if (sid !== undefined) this.sessions.add(sid);
    if (r.time !== undefined && Number.isFinite(r.time)) {
      if (this.first === undefined || r.time < this.first) this.first = r.time;
      if (this.last === undefined || r.time > this.last) this.last = r.time;
    }
  }

  merge(o: StatsAcc): void {
    this.requests += o.requests;
    for (const [k, v] of Object.entries(o.statuses)) this.statuses[k] = (this.statuses[k] ?? 0) + v;
    for (const s of o.sessions) this.sessions.add(s);
    if (o.first !== undefined && (this.first === undefined || o.first < this.first)) this.first = o.first;
    if (o.last !== undefined && (this.last === undefined || o.last > this.last)) this.last = o.last;
  }

  toStats(): TrafficStats {
    const statuses: Record<string, number> = {};
    for (const k of Object.keys(this.statuses).sort()) statuses[k] = this.statuses[k]!;
    const s: TrafficStats = { requests: this.requests, statuses, sessions: this.sessions.size };
    if (this.first !== undefined) s.firstSeen = new Date(this.first).toISOString();
    if (this.last !== undefined) s.lastSeen = new Date(this.last).toISOString();
    return s;
  }
}
