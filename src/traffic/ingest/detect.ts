import type { LogFormat } from '../types.js';

const CLF = /^\S+ \S+ .*?\[\d{1,2}\/[A-Za-z]{3}\/\d{4}:\d\d:\d\d:\d\d(?: [+-]\d{4})?\] "(?:[^"\\]|\\.)*" (?:\d{3}|-) (?:\d+|-)/;
const COMBINED_TAIL = /^ "(?:[^"\\]|\\.)*" "(?:[^"\\]|\\.)*"/;
const ALB = /^(?:https?|h2|grpcs|wss?) \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z \S+ \S+ \S+ \S+ \S+ \S+ (?:\d{3}|-) (?:\d{3}|-) \d+ \d+ "/;
const CLOUDFLARE_KEYS = ['ClientRequestMethod', 'ClientRequestURI', 'ClientRequestPath', 'EdgeStartTimestamp', 'EdgeResponseStatus'];

/**
 * The format of a log from its first non-empty lines (the first few are tried in turn, so one malformed line at the
 * top does not hide the format): HAR (a JSON document whose `log` holds `entries`, pretty-printed or not),
 * Cloudflare (JSON lines with `ClientRequest*` / `Edge*` fields), JSON lines (any other object per line), AWS ALB,
 * `combined` (a common-format line followed by quoted referer and user agent), `common`, CSV (a header row naming
 * `method`, `path` and `count`). Undefined when nothing fits.
 */
export function detectFormat(firstLines: string[]): LogFormat | undefined {
  const lines = firstLines.map((l, i) => (i === 0 ? l.replace(/^\uFEFF/, '') : l).replace(/\r$/, '')).filter((l) => l.trim() !== '');
  if (!lines.length) return undefined;
  const head = lines.slice(0, 20).join('\n');
  const first = lines[0]!.trim();
  if (first.startsWith('{') || first.startsWith('[')) {
    if (/^\{\s*"log"\s*:\s*\{/.test(head) || (/"log"\s*:\s*\{/.test(head) && /"(?:entries|creator|version)"\s*:/.test(head))) return 'har';
  }
  const csvHeader = first.toLowerCase().split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  if (csvHeader.includes('method') && csvHeader.includes('path') && csvHeader.includes('count')) return 'csv';
  for (const raw of lines.slice(0, 10)) {
    const line = raw.trim();
    if (line.startsWith('{')) {
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch {
        // a line cut short by the sample size, or a malformed one: judge by its keys
        if (CLOUDFLARE_KEYS.some((k) => line.includes(`"${k}"`))) return 'cloudflare';
        continue;
      }
      if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
        if (CLOUDFLARE_KEYS.some((k) => k in obj)) return 'cloudflare';
        if ('log' in obj && (obj as { log?: { entries?: unknown } }).log?.entries) return 'har';
        return 'jsonl';
      }
      continue;
    }
    if (ALB.test(line)) return 'alb';
    const m = CLF.exec(line);
    if (m) return COMBINED_TAIL.test(line.slice(m[0].length)) ? 'combined' : 'common';
  }
  return undefined;
}
