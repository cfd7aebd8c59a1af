import type { Log, ReportingDescriptor, Result } from 'sarif';
import { SECURITY_SEVERITY, sarifLevel } from '../rules/engine.js';
import { posture, postureLines } from './summary.js';
import type { ReportInput } from './types.js';
import type { Finding } from '../model.js';
import type { SuppressedFinding } from '../baseline/suppress.js';

export const INFORMATION_URI = 'https://github.com/apilantern/apilantern';

/** SARIF 2.1.0 for GitHub code scanning (see shared/conventions.md). */
export function toSarif(r: ReportInput): string {
  const rules: ReportingDescriptor[] = r.rules.map((rule) => ({
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.shortDescription },
    fullDescription: { text: rule.fullDescription },
    help: { text: rule.help.replace(/\*\*|`/g, ''), markdown: rule.help },
    helpUri: `${INFORMATION_URI}#rule-${rule.id}`,
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: { tags: rule.tags.slice(0, 20), precision: rule.precision, 'security-severity': SECURITY_SEVERITY[rule.severity] },
  }));
  const ruleIndex = new Map(r.rules.map((rule, i) => [rule.id, i]));
  const listed: Array<Finding & { suppression?: SuppressedFinding['suppression'] }> = r.showSuppressed && r.suppressed?.length ? [...r.findings, ...r.suppressed] : r.findings;
  const results: Result[] = listed.slice(0, 25000).map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId),
    level: sarifLevel(f.severity),
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: f.file, uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, ...(f.column ? { startColumn: f.column } : {}) },
        },
      },
    ],
    ...(f.related.length
      ? {
          relatedLocations: f.related.slice(0, 999).map((l, i) => ({
            id: i + 1,
            physicalLocation: { artifactLocation: { uri: l.file, uriBaseId: '%SRCROOT%' }, region: { startLine: l.line } },
          })),
        }
      : {}),
    ...(f.suppression ? { suppressions: [{ kind: 'inSource' as const, justification: f.suppression.justification }] } : {}),
    partialFingerprints: { primaryLocationLineHash: `${f.fingerprint.slice(0, 16)}:1`, 'apilantern/v1': f.fingerprint },
    properties: {
      severity: f.severity,
      endpoint: f.endpoint,
      ...(f.evidence.length ? { evidence: f.evidence.map((e) => `${e.name}: ${e.auth} (${e.reason})`) } : {}),
      ...(f.traffic ? { traffic: f.traffic } : {}),
    },
  }));
  const p = posture(r.inventory, r.findings);
  const errors = r.notifications.filter((n) => n.level === 'error');
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'apilantern', semanticVersion: r.toolVersion, version: r.toolVersion, informationUri: INFORMATION_URI, rules } },
        ...(r.category ? { automationDetails: { id: r.category.endsWith('/') ? r.category : `${r.category}/` } } : {}),
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The scanned directory.' } } },
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: r.notifications.slice(0, 1000).map((n) => ({
              level: n.level,
              message: { text: n.message },
              descriptor: { id: n.code },
              ...(n.file ? { locations: [{ physicalLocation: { artifactLocation: { uri: n.file, uriBaseId: '%SRCROOT%' }, ...(n.line ? { region: { startLine: n.line } } : {}) } }] } : {}),
            })),
          },
        ],
        results,
        properties: { posture: postureLines(p).join('; '), endpoints: p.endpoints },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
