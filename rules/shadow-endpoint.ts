import { defineRule, endpointLabel, primaryLocation, samePath } from '../src/rules/engine.js';

export default defineRule({
  id: 'shadow-endpoint',
  name: 'ShadowEndpoint',
  severity: 'high',
  precision: 'high',
  tags: ['security', 'api-inventory', 'shadow-api', 'external/cwe/cwe-1059'],
  shortDescription: 'Endpoint served by the code but documented in no OpenAPI spec',
  fullDescription:
    'The code registers this endpoint, but no committed OpenAPI/Swagger spec documents it (a "shadow API"). Undocumented endpoints escape review, gateway policies and security testing. High when the endpoint accepts writes or has no authentication, medium otherwise.',
  help: `An endpoint is **shadow** when the code serves it and no OpenAPI/Swagger file in the repository documents it.

Shadow endpoints are missed by API gateways, contract tests, security reviews and consumers. Debug, export and
internal endpoints that were never meant to ship often show up here.

**Fix:** document the operation in the spec (method and full path, including the spec's base path), or remove the
route if it should not be served. If the endpoint is intentionally undocumented (for example an internal health probe),
suppress it with a reason.`,
  check({ inventory, specs }) {
    if (!specs.length) return [];
    return inventory
      .filter((e) => e.code.length && !e.spec.length && !samePath(inventory, e, (x) => x.spec.length > 0).length)
      .map((e) => {
        const risky = e.write || e.auth === 'none';
        const unresolved = e.unresolved.length ? ` Part of its path could not be resolved statically (${e.unresolved.map((u) => `${u.text}: ${u.reason}`).join('; ')}).` : '';
        return {
          endpoint: e,
          severity: risky ? ('high' as const) : ('medium' as const),
          message: `${endpointLabel(e)} is served but no OpenAPI spec documents it. It is ${e.write ? 'write-enabled' : 'read-only'} and its authentication is ${e.auth}; checked against ${specs.map((s) => s.file).join(', ')}.${unresolved}`,
          location: primaryLocation(e),
          related: e.code.slice(1).map((c) => c.location),
        };
      });
  },
});
