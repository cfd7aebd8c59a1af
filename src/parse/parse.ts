import { parse as babelParse, type ParserPlugin } from '@babel/parser';
import type { File } from '@babel/types';
import type { Notification } from '../model.js';

export interface ParsedFile {
  /** Repo-relative path. */
  file: string;
  ast: File;
  text: string;
}

export interface ParseResult {
  parsed?: ParsedFile;
  notifications: Notification[];
}

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** True when the text looks like a minified or generated bundle: route-looking calls in it are not endpoints. */
export function looksMinified(text: string, file: string): boolean {
  if (/\.min\.[cm]?js$/.test(file)) return true;
  if (text.length < 2000) return false;
  const head = text.slice(0, 4000);
  if (/webpackBootstrap|__webpack_require__|\/\*! For license information|parcelRequire|System\.register\(/.test(head)) return true;
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      lines++;
      if (i - start > longest) longest = i - start;
      start = i + 1;
    }
  }
  if (text.length - start > longest) longest = text.length - start;
  const avg = text.length / lines;
  return avg > 300 || longest > 5000;
}

export function isBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8000);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

function pluginsFor(file: string, jsxForTs: boolean): ParserPlugin[] {
  const common: ParserPlugin[] = [
    'decorators-legacy',
    'classProperties',
    'classPrivateProperties',
    'classPrivateMethods',
    'importAttributes',
    'explicitResourceManagement',
    'topLevelAwait',
  ];
  if (/\.(ts|mts|cts)$/.test(file)) return ['typescript', ...(jsxForTs ? (['jsx'] as ParserPlugin[]) : []), ...common];
  if (/\.tsx$/.test(file)) return ['typescript', 'jsx', ...common];
  return ['jsx', ...common];
}

/**
 * Parses one source file with error recovery: what still parses still counts. Never throws.
 */
export function parseSource(file: string, text: string): ParseResult {
  const notifications: Notification[] = [];
  let lastErr: unknown;
  const attempt = (plugins: ParserPlugin[]): File => parseWith(text, plugins);
  const parseWith = (src: string, plugins: ParserPlugin[]): File =>
    babelParse(src, {
      sourceType: 'unambiguous',
      sourceFilename: file,
      errorRecovery: true,
      // comments are never read; attaching them to nodes costs memory and garbage collection
      attachComment: false,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
      allowUndeclaredExports: true,
      allowNewTargetOutsideFunction: true,
      allowSuperOutsideMethod: true,
      plugins,
    }) as unknown as File;
  let ast: File | undefined;
  let firstError: unknown;
  for (const plugins of [pluginsFor(file, false), /\.[cm]?js$|\.jsx$/.test(file) ? pluginsFor('x.ts', true) : pluginsFor(file, true)]) {
    try {
      ast = attempt(plugins);
      break;
    } catch (err) {
      firstError ??= err;
    }
  }
  // a fatal syntax error: blank the offending line (offsets and lines stay as they are) and parse the rest
  let recovered: { line: number; message: string } | undefined;
  // (not for unresolved merge conflicts: the file is in two states at once, and either could be wrong)
  if (!ast && !(firstError instanceof RangeError) && !/^(<{7}|>{7}) /m.test(text)) {
    let src = text;
    for (let attempt = 0; attempt < 20 && !ast; attempt++) {
      const e = (attempt === 0 ? firstError : lastErr) as { message?: string; loc?: { line: number } } | undefined;
      if (!e?.loc) break;
      recovered ??= { line: e.loc.line, message: cleanBabelMessage(e.message ?? '') };
      src = blankLine(src, e.loc.line);
      try {
        ast = parseWith(src, pluginsFor(file, false));
      } catch (err) {
        lastErr = err;
      }
    }
    if (ast && recovered) {
      notifications.push({ level: 'warning', code: 'parse-recovered', message: `${file}:${recovered.line}: syntax error (${recovered.message}); that line was skipped and the rest of the file was still read.`, file, line: recovered.line });
      return { parsed: { file, ast, text: src }, notifications };
    }
  }
  if (!ast) {
    const e = firstError as { message?: string; loc?: { line: number } } | undefined;
    const msg = e instanceof RangeError ? 'nesting too deep to parse' : cleanBabelMessage(e?.message ?? String(firstError));
    notifications.push({
      level: 'warning',
      code: 'parse-error',
      message: `${file}${e?.loc ? `:${e.loc.line}` : ''}: could not be parsed (${msg}); its routes are not in the inventory.`,
      file,
      line: e?.loc?.line,
    });
    return { notifications };
  }
  const errors = (ast as unknown as { errors?: Array<{ message: string; loc?: { line: number } }> }).errors ?? [];
  if (errors.length) {
    const e = errors[0]!;
    notifications.push({
      level: 'warning',
      code: 'parse-recovered',
      message: `${file}:${e.loc?.line ?? 1}: syntax error (${cleanBabelMessage(e.message)}); the rest of the file was still read${errors.length > 1 ? ` (${errors.length} errors)` : ''}.`,
      file,
      line: e.loc?.line,
    });
  }
  return { parsed: { file, ast, text }, notifications };
}

/** Replaces the characters of one line with spaces, keeping every offset of the text. */
function blankLine(text: string, line: number): string {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return text;
    start = nl + 1;
  }
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  return text.slice(0, start) + text.slice(start, end).replace(/[^\r]/g, ' ') + text.slice(end);
}

function cleanBabelMessage(m: string): string {
  return m.replace(/\s*\(\d+:\d+\)\s*$/, '');
}
