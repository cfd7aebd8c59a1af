import { authEvidenceText, defineRule, endpointLabel, primaryLocation } from '../src/rules/engine.js';

export default defineRule({
  id: 'unauthenticated-write',
  name: 'UnauthenticatedWrite',
  severity: 'critical',
  precision: 'high',
  tags: ['security', 'authentication', 'external/cwe/cwe-306'],
  shortDescription: 'Write-enabled endpoint with no authentication in front of it',
  fullDescription:
    'This endpoint accepts POST, PUT, PATCH or DELETE (or every method) and nothing in front of it requires authentication: no auth middleware, guard or in-handler credential check. Anyone who can reach it can change state. Critical when there is no authentication; high when authentication is optional (credentials are read but not required).',
  help: `The endpoint changes state (POST, PUT, PATCH, DELETE, or any method) and **no authentication** is required to
call it: no middleware in front of it that rejects requests without credentials, and no early 401/403 in the handler.

Missing authentication on write operations is behind the most damaging API breaches (OWASP API2:2023 Broken
Authentication, CWE-306).

**Fix:** put the project's auth middleware in front of the route (or the router it is mounted on). If the endpoint is
public by design and verifies requests another way (a webhook signature, for instance), make that check a middleware
that answers 401, or declare it in config (\`auth.middleware\`) so the scan can see it; otherwise suppress with a reason.`,
  check({ inventory }) {
    return inventory
      .filter((e) => e.code.length && e.write && (e.auth === 'none' || e.auth === 'optional'))
      .map((e) => ({
        endpoint: e,
        severity: e.auth === 'none' ? ('critical' as const) : ('high' as const),
        message:
          e.auth === 'none'
            ? `${endpointLabel(e)} accepts writes with no authentication: ${authEvidenceText(e)}.`
            : `${endpointLabel(e)} accepts writes with only optional authentication: ${authEvidenceText(e)}.`,
        location: primaryLocation(e),
        evidence: e.code.flatMap((c) => c.evidence),
      }));
  },
});
