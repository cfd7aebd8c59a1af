/**
 * JSON-lines access logs (one object per line) and Cloudflare Logpush HTTP requests (also JSON lines, with their own
 * field names). Each field is looked up through an ordered list of candidate names; `opts.fields` replaces the list
 * for a field with the one name given. A name may be dotted (`request.method`): the literal key is tried first (flat
 * ECS-style keys such as `"http.request.method"`), then the nested path.
 */
import type { LogField, TrafficRecord } from '../types.js';
import { buildRecord, type Context } from './records.js';
import { cookieFromHeader, headerFrom, parseTimeValue, scalar, stripPort } from './normalize.js';
import type { LineParser } from './text-formats.js';

/**
 * Default JSON-lines field names, tried in this order (first one present wins):
 *
 * | field     | names |
 * |-----------|-------|
 * | method    | method, request_method, http_method, httpMethod, verb, request.method, http.method, http.request.method, req.method, httpRequest.requestMethod |
 * | path      | path, uri, url, request_uri, request_path, request.path, request.uri, request.url, http.path, http.url, http.target, url.path, url.original, req.url, httpRequest.requestUrl, request (a whole request line `GET /x HTTP/1.1`, as nginx's `$request`, also gives the method) |
 * | status    | status, status_code, statusCode, response_status, response.status, response.status_code, response.statusCode, http.status_code, http.status, http.response.status_code, res.statusCode, httpRequest.status |
 * | time      | time, timestamp, @timestamp, ts, time_iso8601, time_local, datetime, date, start_time, startTime (unix s/ms/µs/ns, RFC 3339, `02/Nov/2026:14:03:12 +0000`) |
 * | ip        | ip, remote_addr, client_ip, clientIp, remote_ip, remoteAddr, client.ip, client.address, source.ip, source.address, http.client_ip, network.client.ip, request.ip, req.remoteAddress, httpRequest.remoteIp (a `:port` suffix is dropped) |
 * | host      | host, http_host, request.host, http.host, url.domain, req.headers.host, headers.host (not `hostname`: pino and others put the machine's name there) |
 * | count     | count (a pre-aggregated line; default 1) |
 * | userAgent | user_agent, http_user_agent, userAgent, user_agent.original, http.user_agent, httpRequest.userAgent, then the `user-agent` header |
 * | session   | none (see sessionKey) |
 *
 * Headers (for `header:NAME` sessions) are read from the objects `headers`, `request.headers`, `http.request.headers`,
 * `req.headers`, `RequestHeaders` (a map or a HAR-style `[{name, value}]` list, names case-insensitive), then from
 * nginx-style flat fields `http_<name with _ for ->`. Cookies (`cookie:NAME`) from the objects `cookies`,
 * `request.cookies`, `Cookies`, then the `cookie` header, then `cookie_<name>` (nginx `$cookie_NAME`).
 */
export const JSONL_FIELDS: Record<LogField | 'userAgent', string[]> = {
  method: ['method', 'request_method', 'http_method', 'httpMethod', 'verb', 'request.method', 'http.method', 'http.request.method', 'req.method', 'httpRequest.requestMethod'],
  path: ['path', 'uri', 'url', 'request_uri', 'request_path', 'request.path', 'request.uri', 'request.url', 'http.path', 'http.url', 'http.target', 'url.path', 'url.original', 'req.url', 'httpRequest.requestUrl', 'request'],
  status: ['status', 'status_code', 'statusCode', 'response_status', 'response.status', 'response.status_code', 'response.statusCode', 'http.status_code', 'http.status', 'http.response.status_code', 'res.statusCode', 'httpRequest.status'],
  time: ['time', 'timestamp', '@timestamp', 'ts', 'time_iso8601', 'time_local', 'datetime', 'date', 'start_time', 'startTime'],
  ip: ['ip', 'remote_addr', 'client_ip', 'clientIp', 'remote_ip', 'remoteAddr', 'client.ip', 'client.address', 'source.ip', 'source.address', 'http.client_ip', 'network.client.ip', 'request.ip', 'req.remoteAddress', 'httpRequest.remoteIp'],
  host: ['host', 'http_host', 'request.host', 'http.host', 'url.domain', 'req.headers.host', 'headers.host'],
  count: ['count'],
  userAgent: ['user_agent', 'http_user_agent', 'userAgent', 'user_agent.original', 'http.user_agent', 'httpRequest.userAgent'],
  session: [],
};
const JSONL_HEADERS = ['headers', 'request.headers', 'http.request.headers', 'req.headers', 'RequestHeaders'];
const JSONL_COOKIES = ['cookies', 'request.cookies', 'Cookies'];

/**
 * Cloudflare Logpush `http_requests` fields
 * (https://developers.cloudflare.com/logs/reference/log-fields/zone/http_requests/): ClientRequestMethod,
 * ClientRequestURI (with the query) or ClientRequestPath, EdgeResponseStatus (else OriginResponseStatus),
 * EdgeStartTimestamp (RFC 3339, unix seconds or unix nanoseconds), ClientIP, ClientRequestHost,
 * ClientRequestUserAgent; headers from the RequestHeaders map and cookies from the Cookies map when the job includes
 * them (custom fields).
 */
export const CLOUDFLARE_FIELDS: Record<LogField | 'userAgent', string[]> = {
  method: ['ClientRequestMethod'],
  path: ['ClientRequestURI', 'ClientRequestPath'],
  status: ['EdgeResponseStatus', 'OriginResponseStatus'],
  time: ['EdgeStartTimestamp', 'EdgeEndTimestamp'],
  ip: ['ClientIP'],
  host: ['ClientRequestHost'],
  count: [],
  userAgent: ['ClientRequestUserAgent'],
  session: [],
};
const CLOUDFLARE_HEADERS = ['RequestHeaders'];
const CLOUDFLARE_COOKIES = ['Cookies'];

interface Name {
  literal: string;
  parts: string[] | undefined;
}
const compile = (names: string[]): Name[] => names.map((n) => ({ literal: n, parts: n.includes('.') ? n.split('.') : undefined }));

function lookup(obj: Record<string, unknown>, name: Name): unknown {
  const v = obj[name.literal];
  if (v !== undefined || name.parts === undefined) return v;
  let cur: unknown = obj;
  for (const p of name.parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function first(obj: Record<string, unknown>, names: Name[], want: 'string' | 'scalar'): unknown {
  for (const n of names) {
    const v = lookup(obj, n);
    if (v === undefined || v === null || v === '') continue;
    if (want === 'string' && typeof v !== 'string') continue;
    if (want === 'scalar' && typeof v === 'object') continue;
    return v;
  }
  return undefined;
}

const REQUEST_LINE = /^([A-Za-z_-]+) (\S+)(?: HTTP\/[\d.]+)?$/;

export function jsonParser(ctx: Context, cloudflare: boolean): LineParser {
  const defaults = cloudflare ? CLOUDFLARE_FIELDS : JSONL_FIELDS;
  const names = (f: LogField | 'userAgent') => compile(f !== 'userAgent' && ctx.fields[f] ? [ctx.fields[f]!] : defaults[f]);
  const method = names('method');
  const path = names('path');
  const status = names('status');
  const time = names('time');
  const ip = names('ip');
  const host = names('host');
  const count = names('count');
  const ua = names('userAgent');
  const headers = compile(cloudflare ? CLOUDFLARE_HEADERS : JSONL_HEADERS);
  const cookies = compile(cloudflare ? CLOUDFLARE_COOKIES : JSONL_COOKIES);
  const keyField = ctx.mode === 'field' ? compile([ctx.keyName]) : [];
  const flatHeader = 'http_' + ctx.keyName.replace(/-/g, '_');
  const flatCookie = 'cookie_' + ctx.keyName;
  let lastTime: unknown;
  let lastMs: number | undefined;

  const header = (o: Record<string, unknown>, lower: string): string | undefined => {
    for (const h of headers) {
      const v = headerFrom(lookup(o, h), lower);
      if (v !== undefined) return v;
    }
    return undefined;
  };

  const sessionValue = (o: Record<string, unknown>): string | undefined => {
    switch (ctx.mode) {
      case 'header':
        return header(o, ctx.keyName) ?? scalar(o[flatHeader]);
      case 'cookie': {
        for (const c of cookies) {
          const jar = lookup(o, c);
          const v = headerFrom(jar, ctx.keyName) ?? (jar && typeof jar === 'object' && !Array.isArray(jar) ? scalar((jar as Record<string, unknown>)[ctx.keyName]) : undefined);
          if (v !== undefined) return v;
        }
        const h = header(o, 'cookie') ?? scalar(o['http_cookie']);
        const v = h === undefined ? undefined : cookieFromHeader(h, ctx.keyName);
        return v || scalar(o[flatCookie]);
      }
      case 'field':
        return scalar(first(o, keyField, 'scalar'));
      default:
        return undefined;
    }
  };

  return (line) => {
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      return 'invalid JSON';
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return 'not an object';
    const obj = o as Record<string, unknown>;
    let m = first(obj, method, 'string') as string | undefined;
    let target = first(obj, path, 'string') as string | undefined;
    if (target !== undefined && target.indexOf(' ') > 0) {
      // a whole request line (`$request`)
      const r = REQUEST_LINE.exec(target);
      if (!r) return 'not a request';
      m ??= r[1];
      target = r[2];
    }
    const st = first(obj, status, 'scalar');
    let code: number | undefined;
    if (st !== undefined) {
      code = typeof st === 'number' ? st : Number(st);
      if (!Number.isInteger(code) || code < 100 || code > 599) return 'invalid status';
    }
    const tv = first(obj, time, 'scalar');
    if (tv !== lastTime) {
      lastTime = tv;
      lastMs = tv === undefined ? undefined : parseTimeValue(tv);
    }
    let n = 1;
    if (count.length) {
      const c = first(obj, count, 'scalar');
      if (c !== undefined) {
        n = typeof c === 'number' ? c : Number(c);
        if (!Number.isInteger(n) || n < 1) return 'invalid count';
      }
    }
    const addr = scalar(first(obj, ip, 'scalar'));
    const agent = (first(obj, ua, 'string') as string | undefined) ?? header(obj, 'user-agent');
    const rec: TrafficRecord | string = buildRecord(
      ctx,
      m,
      target,
      code,
      lastMs,
      addr === undefined ? undefined : stripPort(addr),
      sessionValue(obj),
      n,
      first(obj, host, 'string') as string | undefined,
      agent,
    );
    return rec;
  };
}
