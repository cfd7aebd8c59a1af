import type { Endpoint } from '../src/model.js';
import { defineRule, endpointLabel, primaryLocation } from '../src/rules/engine.js';

/** Rate-limiting middleware, by the names its packages and projects give it (any framework). */
const RATE_LIMIT = /rate.?limit|limiter|throttl|slow.?down|brute|bottleneck|quota/i;
/** An endpoint's busiest sessions must be this many times the typical sibling's, and above this floor. */
const FACTOR = 5;
const FLOOR = 30;

function hasRateLimit(e: Endpoint): boolean {
  return e.code.some((c) => c.middleware.some((m) => RATE_LIMIT.test(m)) || c.evidence.some((x) => RATE_LIMIT.test(x.name)));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
}

export default defineRule({
  id: 'missing-rate-limit',
  name: 'MissingRateLimit',
  severity: 'medium',
  precision: 'medium',
  tags: ['security', 'rate-limiting', 'traffic', 'external/cwe/cwe-770'],
  shortDescription: 'An endpoint whose per-session request rate is far above its siblings has no rate limiting',
  fullDescription:
    'In the access-log sample, the busiest sessions call this endpoint far more often (per 10-minute window, at the 90th percentile over sessions) than they call the other endpoints of the same service, and no rate-limiting middleware is in front of it in code. The result carries a recommended limit derived from the distribution.',
  help: `Per session, the scan takes the most requests in any 10-minute window; over sessions, its p50/p90/p99. This endpoint's
p90 is at least ${FACTOR}× the median p90 of its sibling endpoints (and at least ${FLOOR}), and no rate-limiting
middleware (express-rate-limit, @fastify/rate-limit, @nestjs/throttler, hono rate limiters, ...) runs in front of it.
Endpoints that are cheap to call many times are where scraping, credential stuffing and enumeration happen
(OWASP API4:2023 Unrestricted Resource Consumption).

**Fix:** add a rate limit. The finding's \`recommended\` value (also in the JSON report) is derived from the spread of
the per-session distribution; it is withheld when too few sessions were seen.`,
  check({ inventory, traffic }) {
    if (!traffic) return [];
    const withRate = inventory.filter((e) => e.code.length && e.traffic?.rate && e.traffic.rate.sessions > 0);
    const hits = [];
    for (const e of withRate) {
      const siblings = withRate.filter((x) => x !== e && x.service === e.service);
      if (siblings.length < 2) continue;
      const typical = median(siblings.map((x) => x.traffic!.rate!.p90));
      const p90 = e.traffic!.rate!.p90;
      if (p90 < FLOOR || p90 < FACTOR * Math.max(1, typical) || hasRateLimit(e)) continue;
      const r = e.traffic!.rate!;
      hits.push({
        endpoint: e,
        message: `${endpointLabel(e)} has no rate limiting, and its sessions call it far more than its siblings: up to ${r.p90} requests per 10 minutes at p90 (p50 ${r.p50}, p99 ${r.p99}) against a typical ${typical} for the other endpoints of this service. ${r.recommended !== null ? `Recommended limit: ${r.recommended} per 10 minutes per ${r.sessionKey} (confidence ${Math.round(r.confidence * 100)}%).` : `No limit recommended: ${r.withheld ?? 'too few sessions'}.`}`,
        location: primaryLocation(e),
      });
    }
    return hits;
  },
});
