import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan, type ScanOptions, type ScanResult } from '../src/scan.js';

export const REPO = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Scans a directory (relative to the repo root or absolute). */
export async function scanDir(dir: string, opts: Partial<ScanOptions> = {}): Promise<ScanResult> {
  return scan({ root: path.resolve(REPO, dir), ...opts });
}

/** One line per code endpoint: `GET /api/users/{id} required src/routes.ts:12`, sorted as the scanner sorts them. */
export function endpointLines(r: ScanResult): string[] {
  return r.codeEndpoints
    .map((e) => `${e.method} ${e.path} ${e.auth} ${e.location.file}:${e.location.line}`)
    .sort();
}

/** One line per finding: `critical unauthenticated-write POST /x src/a.ts:3`. */
export function findingLines(r: ScanResult): string[] {
  return r.findings.map((f) => `${f.severity} ${f.ruleId} ${f.endpoint} ${f.file}:${f.line}`);
}

/** Notification codes with file and line: `parse-recovered src/bad.ts:3`. */
export function notificationLines(r: ScanResult): string[] {
  return r.notifications.map((n) => `${n.code} ${n.file ?? ''}${n.line ? `:${n.line}` : ''}`.trim());
}
