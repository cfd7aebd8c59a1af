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

/** Running statistics of one endpoint or template. Memory: one entry per distinct session. */
export class StatsAcc {
  requests = 0;
  statuses: Record<string, number> = {};
  sessions = new Set<string>();
  first?: number;
  last?: number;

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
