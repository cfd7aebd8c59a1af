/**
 * Middleware matchers. Next compiles `config.matcher` sources with path-to-regexp (6.x syntax: `:name`, `:name*`,
 * `:name+`, `:name?`, `:name(regex)`, unnamed `(regex)` groups such as `/((?!api|_next/static).*)`, `{...}` groups)
 * in strict mode, and matches them against the pathname. Clerk's `createRouteMatcher` uses the same syntax.
 */

import { SafeRegex, type RegexSite } from '../../resolve/safe-regex.js';

const DEFAULT_PATTERN = '[^\\/#\\?]+?';

function escape(s: string): string {
  return s.replace(/[.+*?=^!:${}()[\]|/\\]/g, '\\$&');
}

/** Reads a balanced `( ... )` starting at `i` (the open paren); returns the inner text and the index after it. */
function readGroup(src: string, i: number): { inner: string; end: number } | undefined {
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return { inner: src.slice(i + 1, j), end: j + 1 };
    }
  }
  return undefined;
}

function compile(src: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      out += escape(src[i + 1] ?? '');
      i += 2;
      continue;
    }
    if (c === '{') {
      const close = src.indexOf('}', i);
      if (close < 0) return undefined;
      const inner = compile(src.slice(i + 1, close));
      if (inner === undefined) return undefined;
      const mod = src[close + 1];
      if (mod === '?' || mod === '*' || mod === '+') {
        out += `(?:${inner})${mod}`;
        i = close + 2;
      } else {
        out += `(?:${inner})`;
        i = close + 1;
      }
      continue;
    }
    let pattern: string | undefined;
    let next = i;
    if (c === ':') {
      const m = /^[A-Za-z0-9_]+/.exec(src.slice(i + 1));
      if (!m) return undefined;
      next = i + 1 + m[0].length;
      pattern = DEFAULT_PATTERN;
      if (src[next] === '(') {
        const g = readGroup(src, next);
        if (!g) return undefined;
        pattern = g.inner;
        next = g.end;
      }
    } else if (c === '(') {
      const g = readGroup(src, i);
      if (!g) return undefined;
      pattern = g.inner;
      next = g.end;
    }
    if (pattern === undefined) {
      out += escape(c);
      i++;
      continue;
    }
    const mod = src[next];
    const hasMod = mod === '?' || mod === '*' || mod === '+';
    // a parameter right after '/' takes the slash with it when it is optional or repeated
    let prefix = '';
    if (hasMod && out.endsWith('\\/')) {
      out = out.slice(0, -2);
      prefix = '\\/';
    }
    if (!hasMod) out += `(${pattern})`;
    else if (mod === '?') out += `(?:${prefix}(${pattern}))?`;
    else out += `(?:${prefix}((?:${pattern})(?:${prefix}(?:${pattern}))*))${mod === '*' ? '?' : ''}`;
    i = hasMod ? next + 1 : next;
  }
  return out;
}

/** The regular expression of one matcher source (strict: a trailing slash is not optional), or undefined. */
export function matcherRegex(source: string, sensitive = true, site: RegexSite = { what: 'a Next.js matcher' }): SafeRegex | undefined {
  const body = compile(source);
  if (body === undefined) return undefined;
  return SafeRegex.compile(`^${body}$`, sensitive ? '' : 'i', site);
}

/** Clerk's createRouteMatcher: the same syntax, not strict (a trailing slash is allowed), case-insensitive. */
export function clerkRouteRegex(source: string, site: RegexSite = { what: 'a Clerk route matcher' }): SafeRegex | undefined {
  const body = compile(source);
  if (body === undefined) return undefined;
  return SafeRegex.compile(`^${body}(?:\\/)?$`, 'i', site);
}

/** A concrete request path standing for an endpoint template: parameters become sample values. */
export function samplePathOf(template: string): string {
  return template.replace(/\{[^}]*\*\}/g, 'sample/x').replace(/\{[^}]*\}/g, 'sample');
}
