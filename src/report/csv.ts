import type { ReportInput } from './types.js';

const HEADER = ['service', 'server', 'method', 'path', 'in_code', 'in_spec', 'auth', 'write', 'location', 'spec_location', 'middleware'];

function cell(v: string): string {
  // quote when needed; neutralise spreadsheet formulas
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  // (quoted also when a CI runner would read the line as a workflow command: `::name::` at its start)
  return /[",\n\r]|^\s*(::|##\[)/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The endpoint inventory a security team keeps. */
export function toCsv(r: ReportInput): string {
  const rows = [HEADER.join(',')];
  for (const e of r.inventory) {
    const c = e.code[0];
    const s = e.spec[0];
    rows.push(
      [
        e.service,
        c?.server ?? '',
        e.method,
        e.path,
        e.code.length ? 'yes' : 'no',
        e.spec.length ? 'yes' : 'no',
        e.auth,
        e.write ? 'yes' : 'no',
        e.code.map((x) => `${x.location.file}:${x.location.line}`).join(' '),
        s ? `${s.file}:${s.line}` : '',
        [...new Set(e.code.flatMap((x) => x.middleware))].join(' '),
      ]
        .map(cell)
        .join(','),
    );
  }
  return rows.join('\n') + '\n';
}
