import { authEvidenceText, defineRule, endpointLabel, primaryLocation } from '../src/rules/engine.js';

export default defineRule({
  id: 'unauthenticated-endpoint',
  name: 'UnauthenticatedEndpoint',
  severity: 'medium',
  precision: 'high',
  tags: ['security', 'authentication', 'external/cwe/cwe-306'],
  shortDescription: 'Read endpoint with no authentication in front of it',
  fullDescription:
    'This read-only endpoint (GET, HEAD, OPTIONS) has no authentication: no auth middleware, guard or in-handler credential check. That is right for public data and wrong for anything else. Medium when there is no authentication; low when it is optional.',
  help: `Nothing in front of this read endpoint requires authentication.

Public catalogue data and health checks are fine; exports, user data and internal tooling are not (OWASP API2:2023,
CWE-306).

**Fix:** add the auth middleware if the data is not public. If it is public by design, document it in the spec with
\`security: []\` and suppress this finding with a reason.`,
  check({ inventory }) {
    return inventory
      .filter((e) => e.code.length && !e.write && (e.auth === 'none' || e.auth === 'optional'))
      .map((e) => ({
        endpoint: e,
        severity: e.auth === 'none' ? ('medium' as const) : ('low' as const),
        message:
          e.auth === 'none'
            ? `${endpointLabel(e)} is served with no authentication: ${authEvidenceText(e)}.`
            : `${endpointLabel(e)} is served with only optional authentication: ${authEvidenceText(e)}.`,
        location: primaryLocation(e),
        evidence: e.code.flatMap((c) => c.evidence),
      }));
  },
});
