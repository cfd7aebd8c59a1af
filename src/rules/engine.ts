import { createHash } from 'node:crypto';
import type { Config } from '../config/config.js';
import { SEVERITY_ORDER, severityRank, type AuthEvidence, type CodeEndpoint, type Endpoint, type Finding, type Notification, type Severity, type SourceLocation, type SpecDocument } from '../model.js';

/** Everything a rule file declares: the single source of its id, texts and severity (SARIF and docs read it). */
export interface RuleMeta {
  /** Permanent: never renamed once released. */
  id: string;
  /** PascalCase name for SARIF. */
  name: string;
  /** Default severity (the highest a result of this rule gets unless configured). */
  severity: Severity;
  precision: 'very-high' | 'high' | 'medium' | 'low';
  tags: string[];
  shortDescription: string;
  fullDescription: string;
  /** Markdown help: what it means, why it matters, how to fix or suppress. */
  help: string;
}

export interface RuleHit {
  endpoint: Endpoint;
  /** Overrides the rule's default for this result (e.g. shadow: high for writes, medium otherwise). */
  severity?: Severity;
  message: string;
  location: SourceLocation;
  related?: SourceLocation[];
  evidence?: AuthEvidence[];
}

export interface RuleContext {
  inventory: Endpoint[];
  specs: SpecDocument[];
  codeEndpoints: CodeEndpoint[];
  /** Present when access logs were given. */
  traffic?: TrafficContext;
}

export interface TrafficContext {
  /** Time span of the sample (undefined when the log has no timestamps, e.g. a pre-aggregated CSV). */
  durationMs?: number;
  firstSeen?: string;
  lastSeen?: string;
  /** `unused-endpoint` needs a sample at least this long. */
  minDurationMs: number;
  /** Where findings about traffic that nothing in the repository explains are anchored (a line that exists). */
  anchor: SourceLocation;
  /** Log files read, for messages. */
  files: string[];
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): RuleHit[];
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

export function endpointLabel(e: { method: string; path: string }): string {
  return `${e.method} ${e.path}`;
}

/** Fingerprint keyed on rule + method + normalized path (+ service and unresolved parts): never on lines. */
export function fingerprint(ruleId: string, e: Endpoint): string {
  const material = [ruleId, e.method, e.key, e.service, ...e.unresolved.map((u) => u.text)].join('\n');
  return createHash('sha256').update(material).digest('hex').slice(0, 32);
}

export const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', note: '1.0' };

export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

export function runRules(rules: Rule[], args: Omit<RuleContext, 'traffic'> & { traffic?: TrafficContext; config: Config; notify: (n: Notification) => void }): Finding[] {
  const { config } = args;
  const findings: Finding[] = [];
  for (const rule of rules) {
    let hits: RuleHit[];
    try {
      hits = rule.check(args);
    } catch (err) {
      args.notify({ level: 'error', code: 'rule-failed', message: `rule ${rule.id} failed (${(err as Error).message}); its findings are missing.` });
      continue;
    }
    for (const h of hits) {
      const severity = config.severity?.[rule.id] ?? h.severity ?? rule.severity;
      findings.push({
        ruleId: rule.id,
        severity,
        endpoint: endpointLabel(h.endpoint),
        message: h.message,
        file: h.location.file,
        line: h.location.line,
        column: h.location.column,
        fingerprint: fingerprint(rule.id, h.endpoint),
        related: h.related ?? [],
        evidence: h.evidence ?? [],
        ...(h.endpoint.traffic ? { traffic: h.endpoint.traffic } : {}),
      });
    }
  }
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const k = `${f.fingerprint}\0${f.file}\0${f.line}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  unique.sort(compareFindings);
  return unique;
}

export function compareFindings(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId) || a.endpoint.localeCompare(b.endpoint);
}

export function atLeast(s: Severity, threshold: Severity): boolean {
  return SEVERITY_ORDER.indexOf(s) <= SEVERITY_ORDER.indexOf(threshold);
}

export function formatDuration(ms: number): string {
  const h = ms / 3_600_000;
  if (h >= 48) return `${Math.round(h / 24)} days`;
  if (h >= 1) return `${Math.round(h * 10) / 10} h`;
  return `${Math.max(1, Math.round(ms / 60_000))} min`;
}

/** `12,345 requests from 42 sessions (2xx 12000, 4xx 345)`. */
export function trafficText(t: { requests: number; sessions: number; statuses: Record<string, number> }): string {
  const st = Object.entries(t.statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${t.requests.toLocaleString('en')} request${t.requests === 1 ? '' : 's'} from ${t.sessions} session${t.sessions === 1 ? '' : 's'}${st ? ` (${st})` : ''}`;
}

/** Do two services overlap (the same package, one inside the other, or '.', which stands for every service)? */
export function sameService(a: string, b: string): boolean {
  return a === b || a === '.' || b === '.' || a.startsWith(b + '/') || b.startsWith(a + '/');
}

/** Entries of the inventory with the same path key as `e`, in an overlapping service, that satisfy `pred`. */
export function samePath(inventory: Endpoint[], e: Endpoint, pred: (x: Endpoint) => boolean): Endpoint[] {
  return (byKey(inventory).get(e.key) ?? []).filter((x) => sameService(x.service, e.service) && pred(x));
}

/** The inventory grouped by path key, once per inventory (rules ask for every endpoint: a scan per ask was quadratic). */
const keyIndex = new WeakMap<Endpoint[], { length: number; index: Map<string, Endpoint[]> }>();

function byKey(inventory: Endpoint[]): Map<string, Endpoint[]> {
  const hit = keyIndex.get(inventory);
  if (hit && hit.length === inventory.length) return hit.index;
  const index = new Map<string, Endpoint[]>();
  for (const x of inventory) {
    const list = index.get(x.key);
    if (list) list.push(x);
    else index.set(x.key, [x]);
  }
  keyIndex.set(inventory, { length: inventory.length, index });
  return index;
}

/** Where a finding about an endpoint points: its first code registration, else its spec operation. */
export function primaryLocation(e: Endpoint): SourceLocation {
  const c = e.code[0];
  if (c) return c.location;
  const s = e.spec[0]!;
  return { file: s.file, line: s.line };
}

export function authEvidenceText(e: Endpoint): string {
  const ev = e.code.flatMap((c) => c.evidence);
  if (!ev.length) return 'no authentication middleware or check in front of it';
  return ev.map((x) => `${x.name} (${x.auth}: ${x.reason}${x.file ? `, ${x.file}:${x.line}` : ''})`).join('; ');
}
