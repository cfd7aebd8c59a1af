/**
 * Traffic: samples of production access logs, read in one streaming pass (ingest/), matched to the code's and the
 * spec's endpoints and templated where nothing matches (analyze/), then merged into the inventory and checked by the
 * traffic rules. Memory is bounded by the number of distinct endpoints and sessions, never by the size of the log.
 */

export type LogFormat = 'combined' | 'common' | 'jsonl' | 'cloudflare' | 'alb' | 'har' | 'csv';
export const LOG_FORMATS: LogFormat[] = ['combined', 'common', 'jsonl', 'cloudflare', 'alb', 'har', 'csv'];

/** How requests are grouped into sessions. Without a usable key a request falls back to its client IP (and says so). */
export interface SessionKey {
  kind: 'header' | 'cookie' | 'field' | 'ip';
  /** Header, cookie or field name (not for `ip`). */
  name?: string;
}

export type LogField = 'method' | 'path' | 'status' | 'time' | 'session' | 'ip' | 'host' | 'count';

export interface IngestOptions {
  format: LogFormat | 'auto';
  sessionKey?: SessionKey;
  /** JSON-lines field names (dotted paths allowed: `request.method`) for each field, overriding the defaults. */
  fields?: Partial<Record<LogField, string>>;
  /** Prefixes the log includes but the code does not (a base path, a host): removed from paths. */
  stripPrefixes?: string[];
  /** Malformed lines kept as samples, per file (default 5). */
  maxSamples?: number;
}

/** One request, or for a pre-aggregated CSV row, `count` identical requests. */
export interface TrafficRecord {
  /** Upper case. */
  method: string;
  /**
   * Normalized path: no query string or fragment, percent-decoded per segment (an encoded `/` stays `%2F`), no
   * double slashes, no trailing slash (except `/`), configured prefixes stripped.
   */
  path: string;
  status?: number;
  /** Epoch milliseconds. */
  time?: number;
  /** The session key's value; the client IP when the key is missing from the request. */
  session?: string;
  /** True when `session` is the client IP because the configured key was absent (or none was configured). */
  sessionFromIp?: boolean;
  count: number;
  host?: string;
  userAgent?: string;
}

export interface MalformedSample {
  file: string;
  line: number;
  text: string;
  reason: string;
}

export interface IngestFileSummary {
  /** As given (repo- or cwd-relative path). */
  file: string;
  format: LogFormat;
  bytes: number;
  lines: number;
  used: number;
  skipped: number;
  /** Counts of skipped lines by reason (`unparsable`, `not a request`, `missing method`, ...). */
  skippedByReason: Record<string, number>;
  samples: MalformedSample[];
  /** The file was gzip-compressed (told by its magic bytes); `bytes` counts the decompressed text. */
  gzip?: boolean;
  /** Requests whose configured session key (header, cookie, field) was missing, so their session is the client IP. */
  sessionFallbacks?: number;
  /** Remarks for the user: an empty file, a session key this format cannot carry, a truncated gzip or HAR. */
  notes?: string[];
}

export interface IngestSummary {
  files: IngestFileSummary[];
}

/** Per endpoint (or template) statistics, as the JSON contract carries them under `traffic`. */
export interface TrafficStats {
  requests: number;
  /** `"2xx"`, `"4xx"`, ... → count. */
  statuses: Record<string, number>;
  sessions: number;
  /** ISO timestamps. */
  firstSeen?: string;
  lastSeen?: string;
  rate?: RateRecommendation;
}

/**
 * Per endpoint, per session: the most requests in any 10-minute window; over sessions, its p50/p90/p99; and a
 * recommended limit derived from the spread of that distribution. Withheld (recommended: null) below a minimum
 * number of sessions.
 */
export interface RateRecommendation {
  window: '10m';
  p50: number;
  p90: number;
  p99: number;
  recommended: number | null;
  /** 0..1, growing with the number of sessions. */
  confidence: number;
  sessions: number;
  /** What a session is: `header:x-api-key`, `cookie:sid`, `field:user`, `ip`; `ip (fallback)` when the key was missing. */
  sessionKey: string;
  /** Why no recommendation is given (too few sessions, ...). */
  withheld?: string;
}

/** Requests that match no code endpoint and no spec operation, grouped into a template. */
export interface TrafficTemplate {
  method: string;
  /** OpenAPI-style template: `/api/v1/legacy/carts/{id}`. */
  path: string;
  stats: TrafficStats;
  /** 0..1: how sure the templating is (how many distinct values the parameter took, how regular they are). */
  confidence: number;
  /** A few concrete paths seen. */
  examples: string[];
  /** Scanner noise (`/wp-login.php`, `/.env`, 404 storms from one client): counted, kept out of findings. */
  noise?: string;
}
