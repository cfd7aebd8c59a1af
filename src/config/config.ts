import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { LIMITS, readBoundedText, ReadRefused } from '../discover/safe-read.js';
import { findRepoRoot } from '../discover/files.js';
import type { AuthState, Severity } from '../model.js';
import { SEVERITY_ORDER } from '../model.js';

/**
 * Configuration is data only (JSON or YAML), never executable code: a config in the scanned repository must not be
 * able to run anything. Looked up, in this order, in the scanned directory: apilantern.config.json,
 * .apilantern.yml, .apilantern.yaml, package.json#apilantern.
 */
export interface Config {
  /** Globs of source files to scan (default: every JS/TS file). */
  include?: string[];
  /** Globs to skip; replaces the default list (build output, tests, fixtures, ...). */
  exclude?: string[];
  /**
   * Spec files (relative to the scanned directory) used when `--spec` is not given; an entry may pin the service
   * (package directory, relative to the scanned directory) the spec describes: `{ "path": "docs/billing.yaml",
   * "service": "packages/billing" }`. Unpinned, a spec inside a package describes that package, else every service.
   */
  specs?: Array<string | { path: string; service?: string }>;
  /** Severity per rule id. */
  severity?: Record<string, Severity>;
  auth?: {
    /** Middleware names (as written in code, e.g. `requireAuth` or `auth.check`) with the auth they give. */
    middleware?: Record<string, AuthState>;
    /** Middleware by where it comes from: a package (`@acme/auth-kit`) or one export of it (`@acme/auth-kit#requireUser`). */
    imports?: Record<string, AuthState>;
    /** Paths public by design (`/healthz`, `/api/v1/public/*`): their unauthenticated-* findings are suppressed, with the reason. */
    publicPaths?: string[];
  };
  failOn?: Severity | 'none';
  minSeverity?: Severity;
  allowRemoteRefs?: boolean;
  maxFileBytes?: number;
  /** Access-log options (the CLI's --log-* flags win). */
  traffic?: TrafficConfig;
}

export interface TrafficConfig {
  format?: string;
  /** `header:NAME`, `cookie:NAME`, `field:NAME` or `ip`. */
  sessionKey?: string;
  /** JSON-lines field names: `{ "method": "req.verb", "path": "req.url" }`. */
  fields?: Record<string, string>;
  /** Prefixes (base paths, hosts) the log includes but the code does not. */
  stripPrefixes?: string[];
  /** `unused-endpoint` needs a sample at least this long: `30m`, `1h` (default), `7d`. */
  minDuration?: string;
  /** Fewer sessions than this: no rate-limit recommendation (default 50). */
  minSessions?: number;
}

/** `90s`, `30m`, `1h`, `7d` → milliseconds; undefined when it is not a duration. */
export function parseDuration(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(s.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

export const CONFIG_FILES = ['apilantern.config.json', '.apilantern.yml', '.apilantern.yaml'];

export class ConfigError extends Error {}

/** A glob that leads out of the directory it is relative to: a `..` segment, or an absolute path (also Windows'). */
const OUTSIDE_GLOB = /(^|[\\/])\.\.([\\/]|$)|^[\\/]|^[A-Za-z]:/;

const AUTH_STATES = ['required', 'optional', 'none', 'unknown'];

export function loadConfig(explicit: string | undefined, root: string, knownRules: string[]): { config: Config; file?: string } {
  let file: string | undefined;
  let data: unknown;
  if (explicit) {
    file = path.resolve(explicit);
    data = readData(file, explicit);
  } else {
    // (a config file may be a link to another file of the same repository: a monorepo's shared config)
    const repo = findRepoRoot(root) ?? root;
    for (const name of CONFIG_FILES) {
      const f = path.join(root, name);
      if (lexists(f)) {
        file = f;
        // the repository's own config: a regular file inside it, of bounded size (never a link out, a pipe, a device)
        data = readData(f, path.relative(process.cwd(), f) || name, repo);
        break;
      }
    }
    if (!file) {
      const pj = path.join(root, 'package.json');
      if (lexists(pj)) {
        try {
          const pkg = JSON.parse(readBoundedText(pj, { maxBytes: LIMITS.smallFile, within: repo })) as { apilantern?: unknown };
          if (pkg.apilantern !== undefined) {
            file = pj;
            data = pkg.apilantern;
          }
        } catch {
          /* a broken package.json is not our config */
        }
      }
    }
  }
  if (data === undefined || data === null) return { config: {}, file };
  return { config: validateConfig(data, file ? path.relative(process.cwd(), file) || file : 'config', knownRules), file };
}

/** True when something (a file, a dangling link) is at `p`. */
function lexists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function readData(file: string, shown: string, within?: string): unknown {
  let text: string;
  try {
    text = readBoundedText(file, { maxBytes: LIMITS.smallFile, within });
  } catch (err) {
    throw new ConfigError(`${shown}: config file cannot be read${err instanceof ReadRefused ? ` (${err.why})` : ''}`);
  }
  if (/\.(c|m)?(js|ts)$/.test(file)) throw new ConfigError(`${shown}: configuration must be JSON or YAML; executable config files are never run`);
  try {
    if (/\.json$/i.test(file)) return JSON.parse(text);
    return YAML.parse(text, { maxAliasCount: 100 });
  } catch (err) {
    const m = /line (\d+)/.exec(String((err as Error).message));
    throw new ConfigError(`${shown}${m ? `:${m[1]}` : ''}: not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'} (${String((err as Error).message).split('\n')[0]})`);
  }
}

export function validateConfig(data: unknown, shown: string, knownRules: string[]): Config {
  const fail = (key: string, msg: string): never => {
    throw new ConfigError(`${shown}: '${key}' ${msg}`);
  };
  if (typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`${shown}: the configuration must be an object`);
  const o = data as Record<string, unknown>;
  const known = ['$schema', 'include', 'exclude', 'specs', 'severity', 'auth', 'failOn', 'minSeverity', 'allowRemoteRefs', 'maxFileBytes', 'traffic'];
  for (const k of Object.keys(o)) if (!known.includes(k)) fail(k, `is not a known key (known: ${known.slice(1).join(', ')})`);
  const strList = (k: string) => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(k, 'must be a list of strings');
    return v as string[];
  };
  const sev = (k: string, v: unknown, allowNone: boolean) => {
    if (typeof v !== 'string' || !(SEVERITY_ORDER as string[]).concat(allowNone ? ['none'] : []).includes(v)) fail(k, `must be one of ${SEVERITY_ORDER.join(', ')}${allowNone ? ', none' : ''}`);
    return v as Severity;
  };
  const config: Config = { include: strList('include'), exclude: strList('exclude') };
  // globs from a config file select files inside the scanned directory only: `../x/*.ts` or `/etc/*` would read
  // files the repository does not hold (name outside files on the command line instead)
  config.include?.forEach((g, i) => {
    if (OUTSIDE_GLOB.test(g)) fail(`include[${i}]`, `'${g}' points outside the scanned directory; config files may only select files inside it`);
  });
  if (o.specs !== undefined) {
    if (!Array.isArray(o.specs)) fail('specs', 'must be a list of spec paths or { path, service } objects');
    config.specs = (o.specs as unknown[]).map((x, i) => {
      if (typeof x === 'string') return x;
      if (x && typeof x === 'object' && !Array.isArray(x)) {
        const e = x as Record<string, unknown>;
        for (const k of Object.keys(e)) if (k !== 'path' && k !== 'service') fail(`specs[${i}].${k}`, 'is not a known key (known: path, service)');
        if (typeof e.path !== 'string') fail(`specs[${i}].path`, 'must be a string');
        if (e.service !== undefined && typeof e.service !== 'string') fail(`specs[${i}].service`, 'must be a string');
        return { path: e.path as string, ...(e.service !== undefined ? { service: e.service as string } : {}) };
      }
      return fail(`specs[${i}]`, 'must be a spec path or a { path, service } object');
    });
  }
  if (o.severity !== undefined) {
    if (typeof o.severity !== 'object' || o.severity === null || Array.isArray(o.severity)) fail('severity', 'must map rule ids to severities');
    config.severity = {};
    for (const [rule, s] of Object.entries(o.severity as Record<string, unknown>)) {
      if (!knownRules.includes(rule)) fail(`severity.${rule}`, `is not a rule id (rules: ${knownRules.join(', ')})`);
      config.severity[rule] = sev(`severity.${rule}`, s, false);
    }
  }
  if (o.auth !== undefined) {
    const a = o.auth as Record<string, unknown>;
    if (typeof a !== 'object' || a === null || Array.isArray(a)) fail('auth', 'must be an object');
    for (const k of Object.keys(a)) if (!['middleware', 'imports', 'publicPaths'].includes(k)) fail(`auth.${k}`, 'is not a known key (known: middleware, imports, publicPaths)');
    config.auth = {};
    for (const key of ['middleware', 'imports'] as const) {
      if (a[key] === undefined) continue;
      const m = a[key] as Record<string, unknown>;
      if (typeof m !== 'object' || m === null || Array.isArray(m)) fail(`auth.${key}`, `must map ${key === 'middleware' ? 'middleware names' : 'packages (or package#export)'} to required|optional|none|unknown`);
      for (const [name, v] of Object.entries(m)) if (typeof v !== 'string' || !AUTH_STATES.includes(v)) fail(`auth.${key}.${name}`, 'must be required, optional, none or unknown');
      config.auth[key] = m as Record<string, AuthState>;
    }
    if (a.publicPaths !== undefined) {
      if (!Array.isArray(a.publicPaths) || !a.publicPaths.every((x) => typeof x === 'string' && x.startsWith('/'))) fail('auth.publicPaths', "must be a list of paths starting with '/' (a trailing /* covers everything below)");
      config.auth.publicPaths = a.publicPaths as string[];
    }
  }
  if (o.failOn !== undefined) config.failOn = sev('failOn', o.failOn, true) as Severity | 'none';
  if (o.minSeverity !== undefined) config.minSeverity = sev('minSeverity', o.minSeverity, false);
  if (o.allowRemoteRefs !== undefined) {
    if (typeof o.allowRemoteRefs !== 'boolean') fail('allowRemoteRefs', 'must be true or false');
    config.allowRemoteRefs = o.allowRemoteRefs as boolean;
  }
  if (o.maxFileBytes !== undefined) {
    if (typeof o.maxFileBytes !== 'number' || o.maxFileBytes <= 0) fail('maxFileBytes', 'must be a positive number');
    config.maxFileBytes = o.maxFileBytes as number;
  }
  if (o.traffic !== undefined) {
    const tr = o.traffic as Record<string, unknown>;
    if (typeof tr !== 'object' || tr === null || Array.isArray(tr)) fail('traffic', 'must be an object');
    const tk = ['format', 'sessionKey', 'fields', 'stripPrefixes', 'minDuration', 'minSessions'];
    for (const k of Object.keys(tr)) if (!tk.includes(k)) fail(`traffic.${k}`, `is not a known key (known: ${tk.join(', ')})`);
    const t: TrafficConfig = {};
    if (tr.format !== undefined) {
      if (typeof tr.format !== 'string' || !['auto', 'combined', 'common', 'jsonl', 'cloudflare', 'alb', 'har', 'csv'].includes(tr.format)) fail('traffic.format', 'must be one of auto, combined, common, jsonl, cloudflare, alb, har, csv');
      t.format = tr.format as string;
    }
    if (tr.sessionKey !== undefined) {
      if (typeof tr.sessionKey !== 'string' || !/^(ip|(header|cookie|field):.+)$/.test(tr.sessionKey)) fail('traffic.sessionKey', 'must be header:NAME, cookie:NAME, field:NAME or ip');
      t.sessionKey = tr.sessionKey as string;
    }
    if (tr.fields !== undefined) {
      if (typeof tr.fields !== 'object' || tr.fields === null || Array.isArray(tr.fields) || !Object.values(tr.fields).every((v) => typeof v === 'string')) fail('traffic.fields', 'must map field names (method, path, status, time, session, ip, host, count) to strings');
      t.fields = tr.fields as Record<string, string>;
    }
    if (tr.stripPrefixes !== undefined) {
      if (!Array.isArray(tr.stripPrefixes) || !tr.stripPrefixes.every((x) => typeof x === 'string')) fail('traffic.stripPrefixes', 'must be a list of strings');
      t.stripPrefixes = tr.stripPrefixes as string[];
    }
    if (tr.minDuration !== undefined) {
      if (typeof tr.minDuration !== 'string' || parseDuration(tr.minDuration) === undefined) fail('traffic.minDuration', "must be a duration such as '30m', '1h' or '7d'");
      t.minDuration = tr.minDuration as string;
    }
    if (tr.minSessions !== undefined) {
      if (typeof tr.minSessions !== 'number' || tr.minSessions < 1) fail('traffic.minSessions', 'must be a positive number');
      t.minSessions = tr.minSessions as number;
    }
    config.traffic = t;
  }
  for (const k of ['include', 'exclude', 'specs'] as const) if (config[k] === undefined) delete config[k];
  return config;
}
