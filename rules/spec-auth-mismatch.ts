import { authEvidenceText, defineRule, endpointLabel, primaryLocation } from '../src/rules/engine.js';

export default defineRule({
  id: 'spec-auth-mismatch',
  name: 'SpecAuthMismatch',
  severity: 'high',
  precision: 'high',
  tags: ['security', 'authentication', 'api-inventory', 'external/cwe/cwe-287'],
  shortDescription: 'The spec and the code disagree on whether the endpoint requires authentication',
  fullDescription:
    'The OpenAPI security requirements and the code disagree. High: the spec requires security but the code enforces none, so clients and reviewers believe it is protected when it is not. Low: the code requires authentication but the spec explicitly says the operation is public (`security: []`), so the documentation is wrong.',
  help: `The spec's \`security\` (global or per operation; \`security: []\` means public) and the code's auth disagree.

- **Spec requires, code has none (high):** the documentation promises protection the code does not enforce.
- **Code requires, spec says public (low):** the documentation is wrong; clients will be surprised by 401s.

**Fix:** make the code enforce what the spec says, or correct the spec.`,
  check({ inventory }) {
    const hits = [];
    for (const e of inventory) {
      if (!e.code.length || !e.spec.length) continue;
      const op = e.spec[0]!;
      if (op.security === 'required' && e.auth === 'none') {
        hits.push({
          endpoint: e,
          severity: 'high' as const,
          message: `${endpointLabel(e)}: the spec requires ${op.securitySchemes.join(', ') || 'security'} (${op.file}:${op.line}) but the code enforces no authentication: ${authEvidenceText(e)}.`,
          location: primaryLocation(e),
          related: [{ file: op.file, line: op.line }],
          evidence: e.code.flatMap((c) => c.evidence),
        });
      } else if (op.security === 'none' && op.securityDeclared && e.auth === 'required') {
        hits.push({
          endpoint: e,
          severity: 'low' as const,
          message: `${endpointLabel(e)}: the code requires authentication (${authEvidenceText(e)}) but the spec says the operation is public (${op.file}:${op.line}).`,
          location: { file: op.file, line: op.line },
          related: [primaryLocation(e)],
          evidence: e.code.flatMap((c) => c.evidence),
        });
      }
    }
    return hits;
  },
});
