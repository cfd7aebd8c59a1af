import { createRequire as __apilanternCreateRequire } from 'node:module';
const require = __apilanternCreateRequire(import.meta.url);
import {
  SafeRegex,
  escapeRegex,
  parseTemplate
} from "./chunk-D6OUPKXN.js";
import "./chunk-KLNQWGDO.js";

// src/traffic/analyze/match.ts
var KIND_RANK = { lit: 4, re: 3, param: 2, hole: 1, wild: 0 };
function toRe(c) {
  if (typeof c !== "string") return new RegExp(`^(?:${c.source})$`, c.flags.replace(/[gy]/g, ""));
  return new RegExp(`^(?:${c})$`);
}
function compileSegment(seg, constraints, template) {
  if (seg.length === 1) {
    const pc = seg[0];
    if ("lit" in pc) return { k: "lit", v: pc.lit };
    if ("hole" in pc) return { k: "hole" };
    if ("wild" in pc) return { k: "wild", min: 1 };
    if (pc.param.endsWith("*?")) return { k: "wild", min: 0 };
    const c = constraints?.[pc.param];
    return c !== void 0 ? { k: "param", re: toRe(c) } : { k: "param" };
  }
  let src = "";
  for (const pc of seg) {
    if ("lit" in pc) src += escapeRegex(pc.lit);
    else if ("param" in pc) src += constraints?.[pc.param] !== void 0 ? `(?:${toRe(constraints[pc.param]).source.slice(1, -1)})` : ".+?";
    else if ("wild" in pc) src += ".+";
    else src += ".*";
  }
  if (seg.filter((pc) => !("lit" in pc)).length > 2) {
    const re = SafeRegex.compile(`^${src}$`, "", { what: `the segment of path template ${template.length > 80 ? `${template.slice(0, 77)}...` : template} matched against traffic` });
    if (re) return { k: "re", re };
  }
  return { k: "re", re: new RegExp(`^${src}$`) };
}
function compile(ep, order, constraints) {
  const t = parseTemplate(ep.path);
  if (t.length && !t.some((seg) => seg.some((pc) => "lit" in pc))) return void 0;
  const segs = t.map((s) => compileSegment(s, constraints?.[ep.id], ep.path));
  const count = (k) => segs.filter((s) => s.k === k).length;
  const flexible = segs.some((s) => s.k === "wild" || s.k === "hole");
  const minSegs = segs.reduce((n, s) => n + (s.k === "wild" ? s.min : 1), 0);
  const score = [count("lit"), count("re"), -count("wild"), -count("hole"), ...segs.map((s) => KIND_RANK[s.k])];
  return { ep, segs, flexible, minSegs, score, order };
}
function cmpScore(a, b) {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? -1;
    const y = b[i] ?? -1;
    if (x !== y) return y - x;
  }
  return 0;
}
function cmpCompiled(a, b) {
  return cmpScore(a.score, b.score) || (a.ep.source === b.ep.source ? 0 : a.ep.source === "code" ? -1 : 1) || a.order - b.order;
}
function segMatches(m, v) {
  switch (m.k) {
    case "lit":
      return m.v === v;
    case "param":
      return v.length > 0 && (!m.re || m.re.test(v));
    case "re":
      return m.re.test(v) === true;
    default:
      return true;
  }
}
function matches(c, segs) {
  if (!c.flexible) {
    if (c.segs.length !== segs.length) return false;
    for (let i = 0; i < segs.length; i++) if (!segMatches(c.segs[i], segs[i])) return false;
    return true;
  }
  if (segs.length < c.minSegs) return false;
  const go = (i, j) => {
    if (i === c.segs.length) return j === segs.length;
    const m = c.segs[i];
    if (m.k === "wild" || m.k === "hole") {
      const min = m.k === "wild" ? m.min : 1;
      let rest = 0;
      for (let x = i + 1; x < c.segs.length; x++) {
        const s = c.segs[x];
        rest += s.k === "wild" ? s.min : 1;
      }
      for (let jj = j + min; jj <= segs.length - rest; jj++) if (go(i + 1, jj)) return true;
      return false;
    }
    return j < segs.length && segMatches(m, segs[j]) && go(i + 1, j + 1);
  };
  return go(0, 0);
}
function emptyBucket() {
  return { fixedByFirst: /* @__PURE__ */ new Map(), fixedOther: /* @__PURE__ */ new Map(), flexByFirst: /* @__PURE__ */ new Map(), flexOther: [] };
}
function push(m, k, c) {
  const l = m.get(k);
  if (l) l.push(c);
  else m.set(k, [c]);
}
function splitPath(path) {
  return path.split("/").filter((s) => s.length > 0);
}
var EndpointMatcher = class {
  constructor(endpoints, constraints, cacheSize = 5e4) {
    this.cacheSize = cacheSize;
    endpoints.forEach((ep, i) => {
      const c = compile(ep, i, constraints);
      if (!c) {
        this.unmatchable.push(ep);
        return;
      }
      let b = this.buckets.get(ep.method);
      if (!b) this.buckets.set(ep.method, b = emptyBucket());
      const first = c.segs[0];
      const lit = first?.k === "lit" ? first.v : first === void 0 ? "" : void 0;
      if (!c.flexible) {
        if (lit !== void 0) push(b.fixedByFirst, `${lit}\0${c.segs.length}`, c);
        else push(b.fixedOther, c.segs.length, c);
      } else if (lit !== void 0) push(b.flexByFirst, lit, c);
      else b.flexOther.push(c);
    });
    for (const b of this.buckets.values()) {
      for (const l of [...b.fixedByFirst.values(), ...b.fixedOther.values(), ...b.flexByFirst.values(), b.flexOther]) l.sort(cmpCompiled);
    }
  }
  buckets = /* @__PURE__ */ new Map();
  cache = /* @__PURE__ */ new Map();
  previous = /* @__PURE__ */ new Map();
  /** Endpoints that can never be matched (no literal part). */
  unmatchable = [];
  /**
   * The best endpoint for a request, or undefined. The cache has two generations: when the current one is full it
   * becomes the previous one (and the older is dropped); a hit in the previous one is carried over. That keeps recent
   * paths in O(1) per request: evicting the oldest entry of one big Map one at a time walks the holes that deletions
   * leave at its front, which made a cache miss cost grow with the cache.
   */
  match(method, path) {
    const key = method + " " + path;
    let hit = this.cache.get(key);
    if (hit === void 0) {
      hit = this.previous.get(key);
      if (hit !== void 0) this.remember(key, hit);
    }
    if (hit !== void 0) return hit ?? void 0;
    const r = this.lookup(method, splitPath(path));
    this.remember(key, r ?? null);
    return r;
  }
  remember(key, v) {
    if (this.cache.size >= this.cacheSize / 2) {
      this.previous = this.cache;
      this.cache = /* @__PURE__ */ new Map();
    }
    this.cache.set(key, v);
  }
  lookup(method, segs) {
    let best;
    let bestRank = -1;
    const tiers = [
      [method, 2],
      ["ALL", 1]
    ];
    if (method === "HEAD") tiers.push(["GET", 0]);
    for (const [m, rank] of tiers) {
      if (m === "ALL" && method === "ALL") continue;
      const b = this.buckets.get(m);
      if (!b) continue;
      const first = segs[0] ?? "";
      const lists = [b.fixedByFirst.get(`${first}\0${segs.length}`), b.fixedOther.get(segs.length), b.flexByFirst.get(first), b.flexOther];
      for (const l of lists) {
        if (!l) continue;
        const c = l.find((x) => matches(x, segs));
        if (!c) continue;
        const d = best ? cmpScore(c.score, best.score) : -1;
        if (d < 0 || d === 0 && (rank > bestRank || rank === bestRank && cmpCompiled(c, best) < 0)) {
          best = c;
          bestRank = rank;
        }
      }
    }
    return best?.ep;
  }
};

// src/traffic/analyze/noise.ts
var PROBES = [
  [/^\/(wp-login\.php|wp-admin|wp-content|wp-includes|wp-json|xmlrpc\.php|wordpress|wp)(\/|$)/i, "probe: wordpress"],
  // dotfiles and VCS metadata (`/.env`, `/.git/config`, `/.aws/credentials`), anywhere in the path; not `.well-known`
  [/(^|\/)\.(?!well-known(\/|$))[^/]/i, "probe: dotfile"],
  [/(^|\/)(phpmyadmin[^/]*|pma|myadmin|mysqladmin|adminer(\.php)?)(\/|$)/i, "probe: database admin"],
  [/\.(php\d?|phtml|asp|aspx|jsp|cgi|pl|cfm|action)(\/|$)/i, "probe: script extension"],
  [/(^|\/)cgi-bin(\/|$)/i, "probe: cgi"],
  [/^\/(actuator|server-status|server-info|jolokia|jmx-console|web-console|manager\/html|solr|druid|telescope|_ignition|hnap1|boaform|owa|autodiscover|ecp|remote\/login|vendor\/phpunit|console|geoserver|struts|axis2|invoker)(\/|$)/i, "probe: admin console"],
  [/\.(sql|bak|old|orig|swp|sqlite|sqlite3|ini|pem|key)$/i, "probe: backup or config file"],
  // archives at the root: `/backup.zip`, `/www.tar.gz`
  [/^\/[^/]+\.(zip|tar|tgz|tar\.gz|rar|7z)$/i, "probe: backup or config file"]
];
function probeReason(path) {
  for (const [re, reason] of PROBES) if (re.test(path)) return reason;
  return void 0;
}
var STORM_REASON = "404 storm";
var MAX_CLIENTS = 5e4;
var StormDetector = class {
  constructor(minPaths) {
    this.minPaths = minPaths;
  }
  clients = /* @__PURE__ */ new Map();
  /**
   * Takes an unmatched 404 of client `sid`. Calls `noise` for the records now known to be a storm and `release` for
   * the ones no longer held back.
   */
  take(sid, r, noise, release) {
    let st = this.clients.get(sid);
    if (!st) {
      if (this.clients.size >= MAX_CLIENTS) {
        for (const [k, old] of this.clients) {
          if (old.storm) continue;
          for (const b of old.buffer) release(b);
          this.clients.delete(k);
          break;
        }
      }
      this.clients.set(sid, st = { paths: /* @__PURE__ */ new Set(), buffer: [], storm: false });
    }
    if (st.storm) {
      noise(r);
      return;
    }
    st.buffer.push({ ...r });
    st.paths.add(r.method + " " + r.path);
    if (st.paths.size >= this.minPaths) {
      st.storm = true;
      for (const b of st.buffer) noise(b);
      st.buffer = [];
      st.paths = /* @__PURE__ */ new Set();
      return;
    }
    if (st.buffer.length > 2 * this.minPaths) release(st.buffer.shift());
  }
  /** Releases everything still held back. */
  flush(release) {
    for (const st of this.clients.values()) {
      for (const b of st.buffer) release(b);
      st.buffer = [];
    }
  }
  get storms() {
    let n = 0;
    for (const st of this.clients.values()) if (st.storm) n++;
    return n;
  }
};

// src/traffic/analyze/rate.ts
var WindowMax = class {
  constructor(windowMs, latenessMs) {
    this.windowMs = windowMs;
    this.latenessMs = latenessMs;
  }
  times = [];
  counts = [];
  /** First kept entry. */
  head = 0;
  /** First entry inside the window ending at the newest entry, and that window's sum. */
  wStart = 0;
  wSum = 0;
  max = 0;
  add(t, count) {
    const W = this.windowMs;
    const n = this.times.length;
    const newest = n > this.head ? this.times[n - 1] : -Infinity;
    if (t >= newest) {
      this.times.push(t);
      this.counts.push(count);
      this.wSum += count;
      while (this.times[this.wStart] <= t - W) this.wSum -= this.counts[this.wStart++];
      if (this.wSum > this.max) this.max = this.wSum;
      const keepFrom = t - W - this.latenessMs;
      while (this.head < this.wStart && this.times[this.head] <= keepFrom) this.head++;
      this.compact();
      return;
    }
    if (t < this.times[this.head]) {
      if (count > this.max) this.max = count;
      return;
    }
    let idx = n;
    while (idx > this.head && this.times[idx - 1] > t) idx--;
    this.times.splice(idx, 0, t);
    this.counts.splice(idx, 0, count);
    let lo = this.head;
    let sum = 0;
    for (let i = this.head; i < this.times.length; i++) {
      sum += this.counts[i];
      while (this.times[lo] <= this.times[i] - W) sum -= this.counts[lo++];
      if (i >= idx && sum > this.max) this.max = sum;
      if (i === this.times.length - 1) {
        this.wStart = lo;
        this.wSum = sum;
      }
    }
  }
  compact() {
    if (this.head > 256 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.counts = this.counts.slice(this.head);
      this.wStart -= this.head;
      this.head = 0;
    }
  }
  /** Entries kept (for tests of the memory bound). */
  get kept() {
    return this.times.length - this.head;
  }
};
function percentile(sorted, p) {
  if (!sorted.length) return 0;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
var NICE = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
function friendly(x) {
  const n = Math.ceil(x - 1e-9);
  if (n <= 10) return Math.max(1, n);
  const mag = 10 ** Math.floor(Math.log10(n));
  for (const m of NICE) {
    const v = Math.round(m * mag);
    if (v >= n) return v;
  }
  return 10 * mag;
}
var FENCE_K = 2;
var HEADROOM = 1.25;
function recommend(p50, p90, p99) {
  const fence = p90 + FENCE_K * (p90 - p50);
  const base = Math.min(p99, fence);
  return friendly(base * HEADROOM);
}
function rateConfidence(sessions) {
  if (sessions <= 0) return 0;
  return Math.round((1 - 1 / Math.sqrt(sessions)) * 100) / 100;
}
function windowLabel(ms) {
  if (ms % 36e5 === 0) return `${ms / 36e5}h`;
  if (ms % 6e4 === 0) return `${ms / 6e4}m`;
  if (ms % 1e3 === 0) return `${ms / 1e3}s`;
  return `${ms}ms`;
}
function rateRecommendation(maxima, fromIp, opts) {
  const sorted = [...maxima].sort((a, b) => a - b);
  const n = sorted.length;
  const p50 = percentile(sorted, 0.5);
  const p90 = percentile(sorted, 0.9);
  const p99 = percentile(sorted, 0.99);
  const fallback = opts.sessionKeyLabel !== "ip" && fromIp * 2 > n;
  const r = {
    // the contract types the window as '10m'; another window length is labelled truthfully
    window: windowLabel(opts.windowMs),
    p50,
    p90,
    p99,
    recommended: n >= opts.minSessions ? recommend(p50, p90, p99) : null,
    confidence: rateConfidence(n),
    sessions: n,
    sessionKey: fallback ? "ip (fallback)" : opts.sessionKeyLabel
  };
  if (n < opts.minSessions) r.withheld = `too few sessions: ${n} < ${opts.minSessions}`;
  return r;
}

// src/traffic/analyze/stats.ts
function statusClass(status) {
  return status >= 100 && status <= 599 ? `${Math.floor(status / 100)}xx` : "other";
}
function sessionId(r) {
  if (r.session === void 0 || r.session === "") return void 0;
  return (r.sessionFromIp ? "ip\0" : "key\0") + r.session;
}
function hash01(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  h = Math.imul(h, 3266489909);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
var SESSION_SAMPLE = 8192;
var SessionSample = class {
  constructor(capacity = SESSION_SAMPLE, onEvict) {
    this.capacity = capacity;
    this.onEvict = onEvict;
  }
  kept = /* @__PURE__ */ new Map();
  threshold = 1;
  /** Adds a session; true when it is in the sample (keep its per-session state). */
  add(sid) {
    if (this.kept.has(sid)) return true;
    const h = this.threshold === 1 ? -1 : hash01(sid);
    if (h >= this.threshold) return false;
    this.kept.set(sid, h < 0 ? hash01(sid) : h);
    while (this.kept.size > this.capacity) {
      this.threshold /= 2;
      for (const [s, x] of this.kept) {
        if (x >= this.threshold) {
          this.kept.delete(s);
          this.onEvict?.(s);
        }
      }
    }
    return this.kept.has(sid);
  }
  has(sid) {
    return this.kept.has(sid);
  }
  /** Distinct sessions: exact while `exact`, else an estimate. */
  get size() {
    return Math.round(this.kept.size / this.threshold);
  }
  get exact() {
    return this.threshold === 1;
  }
  [Symbol.iterator]() {
    return this.kept.keys();
  }
};
var StatsAcc = class {
  requests = 0;
  statuses = {};
  sessions;
  first;
  last;
  constructor(onEvict) {
    this.sessions = new SessionSample(SESSION_SAMPLE, onEvict);
  }
  add(r, sid = sessionId(r)) {
    const c = r.count;
    this.requests += c;
    if (r.status !== void 0) {
      const k = statusClass(r.status);
      this.statuses[k] = (this.statuses[k] ?? 0) + c;
    }
    if (sid !== void 0) this.sessions.add(sid);
    if (r.time !== void 0 && Number.isFinite(r.time)) {
      if (this.first === void 0 || r.time < this.first) this.first = r.time;
      if (this.last === void 0 || r.time > this.last) this.last = r.time;
    }
  }
  merge(o) {
    this.requests += o.requests;
    for (const [k, v] of Object.entries(o.statuses)) this.statuses[k] = (this.statuses[k] ?? 0) + v;
    for (const s of o.sessions) this.sessions.add(s);
    if (o.first !== void 0 && (this.first === void 0 || o.first < this.first)) this.first = o.first;
    if (o.last !== void 0 && (this.last === void 0 || o.last > this.last)) this.last = o.last;
  }
  toStats() {
    const statuses = {};
    for (const k of Object.keys(this.statuses).sort()) statuses[k] = this.statuses[k];
    const s = { requests: this.requests, statuses, sessions: this.sessions.size };
    if (this.first !== void 0) s.firstSeen = new Date(this.first).toISOString();
    if (this.last !== void 0) s.lastSeen = new Date(this.last).toISOString();
    return s;
  }
};

// src/traffic/analyze/template.ts
var MAX_LITERALS = 64;
var ROOT_MAX = 1e3;
var MAX_DEPTH = 32;
var VALUES_CAP = 100;
var END_MIN = 8;
var DOMINANT = 0.1;
var MAX_EXAMPLES = 3;
var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
var DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
var DIGITS = /^\d+$/;
var HEX = /^[0-9a-f]{8,}$/i;
var EMAIL = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)*\.[A-Za-z]{2,}$/;
var TOKEN_CHARS = /^[A-Za-z0-9_\-+=.~]{16,}$/;
var VERSION = /^v\d+(\.\d+)*([a-z]+\d*)?$/i;
var DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
function classOf(ch) {
  return ch >= "0" && ch <= "9" ? 1 : ch >= "a" && ch <= "z" ? 2 : ch >= "A" && ch <= "Z" ? 3 : 0;
}
function looksRandom(s) {
  if (!TOKEN_CHARS.test(s) || !/\d/.test(s) || !/[A-Za-z]/.test(s)) return false;
  let changes = 0;
  let prev = -1;
  for (const ch of s) {
    const c = classOf(ch);
    if (c === 0) continue;
    if (prev !== -1 && c !== prev) changes++;
    prev = c;
  }
  return changes >= Math.max(4, s.length / 5);
}
function shapeOf(seg) {
  if (UUID.test(seg)) return "uuid";
  if (DATE.test(seg)) return "date";
  if (DIGITS.test(seg)) return "id";
  if (HEX.test(seg) && /\d/.test(seg) && /[a-f]/i.test(seg)) return "hash";
  if (seg.includes("@") && EMAIL.test(seg)) return "email";
  if (looksRandom(seg)) return "token";
  return void 0;
}
function isVersion(seg, pos, n) {
  return VERSION.test(seg) || pos === 1 && pos < n - 1 && DATE_ONLY.test(seg);
}
function signature(v) {
  let out = "";
  for (const ch of v) {
    const c = classOf(ch);
    const s = c === 1 ? "9" : c === 2 ? "a" : c === 3 ? "A" : ch;
    if (!out.endsWith(s) || c === 0) out += s;
  }
  return out;
}
function node(depth, kind) {
  return { depth, kind, children: /* @__PURE__ */ new Map(), literals: 0, collapsed: false };
}
function addValue(p, v) {
  if (p.values.has(v)) return;
  if (p.values.size >= VALUES_CAP) {
    p.overflow = true;
    return;
  }
  p.values.add(v);
  const s = signature(v);
  p.sigs.set(s, (p.sigs.get(s) ?? 0) + 1);
}
var PARAM_KEY = "\0";
var OVERFLOW = "\0?";
var Templater = class {
  groups = /* @__PURE__ */ new Map();
  add(r, sid, noise) {
    let segs = splitPath(r.path);
    let tooDeep = false;
    if (segs.length > MAX_DEPTH) {
      segs = segs.slice(0, MAX_DEPTH);
      tooDeep = true;
    }
    const n = segs.length;
    const gk = `${noise ?? ""}\0${r.method}\0${n}`;
    let g = this.groups.get(gk);
    if (!g) this.groups.set(gk, g = { method: r.method, n, noise, root: node(0, "root") });
    let cur = g.root;
    for (let pos = 0; pos < n; pos++) {
      const v = segs[pos];
      let key;
      let kind = "lit";
      if (tooDeep && pos === n - 1) {
        key = OVERFLOW;
        kind = "param";
      } else if (pos === 0) {
        key = v;
        if (!cur.children.has(v) && cur.literals >= ROOT_MAX) {
          key = OVERFLOW;
          kind = "param";
        }
      } else if (isVersion(v, pos, n)) {
        key = v;
        kind = "version";
      } else {
        const shape = shapeOf(v);
        if (shape) {
          key = PARAM_KEY + shape;
          kind = "param";
        } else if (cur.collapsed) {
          key = PARAM_KEY + "param";
          kind = "param";
        } else key = v;
      }
      let child = cur.children.get(key);
      if (!child) {
        child = node(pos + 1, kind);
        if (kind === "param") child.param = { name: key.slice(1), values: /* @__PURE__ */ new Set(), overflow: false, sigs: /* @__PURE__ */ new Map() };
        cur.children.set(key, child);
        if (kind === "lit") {
          cur.literals++;
          if (pos > 0 && cur.literals > MAX_LITERALS) {
            collapse(cur, () => true);
            cur.collapsed = true;
            child = cur.children.get(PARAM_KEY + "param");
          }
        }
      }
      if (child.param) addValue(child.param, v);
      cur = child;
    }
    cur.acc ??= new StatsAcc();
    cur.acc.add(r, sid);
    cur.examples ??= [];
    if (cur.examples.length < MAX_EXAMPLES && !cur.examples.includes(r.path)) cur.examples.push(r.path);
  }
  /** The templates, after the end-of-sample cardinality pass. Sorted: noise last, most requests first, then path, method. */
  templates() {
    const out = [];
    for (const g of this.groups.values()) {
      finalCollapse(g.root);
      walk(g.root, [], [], (segs, params, leaf) => {
        const t = {
          method: g.method,
          path: renderSegs(segs),
          stats: leaf.acc.toStats(),
          confidence: confidenceOf(params),
          examples: [...leaf.examples ?? []]
        };
        if (g.noise) t.noise = g.noise;
        out.push(t);
      });
    }
    out.sort((a, b) => Number(!!a.noise) - Number(!!b.noise) || b.stats.requests - a.stats.requests || cmp(a.path, b.path) || cmp(a.method, b.method) || cmp(a.noise ?? "", b.noise ?? ""));
    return out;
  }
};
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function collapse(n, pick) {
  const moving = [...n.children].filter(([k, c]) => c.kind === "lit" && pick(k, c));
  if (!moving.length) return;
  let p = n.children.get(PARAM_KEY + "param");
  if (!p) {
    p = node(n.depth + 1, "param");
    p.param = { name: "param", values: /* @__PURE__ */ new Set(), overflow: false, sigs: /* @__PURE__ */ new Map() };
    n.children.set(PARAM_KEY + "param", p);
  }
  for (const [k, c] of moving) {
    n.children.delete(k);
    n.literals--;
    addValue(p.param, k);
    mergeInto(p, c);
  }
}
function mergeInto(a, b) {
  if (b.param && a.param) {
    for (const v of b.param.values) addValue(a.param, v);
    if (b.param.overflow) a.param.overflow = true;
  }
  if (b.acc) {
    a.acc ??= new StatsAcc();
    a.acc.merge(b.acc);
    a.examples ??= [];
    for (const e of b.examples ?? []) if (a.examples.length < MAX_EXAMPLES && !a.examples.includes(e)) a.examples.push(e);
  }
  for (const [k, c] of b.children) {
    const have = a.children.get(k);
    if (have) mergeInto(have, c);
    else {
      a.children.set(k, c);
      if (c.kind === "lit") a.literals++;
    }
  }
  if (b.collapsed) a.collapsed = true;
  if (a.depth > 0 && (a.collapsed || a.literals > MAX_LITERALS)) {
    collapse(a, () => true);
    a.collapsed = true;
  }
}
function requestsOf(n) {
  let s = n.acc?.requests ?? 0;
  for (const c of n.children.values()) s += requestsOf(c);
  return s;
}
function finalCollapse(n) {
  if (n.depth > 0 && n.literals >= END_MIN) {
    const total = requestsOf(n);
    const rare = [...n.children].filter(([, c]) => c.kind === "lit" && requestsOf(c) < DOMINANT * total);
    if (rare.length >= END_MIN) {
      const keys = new Set(rare.map(([k]) => k));
      collapse(n, (k) => keys.has(k));
    }
  }
  for (const c of n.children.values()) finalCollapse(c);
}
function walk(n, segs, params, leaf) {
  if (n.acc) leaf(segs, params, n);
  const keys = [...n.children.keys()].sort();
  for (const k of keys) {
    const c = n.children.get(k);
    walk(c, [...segs, k], c.param ? [...params, c.param] : params, leaf);
  }
}
function renderSegs(segs) {
  if (!segs.length) return "/";
  const used = /* @__PURE__ */ new Map();
  return "/" + segs.map((s) => {
    if (s === OVERFLOW) return "{?}";
    if (!s.startsWith(PARAM_KEY)) return s;
    const name = s.slice(1);
    const k = (used.get(name) ?? 0) + 1;
    used.set(name, k);
    return `{${k === 1 ? name : name + k}}`;
  }).join("/");
}
var STRENGTH = { uuid: 0.95, email: 0.9, date: 0.9, hash: 0.85, id: 0.8, token: 0.7 };
function paramConfidence(name, distinct, consistency) {
  if (name === "?") return 0;
  const d = Math.max(1, distinct);
  const s = STRENGTH[name];
  if (s !== void 0) return s + (1 - s) * (1 - 1 / d);
  return consistency * (1 - 1 / Math.sqrt(d));
}
function confidenceOf(params) {
  let c = 1;
  for (const p of params) {
    let top = 0;
    let total = 0;
    for (const v of p.sigs.values()) {
      total += v;
      if (v > top) top = v;
    }
    c = Math.min(c, paramConfidence(p.name, p.values.size, total ? top / total : 0));
  }
  return Math.round(c * 100) / 100;
}

// src/traffic/analyze/index.ts
var TrafficAnalyzer = class {
  constructor(endpoints, opts) {
    this.opts = opts;
    this.matcher = new EndpointMatcher(endpoints, opts.paramConstraints, opts.matchCacheSize);
    this.windowMs = opts.windowMs ?? 10 * 6e4;
    this.minSessions = opts.minSessions ?? 50;
    this.latenessMs = opts.maxLatenessMs ?? 6e4;
    this.storms = new StormDetector(opts.stormMinPaths ?? 20);
  }
  matcher;
  windowMs;
  minSessions;
  latenessMs;
  endpoints = /* @__PURE__ */ new Map();
  templater = new Templater();
  storms;
  fromIp = new SessionSample(1 << 16);
  noise = { requests: 0, byReason: {} };
  first;
  last;
  matched = 0;
  unmatched = 0;
  done;
  add(r) {
    if (this.done) throw new Error("TrafficAnalyzer: add() after result()");
    const count = r.count;
    const time = r.time !== void 0 && Number.isFinite(r.time) ? r.time : void 0;
    if (time !== void 0) {
      if (this.first === void 0 || time < this.first) this.first = time;
      if (this.last === void 0 || time > this.last) this.last = time;
    }
    const sid = sessionId(r);
    if (sid !== void 0 && r.sessionFromIp) this.fromIp.add(sid);
    const ep = this.matcher.match(r.method, r.path);
    if (ep) {
      this.matched += count;
      let acc = this.endpoints.get(ep.id);
      if (!acc) {
        const windows = /* @__PURE__ */ new Map();
        this.endpoints.set(ep.id, acc = { stats: new StatsAcc((gone) => windows.delete(gone)), windows });
      }
      acc.stats.add(r, sid);
      if (sid !== void 0 && time !== void 0 && acc.stats.sessions.has(sid)) {
        let w = acc.windows.get(sid);
        if (!w) acc.windows.set(sid, w = { w: new WindowMax(this.windowMs, this.latenessMs), fromIp: !!r.sessionFromIp });
        w.w.add(time, count);
      }
      return;
    }
    this.unmatched += count;
    const probe = probeReason(r.path);
    if (probe) {
      this.addNoise(r, sid, probe);
      return;
    }
    if (r.status === 404 && sid !== void 0) {
      this.storms.take(
        sid,
        r,
        (x) => this.addNoise(x, sid, STORM_REASON),
        (x) => this.templater.add(x, sid)
      );
      return;
    }
    this.templater.add(r, sid);
  }
  addNoise(r, sid, reason) {
    this.noise.requests += r.count;
    this.noise.byReason[reason] = (this.noise.byReason[reason] ?? 0) + r.count;
    this.templater.add(r, sid, reason);
  }
  /** Finishes the analysis (held-back 404s are released); later calls return the same result. */
  result() {
    if (this.done) return this.done;
    this.storms.flush((x) => this.templater.add(x, sessionId(x)));
    const byEndpoint = /* @__PURE__ */ new Map();
    const rateOpts = { windowMs: this.windowMs, minSessions: this.minSessions, sessionKeyLabel: this.opts.sessionKeyLabel };
    for (const [id, acc] of this.endpoints) {
      const stats = acc.stats.toStats();
      if (acc.windows.size) {
        const maxima = [];
        let fromIp = 0;
        for (const { w, fromIp: ip } of acc.windows.values()) {
          maxima.push(w.max);
          if (ip) fromIp++;
        }
        stats.rate = rateRecommendation(maxima, fromIp, rateOpts);
      }
      byEndpoint.set(id, stats);
    }
    const byReason = {};
    for (const k of Object.keys(this.noise.byReason).sort()) byReason[k] = this.noise.byReason[k];
    const res = {
      byEndpoint,
      templates: this.templater.templates(),
      noise: { requests: this.noise.requests, byReason },
      sessionsFromIp: this.fromIp.size,
      matched: this.matched,
      unmatched: this.unmatched,
      unmatchable: this.matcher.unmatchable.map((e) => e.id)
    };
    if (this.first !== void 0 && this.last !== void 0) {
      res.firstSeen = new Date(this.first).toISOString();
      res.lastSeen = new Date(this.last).toISOString();
      res.durationMs = this.last - this.first;
    }
    return this.done = res;
  }
};
export {
  EndpointMatcher,
  FENCE_K,
  HEADROOM,
  STORM_REASON,
  TrafficAnalyzer,
  WindowMax,
  friendly,
  isVersion,
  paramConfidence,
  percentile,
  probeReason,
  rateConfidence,
  recommend,
  shapeOf
};
