import { SEVERITY_ORDER } from '../model.js';
import { posture, pct } from './summary.js';
import type { ReportInput } from './types.js';
import { mdCode, mdText } from './escape.js';

/** Markdown for pull-request comments and GitHub job summaries. */
export function toMarkdown(r: ReportInput, opts: { maxRows?: number } = {}): string {
  const max = opts.maxRows ?? 200;
  const p = posture(r.inventory, r.findings);
  const out: string[] = [];
  out.push('## apilantern: API posture', '');
  out.push('| Endpoints | Documented | Authenticated | Write-enabled | Unauthenticated writes |', '|---:|---:|---:|---:|---:|');
  out.push(`| ${p.endpoints} | ${p.documented} (${pct(p.documented, p.endpoints)}) | ${p.authenticated} (${pct(p.authenticated, p.endpoints)}) | ${p.write} (${pct(p.write, p.endpoints)}) | ${p.unauthenticatedWrite} of ${p.write} (${pct(p.unauthenticatedWrite, p.write)}) |`, '');
  out.push(`Findings: ${SEVERITY_ORDER.map((s) => `${p.findings[s]} ${s}`).join(', ')}.`, '');
  const nb = r.baseline?.newEndpoints;
  if (nb) {
    out.push(`### New endpoints since ${mdCode(r.baseline!.ref ?? '', false)} (${nb.length})`, '');
    if (nb.length) {
      out.push('| Method | Path | Auth | Write | Location |', '|---|---|---|---|---|');
      for (const e of nb.slice(0, max)) {
        const loc = e.code[0] ? `${e.code[0].location.file}:${e.code[0].location.line}` : e.spec[0] ? `${e.spec[0].file}:${e.spec[0].line}` : '';
        out.push(`| ${e.method} | ${mdCode(e.path)} | ${e.code.length ? (e.auth === 'none' ? '**unauthenticated**' : e.auth) : 'spec only'} | ${e.write ? 'yes' : 'no'} | ${mdCode(loc)} |`);
      }
    } else out.push('None.');
    out.push('');
  }
  if (r.baseline) out.push(`Only findings new since ${r.baseline.ref ? mdCode(r.baseline.ref, false) : `the baseline ${mdCode(r.baseline.file ?? '', false)}`} are listed (${r.baseline.suppressed} left out${r.baseline.prunable ? `; ${r.baseline.prunable} baseline entries are prunable` : ''}).`, '');
  if (r.suppressed?.length) out.push(`${r.suppressed.length} finding(s) suppressed by \`apilantern-ignore\`.`, '');
  if (r.findings.length) {
    out.push('### Findings', '', '| Severity | Rule | Endpoint | Location | Message |', '|---|---|---|---|---|');
    for (const f of r.findings.slice(0, max)) out.push(`| ${f.severity} | \`${f.ruleId}\` | ${mdCode(f.endpoint)} | ${mdCode(`${f.file}:${f.line}`)} | ${mdText(f.message)} |`);
    if (r.findings.length > max) out.push('', `… and ${r.findings.length - max} more findings.`);
    out.push('');
  }
  const tr = !!r.traffic;
  out.push(
    '<details><summary>Endpoint inventory (' + r.inventory.length + ')</summary>',
    '',
    `| Method | Path | Auth | In spec |${tr ? ' Requests | Rate limit (per 10 min) |' : ''} Location |`,
    `|---|---|---|---|${tr ? '---:|---|' : ''}---|`,
  );
  for (const e of r.inventory.slice(0, max)) {
    const loc = e.code[0] ? `${e.code[0].location.file}:${e.code[0].location.line}` : e.spec[0] ? `${e.spec[0].file}:${e.spec[0].line}` : '';
    const rate = e.traffic?.rate ? (e.traffic.rate.recommended !== null ? `${e.traffic.rate.recommended} (p90 ${e.traffic.rate.p90})` : 'withheld') : '';
    out.push(`| ${e.method} | ${mdCode(e.path)} | ${e.code.length ? e.auth : '-'} | ${e.spec.length ? (e.code.length ? 'yes' : 'spec only') : 'no'} |${tr ? ` ${e.traffic?.requests ?? 0} | ${rate} |` : ''} ${mdCode(loc)} |`);
  }
  if (r.inventory.length > max) out.push('', `… and ${r.inventory.length - max} more endpoints.`);
  out.push('', '</details>', '');
  if (r.notifications.length) {
    out.push(`<details><summary>Skipped or not understood (${r.notifications.length})</summary>`, '');
    for (const n of r.notifications.slice(0, max)) out.push(`- ${n.level}: ${mdText(n.message)}`);
    out.push('', '</details>', '');
  }
  return out.join('\n');
}
