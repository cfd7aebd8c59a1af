/**
 * Inline suppressions: `// apilantern-ignore <rule-id>: <reason>` (or `/* ... *\/`) on a route's line or the line above
 * it, and `x-apilantern-ignore` on a spec operation. A suppression needs a reason; one without is reported and does
 * not suppress. Suppressions that match no finding are reported (`suppression-unused`).
 */
import { fingerprint } from '../rules/engine.js';
import type { Endpoint, Finding, Notification, SpecDocument } from '../model.js';

export interface CodeSuppression {
  file: string;
  /** Line of the directive (1-based). */
  line: number;
  /** Lines whose route registrations it covers: its own line(s) and the next one. */
  targets: number[];
  ruleId: string;
  reason: string;
}

export interface SuppressedFinding extends Finding {
  suppression: { kind: 'inSource'; justification: string; file: string; line: number };
}

const DIRECTIVE = /apilantern-ignore\b(.*)$/;

/**
 * `rule-id[, rule-id...][: reason]` with any surrounding white space, read without a backtracking expression: the
 * text comes from the repository, and `\s*(.*?)\s*$` on a long run of spaces takes quadratic to cubic time (a
 * 16,000-space `x-apilantern-ignore` entry took 27 minutes). The reason is on one line; undefined when malformed.
 */
export function splitIgnore(text: string): { ids: string; reason: string } | undefined {
  const s = text.trim();
  const m = /^[A-Za-z0-9_-]+(?:[^\S\n\r\u2028\u2029]*,[^\S\n\r\u2028\u2029]*[A-Za-z0-9_-]+)*/.exec(s);
  if (!m) return undefined;
  const rest = s.slice(m[0].length).trimStart();
  if (/[\n\r\u2028\u2029]/.test(s.slice(0, m[0].length))) return undefined;
  if (rest === '') return { ids: m[0], reason: '' };
  if (rest[0] !== ':') return undefined;
  const reason = rest.slice(1).trim();
  return /[\n\r\u2028\u2029]/.test(reason) ? undefined : { ids: m[0], reason };
}

/** Reads the directives of one source file; directives without a reason become notifications. */
export function parseSuppressions(file: string, text: string, notify: (n: Notification) => void): CodeSuppression[] {
  const out: CodeSuppression[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const src = lines[i]!;
    const at = src.search(/(\/\/|\/\*)\s*apilantern-ignore\b/);
    if (at < 0) continue;
    const block = src.slice(at, at + 2) === '/*';
    let body = DIRECTIVE.exec(src.slice(at))![1]!;
    let end = i;
    if (block) {
      // the comment may close on a later line: the directive then covers the line after `*/`
      let j = i;
      let acc = body;
      while (!acc.includes('*/') && j + 1 < lines.length && j - i < 20) acc += '\n' + lines[++j]!;
      end = j;
      body = acc.slice(0, acc.includes('*/') ? acc.indexOf('*/') : acc.length).replace(/\n\s*\*?/g, ' ');
    }
    const m = /^\s/.test(body) ? splitIgnore(body) : undefined;
    const line = i + 1;
    if (!m) {
      notify({ level: 'warning', code: 'suppression-invalid', message: `${file}:${line}: apilantern-ignore needs a rule id and a reason ("apilantern-ignore <rule-id>: <reason>"); nothing suppressed.`, file, line });
      continue;
    }
    const reason = m.reason;
    const ids = m.ids.split(',').map((s) => s.trim());
    if (!reason) {
      notify({ level: 'warning', code: 'suppression-missing-reason', message: `${file}:${line}: apilantern-ignore ${ids.join(', ')} has no reason ("apilantern-ignore <rule-id>: <reason>"); nothing suppressed.`, file, line });
      continue;
    }
    const targets: number[] = [];
    for (let l = line; l <= end + 2; l++) targets.push(l);
    for (const ruleId of ids) out.push({ file, line, targets, ruleId, reason });
  }
  return out;
}

/**
 * Splits findings into kept and suppressed. A finding is suppressed when its endpoint has a code registration on a
 * line a directive for its rule covers, or a spec operation whose `x-apilantern-ignore` names its rule.
 */
export function applySuppressions(
  findings: Finding[],
  inventory: Endpoint[],
  code: CodeSuppression[],
  specs: SpecDocument[],
  notify: (n: Notification) => void,
): { kept: Finding[]; suppressed: SuppressedFinding[] } {
  const specIgnores = specs.flatMap((d) => d.operations.flatMap((op) => (op.ignore ?? []).map((ig) => ({ op, ...ig }))));
  if (!code.length && !specIgnores.length) return { kept: findings, suppressed: [] };
  const ruleIds = [...new Set(findings.map((f) => f.ruleId))];
  const byPrint = new Map<string, Endpoint>();
  for (const e of inventory) for (const r of ruleIds) byPrint.set(fingerprint(r, e), e);
  const used = new Set<object>();
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const e = byPrint.get(f.fingerprint);
    let hit: SuppressedFinding['suppression'] | undefined;
    for (const s of code) {
      if (s.ruleId !== f.ruleId) continue;
      const covers = e ? e.code.some((c) => c.location.file === s.file && s.targets.includes(c.location.line)) : f.file === s.file && s.targets.includes(f.line);
      if (!covers) continue;
      used.add(s);
      hit ??= { kind: 'inSource', justification: s.reason, file: s.file, line: s.line };
    }
    for (const s of specIgnores) {
      if (s.ruleId !== f.ruleId) continue;
      const covers = e ? e.spec.includes(s.op) || e.spec.some((o) => o.file === s.op.file && o.line === s.op.line) : f.file === s.op.file && f.line === s.op.line;
      if (!covers) continue;
      used.add(s);
      hit ??= { kind: 'inSource', justification: s.reason, file: s.op.file, line: s.line };
    }
    if (hit) suppressed.push({ ...f, suppression: hit });
    else kept.push(f);
  }
  for (const s of code) {
    if (!used.has(s)) notify({ level: 'warning', code: 'suppression-unused', message: `${s.file}:${s.line}: apilantern-ignore ${s.ruleId} matches no finding; remove it.`, file: s.file, line: s.line });
  }
  for (const s of specIgnores) {
    if (!used.has(s)) notify({ level: 'warning', code: 'suppression-unused', message: `${s.op.file}:${s.line}: x-apilantern-ignore ${s.ruleId} on ${s.op.method} ${s.op.rawPath} matches no finding; remove it.`, file: s.op.file, line: s.line });
  }
  return { kept, suppressed };
}
