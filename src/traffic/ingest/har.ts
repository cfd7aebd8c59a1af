/**
 * HAR (HTTP Archive 1.2): one JSON document, `{"log": {"entries": [{request, response, startedDateTime, ...}, ...]}}`.
 * Read as a stream: a small scanner follows the document's structure (strings, nesting, the keys of the outer
 * objects) and cuts out each element of `log.entries` as text, which is then parsed on its own. Memory is bounded by
 * the largest single entry (an entry over {@link MAX_ENTRY} characters, typically an embedded response body, is
 * skipped as `entry too large`).
 */
import type { TrafficRecord } from '../types.js';
import { buildRecord, type Context } from './records.js';
import { cookieFromHeader, headerFrom, parseTimeValue, scalar } from './normalize.js';

export const MAX_ENTRY = 64 * 1024 * 1024;

interface Frame {
  array: boolean;
  key: string | undefined;
}

/** Feeds text chunks; calls `onEntry(text, line)` for every element of `log.entries` (text undefined: too large). */
export class HarScanner {
  private stack: Frame[] = [];
  private inString = false;
  private escape = false;
  /** The current string's text, kept only outside entries (keys of the outer objects). */
  private str = '';
  private recording = false;
  private lastString: string | undefined;
  private pendingKey: string | undefined;
  private depth = 0; // nesting inside the entry being cut out; 0 = not in an entry
  private parts: string[] = [];
  private size = 0;
  private tooLarge = false;
  private entryLine = 0;
  line = 1;
  /** Whether a `log.entries` array was seen. */
  sawEntries = false;
  /** Inside a number, `true`, `false` or `null` that is an element of `log.entries`. */
  private inScalar = false;

  /**
   * `onEntry(text, line)` for every element of `log.entries` that is an object (text undefined: too large);
   * `onOther(line)` for every other element (a string, a number, an array, null), which is not a request.
   */
  constructor(
    private readonly onEntry: (text: string | undefined, line: number) => void,
    private readonly onOther: (line: number) => void = () => {},
  ) {}

  /** True when the scanner is directly in the `log.entries` array (not inside one of its elements). */
  private inEntries(): boolean {
    const top = this.stack[this.stack.length - 1];
    return this.depth === 0 && !!top?.array && top.key === 'entries';
  }

  feed(s: string): void {
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
            this.lastString = this.str.length > 256 ? undefined : this.str;
            this.recording = false;
          }
        }
        continue;
      }
      if (this.inScalar && (c === 44 || c === 93 || c === 32 || c === 10 || c === 13 || c === 9)) this.inScalar = false;
      else if (!this.inScalar && (c === 45 || (c >= 48 && c <= 57) || c === 116 || c === 102 || c === 110) && this.inEntries()) {
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
            this.str = '';
            this.strStart = i + 1;
          }
          break;
        case 58: // ':'
          if (this.depth === 0) this.pendingKey = this.lastString;
          break;
        case 44: // ','
          if (this.depth === 0) this.pendingKey = undefined;
          break;
        case 123: // '{'
        case 91: // '['
          if (this.depth > 0) this.depth++;
          else {
            const top = this.stack[this.stack.length - 1];
            if (c === 123 && top?.array && top.key === 'entries') {
              this.depth = 1;
              capStart = i;
              this.parts = [];
              this.size = 0;
              this.tooLarge = false;
              this.entryLine = this.line;
            } else {
              if (this.inEntries()) this.onOther(this.line);
              const key = this.stack.length === 0 ? '' : this.pendingKey;
              if (c === 91 && key === 'entries') this.sawEntries = true;
              this.stack.push({ array: c === 91, key });
              this.pendingKey = undefined;
            }
          }
          break;
        case 125: // '}'
        case 93: // ']'
          if (this.depth > 0) {
            if (--this.depth === 0) {
              if (!this.tooLarge) this.parts.push(s.slice(capStart, i + 1));
              const text = this.tooLarge ? undefined : this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
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

  private strStart = 0;

  /** True when the document ended before it was closed: inside an entry, a string, or an open array or object. */
  get truncated(): boolean {
    return this.depth > 0 || this.inString || this.stack.length > 0;
  }
}

/** One HAR entry to a record (or the reason it is skipped). Sessions: header/cookie keys; HAR has no client IP. */
export function harEntry(ctx: Context, text: string): TrafficRecord | string {
  let e: unknown;
  try {
    e = JSON.parse(text);
  } catch {
    return 'invalid JSON';
  }
  const req = (e as { request?: Record<string, unknown> }).request;
  if (!req || typeof req !== 'object') return 'not a request';
  const res = (e as { response?: Record<string, unknown> }).response;
  let status: number | undefined;
  if (res && typeof res === 'object' && res.status !== undefined) {
    status = Number(res.status);
    if (status === 0) return 'no response';
    if (!Number.isInteger(status) || status < 100 || status > 599) return 'invalid status';
  }
  const time = parseTimeValue((e as { startedDateTime?: unknown }).startedDateTime);
  let key: string | undefined;
  if (ctx.mode === 'header') key = headerFrom(req.headers, ctx.keyName);
  else if (ctx.mode === 'cookie') {
    key = headerFrom(req.cookies, ctx.keyName.toLowerCase());
    if (key === undefined) {
      const h = headerFrom(req.headers, 'cookie');
      key = h === undefined ? undefined : cookieFromHeader(h, ctx.keyName) || undefined;
    }
  } else if (ctx.mode === 'field') key = scalar((e as Record<string, unknown>)[ctx.keyName]);
  const url = typeof req.url === 'string' ? req.url : undefined;
  return buildRecord(ctx, typeof req.method === 'string' ? req.method : undefined, url, status, time, undefined, key, 1, headerFrom(req.headers, 'host'), headerFrom(req.headers, 'user-agent'));
}
