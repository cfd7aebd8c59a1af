import type { Endpoint, Finding } from '../model.js';
import { SEVERITY_ORDER, type Severity } from '../model.js';

export interface Posture {
  endpoints: number;
  documented: number;
  authenticated: number;
  write: number;
  unauthenticatedWrite: number;
  specOnly: number;
  unresolved: number;
  findings: Record<Severity, number>;
}

/** The posture summary every format opens with. Shares are over endpoints found in code. */
export function posture(inventory: Endpoint[], findings: Finding[]): Posture {
  const code = inventory.filter((e) => e.code.length);
  const writes = code.filter((e) => e.write);
  const counts = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return {
    endpoints: code.length,
    documented: code.filter((e) => e.spec.length).length,
    authenticated: code.filter((e) => e.auth === 'required').length,
    write: writes.length,
    unauthenticatedWrite: writes.filter((e) => e.auth === 'none').length,
    specOnly: inventory.filter((e) => !e.code.length).length,
    unresolved: code.filter((e) => e.unresolved.length).length,
    findings: counts,
  };
}

export function pct(n: number, d: number): string {
  return d === 0 ? 'n/a' : `${Math.round((100 * n) / d)}%`;
}

export function postureLines(p: Posture): string[] {
  return [
    `Endpoints found in code: ${p.endpoints}${p.unresolved ? ` (${p.unresolved} with unresolved path parts)` : ''}`,
    `Documented in a spec: ${p.documented}/${p.endpoints} (${pct(p.documented, p.endpoints)})`,
    `Authenticated: ${p.authenticated}/${p.endpoints} (${pct(p.authenticated, p.endpoints)})`,
    `Write-enabled: ${p.write}/${p.endpoints} (${pct(p.write, p.endpoints)})`,
    `Write-enabled without authentication: ${p.unauthenticatedWrite}/${p.write} (${pct(p.unauthenticatedWrite, p.write)})`,
  ];
}
