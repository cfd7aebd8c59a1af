import { defineRule, endpointLabel, primaryLocation, samePath } from '../src/rules/engine.js';

export default defineRule({
  id: 'method-mismatch',
  name: 'MethodMismatch',
  severity: 'medium',
  precision: 'high',
  tags: ['security', 'api-inventory', 'external/cwe/cwe-1059'],
  shortDescription: 'The path is in both code and spec, but this method is only in one of them',
  fullDescription:
    'Code and spec agree that the path exists but disagree on this method: either the code accepts a method the spec does not document (an undocumented, often write-enabled, operation) or the spec documents a method the code no longer serves.',
  help: `The path exists in both the code and the spec, but this **method** is only on one side.

A method only in code is an undocumented operation on a documented path: reviewers looking at the spec do not see
that, for example, \`DELETE\` is accepted. A method only in the spec is a stale operation.

**Fix:** add the operation to the spec, or remove it from whichever side is wrong.`,
  check({ inventory }) {
    const hits = [];
    for (const e of inventory) {
      if (e.code.length && !e.spec.length) {
        const documented = samePath(inventory, e, (x) => x.spec.length > 0);
        if (!documented.length) continue;
        hits.push({
          endpoint: e,
          message: `${endpointLabel(e)} is served by the code, but the spec documents only ${[...new Set(documented.map((x) => x.method))].join(', ')} for this path.`,
          location: primaryLocation(e),
          related: documented.map((x) => ({ file: x.spec[0]!.file, line: x.spec[0]!.line })),
        });
      } else if (!e.code.length && e.spec.length) {
        const served = samePath(inventory, e, (x) => x.code.length > 0);
        if (!served.length) continue;
        const op = e.spec[0]!;
        hits.push({
          endpoint: e,
          message: `${endpointLabel(e)} is documented in ${op.spec}, but the code serves only ${[...new Set(served.map((x) => x.method))].join(', ')} for this path.`,
          location: { file: op.file, line: op.line },
          related: served.map((x) => x.code[0]!.location),
        });
      }
    }
    return hits;
  },
});
