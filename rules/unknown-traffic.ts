import { defineRule, endpointLabel, trafficText } from '../src/rules/engine.js';

export default defineRule({
  id: 'unknown-traffic',
  name: 'UnknownTraffic',
  severity: 'medium',
  precision: 'medium',
  tags: ['security', 'api-inventory', 'traffic', 'external/cwe/cwe-1059'],
  shortDescription: 'Production traffic to an endpoint found in neither the code nor a spec',
  fullDescription:
    'Requests in the access-log sample match no endpoint of the code and no spec operation. Medium when something answered them (another service, a legacy path, a gateway route, code the scan could not resolve); low when every request got a client error (a client still calls a removed path). Scanner noise (probes such as /wp-login.php, 404 storms), CORS preflights and one-off client errors are counted separately and not reported.',
  help: `Clients send these requests, but neither the code in this repository nor its specs know the endpoint. The path is a
template inferred from the concrete URLs (ids, UUIDs, dates and other high-cardinality segments become parameters),
with a confidence.

**Fix:** find what serves it (another service, an API gateway rule, a forgotten deployment) and document it, or
block it at the edge. If it belongs to this repository, it is a route the scan could not resolve: report it.`,
  check({ inventory, traffic }) {
    if (!traffic) return [];
    return inventory
      .filter((e) => !e.code.length && !e.spec.length && e.traffic && e.traffic.requests > 0)
      .map((e) => {
        const served = Object.entries(e.traffic!.statuses).some(([k, v]) => v > 0 && k !== '4xx');
        const what = served ? 'matches no endpoint in code or spec: something else serves it (another service, a gateway route, a legacy deployment)' : 'nothing serves it (every request got a client error): a client still calls a removed or mistyped path';
        return {
          endpoint: e,
          severity: served ? ('medium' as const) : ('low' as const),
          message: `${endpointLabel(e)} receives ${trafficText(e.traffic!)}; ${what} (template confidence ${Math.round((e.template?.confidence ?? 0) * 100)}%; e.g. ${(e.template?.examples ?? []).slice(0, 2).join(', ')}).`,
          location: traffic.anchor,
        };
      });
  },
});
