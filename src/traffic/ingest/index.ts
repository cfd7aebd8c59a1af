/**
 * Ingestion of access logs: each file read once as a stream (gunzipped when its first bytes say gzip), its format
 * detected from the first lines unless given, every line parsed into a normalized TrafficRecord handed to `onRecord`.
 * Malformed lines are counted by reason and sampled, never fatal. Memory: one chunk plus one line (or one HAR entry),
 * whatever the size of the file.
 *
 * Formats and their field names: text-formats.ts (combined, common, alb, csv), json-formats.ts (jsonl, cloudflare),
 * har.ts (har). Normalization: normalize.ts. Sessions: records.ts.
 */
import fs from 'node:fs';
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import { LOG_FORMATS, type IngestFileSummary, type IngestOptions, type IngestSummary, type LogFormat, type TrafficRecord } from '../types.js';
import { detectFormat } from './detect.js';
import { HarScanner, harEntry } from './har.js';
import { jsonParser } from './json-formats.js';
import { describeKey, makeContext, type Context } from './records.js';
import { albParser, clfParser, csvParser, type LineParser } from './text-formats.js';

export { detectFormat } from './detect.js';
export { normalizeTarget, parseTimeValue, compilePrefixes, applyPrefixes } from './normalize.js';
export { JSONL_FIELDS, CLOUDFLARE_FIELDS } from './json-formats.js';

/** A line longer than this is skipped (`line too long`) without being held in memory. */
export const MAX_LINE = 4 * 1024 * 1024;
/** Detection reads at most this much text (or 20 lines) from the start of a file. */
const HEAD_CHARS = 64 * 1024;
const HEAD_LINES = 20;
const SAMPLE_CHARS = 200;
const CHUNK = 1024 * 1024;

/**
 * Reads every file in turn and calls `onRecord` for each request. Throws (an Error naming the file) when a file
 * cannot be read, when its format cannot be detected (and `opts.format` is `auto`), or when a CSV has no usable
 * header row; everything else (malformed lines, a truncated gzip or HAR) is counted in the summary.
 */
export async function ingestLogs(files: string[], opts: IngestOptions, onRecord: (r: TrafficRecord) => void): Promise<IngestSummary> {
  if (opts.format !== 'auto' && !LOG_FORMATS.includes(opts.format)) throw new Error(`unknown log format ${String(opts.format)}: expected auto or one of ${LOG_FORMATS.join(', ')}`);
  const summary: IngestSummary = { files: [] };
  for (const file of files) summary.files.push(await ingestFile(file, opts, onRecord));
  return summary;
}

async function isGzip(file: string): Promise<boolean> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch (err) {
    throw new Error(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error(`${file}: not a file`);
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

interface Processor {
  feed(s: string): void;
  end(): void;
}

async function ingestFile(file: string, opts: IngestOptions, onRecord: (r: TrafficRecord) => void): Promise<IngestFileSummary> {
  const gz = await isGzip(file);
  const ctx = makeContext(opts);
  const sum: IngestFileSummary = { file, format: 'combined', bytes: 0, lines: 0, used: 0, skipped: 0, skippedByReason: {}, samples: [] };
  if (gz) sum.gzip = true;
  const maxSamples = opts.maxSamples ?? 5;
  const skip = (reason: string, line: number, text: string) => {
    sum.skipped++;
    sum.skippedByReason[reason] = (sum.skippedByReason[reason] ?? 0) + 1;
    if (sum.samples.length < maxSamples) sum.samples.push({ file, line, text: text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) + '…' : text, reason });
  };
  const note = (s: string) => (sum.notes ??= []).push(s);

  const src = fs.createReadStream(file, { highWaterMark: CHUNK });
  let stream: Readable = src;
  if (gz) {
    const gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
    src.on('error', (e) => gunzip.destroy(e));
    stream = src.pipe(gunzip);
  }
  const decoder = new StringDecoder('utf8');
  let head = '';
  let proc: Processor | undefined;
  let lastLine = 0;

  const start = (text: string, final: boolean): Processor | undefined => {
    let format: LogFormat | undefined;
    if (opts.format === 'auto') {
      const lines = text.split('\n', HEAD_LINES);
      if (!final && lines.length === HEAD_LINES) lines.pop(); // possibly cut short... only the last one
      format = detectFormat(lines);
      if (format === undefined) {
        if (lines.every((l) => l.trim() === '' || l.trim() === '\uFEFF')) {
          note('the file is empty');
          return undefined;
        }
        const firstLine = lines.find((l) => l.trim() !== '')!.trim();
        throw new Error(
          `${file}: cannot tell the log format from its first lines (first: ${JSON.stringify(firstLine.length > 120 ? firstLine.slice(0, 120) + '…' : firstLine)}); ` +
            `give it with --log-format (${LOG_FORMATS.join(', ')})`,
        );
      }
    } else format = opts.format;
    sum.format = format;
    formatNotes(format, ctx, note);
    if (format === 'har') return harProcessor(ctx, sum, skip, onRecord);
    return lineProcessor(format, ctx, file, sum, skip, onRecord, (n) => (lastLine = n));
  };

  let failed: Error | undefined;
  try {
    for await (const buf of stream) {
      sum.bytes += (buf as Buffer).length;
      // an ASCII chunk (most of a log) decodes faster as latin1; the UTF-8 decoder keeps any character split across
      // chunks, so it is bypassed only when it holds nothing
      const b = buf as Buffer;
      const s = (decoder as unknown as { lastNeed: number }).lastNeed === 0 && isAscii(b) ? b.toString('latin1') : decoder.write(b);
      if (proc) {
        proc.feed(s);
        continue;
      }
      head += s;
      if (head.length < HEAD_CHARS && countNewlines(head, HEAD_LINES) < HEAD_LINES) continue;
      proc = start(head, false) ?? nullProcessor;
      proc.feed(head);
      head = '';
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (gz && (e.code?.startsWith('Z_') || /unexpected end|incorrect header|invalid/i.test(e.message))) failed = e;
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
    skip('gzip error', lastLine + 1, failed.message);
    note(`the gzip stream is damaged or truncated after ${sum.bytes} bytes of text: ${failed.message}`);
  }
  if (ctx.fallbacks) sum.sessionFallbacks = ctx.fallbacks;
  return sum;
}

const nullProcessor: Processor = { feed() {}, end() {} };

function countNewlines(s: string, max: number): number {
  let n = 0;
  let i = -1;
  while (n < max && (i = s.indexOf('\n', i + 1)) >= 0) n++;
  return n;
}

/** A session key the format cannot carry: every request falls back to the client IP; say so once. */
function formatNotes(format: LogFormat, ctx: Context, note: (s: string) => void): void {
  const noHeaders = format === 'combined' || format === 'common' || format === 'alb' || format === 'csv';
  if ((ctx.mode === 'header' || ctx.mode === 'cookie') && noHeaders) note(`session key ${describeKey(ctx)}: ${format} logs carry no request headers or cookies; sessions are client IPs`);
  if (ctx.mode === 'field' && (format === 'combined' || format === 'common' || format === 'alb')) note(`session key ${describeKey(ctx)}: ${format} logs have no named fields; sessions are client IPs`);
  if (format === 'har' && (ctx.mode === 'ip' || ctx.mode === 'default')) note('HAR files carry no client IP: requests have no session unless a header or cookie session key is given');
}

type Skip = (reason: string, line: number, text: string) => void;

function lineProcessor(
  format: Exclude<LogFormat, 'har'>,
  ctx: Context,
  file: string,
  sum: IngestFileSummary,
  skip: Skip,
  onRecord: (r: TrafficRecord) => void,
  progress: (line: number) => void,
): Processor {
  let parse: LineParser;
  let header: ((line: string) => void) | undefined;
  if (format === 'combined' || format === 'common') parse = clfParser(ctx);
  else if (format === 'alb') parse = albParser(ctx);
  else if (format === 'jsonl' || format === 'cloudflare') parse = jsonParser(ctx, format === 'cloudflare');
  else {
    const c = csvParser(ctx, file);
    parse = c.parse;
    header = c.header;
  }
  let carry = '';
  let lineNo = 0;
  let tooLong = false;
  let firstText = true;

  const handle = (line: string) => {
    if (line.length === 0) return;
    if (firstText) {
      if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      if (line.trim() === '') return;
      firstText = false;
      if (header) {
        header(line);
        return;
      }
    } else if (line.charCodeAt(0) <= 32 && line.trim() === '') return;
    sum.lines++;
    const r = parse(line);
    if (typeof r === 'string') skip(r, lineNo, line);
    else {
      sum.used++;
      onRecord(r);
    }
  };

  return {
    feed(s: string) {
      const data = carry.length ? carry + s : s;
      let pos = 0;
      for (;;) {
        const nl = data.indexOf('\n', pos);
        if (nl < 0) break;
        lineNo++;
        if (tooLong) {
          tooLong = false;
          sum.lines++;
          skip('line too long', lineNo, data.slice(pos, Math.min(nl, pos + SAMPLE_CHARS)));
        } else {
          const end = nl > pos && data.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
          handle(data.slice(pos, end));
        }
        pos = nl + 1;
      }
      carry = pos === 0 ? data : data.slice(pos);
      if (carry.length > MAX_LINE) {
        tooLong = true;
        carry = '';
      }
      progress(lineNo);
    },
    end() {
      if (tooLong || carry.length) {
        lineNo++;
        if (tooLong) {
          sum.lines++;
          skip('line too long', lineNo, carry.slice(0, SAMPLE_CHARS));
        } else handle(carry.charCodeAt(carry.length - 1) === 13 ? carry.slice(0, -1) : carry);
        carry = '';
      }
      progress(lineNo);
    },
  };
}

function harProcessor(ctx: Context, sum: IngestFileSummary, skip: Skip, onRecord: (r: TrafficRecord) => void): Processor {
  const scanner = new HarScanner((text, line) => {
    sum.lines++;
    if (text === undefined) return skip('entry too large', line, '');
    const r = harEntry(ctx, text);
    if (typeof r === 'string') skip(r, line, text);
    else {
      sum.used++;
      onRecord(r);
    }
  }, (line) => {
    sum.lines++;
    skip('entry not an object', line, '');
  });
  return {
    feed: (s) => scanner.feed(s),
    end() {
      if (scanner.truncated) {
        sum.lines++;
        skip('truncated document', scanner.line, '');
      } else if (!scanner.sawEntries) {
        sum.lines++;
        skip('no log.entries', 1, '');
      }
    },
  };
}
