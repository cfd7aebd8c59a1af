/**
 * Line parsers for the text formats: nginx/Apache `combined` and `common`, AWS ALB access logs, and the
 * pre-aggregated CSV. Hand-written scanners (indexOf and char codes, no regular expression per line): these run on
 * every line of multi-GB logs.
 */
import type { TrafficRecord } from '../types.js';
import { buildRecord, type Context } from './records.js';
import { parseClfTime, parseIsoTime, parseTimeValue, scalar, stripPort } from './normalize.js';

export type LineParser = (line: string) => TrafficRecord | string;

/** Index of the `"` closing a quoted field that starts at `from` (after the opening quote); `\"` does not close. */
export function closingQuote(line: string, from: number): number {
  let j = line.indexOf('"', from);
  while (j > 0 && line.charCodeAt(j - 1) === 92) {
    let k = j - 1;
    while (k >= from && line.charCodeAt(k) === 92) k--;
    if ((j - 1 - k) % 2 === 0) break; // an even run of backslashes escapes itself, not the quote
    j = line.indexOf('"', j + 1);
  }
  return j;
}

function status3(line: string, i: number): number {
  const a = line.charCodeAt(i) - 48;
  const b = line.charCodeAt(i + 1) - 48;
  const c = line.charCodeAt(i + 2) - 48;
  if (a < 1 || a > 5 || b < 0 || b > 9 || c < 0 || c > 9) return NaN;
  const after = line.charCodeAt(i + 3);
  if (after === after && after !== 32) return NaN; // followed by something other than a space or the end
  return a * 100 + b * 10 + c;
}

// the result of splitRequest (module-level, so that no object is allocated per line)
let reqMethod = '';
let reqTarget = '';

/** Splits a request line `GET /path HTTP/1.1` (the part between the quotes, [from, to)) into reqMethod, reqTarget. */
function splitRequest(line: string, from: number, to: number): boolean {
  const sp = line.indexOf(' ', from);
  if (sp < 0 || sp >= to) return false;
  let end = line.lastIndexOf(' ', to - 1);
  // `GET /path` (HTTP/0.9, no protocol) or a target with spaces: the protocol is the last word only if it says HTTP
  if (end <= sp || line.charCodeAt(end + 1) !== 72 || !line.startsWith('HTTP/', end + 1)) end = to;
  reqMethod = line.slice(from, sp);
  reqTarget = line.slice(sp + 1, end);
  return true;
}

/**
 * `combined` and `common` (nginx's default `combined`, Apache's `%h %l %u %t "%r" %>s %b` with or without
 * `"%{Referer}i" "%{User-agent}i"`, and nginx's `main` with a trailing `"$http_x_forwarded_for"`):
 * `1.2.3.4 - user [02/Nov/2026:14:03:12 +0000] "GET /a?b HTTP/1.1" 200 512 "ref" "agent"`.
 * The two are parsed alike; a `common` line simply has no user agent. Sessions: the client IP (no headers in the log).
 */
export function clfParser(ctx: Context): LineParser {
  let lastTs = '';
  let lastTime: number | undefined;
  return (line) => {
    const sp = line.indexOf(' ');
    if (sp <= 0) return 'unparsable';
    const lb = line.indexOf(' [', sp);
    if (lb < 0) return 'unparsable';
    const rb = line.indexOf('] "', lb + 2);
    if (rb < 0) return 'unparsable';
    const ts = line.slice(lb + 2, rb);
    if (ts !== lastTs) {
      lastTs = ts;
      lastTime = parseClfTime(ts);
    }
    const rq = rb + 3;
    const rqEnd = closingQuote(line, rq);
    if (rqEnd < 0) return 'unparsable';
    if (line.charCodeAt(rqEnd + 1) !== 32) return 'unparsable';
    const status = status3(line, rqEnd + 2);
    if (status !== status) return 'invalid status';
    if (!splitRequest(line, rq, rqEnd)) return 'not a request';
    let ua: string | undefined;
    // referer, then user agent, each quoted, after the status and the size
    const r1 = line.indexOf(' "', rqEnd + 5);
    if (r1 > 0) {
      const r1End = closingQuote(line, r1 + 2);
      if (r1End > 0 && line.charCodeAt(r1End + 1) === 32 && line.charCodeAt(r1End + 2) === 34) {
        const uEnd = closingQuote(line, r1End + 3);
        if (uEnd > 0 && uEnd > r1End + 3) {
          ua = line.slice(r1End + 3, uEnd);
          if (ua === '-') ua = undefined;
        }
      }
    }
    return buildRecord(ctx, reqMethod, reqTarget, status, lastTime, line.slice(0, sp), undefined, 1, undefined, ua);
  };
}

const ALB_TYPES = new Set(['http', 'https', 'h2', 'grpcs', 'ws', 'wss']);

/**
 * AWS Application Load Balancer access logs
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html):
 * `type time elb client:port target:port request_processing_time target_processing_time response_processing_time
 * elb_status_code target_status_code received_bytes sent_bytes "request" "user_agent" ...`, where request is
 * `GET https://host:443/path?x HTTP/1.1`. Status: elb_status_code. Sessions: the client IP.
 */
export function albParser(ctx: Context): LineParser {
  let lastTs = '';
  let lastTime: number | undefined;
  const starts = new Int32Array(13);
  return (line) => {
    // twelve unquoted fields, then the quoted request
    let p = 0;
    for (let f = 0; f < 12; f++) {
      starts[f] = p;
      const sp = line.indexOf(' ', p);
      if (sp < 0) return 'unparsable';
      p = sp + 1;
    }
    starts[12] = p;
    if (line.charCodeAt(p) !== 34) return 'unparsable';
    if (!ALB_TYPES.has(line.slice(0, starts[1]! - 1))) return 'unparsable';
    const ts = line.slice(starts[1], starts[2]! - 1);
    if (ts !== lastTs) {
      lastTs = ts;
      lastTime = parseIsoTime(ts);
    }
    const client = line.slice(starts[3], starts[4]! - 1);
    const st = line.slice(starts[8], starts[9]! - 1);
    let status: number | undefined;
    if (st !== '-') {
      status = status3(st, 0);
      if (status !== status) return 'invalid status';
    }
    const rqEnd = closingQuote(line, p + 1);
    if (rqEnd < 0) return 'unparsable';
    if (!splitRequest(line, p + 1, rqEnd)) return 'not a request';
    let ua: string | undefined;
    if (line.charCodeAt(rqEnd + 1) === 32 && line.charCodeAt(rqEnd + 2) === 34) {
      const uEnd = closingQuote(line, rqEnd + 3);
      if (uEnd > rqEnd + 3) {
        ua = line.slice(rqEnd + 3, uEnd);
        if (ua === '-') ua = undefined;
      }
    }
    const ip = client === '-' ? undefined : stripPort(client);
    return buildRecord(ctx, reqMethod, reqTarget, status, lastTime, ip, undefined, 1, undefined, ua);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

/** One CSV line to cells (RFC 4180 quotes; a quoted cell may not span lines here). */
export function csvCells(line: string): string[] | undefined {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let v = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return undefined;
        v += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          v += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      out.push(v);
      if (j >= n) return out;
      if (line.charCodeAt(j) !== 44) return undefined;
      i = j + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

/**
 * Pre-aggregated CSV: a header row naming at least `method`, `path` and `count` (case-insensitive; `status`,
 * `session`, `ip`, `host`, `time` are read when present, other columns ignored; `opts.fields` renames any of them).
 * Each row is one record with `count` requests. Sessions: the `session` column, whether the key is `ip` or none is
 * given (a CSV seldom has an ip column); with `field:NAME`, the column NAME; header and cookie keys (which a CSV cannot
 * carry) fall back to the `ip` column.
 */
export function csvParser(ctx: Context, file: string): { header: (line: string) => void; parse: LineParser } {
  let col: Record<'method' | 'path' | 'status' | 'count' | 'session' | 'ip' | 'host' | 'time' | 'key', number> | undefined;
  const header = (line: string) => {
    const cells = (csvCells(line) ?? []).map((c) => c.trim().toLowerCase());
    const idx = (field: 'method' | 'path' | 'status' | 'count' | 'session' | 'ip' | 'host' | 'time') => cells.indexOf((ctx.fields[field] ?? field).toLowerCase());
    col = { method: idx('method'), path: idx('path'), status: idx('status'), count: idx('count'), session: idx('session'), ip: idx('ip'), host: idx('host'), time: idx('time'), key: -1 };
    if (ctx.mode === 'field') col.key = cells.indexOf(ctx.keyName.toLowerCase());
    const missing = (['method', 'path', 'count'] as const).filter((k) => col![k] < 0);
    if (missing.length) throw new Error(`${file}: the CSV header row has no ${missing.join(', ')} column (found: ${cells.join(', ')})`);
  };
  const parse: LineParser = (line) => {
    const c = col!;
    const cells = csvCells(line);
    if (!cells) return 'unparsable';
    if (cells.length <= Math.max(c.method, c.path, c.count)) return 'missing columns';
    const countText = cells[c.count]!.trim();
    const count = /^\d+$/.test(countText) ? Number(countText) : NaN;
    if (!(count > 0)) return 'invalid count';
    let status: number | undefined;
    if (c.status >= 0 && cells[c.status] !== undefined && cells[c.status]!.trim() !== '') {
      status = Number(cells[c.status]!.trim());
      if (!Number.isInteger(status) || status < 100 || status > 599) return 'invalid status';
    }
    const cell = (i: number) => (i >= 0 ? scalar(cells[i]?.trim()) : undefined);
    // a CSV's own `session` column is its session unless a `field:NAME` key names another column (the `ip` key, the
    // default, would otherwise leave a CSV without an ip column sessionless); header and cookie keys fall back to `ip`
    const keyCol = ctx.mode === 'field' ? c.key : ctx.mode === 'default' || ctx.mode === 'ip' ? c.session : -1;
    const ip = cell(c.ip);
    const t = cell(c.time);
    const time = t === undefined ? undefined : parseTimeValue(t);
    return buildRecord(ctx, cells[c.method]!.trim(), cells[c.path]!.trim(), status, time, ip, cell(keyCol), count, cell(c.host), undefined);
  };
  return { header, parse };
}
