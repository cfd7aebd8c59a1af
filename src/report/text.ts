import { SEVERITY_ORDER } from '../model.js';
import { posture, postureLines } from './summary.js';
import type { ReportInput } from './types.js';

const CODES = { red: 31, yellow: 33, blue: 34, gray: 90, bold: 1, magenta: 35, green: 32, cyan: 36 } as const;

/** Human report: posture, the inventory, findings grouped by severity, and what was skipped. */
export function toText(r: ReportInput): string {
  const c = (k: keyof typeof CODES, s: string) => (r.color ? `\u001b[${CODES[k]}m${s}\u001b[0m` : s);
  const sevColor = { critical: 'magenta', high: 'red', medium: 'yellow', low: 'blue', note: 'gray' } as const;
  const out: string[] = [];
  const p = posture(r.inventory, r.findings);
  out.push(c('bold', 'apilantern: API posture'));
  for (const l of postureLines(p)) out.push(`  ${l}`);
  if (r.specs.length) out.push(`  Specs: ${r.specs.map((s) => `${s.file} (${s.version}, ${s.operations.length} operations)`).join(', ')}`);
  else out.push('  Specs: none found (shadow and zombie checks need one: commit an OpenAPI file or pass --spec)');
  out.push('');
  out.push(c('bold', `Endpoints (${r.inventory.length})`));
  const rows = r.inventory.map((e) => [
    e.method,
    e.path,
    e.code.length ? e.auth : '-',
    e.spec.length ? (e.code.length ? 'spec' : 'spec only') : e.code.length ? 'undocumented' : 'traffic only',
    `${r.traffic ? `${String(e.traffic?.requests ?? 0).padStart(7)} req  ` : ''}${e.code[0] ? `${e.code[0].location.file}:${e.code[0].location.line}` : e.spec[0] ? `${e.spec[0].file}:${e.spec[0].line}` : (e.template?.examples[0] ?? '')}`,
  ]);
  const widths = [7, Math.min(60, Math.max(4, ...rows.map((x) => x[1]!.length))), 8, 12];
  for (const row of rows) {
    const auth = row[2]!;
    const authC = auth === 'none' ? c('red', auth.padEnd(widths[2]!)) : auth === 'required' ? c('green', auth.padEnd(widths[2]!)) : c('yellow', auth.padEnd(widths[2]!));
    out.push(`  ${row[0]!.padEnd(widths[0]!)} ${row[1]!.padEnd(widths[1]!)} ${authC} ${row[3]!.padEnd(widths[3]!)} ${c('gray', row[4]!)}`);
  }
  out.push('');
  const nb = r.baseline?.newEndpoints;
  if (nb) {
    out.push(c('bold', `New endpoints since ${r.baseline!.ref} (${nb.length})`));
    if (!nb.length) out.push('  none');
    for (const e of nb) out.push(`  ${e.method.padEnd(7)} ${e.path}  ${e.code.length ? (e.auth === 'none' ? c('red', 'unauthenticated') : e.auth) : 'spec only'}${e.write ? ', write' : ''}  ${c('gray', e.code[0] ? `${e.code[0].location.file}:${e.code[0].location.line}` : e.spec[0] ? `${e.spec[0].file}:${e.spec[0].line}` : '')}`);
    out.push('');
  }
  const bl = r.baseline ? ` new since ${r.baseline.ref ?? `baseline ${r.baseline.file}`}; ${r.baseline.suppressed} ${r.baseline.ref ? 'already present there' : 'in the baseline'} left out` : '';
  out.push(c('bold', `Findings (${r.findings.length}${bl})`));
  if (!r.findings.length) out.push('  none');
  for (const sev of SEVERITY_ORDER) {
    const fs = r.findings.filter((f) => f.severity === sev);
    if (!fs.length) continue;
    out.push(`  ${c(sevColor[sev], sev.toUpperCase())} (${fs.length})`);
    for (const f of fs) {
      out.push(`    ${c(sevColor[sev], f.ruleId)}  ${f.endpoint}  ${c('gray', `${f.file}:${f.line}`)}`);
      out.push(`      ${f.message}`);
    }
  }
  if (r.suppressed?.length) out.push(`  ${r.suppressed.length} finding(s) suppressed by apilantern-ignore (listed in --format json)`);
  if (r.traffic) {
    const t = r.traffic;
    out.push('');
    out.push(c('bold', 'Traffic'));
    for (const f of t.summary.files) out.push(`  ${f.file}: ${f.format}, ${f.lines.toLocaleString('en')} lines, ${f.used.toLocaleString('en')} used, ${f.skipped.toLocaleString('en')} skipped`);
    if (t.firstSeen) out.push(`  Sample: ${t.firstSeen} to ${t.lastSeen}; sessions by ${t.sessionKey}${t.sessionsFromIp ? ` (${t.sessionsFromIp} fell back to the client IP)` : ''}`);
    if (t.noise.requests) out.push(`  Scanner noise kept out of findings: ${t.noise.requests.toLocaleString('en')} requests (${Object.entries(t.noise.byReason).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    const rated = r.inventory.filter((e) => e.traffic?.rate && e.traffic.rate.recommended !== null);
    if (rated.length) {
      out.push('  Recommended rate limits (per session, per 10 minutes):');
      for (const e of rated) {
        const x = e.traffic!.rate!;
        out.push(`    ${e.method} ${e.path}: ${x.recommended} (p50 ${x.p50}, p90 ${x.p90}, p99 ${x.p99}; ${x.sessions} sessions, confidence ${Math.round(x.confidence * 100)}%)`);
      }
    }
  }
  if (r.notifications.length) {
    out.push('');
    out.push(c('bold', `Skipped or not understood (${r.notifications.length})`));
    for (const n of r.notifications) out.push(`  ${n.level}: ${n.message}`);
  }
  return out.join('\n') + '\n';
}
