import { defineRule, endpointLabel, samePath } from '../src/rules/engine.js';

export default defineRule({
  id: 'zombie-endpoint',
  name: 'ZombieEndpoint',
  severity: 'medium',
  precision: 'medium',
  tags: ['security', 'api-inventory', 'zombie-api', 'external/cwe/cwe-1164'],
  shortDescription: 'Endpoint documented in the OpenAPI spec but no longer served by the code',
  fullDescription:
    'The spec documents this path, but the code serves no endpoint at that path. Either the spec is stale (clients and gateways still expect it), or the endpoint is served by code the scan does not see: another service, a gateway, or a route it could not resolve.',
  help: `An endpoint is **zombie** when an OpenAPI/Swagger file documents it and the code serves nothing at that path.

Stale documentation misleads consumers, keeps gateway routes and firewall rules open for code that is gone, and hides
which version of an endpoint is really live.

**Fix:** remove the operation from the spec, mark it \`deprecated: true\` while clients migrate, or, if another
service serves it, point the spec at that service. When the scan reports unresolved path parts, check those first.`,
  check({ inventory, codeEndpoints }) {
    if (!codeEndpoints.length) return [];
    return inventory
      .filter((e) => !e.code.length && e.spec.length && !samePath(inventory, e, (x) => x.code.length > 0).length)
      .map((e) => {
        const op = e.spec[0]!;
        return {
          endpoint: e,
          message: `${endpointLabel(e)} is documented in ${op.spec}${op.operationId ? ` (operationId ${op.operationId})` : ''} but the code serves nothing at this path.`,
          location: { file: op.file, line: op.line },
          related: [{ file: op.file, line: op.pathLine }],
        };
      });
  },
});
