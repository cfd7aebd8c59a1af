import { createRequire as __apilanternCreateRequire } from 'node:module';
const require = __apilanternCreateRequire(import.meta.url);
import {
  LOG_FORMATS
} from "./chunk-IHMSECUV.js";
import "./chunk-KLNQWGDO.js";

// src/traffic/ingest/index.ts
import fs from "node:fs";
import { isAscii } from "node:buffer";
import { StringDecoder } from "node:string_decoder";
import zlib from "node:zlib";

// src/traffic/ingest/detect.ts
var CLF = /^\S+ \S+ .*?\[\d{1,2}\/[A-Za-z]{3}\/\d{4}:\d\d:\d\d:\d\d(?: [+-]\d{4})?\] "(?:[^"\\]|\\.)*" (?:\d{3}|-) (?:\d+|-)/;
var COMBINED_TAIL = /^ "(?:[^"\\]|\\.)*" "(?:[^"\\]|\\.)*"/;
var ALB = /^(?:https?|h2|grpcs|wss?) \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z \S+ \S+ \S+ \S+ \S+ \S+ (?:\d{3}|-) (?:\d{3}|-) \d+ \d+ "/;
var CLOUDFLARE_KEYS = ["ClientRequestMethod", "ClientRequestURI", "ClientRequestPath", "EdgeStartTimestamp", "EdgeResponseStatus"];
function detectFormat(firstLines) {
  const lines = firstLines.map((l, i) => (i === 0 ? l.replace(/^\uFEFF/, "") : l).replace(/\r$/, "")).filter((l) => l.trim() !== "");
  if (!lines.length) return void 0;
  const head = lines.slice(0, 20).join("\n");
  const first2 = lines[0].trim();
  if (first2.startsWith("{") || first2.startsWith("[")) {
    if (/^\{\s*"log"\s*:\s*\{/.test(head) || /"log"\s*:\s*\{/.test(head) && /"(?:entries|creator|version)"\s*:/.test(head)) return "har";
  }
  const csvHeader = first2.toLowerCase().split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
  if (csvHeader.includes("method") && csvHeader.includes("path") && csvHeader.includes("count")) return "csv";
  for (const raw of lines.slice(0, 10)) {
    const line = raw.trim();
    if (line.startsWith("{")) {
      let obj;
      try {
        obj = JSON.parse(line);
      } catch {
        if (CLOUDFLARE_KEYS.some((k) => line.includes(`"${k}"`))) return "cloudflare";
        continue;
      }
      if (obj && typeof obj === "object" && !Array.isArray(obj)) {
        if (CLOUDFLARE_KEYS.some((k) => k in obj)) return "cloudflare";
        if ("log" in obj && obj.log?.entries) return "har";
        return "jsonl";
      }
      continue;
    }
    if (ALB.test(line)) return "alb";
    const m = CLF.exec(line);
    if (m) return COMBINED_TAIL.test(line.slice(m[0].length)) ? "combined" : "common";
  }
  return void 0;
}

// src/traffic/ingest/normalize.ts
function compilePrefixes(list) {
  const out = [];
  for (let raw of list ?? []) {
    raw = raw.trim();
    if (!raw || raw === "/") continue;
    raw = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
    if (raw.startsWith("/")) {
      const p = normalizeTarget(raw, null);
      if (p && p.path !== "/") out.push({ path: p.path });
      continue;
    }
    const slash = raw.indexOf("/");
    const host = (slash < 0 ? raw : raw.slice(0, slash)).toLowerCase().replace(/:\d+$/, "");
    const rest = slash < 0 ? "" : normalizeTarget(raw.slice(slash), null)?.path ?? "";
    out.push({ host, path: rest === "/" ? "" : rest });
  }
  return out.sort((a, b) => (b.host?.length ?? 0) + b.path.length - ((a.host?.length ?? 0) + a.path.length));
}
function stripPath(path, prefix) {
  if (!prefix) return path;
  if (path === prefix) return "/";
  if (path.length > prefix.length && path.charCodeAt(prefix.length) === 47 && path.startsWith(prefix)) return path.slice(prefix.length);
  return void 0;
}
function applyPrefixes(path, host, prefixes) {
  for (const p of prefixes) {
    if (p.host === void 0) {
      const s = stripPath(path, p.path);
      if (s !== void 0) return s;
      continue;
    }
    const inPath = stripPath(path, "/" + p.host);
    if (inPath !== void 0) {
      const s = stripPath(inPath, p.path);
      if (s !== void 0) return s;
    }
    if (p.path && (host === void 0 || host === p.host)) {
      const s = stripPath(path, p.path);
      if (s !== void 0) return s;
    }
  }
  return path;
}
function normalizeTarget(raw, out) {
  const t = out ?? { path: "", host: void 0 };
  t.host = void 0;
  const n = raw.length;
  if (n === 0) return void 0;
  if (raw.charCodeAt(0) === 47) {
    let prev = 0;
    let i = 0;
    let clean = true;
    for (; i < n; i++) {
      const c = raw.charCodeAt(i);
      if (c === 63 || c === 35) break;
      if (c === 37 || c === 47 && prev === 47) {
        clean = false;
        break;
      }
      prev = c;
    }
    if (clean && (i === 1 || prev !== 47)) {
      t.path = i === n ? raw : raw.slice(0, i);
      return t;
    }
  }
  let s = raw;
  let start = 0;
  const scheme = s.charCodeAt(0) === 47 ? null : /^[a-z][a-z0-9+.-]*:\/\//i.exec(s);
  if (scheme) {
    {
      start = scheme[0].length;
      let end2 = start;
      while (end2 < n) {
        const c = s.charCodeAt(end2);
        if (c === 47 || c === 63 || c === 35) break;
        end2++;
      }
      let host = s.slice(start, end2);
      const at = host.lastIndexOf("@");
      if (at >= 0) host = host.slice(at + 1);
      host = host.replace(/:\d*$/, "").toLowerCase();
      t.host = host || void 0;
      start = end2;
    }
  }
  let end = n;
  for (let i = start; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 63 || c === 35) {
      end = i;
      break;
    }
  }
  if (start > 0 || end < n) s = s.slice(start, end);
  if (s === "") {
    if (t.host !== void 0) {
      t.path = "/";
      return t;
    }
    return void 0;
  }
  if (s.charCodeAt(0) !== 47) return void 0;
  const segs = s.split("/");
  let path = "";
  for (const seg of segs) {
    if (seg === "") continue;
    path += "/" + (seg.indexOf("%") >= 0 ? decodeSegment(seg) : seg);
  }
  t.path = path || "/";
  return t;
}
var ENCODED_SLASH = /%2f/i;
function decodeSegment(seg) {
  if (ENCODED_SLASH.test(seg)) return seg.split(/%2f/i).map(safeDecode).join("%2F");
  return safeDecode(seg);
}
function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        let out = "";
        let i = 0;
        while (i < run.length) {
          let done = false;
          for (let j = run.length; j > i; j -= 3) {
            try {
              out += decodeURIComponent(run.slice(i, j));
              i = j;
              done = true;
              break;
            } catch {
            }
          }
          if (!done) {
            out += run.slice(i, i + 3);
            i += 3;
          }
        }
        return out;
      }
    });
  }
}
function normalizeMethod(m) {
  const n = m.length;
  if (n === 0 || n > 20) return void 0;
  let lower = false;
  for (let i = 0; i < n; i++) {
    const c = m.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    else if (!(c >= 65 && c <= 90 || c === 45 || c === 95)) return void 0;
  }
  return lower ? m.toUpperCase() : m;
}
var MONTHS = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
function digits(s, i, n) {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}
function parseClfTime(s) {
  if (s.length < 20 || s.charCodeAt(2) !== 47 || s.charCodeAt(6) !== 47 || s.charCodeAt(11) !== 58) return void 0;
  const day = digits(s, 0, 2);
  const mon = MONTHS[s.slice(3, 6)];
  const year = digits(s, 7, 4);
  const h = digits(s, 12, 2);
  const mi = digits(s, 15, 2);
  const sec = digits(s, 18, 2);
  if (mon === void 0 || Number.isNaN(day + year + h + mi + sec)) return void 0;
  let off = 0;
  if (s.length >= 26 && s.charCodeAt(20) === 32) {
    const sign = s.charCodeAt(21);
    const oh = digits(s, 22, 2);
    const om = digits(s, 24, 2);
    if ((sign === 43 || sign === 45) && !Number.isNaN(oh + om)) off = (sign === 45 ? -1 : 1) * (oh * 60 + om) * 6e4;
  }
  return Date.UTC(year, mon, day, h, mi, sec) - off;
}
function parseIsoTime(s) {
  if (s.length >= 19 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && (s.charCodeAt(10) === 84 || s.charCodeAt(10) === 32) && s.charCodeAt(13) === 58) {
    const year = digits(s, 0, 4);
    const mon = digits(s, 5, 2);
    const day = digits(s, 8, 2);
    const h = digits(s, 11, 2);
    const mi = digits(s, 14, 2);
    const sec = digits(s, 17, 2);
    if (!Number.isNaN(year + mon + day + h + mi + sec)) {
      let i = 19;
      let ms = 0;
      if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
        i++;
        let scale = 100;
        while (i < s.length) {
          const c = s.charCodeAt(i) - 48;
          if (c < 0 || c > 9) break;
          ms += c * scale;
          scale /= 10;
          i++;
        }
        ms = Math.floor(ms);
      }
      let off = 0;
      const z = s.charCodeAt(i);
      if (i === s.length || z === 90 || z === 122) off = 0;
      else if (z === 43 || z === 45) {
        const oh = digits(s, i + 1, 2);
        const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
        const om = s.length > i + 3 ? digits(s, i + 3 + colon, 2) : 0;
        if (Number.isNaN(oh + om)) return fallbackParse(s);
        off = (z === 45 ? -1 : 1) * (oh * 60 + om) * 6e4;
      } else return fallbackParse(s);
      return Date.UTC(year, mon - 1, day, h, mi, sec, ms) - off;
    }
  }
  return fallbackParse(s);
}
function fallbackParse(s) {
  const t = Date.parse(s);
  return Number.isNaN(t) ? void 0 : t;
}
function parseTimeValue(v) {
  if (typeof v === "number") return Number.isFinite(v) ? unixToMs(v) : void 0;
  if (typeof v !== "string" || v === "" || v === "-") return void 0;
  const c0 = v.charCodeAt(0);
  if (c0 === 91) return parseClfTime(v.slice(1, v.endsWith("]") ? -1 : void 0));
  if (/^\d+(\.\d+)?$/.test(v)) return unixToMs(Number(v));
  if (v.length >= 20 && v.charCodeAt(2) === 47) return parseClfTime(v);
  return parseIsoTime(v);
}
function unixToMs(n) {
  const a = Math.abs(n);
  if (a >= 1e17) return Math.floor(n / 1e6);
  if (a >= 1e14) return Math.floor(n / 1e3);
  if (a >= 1e11) return Math.floor(n);
  return Math.floor(n * 1e3);
}
function cookieFromHeader(header, name) {
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
    }
  }
  return void 0;
}
function headerFrom(container, lowerName) {
  if (!container || typeof container !== "object") return void 0;
  if (Array.isArray(container)) {
    for (const h of container) {
      if (h && typeof h === "object" && typeof h.name === "string" && h.name.toLowerCase() === lowerName) {
        return scalar(h.value);
      }
    }
    return void 0;
  }
  const obj = container;
  if (lowerName in obj) return scalar(obj[lowerName]);
  for (const k in obj) if (k.toLowerCase() === lowerName) return scalar(obj[k]);
  return void 0;
}
function scalar(v) {
  if (Array.isArray(v)) v = v[0];
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v !== "string" || v === "" || v === "-") return void 0;
  return v;
}
function stripPort(addr) {
  if (addr.charCodeAt(0) === 91) {
    const e = addr.indexOf("]");
    return e > 0 ? addr.slice(1, e) : addr;
  }
  const c = addr.lastIndexOf(":");
  if (c > 0 && addr.indexOf(":") === c) return addr.slice(0, c);
  return addr;
}

// src/traffic/ingest/records.ts
function makeContext(opts) {
  let key = opts.sessionKey;
  if (!key && opts.fields?.session) key = { kind: "field", name: opts.fields.session };
  const mode = !key ? "default" : key.kind;
  if (key && key.kind !== "ip" && !key.name) throw new Error(`session key ${key.kind}: a name is required (${key.kind}:NAME)`);
  return {
    prefixes: compilePrefixes(opts.stripPrefixes),
    mode,
    keyName: key?.kind === "header" ? key.name.toLowerCase() : key?.name ?? "",
    fields: opts.fields ?? {},
    target: { path: "", host: void 0 },
    fallbacks: 0
  };
}
function describeKey(ctx) {
  return ctx.mode === "default" ? "ip (default)" : ctx.mode === "ip" ? "ip" : `${ctx.mode}:${ctx.keyName}`;
}
function buildRecord(ctx, rawMethod, rawTarget, status, time, ip, keyValue, count, host, userAgent) {
  if (rawMethod === void 0 || rawMethod === "" || rawMethod === "-") return "missing method";
  const method = normalizeMethod(rawMethod);
  if (method === void 0) return "invalid method";
  if (rawTarget === void 0 || rawTarget === "" || rawTarget === "-") return "missing path";
  const t = normalizeTarget(rawTarget, ctx.target);
  if (t === void 0) return "invalid path";
  if (t.host !== void 0) host = t.host;
  else if (host !== void 0) host = host.replace(/:\d*$/, "").toLowerCase();
  const path = ctx.prefixes.length ? applyPrefixes(t.path, host, ctx.prefixes) : t.path;
  let session;
  let fromIp = false;
  if (keyValue !== void 0) session = keyValue;
  else {
    session = ip;
    fromIp = ip !== void 0;
    if (ctx.mode !== "default" && ctx.mode !== "ip") ctx.fallbacks++;
  }
  return { method, path, status, time, session, sessionFromIp: fromIp, count, host, userAgent };
}

// src/traffic/ingest/har.ts
var MAX_ENTRY = 64 * 1024 * 1024;
var HarScanner = class {
  /**
   * `onEntry(text, line)` for every element of `log.entries` that is an object (text undefined: too large);
   * `onOther(line)` for every other element (a string, a number, an array, null), which is not a request.
   */
  constructor(onEntry, onOther = () => {
  }) {
    this.onEntry = onEntry;
    this.onOther = onOther;
  }
  stack = [];
  inString = false;
  escape = false;
  /** The current string's text, kept only outside entries (keys of the outer objects). */
  str = "";
  recording = false;
  lastString;
  pendingKey;
  depth = 0;
  // nesting inside the entry being cut out; 0 = not in an entry
  parts = [];
  size = 0;
  tooLarge = false;
  entryLine = 0;
  line = 1;
  /** Whether a `log.entries` array was seen. */
  sawEntries = false;
  /** Inside a number, `true`, `false` or `null` that is an element of `log.entries`. */
  inScalar = false;
  /** True when the scanner is directly in the `log.entries` array (not inside one of its elements). */
  inEntries() {
    const top = this.stack[this.stack.length - 1];
    return this.depth === 0 && !!top?.array && top.key === "entries";
  }
  feed(s) {
    const n = s.length;
    let capStart = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92) this.escape = true;
        else if (c === 34) {
          this.inString = false;
          if (this.recording) {
            this.str += s.slice(this.strStart, i);
            this.lastString = this.str.length > 256 ? void 0 : this.str;
            this.recording = false;
          }
        }
        continue;
      }
      if (this.inScalar && (c === 44 || c === 93 || c === 32 || c === 10 || c === 13 || c === 9)) this.inScalar = false;
      else if (!this.inScalar && (c === 45 || c >= 48 && c <= 57 || c === 116 || c === 102 || c === 110) && this.inEntries()) {
        this.inScalar = true;
        this.onOther(this.line);
      }
      switch (c) {
        case 10:
          this.line++;
          break;
        case 34:
          this.inString = true;
          if (this.depth === 0 && this.inEntries()) this.onOther(this.line);
          if (this.depth === 0) {
            this.recording = true;
            this.str = "";
            this.strStart = i + 1;
          }
          break;
        case 58:
          if (this.depth === 0) this.pendingKey = this.lastString;
          break;
        case 44:
          if (this.depth === 0) this.pendingKey = void 0;
          break;
        case 123:
        // '{'
        case 91:
          if (this.depth > 0) this.depth++;
          else {
            const top = this.stack[this.stack.length - 1];
            if (c === 123 && top?.array && top.key === "entries") {
              this.depth = 1;
              capStart = i;
              this.parts = [];
              this.size = 0;
              this.tooLarge = false;
              this.entryLine = this.line;
            } else {
              if (this.inEntries()) this.onOther(this.line);
              const key = this.stack.length === 0 ? "" : this.pendingKey;
              if (c === 91 && key === "entries") this.sawEntries = true;
              this.stack.push({ array: c === 91, key });
              this.pendingKey = void 0;
            }
          }
          break;
        case 125:
        // '}'
        case 93:
          if (this.depth > 0) {
            if (--this.depth === 0) {
              if (!this.tooLarge) this.parts.push(s.slice(capStart, i + 1));
              const text = this.tooLarge ? void 0 : this.parts.length === 1 ? this.parts[0] : this.parts.join("");
              this.parts = [];
              capStart = -1;
              this.onEntry(text, this.entryLine);
            }
          } else this.stack.pop();
          break;
      }
    }
    if (this.inString && this.recording) {
      this.str += s.slice(this.strStart);
      if (this.str.length > 256) this.recording = false;
    }
    this.strStart = 0;
    if (this.depth > 0 && capStart >= 0 && !this.tooLarge) {
      this.size += n - capStart;
      if (this.size > MAX_ENTRY) {
        this.tooLarge = true;
        this.parts = [];
      } else this.parts.push(s.slice(capStart));
    }
  }
  strStart = 0;
  /** True when the document ended before it was closed: inside an entry, a string, or an open array or object. */
  get truncated() {
    return this.depth > 0 || this.inString || this.stack.length > 0;
  }
};
function harEntry(ctx, text) {
  let e;
  try {
    e = JSON.parse(text);
  } catch {
    return "invalid JSON";
  }
  const req = e.request;
  if (!req || typeof req !== "object") return "not a request";
  const res = e.response;
  let status;
  if (res && typeof res === "object" && res.status !== void 0) {
    status = Number(res.status);
    if (status === 0) return "no response";
    if (!Number.isInteger(status) || status < 100 || status > 599) return "invalid status";
  }
  const time = parseTimeValue(e.startedDateTime);
  let key;
  if (ctx.mode === "header") key = headerFrom(req.headers, ctx.keyName);
  else if (ctx.mode === "cookie") {
    key = headerFrom(req.cookies, ctx.keyName.toLowerCase());
    if (key === void 0) {
      const h = headerFrom(req.headers, "cookie");
      key = h === void 0 ? void 0 : cookieFromHeader(h, ctx.keyName) || void 0;
    }
  } else if (ctx.mode === "field") key = scalar(e[ctx.keyName]);
  const url = typeof req.url === "string" ? req.url : void 0;
  return buildRecord(ctx, typeof req.method === "string" ? req.method : void 0, url, status, time, void 0, key, 1, headerFrom(req.headers, "host"), headerFrom(req.headers, "user-agent"));
}

// src/traffic/ingest/json-formats.ts
var JSONL_FIELDS = {
  method: ["method", "request_method", "http_method", "httpMethod", "verb", "request.method", "http.method", "http.request.method", "req.method", "httpRequest.requestMethod"],
  path: ["path", "uri", "url", "request_uri", "request_path", "request.path", "request.uri", "request.url", "http.path", "http.url", "http.target", "url.path", "url.original", "req.url", "httpRequest.requestUrl", "request"],
  status: ["status", "status_code", "statusCode", "response_status", "response.status", "response.status_code", "response.statusCode", "http.status_code", "http.status", "http.response.status_code", "res.statusCode", "httpRequest.status"],
  time: ["time", "timestamp", "@timestamp", "ts", "time_iso8601", "time_local", "datetime", "date", "start_time", "startTime"],
  ip: ["ip", "remote_addr", "client_ip", "clientIp", "remote_ip", "remoteAddr", "client.ip", "client.address", "source.ip", "source.address", "http.client_ip", "network.client.ip", "request.ip", "req.remoteAddress", "httpRequest.remoteIp"],
  host: ["host", "http_host", "request.host", "http.host", "url.domain", "req.headers.host", "headers.host"],
  count: ["count"],
  userAgent: ["user_agent", "http_user_agent", "userAgent", "user_agent.original", "http.user_agent", "httpRequest.userAgent"],
  session: []
};
var JSONL_HEADERS = ["headers", "request.headers", "http.request.headers", "req.headers", "RequestHeaders"];
var JSONL_COOKIES = ["cookies", "request.cookies", "Cookies"];
var CLOUDFLARE_FIELDS = {
  method: ["ClientRequestMethod"],
  path: ["ClientRequestURI", "ClientRequestPath"],
  status: ["EdgeResponseStatus", "OriginResponseStatus"],
  time: ["EdgeStartTimestamp", "EdgeEndTimestamp"],
  ip: ["ClientIP"],
  host: ["ClientRequestHost"],
  count: [],
  userAgent: ["ClientRequestUserAgent"],
  session: []
};
var CLOUDFLARE_HEADERS = ["RequestHeaders"];
var CLOUDFLARE_COOKIES = ["Cookies"];
var compile = (names) => names.map((n) => ({ literal: n, parts: n.includes(".") ? n.split(".") : void 0 }));
function lookup(obj, name) {
  const v = obj[name.literal];
  if (v !== void 0 || name.parts === void 0) return v;
  let cur = obj;
  for (const p of name.parts) {
    if (cur === null || typeof cur !== "object") return void 0;
    cur = cur[p];
  }
  return cur;
}
function first(obj, names, want) {
  for (const n of names) {
    const v = lookup(obj, n);
    if (v === void 0 || v === null || v === "") continue;
    if (want === "string" && typeof v !== "string") continue;
    if (want === "scalar" && typeof v === "object") continue;
    return v;
  }
  return void 0;
}
var REQUEST_LINE = /^([A-Za-z_-]+) (\S+)(?: HTTP\/[\d.]+)?$/;
function jsonParser(ctx, cloudflare) {
  const defaults = cloudflare ? CLOUDFLARE_FIELDS : JSONL_FIELDS;
  const names = (f) => compile(f !== "userAgent" && ctx.fields[f] ? [ctx.fields[f]] : defaults[f]);
  const method = names("method");
  const path = names("path");
  const status = names("status");
  const time = names("time");
  const ip = names("ip");
  const host = names("host");
  const count = names("count");
  const ua = names("userAgent");
  const headers = compile(cloudflare ? CLOUDFLARE_HEADERS : JSONL_HEADERS);
  const cookies = compile(cloudflare ? CLOUDFLARE_COOKIES : JSONL_COOKIES);
  const keyField = ctx.mode === "field" ? compile([ctx.keyName]) : [];
  const flatHeader = "http_" + ctx.keyName.replace(/-/g, "_");
  const flatCookie = "cookie_" + ctx.keyName;
  let lastTime;
  let lastMs;
  const header = (o, lower) => {
    for (const h of headers) {
      const v = headerFrom(lookup(o, h), lower);
      if (v !== void 0) return v;
    }
    return void 0;
  };
  const sessionValue = (o) => {
    switch (ctx.mode) {
      case "header":
        return header(o, ctx.keyName) ?? scalar(o[flatHeader]);
      case "cookie": {
        for (const c of cookies) {
          const jar = lookup(o, c);
          const v2 = headerFrom(jar, ctx.keyName) ?? (jar && typeof jar === "object" && !Array.isArray(jar) ? scalar(jar[ctx.keyName]) : void 0);
          if (v2 !== void 0) return v2;
        }
        const h = header(o, "cookie") ?? scalar(o["http_cookie"]);
        const v = h === void 0 ? void 0 : cookieFromHeader(h, ctx.keyName);
        return v || scalar(o[flatCookie]);
      }
      case "field":
        return scalar(first(o, keyField, "scalar"));
      default:
        return void 0;
    }
  };
  return (line) => {
    let o;
    try {
      o = JSON.parse(line);
    } catch {
      return "invalid JSON";
    }
    if (o === null || typeof o !== "object" || Array.isArray(o)) return "not an object";
    const obj = o;
    let m = first(obj, method, "string");
    let target = first(obj, path, "string");
    if (target !== void 0 && target.indexOf(" ") > 0) {
      const r = REQUEST_LINE.exec(target);
      if (!r) return "not a request";
      m ??= r[1];
      target = r[2];
    }
    const st = first(obj, status, "scalar");
    let code;
    if (st !== void 0) {
      code = typeof st === "number" ? st : Number(st);
      if (!Number.isInteger(code) || code < 100 || code > 599) return "invalid status";
    }
    const tv = first(obj, time, "scalar");
    if (tv !== lastTime) {
      lastTime = tv;
      lastMs = tv === void 0 ? void 0 : parseTimeValue(tv);
    }
    let n = 1;
    if (count.length) {
      const c = first(obj, count, "scalar");
      if (c !== void 0) {
        n = typeof c === "number" ? c : Number(c);
        if (!Number.isInteger(n) || n < 1) return "invalid count";
      }
    }
    const addr = scalar(first(obj, ip, "scalar"));
    const agent = first(obj, ua, "string") ?? header(obj, "user-agent");
    const rec = buildRecord(
      ctx,
      m,
      target,
      code,
      lastMs,
      addr === void 0 ? void 0 : stripPort(addr),
      sessionValue(obj),
      n,
      first(obj, host, "string"),
      agent
    );
    return rec;
  };
}

// src/traffic/ingest/text-formats.ts
function closingQuote(line, from) {
  let j = line.indexOf('"', from);
  while (j > 0 && line.charCodeAt(j - 1) === 92) {
    let k = j - 1;
    while (k >= from && line.charCodeAt(k) === 92) k--;
    if ((j - 1 - k) % 2 === 0) break;
    j = line.indexOf('"', j + 1);
  }
  return j;
}
function status3(line, i) {
  const a = line.charCodeAt(i) - 48;
  const b = line.charCodeAt(i + 1) - 48;
  const c = line.charCodeAt(i + 2) - 48;
  if (a < 1 || a > 5 || b < 0 || b > 9 || c < 0 || c > 9) return NaN;
  const after = line.charCodeAt(i + 3);
  if (after === after && after !== 32) return NaN;
  return a * 100 + b * 10 + c;
}
var reqMethod = "";
var reqTarget = "";
function splitRequest(line, from, to) {
  const sp = line.indexOf(" ", from);
  if (sp < 0 || sp >= to) return false;
  let end = line.lastIndexOf(" ", to - 1);
  if (end <= sp || line.charCodeAt(end + 1) !== 72 || !line.startsWith("HTTP/", end + 1)) end = to;
  reqMethod = line.slice(from, sp);
  reqTarget = line.slice(sp + 1, end);
  return true;
}
function clfParser(ctx) {
  let lastTs = "";
  let lastTime;
  return (line) => {
    const sp = line.indexOf(" ");
    if (sp <= 0) return "unparsable";
    const lb = line.indexOf(" [", sp);
    if (lb < 0) return "unparsable";
    const rb = line.indexOf('] "', lb + 2);
    if (rb < 0) return "unparsable";
    const ts = line.slice(lb + 2, rb);
    if (ts !== lastTs) {
      lastTs = ts;
      lastTime = parseClfTime(ts);
    }
    const rq = rb + 3;
    const rqEnd = closingQuote(line, rq);
    if (rqEnd < 0) return "unparsable";
    if (line.charCodeAt(rqEnd + 1) !== 32) return "unparsable";
    const status = status3(line, rqEnd + 2);
    if (status !== status) return "invalid status";
    if (!splitRequest(line, rq, rqEnd)) return "not a request";
    let ua;
    const r1 = line.indexOf(' "', rqEnd + 5);
    if (r1 > 0) {
      const r1End = closingQuote(line, r1 + 2);
      if (r1End > 0 && line.charCodeAt(r1End + 1) === 32 && line.charCodeAt(r1End + 2) === 34) {
        const uEnd = closingQuote(line, r1End + 3);
        if (uEnd > 0 && uEnd > r1End + 3) {
          ua = line.slice(r1End + 3, uEnd);
          if (ua === "-") ua = void 0;
        }
      }
    }
    return buildRecord(ctx, reqMethod, reqTarget, status, lastTime, line.slice(0, sp), void 0, 1, void 0, ua);
  };
}
var ALB_TYPES = /* @__PURE__ */ new Set(["http", "https", "h2", "grpcs", "ws", "wss"]);
function albParser(ctx) {
  let lastTs = "";
  let lastTime;
  const starts = new Int32Array(13);
  return (line) => {
    let p = 0;
    for (let f = 0; f < 12; f++) {
      starts[f] = p;
      const sp = line.indexOf(" ", p);
      if (sp < 0) return "unparsable";
      p = sp + 1;
    }
    starts[12] = p;
    if (line.charCodeAt(p) !== 34) return "unparsable";
    if (!ALB_TYPES.has(line.slice(0, starts[1] - 1))) return "unparsable";
    const ts = line.slice(starts[1], starts[2] - 1);
    if (ts !== lastTs) {
      lastTs = ts;
      lastTime = parseIsoTime(ts);
    }
    const client = line.slice(starts[3], starts[4] - 1);
    const st = line.slice(starts[8], starts[9] - 1);
    let status;
    if (st !== "-") {
      status = status3(st, 0);
      if (status !== status) return "invalid status";
    }
    const rqEnd = closingQuote(line, p + 1);
    if (rqEnd < 0) return "unparsable";
    if (!splitRequest(line, p + 1, rqEnd)) return "not a request";
    let ua;
    if (line.charCodeAt(rqEnd + 1) === 32 && line.charCodeAt(rqEnd + 2) === 34) {
      const uEnd = closingQuote(line, rqEnd + 3);
      if (uEnd > rqEnd + 3) {
        ua = line.slice(rqEnd + 3, uEnd);
        if (ua === "-") ua = void 0;
      }
    }
    const ip = client === "-" ? void 0 : stripPort(client);
    return buildRecord(ctx, reqMethod, reqTarget, status, lastTime, ip, void 0, 1, void 0, ua);
  };
}
function csvCells(line) {
  if (line.indexOf('"') < 0) return line.split(",");
  const out = [];
  let i = 0;
  const n = line.length;
  for (; ; ) {
    if (line.charCodeAt(i) === 34) {
      let v = "";
      let j = i + 1;
      for (; ; ) {
        const q = line.indexOf('"', j);
        if (q < 0) return void 0;
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
      if (line.charCodeAt(j) !== 44) return void 0;
      i = j + 1;
    } else {
      const c = line.indexOf(",", i);
      if (c < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
}
function csvParser(ctx, file) {
  let col;
  const header = (line) => {
    const cells = (csvCells(line) ?? []).map((c) => c.trim().toLowerCase());
    const idx = (field) => cells.indexOf((ctx.fields[field] ?? field).toLowerCase());
    col = { method: idx("method"), path: idx("path"), status: idx("status"), count: idx("count"), session: idx("session"), ip: idx("ip"), host: idx("host"), time: idx("time"), key: -1 };
    if (ctx.mode === "field") col.key = cells.indexOf(ctx.keyName.toLowerCase());
    const missing = ["method", "path", "count"].filter((k) => col[k] < 0);
    if (missing.length) throw new Error(`${file}: the CSV header row has no ${missing.join(", ")} column (found: ${cells.join(", ")})`);
  };
  const parse = (line) => {
    const c = col;
    const cells = csvCells(line);
    if (!cells) return "unparsable";
    if (cells.length <= Math.max(c.method, c.path, c.count)) return "missing columns";
    const countText = cells[c.count].trim();
    const count = /^\d+$/.test(countText) ? Number(countText) : NaN;
    if (!(count > 0)) return "invalid count";
    let status;
    if (c.status >= 0 && cells[c.status] !== void 0 && cells[c.status].trim() !== "") {
      status = Number(cells[c.status].trim());
      if (!Number.isInteger(status) || status < 100 || status > 599) return "invalid status";
    }
    const cell = (i) => i >= 0 ? scalar(cells[i]?.trim()) : void 0;
    const keyCol = ctx.mode === "field" ? c.key : ctx.mode === "default" || ctx.mode === "ip" ? c.session : -1;
    const ip = cell(c.ip);
    const t = cell(c.time);
    const time = t === void 0 ? void 0 : parseTimeValue(t);
    return buildRecord(ctx, cells[c.method].trim(), cells[c.path].trim(), status, time, ip, cell(keyCol), count, cell(c.host), void 0);
  };
  return { header, parse };
}

// src/traffic/ingest/index.ts
var MAX_LINE = 4 * 1024 * 1024;
var HEAD_CHARS = 64 * 1024;
var HEAD_LINES = 20;
var SAMPLE_CHARS = 200;
var CHUNK = 1024 * 1024;
async function ingestLogs(files, opts, onRecord) {
  if (opts.format !== "auto" && !LOG_FORMATS.includes(opts.format)) throw new Error(`unknown log format ${String(opts.format)}: expected auto or one of ${LOG_FORMATS.join(", ")}`);
  const summary = { files: [] };
  for (const file of files) summary.files.push(await ingestFile(file, opts, onRecord));
  return summary;
}
async function isGzip(file) {
  let fh;
  try {
    fh = await fs.promises.open(file, "r");
  } catch (err) {
    throw new Error(`${file}: cannot be read (${err.code ?? err.message})`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error(`${file}: not a file`);
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 31 && b[1] === 139;
  } finally {
    await fh.close();
  }
}
async function ingestFile(file, opts, onRecord) {
  const gz = await isGzip(file);
  const ctx = makeContext(opts);
  const sum = { file, format: "combined", bytes: 0, lines: 0, used: 0, skipped: 0, skippedByReason: {}, samples: [] };
  if (gz) sum.gzip = true;
  const maxSamples = opts.maxSamples ?? 5;
  const skip = (reason, line, text) => {
    sum.skipped++;
    sum.skippedByReason[reason] = (sum.skippedByReason[reason] ?? 0) + 1;
    if (sum.samples.length < maxSamples) sum.samples.push({ file, line, text: text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) + "\u2026" : text, reason });
  };
  const note = (s) => (sum.notes ??= []).push(s);
  const src = fs.createReadStream(file, { highWaterMark: CHUNK });
  let stream = src;
  if (gz) {
    const gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
    src.on("error", (e) => gunzip.destroy(e));
    stream = src.pipe(gunzip);
  }
  const decoder = new StringDecoder("utf8");
  let head = "";
  let proc;
  let lastLine = 0;
  const start = (text, final) => {
    let format;
    if (opts.format === "auto") {
      const lines = text.split("\n", HEAD_LINES);
      if (!final && lines.length === HEAD_LINES) lines.pop();
      format = detectFormat(lines);
      if (format === void 0) {
        if (lines.every((l) => l.trim() === "" || l.trim() === "\uFEFF")) {
          note("the file is empty");
          return void 0;
        }
        const firstLine = lines.find((l) => l.trim() !== "").trim();
        throw new Error(
          `${file}: cannot tell the log format from its first lines (first: ${JSON.stringify(firstLine.length > 120 ? firstLine.slice(0, 120) + "\u2026" : firstLine)}); give it with --log-format (${LOG_FORMATS.join(", ")})`
        );
      }
    } else format = opts.format;
    sum.format = format;
    formatNotes(format, ctx, note);
    if (format === "har") return harProcessor(ctx, sum, skip, onRecord);
    return lineProcessor(format, ctx, file, sum, skip, onRecord, (n) => lastLine = n);
  };
  let failed;
  try {
    for await (const buf of stream) {
      sum.bytes += buf.length;
      const b = buf;
      const s = decoder.lastNeed === 0 && isAscii(b) ? b.toString("latin1") : decoder.write(b);
      if (proc) {
        proc.feed(s);
        continue;
      }
      head += s;
      if (head.length < HEAD_CHARS && countNewlines(head, HEAD_LINES) < HEAD_LINES) continue;
      proc = start(head, false) ?? nullProcessor;
      proc.feed(head);
      head = "";
    }
  } catch (err) {
    const e = err;
    if (gz && (e.code?.startsWith("Z_") || /unexpected end|incorrect header|invalid/i.test(e.message))) failed = e;
    else {
      src.destroy();
      throw new Error(`${file}: ${e.message}`);
    }
  }
  const rest = decoder.end();
  if (!proc) {
    proc = start(head + rest, true) ?? nullProcessor;
    proc.feed(head + rest);
  } else if (rest) proc.feed(rest);
  proc.end();
  if (failed) {
    skip("gzip error", lastLine + 1, failed.message);
    note(`the gzip stream is damaged or truncated after ${sum.bytes} bytes of text: ${failed.message}`);
  }
  if (ctx.fallbacks) sum.sessionFallbacks = ctx.fallbacks;
  return sum;
}
var nullProcessor = { feed() {
}, end() {
} };
function countNewlines(s, max) {
  let n = 0;
  let i = -1;
  while (n < max && (i = s.indexOf("\n", i + 1)) >= 0) n++;
  return n;
}
function formatNotes(format, ctx, note) {
  const noHeaders = format === "combined" || format === "common" || format === "alb" || format === "csv";
  if ((ctx.mode === "header" || ctx.mode === "cookie") && noHeaders) note(`session key ${describeKey(ctx)}: ${format} logs carry no request headers or cookies; sessions are client IPs`);
  if (ctx.mode === "field" && (format === "combined" || format === "common" || format === "alb")) note(`session key ${describeKey(ctx)}: ${format} logs have no named fields; sessions are client IPs`);
  if (format === "har" && (ctx.mode === "ip" || ctx.mode === "default")) note("HAR files carry no client IP: requests have no session unless a header or cookie session key is given");
}
function lineProcessor(format, ctx, file, sum, skip, onRecord, progress) {
  let parse;
  let header;
  if (format === "combined" || format === "common") parse = clfParser(ctx);
  else if (format === "alb") parse = albParser(ctx);
  else if (format === "jsonl" || format === "cloudflare") parse = jsonParser(ctx, format === "cloudflare");
  else {
    const c = csvParser(ctx, file);
    parse = c.parse;
    header = c.header;
  }
  let carry = "";
  let lineNo = 0;
  let tooLong = false;
  let firstText = true;
  const handle = (line) => {
    if (line.length === 0) return;
    if (firstText) {
      if (line.charCodeAt(0) === 65279) line = line.slice(1);
      if (line.trim() === "") return;
      firstText = false;
      if (header) {
        header(line);
        return;
      }
    } else if (line.charCodeAt(0) <= 32 && line.trim() === "") return;
    sum.lines++;
    const r = parse(line);
    if (typeof r === "string") skip(r, lineNo, line);
    else {
      sum.used++;
      onRecord(r);
    }
  };
  return {
    feed(s) {
      const data = carry.length ? carry + s : s;
      let pos = 0;
      for (; ; ) {
        const nl = data.indexOf("\n", pos);
        if (nl < 0) break;
        lineNo++;
        if (tooLong) {
          tooLong = false;
          sum.lines++;
          skip("line too long", lineNo, data.slice(pos, Math.min(nl, pos + SAMPLE_CHARS)));
        } else {
          const end = nl > pos && data.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
          handle(data.slice(pos, end));
        }
        pos = nl + 1;
      }
      carry = pos === 0 ? data : data.slice(pos);
      if (carry.length > MAX_LINE) {
        tooLong = true;
        carry = "";
      }
      progress(lineNo);
    },
    end() {
      if (tooLong || carry.length) {
        lineNo++;
        if (tooLong) {
          sum.lines++;
          skip("line too long", lineNo, carry.slice(0, SAMPLE_CHARS));
        } else handle(carry.charCodeAt(carry.length - 1) === 13 ? carry.slice(0, -1) : carry);
        carry = "";
      }
      progress(lineNo);
    }
  };
}
function harProcessor(ctx, sum, skip, onRecord) {
  const scanner = new HarScanner((text, line) => {
    sum.lines++;
    if (text === void 0) return skip("entry too large", line, "");
    const r = harEntry(ctx, text);
    if (typeof r === "string") skip(r, line, text);
    else {
      sum.used++;
      onRecord(r);
    }
  }, (line) => {
    sum.lines++;
    skip("entry not an object", line, "");
  });
  return {
    feed: (s) => scanner.feed(s),
    end() {
      if (scanner.truncated) {
        sum.lines++;
        skip("truncated document", scanner.line, "");
      } else if (!scanner.sawEntries) {
        sum.lines++;
        skip("no log.entries", 1, "");
      }
    }
  };
}
export {
  CLOUDFLARE_FIELDS,
  JSONL_FIELDS,
  MAX_LINE,
  applyPrefixes,
  compilePrefixes,
  detectFormat,
  ingestLogs,
  normalizeTarget,
  parseTimeValue
};
