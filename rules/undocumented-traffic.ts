import { defineRule, endpointLabel, primaryLocation, samePath, trafficText } from '../src/rules/engine.js';

export default defineRule({
  id: 'undocumented-traffic',
  name: 'UndocumentedTraffic',
  severity: 'critical',
  precision: 'very-high',
  tags: ['security', 'api-inventory', 'shadow-api', 'traffic', 'external/cwe/cwe-1059'],
  shortDescription: 'Production traffic reaches an endpoint that no OpenAPI spec documents',
  fullDescription:
    'A shadow endpoint confirmed live: the code serves it, no committed spec documents it, and the access-log sample shows requests to it. Critical when it accepts writes without authentication, high otherwise.',
  help: `The endpoint is **undocumented** (no OpenAPI spec in the repository describes it) and the access-log sample shows
that clients **use it**. That makes it more urgent than a plain \`shadow-endpoint\`: it is live, so gateway policies,
contract tests and reviews that rely on the spec miss real traffic.

**Fix:** document the operation in the spec (or remove it and its clients). The finding lists the request count, the
sessions and the status classes seen.`,
  check({ inventory, specs, traffic }) {
    if (!traffic || !specs.length) return [];
    return inventory
      .filter((e) => e.code.length && !e.spec.length && e.traffic && e.traffic.requests > 0 && !samePath(inventory, e, (x) => x.spec.length > 0).length)
      .map((e) => ({
        endpoint: e,
        severity: e.write && e.auth === 'none' ? ('critical' as const) : ('high' as const),
        message: `${endpointLabel(e)} is served, documented in no spec, and live: ${trafficText(e.traffic!)} in the log sample. Its authentication is ${e.auth}.`,
        location: primaryLocation(e),
      }));
  },
});
