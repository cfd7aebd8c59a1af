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
export function mergeTraffic(inventory: Endpoint[], facts: TrafficFacts): Endpoint[] {
  for (const [e, stats] of facts.byEndpoint) {
    e.traffic = stats;
    if (!e.sources.includes('traffic')) e.sources.push('traffic');
  }
  const extra: Endpoint[] = [];
  for (const t of facts.templates) {
    if (t.noise) continue;
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
