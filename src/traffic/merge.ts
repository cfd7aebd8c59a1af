import { isWriteMethod, type Endpoint, type HttpMethod } from '../model.js';
import { keyOfRendered } from '../resolve/paths.js';
import type { TrafficStats, TrafficTemplate } from './types.js';

/** What the traffic stage hands to the inventory: stats per inventory entry, and templates nothing else explains. */
export interface TrafficFacts {
  byEndpoint: Map<Endpoint, TrafficStats>;
  templates: TrafficTemplate[];
}

/**
 * Merges traffic into the inventory: entries that received requests get `traffic` and the `traffic` source;
 * templated requests that match neither code nor spec (noise excluded) become traffic-only entries.
 */
export function mergeTraffic(inventory: Endpoint[], facts: TrafficFacts, noise: Record<string, number> = {}): Endpoint[] {
  for (const [e, stats] of facts.byEndpoint) {
    e.traffic = stats;
    if (!e.sources.includes('traffic')) e.sources.push('traffic');
  }
  const knownKeys = new Set(inventory.map((e) => e.key));
  const count = (reason: string, n: number) => (noise[reason] = (noise[reason] ?? 0) + n);
  const extra: Endpoint[] = [];
  for (const t of facts.templates) {
    if (t.noise) continue;
    // CORS preflights to paths the app serves (answered by CORS middleware, not an endpoint of their own)
    if (t.method.toUpperCase() === 'OPTIONS' && knownKeys.has(keyOfRendered(t.path))) {
      count('CORS preflight', t.stats.requests);
      continue;
    }
    // a single request that got a client error: a typo or a stray probe, not an endpoint
    const served = Object.entries(t.stats.statuses).some(([k, v]) => v > 0 && k !== '4xx');
    if (!served && t.stats.requests <= 1) {
      count('one-off client error', t.stats.requests);
      continue;
    }
    const method = (t.method.toUpperCase() as HttpMethod) ?? 'ALL';
    extra.push({
      method,
      path: t.path,
      key: keyOfRendered(t.path),
      sources: ['traffic'],
      auth: 'unknown',
      write: isWriteMethod(method),
      service: '.',
      code: [],
      spec: [],
      unresolved: [],
      traffic: t.stats,
      template: { confidence: t.confidence, examples: t.examples },
    });
  }
  return [...inventory, ...extra];
}
