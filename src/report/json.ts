import type { ReportInput } from './types.js';
import { posture } from './summary.js';

/** The JSON contract (version 1). Documented in the README; later versions only add fields. */
export function toJson(r: ReportInput): string {
  const p = posture(r.inventory, r.findings);
  const out = {
    version: 1,
    tool: { name: 'apilantern', version: r.toolVersion },
    summary: {
      endpoints: p.endpoints,
      documented: p.documented,
      authenticated: p.authenticated,
      writeEnabled: p.write,
      unauthenticatedWrite: p.unauthenticatedWrite,
      specOnly: p.specOnly,
      unresolved: p.unresolved,
      findings: p.findings,
    },
    ...(r.traffic
      ? {
          traffic: {
            files: r.traffic.summary.files.map((f) => ({ file: f.file, format: f.format, lines: f.lines, used: f.used, skipped: f.skipped, skippedByReason: f.skippedByReason, samples: f.samples })),
            firstSeen: r.traffic.firstSeen ?? null,
            lastSeen: r.traffic.lastSeen ?? null,
            sessionKey: r.traffic.sessionKey,
            sessionsFromIp: r.traffic.sessionsFromIp,
            noise: r.traffic.noise,
          },
        }
      : {}),
    frameworks: r.frameworks,
    specs: r.specs.map((s) => ({ file: s.file, version: s.version, title: s.title ?? null, basePaths: s.basePaths, operations: s.operations.length })),
    endpoints: r.inventory.map((e) => ({
      method: e.method,
      path: e.path,
      sources: e.sources,
      auth: e.auth,
      write: e.write,
      framework: e.framework ?? null,
      service: e.service,
      code: e.code.map((c) => ({ file: c.location.file, line: c.location.line, column: c.location.column ?? null, server: c.server, middleware: c.middleware, auth: c.auth })),
      spec: e.spec.map((s) => ({ file: s.file, line: s.line, spec: s.spec, operationId: s.operationId ?? null, security: s.security, securitySchemes: s.securitySchemes })),
      evidence: e.code.flatMap((c) => c.evidence),
      unresolved: e.unresolved,
      notes: [...new Set(e.code.flatMap((c) => c.notes))],
      ...(r.traffic ? { traffic: e.traffic ?? null } : {}),
      ...(e.template ? { template: e.template } : {}),
    })),
    findings: r.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      endpoint: f.endpoint,
      message: f.message,
      file: f.file,
      line: f.line,
      fingerprint: f.fingerprint,
      related: f.related,
      evidence: f.evidence,
      ...(f.traffic ? { traffic: f.traffic } : {}),
    })),
    ...(r.suppressed?.length
      ? { suppressed: r.suppressed.map((f) => ({ ruleId: f.ruleId, severity: f.severity, endpoint: f.endpoint, file: f.file, line: f.line, fingerprint: f.fingerprint, reason: f.suppression.justification, suppressedAt: { file: f.suppression.file, line: f.suppression.line } })) }
      : {}),
    ...(r.baseline
      ? {
          baseline: {
            ...(r.baseline.file !== undefined ? { file: r.baseline.file } : {}),
            ...(r.baseline.ref !== undefined ? { ref: r.baseline.ref } : {}),
            suppressed: r.baseline.suppressed,
            ...(r.baseline.prunable !== undefined ? { prunable: r.baseline.prunable } : {}),
            ...(r.baseline.newEndpoints ? { newEndpoints: r.baseline.newEndpoints.map((e) => ({ method: e.method, path: e.path, service: e.service, auth: e.auth, write: e.write, location: e.code[0] ? { file: e.code[0].location.file, line: e.code[0].location.line } : e.spec[0] ? { file: e.spec[0].file, line: e.spec[0].line } : null })) } : {}),
          },
        }
      : {}),
    notifications: r.notifications,
  };
  return JSON.stringify(out, null, 2) + '\n';
}
