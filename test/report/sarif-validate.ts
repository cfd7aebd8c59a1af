/**
 * Validates a SARIF file with Microsoft's SARIF multitool (`@microsoft/sarif-multitool`), the way GitHub's ingestion
 * does: `validate --rule-kind "Gh;Sarif"` runs the JSON schema, the SARIF rules (SARIF1xxx/2xxx) and GitHub's
 * ingestion rules (GH1xxx/GH2xxx).
 *
 * The multitool exits 0 even when it reports errors, so its console output (`FILE(line,col): error CODE: ...`) and its
 * own SARIF log (`--output`) are read instead. Anything at level `error`, a non-zero exit, or a missing log is an
 * error line. Rule SARIF2006 (UrisShouldBeReachable) is switched off by a policy file: it sends an HTTP request for every
 * URI in the log, and tests stay offline.
 *
 * Usage: `const errors = validateSarif(file); assert.equal(errors, [], errors.join('\n'));`
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from '../helpers.js';

const PLATFORM_BINARY: Record<string, string> = {
  linux: '@microsoft/sarif-multitool-linux/Sarif.Multitool',
  darwin: '@microsoft/sarif-multitool-darwin/Sarif.Multitool',
  win32: '@microsoft/sarif-multitool-win32/Sarif.Multitool.exe',
};

/** Path of the multitool binary for this platform (it may not exist; `validateSarif` then reports an error). */
export const MULTITOOL = path.join(REPO, 'node_modules', PLATFORM_BINARY[process.platform] ?? PLATFORM_BINARY.linux!);

const OFFLINE_POLICY = `<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" />
  </Properties>
</Properties>
`;

export interface SarifValidation {
  /** One line per error (schema, SARIF or GitHub rule, or the tool failing to run). Empty when the file is valid. */
  errors: string[];
  /** Warnings from the validator (not fatal for GitHub, worth a look). */
  warnings: string[];
  /** The validator's console output, for messages. */
  output: string;
}

interface ValidatorResult {
  ruleId?: string;
  level?: string;
  message?: { text?: string; id?: string; arguments?: string[] };
  locations?: Array<{ physicalLocation?: { region?: { startLine?: number; startColumn?: number } } }>;
}

interface ValidatorNotification {
  level?: string;
  message?: { text?: string };
  descriptor?: { id?: string };
}

function messageOf(m: ValidatorResult['message']): string {
  if (!m) return '';
  if (m.text) return m.text;
  return `${m.id ?? ''}${m.arguments?.length ? ` (${m.arguments.join(', ')})` : ''}`;
}

/** Runs the multitool on `file` and sorts what it reports into errors and warnings. */
export function runSarifValidator(file: string): SarifValidation {
  const abs = path.resolve(file);
  if (!fs.existsSync(MULTITOOL)) {
    return { errors: [`SARIF multitool not found at ${MULTITOOL} (npm install the devDependency @microsoft/sarif-multitool)`], warnings: [], output: '' };
  }
  if (!fs.existsSync(abs)) return { errors: [`${file}: no such file to validate`], warnings: [], output: '' };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'apilantern-sarif-validate-'));
  try {
    const policy = path.join(work, 'policy.xml');
    const log = path.join(work, 'validation.sarif');
    fs.writeFileSync(policy, OFFLINE_POLICY);
    const res = spawnSync(MULTITOOL, ['validate', '--rule-kind', 'Gh;Sarif', '--config', policy, '--output', log, abs], {
      encoding: 'utf8',
      timeout: 180_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
    });
    const output = `${res.stdout ?? ''}${res.stderr ?? ''}`;
    const lines = output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    const errors = lines.filter((l) => /\berror\b/i.test(l));
    const warnings = lines.filter((l) => /\bwarning\b/i.test(l) && !/RuleExplicitlyDisabled/.test(l));

    if (res.error) errors.push(`the SARIF multitool could not run: ${res.error.message}`);
    else if (res.status !== 0) errors.push(`the SARIF multitool exited with ${res.status ?? res.signal}`);

    // The validator's own log: a second source, in case its console format changes.
    let parsed: { runs?: Array<{ results?: ValidatorResult[]; invocations?: Array<{ toolExecutionNotifications?: ValidatorNotification[]; toolConfigurationNotifications?: ValidatorNotification[] }> }> } | undefined;
    try {
      parsed = JSON.parse(fs.readFileSync(log, 'utf8'));
    } catch (err) {
      errors.push(`the SARIF multitool wrote no readable log (${(err as Error).message.split('\n')[0]})`);
    }
    if (parsed) {
      const logErrors: string[] = [];
      for (const run of parsed.runs ?? []) {
        for (const r of run.results ?? []) {
          if (r.level !== 'error') continue;
          const region = r.locations?.[0]?.physicalLocation?.region;
          logErrors.push(`${path.basename(abs)}${region?.startLine ? `(${region.startLine},${region.startColumn ?? 1})` : ''}: error ${r.ruleId ?? '?'}: ${messageOf(r.message)}`);
        }
        for (const inv of run.invocations ?? []) {
          for (const n of [...(inv.toolExecutionNotifications ?? []), ...(inv.toolConfigurationNotifications ?? [])]) {
            if (n.level === 'error') logErrors.push(`error ${n.descriptor?.id ?? '?'}: ${n.message?.text ?? ''}`);
          }
        }
      }
      // the console lists the same errors; use the log's only when the console shows fewer
      if (logErrors.length > errors.length) errors.push(...logErrors.filter((l) => !errors.includes(l)));
    }
    return { errors, warnings, output };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Error lines the SARIF multitool reports for `file` (schema, SARIF and GitHub ingestion rules); [] when valid. */
export function validateSarif(file: string): string[] {
  return runSarifValidator(file).errors;
}
