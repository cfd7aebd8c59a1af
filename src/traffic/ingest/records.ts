/**
 * From the fields a parser found on one line to a TrafficRecord: the target normalized, prefixes stripped, the session
 * chosen. Shared by every format.
 */
import type { IngestOptions, LogField, SessionKey, TrafficRecord } from '../types.js';
import { applyPrefixes, compilePrefixes, normalizeMethod, normalizeTarget, type Prefix, type Target } from './normalize.js';

/**
 * How the session is found. `ip` and `default` (no key configured) alike give the client IP with `sessionFromIp: true`
 * (the IP is a stand-in for a session either way); `default` only differs in that a pre-aggregated CSV's own `session`
 * column is used.
 */
export type SessionMode = 'default' | 'ip' | 'header' | 'cookie' | 'field';

export interface Context {
  prefixes: Prefix[];
  mode: SessionMode;
  /** Header, cookie or field name; header names lower case. */
  keyName: string;
  fields: Partial<Record<LogField, string>>;
  target: Target;
  /** Requests whose session fell back to the client IP although a key was configured. */
  fallbacks: number;
}

export function makeContext(opts: IngestOptions): Context {
  let key: SessionKey | undefined = opts.sessionKey;
  if (!key && opts.fields?.session) key = { kind: 'field', name: opts.fields.session };
  const mode: SessionMode = !key ? 'default' : key.kind;
  if (key && key.kind !== 'ip' && !key.name) throw new Error(`session key ${key.kind}: a name is required (${key.kind}:NAME)`);
  return {
    prefixes: compilePrefixes(opts.stripPrefixes),
    mode,
    keyName: key?.kind === 'header' ? key.name!.toLowerCase() : (key?.name ?? ''),
    fields: opts.fields ?? {},
    target: { path: '', host: undefined },
    fallbacks: 0,
  };
}

/** `header:x-api-key`, `ip`, ... as the user wrote it (for messages). */
export function describeKey(ctx: Context): string {
  return ctx.mode === 'default' ? 'ip (default)' : ctx.mode === 'ip' ? 'ip' : `${ctx.mode}:${ctx.keyName}`;
}

/**
 * Builds the record, or returns the reason the line is skipped. `keyValue` is the configured session key's value on
 * this request (undefined when the format or the request does not carry it).
 */
export function buildRecord(
  ctx: Context,
  rawMethod: string | undefined,
  rawTarget: string | undefined,
  status: number | undefined,
  time: number | undefined,
  ip: string | undefined,
  keyValue: string | undefined,
  count: number,
  host: string | undefined,
  userAgent: string | undefined,
): TrafficRecord | string {
  if (rawMethod === undefined || rawMethod === '' || rawMethod === '-') return 'missing method';
  const method = normalizeMethod(rawMethod);
  if (method === undefined) return 'invalid method';
  if (rawTarget === undefined || rawTarget === '' || rawTarget === '-') return 'missing path';
  const t = normalizeTarget(rawTarget, ctx.target);
  if (t === undefined) return 'invalid path';
  if (t.host !== undefined) host = t.host;
  else if (host !== undefined) host = host.replace(/:\d*$/, '').toLowerCase();
  const path = ctx.prefixes.length ? applyPrefixes(t.path, host, ctx.prefixes) : t.path;
  let session: string | undefined;
  let fromIp = false;
  if (keyValue !== undefined) session = keyValue;
  else {
    session = ip;
    fromIp = ip !== undefined;
    if (ctx.mode !== 'default' && ctx.mode !== 'ip') ctx.fallbacks++;
  }
  return { method, path, status, time, session, sessionFromIp: fromIp, count, host, userAgent };
}
