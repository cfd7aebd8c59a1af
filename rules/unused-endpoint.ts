import { defineRule, endpointLabel, formatDuration, primaryLocation } from '../src/rules/engine.js';

export default defineRule({
  id: 'unused-endpoint',
  name: 'UnusedEndpoint',
  severity: 'low',
  precision: 'medium',
  tags: ['security', 'api-inventory', 'zombie-api', 'traffic', 'external/cwe/cwe-1164'],
  shortDescription: 'A documented or coded endpoint received no traffic in the log sample',
  fullDescription:
    'The endpoint exists in code or in a spec, but the access-log sample, covering at least the configured duration, shows no request to it: a candidate zombie endpoint, attack surface nobody uses. Reported only when the sample is long enough (traffic.minDuration, default 1 hour).',
  help: `No request reached this endpoint during the log sample. Unused endpoints are attack surface with no benefit; they
are also where forgotten, unpatched behaviour hides.

**Fix:** confirm with a longer sample (\`traffic.minDuration\` in config sets how long a sample must be), then remove
the route or its documentation, or suppress with a reason (an endpoint used rarely, such as a yearly export).`,
  check({ inventory, traffic }) {
    if (!traffic || traffic.durationMs === undefined || traffic.durationMs < traffic.minDurationMs) return [];
    const span = formatDuration(traffic.durationMs);
    return inventory
      .filter((e) => (e.code.length || e.spec.length) && !e.traffic && !e.unresolved.length)
      .map((e) => ({
        endpoint: e,
        message: `${endpointLabel(e)} received no request in a ${span} log sample (${traffic.firstSeen} to ${traffic.lastSeen}).`,
        location: primaryLocation(e),
      }));
  },
});
