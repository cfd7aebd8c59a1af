import type { RateRecommendation } from '../types.js';

/**
 * The most requests in any window of `windowMs` (sliding: a window ending at each request), for one endpoint and one
 * session, in one streaming pass.
 *
 * Memory: only the requests of the last `windowMs + latenessMs` are kept. Records arrive mostly in time order; a record
 * up to `latenessMs` late (behind the newest one seen) is slotted into place and the windows it falls in are
 * recomputed, exactly. A record later than that is counted with what is still kept (the windows it belongs to may
 * have lost older requests, so this can only undercount); one older than everything kept counts as a window of its
 * own.
 */
export class WindowMax {
  private times: number[] = [];
  private counts: number[] = [];
  /** First kept entry. */
  private head = 0;
  /** First entry inside the window ending at the newest entry, and that window's sum. */
  private wStart = 0;
  private wSum = 0;
  max = 0;

  constructor(
    private readonly windowMs: number,
    private readonly latenessMs: number,
  ) {}

  add(t: number, count: number): void {
    const W = this.windowMs;
    const n = this.times.length;
    const newest = n > this.head ? this.times[n - 1]! : -Infinity;
    if (t >= newest) {
      this.times.push(t);
      this.counts.push(count);
      this.wSum += count;
      while (this.times[this.wStart]! <= t - W) this.wSum -= this.counts[this.wStart++]!;
      if (this.wSum > this.max) this.max = this.wSum;
      const keepFrom = t - W - this.latenessMs;
      while (this.head < this.wStart && this.times[this.head]! <= keepFrom) this.head++;
      this.compact();
      return;
    }
    if (t < this.times[this.head]!) {
      // older than everything kept
      if (count > this.max) this.max = count;
      return;
    }
    // late: insert in order, recompute the windows ending at it and at every later entry
    let idx = n;
    while (idx > this.head && this.times[idx - 1]! > t) idx--;
    this.times.splice(idx, 0, t);
    this.counts.splice(idx, 0, count);
    let lo = this.head;
    let sum = 0;
    for (let i = this.head; i < this.times.length; i++) {
      sum += this.counts[i]!;
      while (this.times[lo]! <= this.times[i]! - W) sum -= this.counts[lo++]!;
      if (i >= idx && sum > this.max) this.max = sum;
      if (i === this.times.length - 1) {
        this.wStart = lo;
        this.wSum = sum;
      }
    }
  }

  private compact(): void {
    if (this.head > 256 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.counts = this.counts.slice(this.head);
      this.wStart -= this.head;
      this.head = 0;
    }
  }

  /** Entries kept (for tests of the memory bound). */
  get kept(): number {
    return this.times.length - this.head;
  }
}

/** Nearest-rank percentile of an ascending list: the value at rank ⌈p·n⌉ (1-based). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const NICE = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** Rounds up to a number people write in a config: 1..10 as is, then 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120... */
export function friendly(x: number): number {
  const n = Math.ceil(x - 1e-9);
  if (n <= 10) return Math.max(1, n);
  const mag = 10 ** Math.floor(Math.log10(n));
  for (const m of NICE) {
    const v = Math.round(m * mag);
    if (v >= n) return v;
  }
  return 10 * mag;
}

/** Weight of the spread above the median in the upper fence. */
export const FENCE_K = 2;
/** Headroom over the base, so a session behaving like the observed upper tail is not throttled at its own peak. */
export const HEADROOM = 1.25;

/**
 * The recommended limit per session per window, from the distribution of per-session maxima:
 *
 *   spread = p90 − p50
 *   fence  = p90 + FENCE_K · spread          a robust upper fence: beyond it the tail is treated as abuse, not need
 *   base   = min(p99, fence)                 p99 when the tail is tight; the fence when a few sessions run far ahead
 *   recommended = friendly(base · HEADROOM)  rounded up to a friendly number (see `friendly`)
 *
 * (base is never below p90: p99 ≥ p90 and fence ≥ p90.) So a tight distribution is limited just above its p99, and a
 * long tail (scrapers, a runaway client) does not drag the limit up with it.
 */
export function recommend(p50: number, p90: number, p99: number): number {
  const fence = p90 + FENCE_K * (p90 - p50);
  const base = Math.min(p99, fence);
  return friendly(base * HEADROOM);
}

/** 1 − 1/√n, rounded to two decimals: 0 for one session, 0.5 for 4, 0.86 for 50, 0.9 for 100, 0.97 for 1000. */
export function rateConfidence(sessions: number): number {
  if (sessions <= 0) return 0;
  return Math.round((1 - 1 / Math.sqrt(sessions)) * 100) / 100;
}

export function windowLabel(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * The recommendation for one endpoint from its sessions' maxima. `fromIp`: how many of them are keyed by the client IP
 * because the configured key was missing; when most are, the label says `ip (fallback)`.
 */
export function rateRecommendation(maxima: number[], fromIp: number, opts: { windowMs: number; minSessions: number; sessionKeyLabel: string }): RateRecommendation {
  const sorted = [...maxima].sort((a, b) => a - b);
  const n = sorted.length;
  const p50 = percentile(sorted, 0.5);
  const p90 = percentile(sorted, 0.9);
  const p99 = percentile(sorted, 0.99);
  const fallback = opts.sessionKeyLabel !== 'ip' && fromIp * 2 > n;
  const r: RateRecommendation = {
    // the contract types the window as '10m'; another window length is labelled truthfully
    window: windowLabel(opts.windowMs) as RateRecommendation['window'],
    p50,
    p90,
    p99,
    recommended: n >= opts.minSessions ? recommend(p50, p90, p99) : null,
    confidence: rateConfidence(n),
    sessions: n,
    sessionKey: fallback ? 'ip (fallback)' : opts.sessionKeyLabel,
  };
  if (n < opts.minSessions) r.withheld = `too few sessions: ${n} < ${opts.minSessions}`;
  return r;
}
