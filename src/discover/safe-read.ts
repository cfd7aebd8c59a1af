import fs from 'node:fs';
import path from 'node:path';

/**
 * The one way this tool reads a file that comes from the scanned repository (sources, package.json, tsconfig, config,
 * specs, .gitignore): the file must be a regular file of bounded size, and its real path must stay inside the
 * directory it is read for. A committed symbolic link to `/dev/zero`, a named pipe, a device or a link out of the
 * repository is refused with a reason, never read: reading them would grow without bound, block, or leak files.
 */

/** Why a file was not read. */
export type RefusalReason = 'missing' | 'not-regular' | 'too-large' | 'outside' | 'unreadable';

export class ReadRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    /** Words for a notification: `a named pipe, not a regular file`. */
    readonly why: string,
    readonly code?: string,
  ) {
    super(why);
  }
}

export interface BoundedReadOptions {
  /** Largest size read, in bytes. */
  maxBytes: number;
  /** When set, the file's real path (links resolved) must be this directory or inside it. */
  within?: string;
  /** Read only the first bytes (to sniff the content): no size limit applies then. */
  head?: number;
}

/** `a named pipe`, `a character device`, ... (of a Stats or a directory entry), for the message of a refusal. */
export function kindOf(st: Pick<fs.Stats, 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'an unusual file';
}

const realCache = new Map<string, string>();

/** The real path of a directory, cached (the scanned root is asked for once per file read). */
export function realDir(dir: string): string {
  let r = realCache.get(dir);
  if (r === undefined) {
    try {
      r = fs.realpathSync(dir);
    } catch {
      r = path.resolve(dir);
    }
    realCache.set(dir, r);
  }
  return r;
}

/** True when `p` is `dir` or below it (both absolute, already real where it matters); `..gen/x` is inside. */
export function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * Reads a file as bytes, or throws {@link ReadRefused}. Opens without blocking (a named pipe with no writer does not
 * hang), checks the opened file itself (no race between a check and the read), and never reads more than `maxBytes`
 * even if the file grows while it is read.
 */
export function readBounded(abs: string, opts: BoundedReadOptions): Buffer {
  if (opts.within !== undefined) {
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch (err) {
      throw refusalOf(err);
    }
    if (!isInside(realDir(opts.within), real)) throw new ReadRefused('outside', 'a symbolic link that leads out of the scanned directory');
  }
  let fd: number;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw refusalOf(err);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new ReadRefused('not-regular', `${kindOf(st)}, not a regular file`);
    if (opts.head !== undefined) {
      const head = Buffer.allocUnsafe(opts.head);
      return head.subarray(0, fs.readSync(fd, head, 0, opts.head, 0));
    }
    if (st.size > opts.maxBytes) throw new ReadRefused('too-large', `${formatBytes(st.size)}, larger than the ${formatBytes(opts.maxBytes)} limit`);
    const buf = Buffer.allocUnsafe(Math.min(st.size, opts.maxBytes) + 1);
    let n = 0;
    for (;;) {
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > opts.maxBytes) throw new ReadRefused('too-large', `larger than the ${formatBytes(opts.maxBytes)} limit (it grew while being read)`);
      if (n === buf.length) break;
    }
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** {@link readBounded} as UTF-8 text. */
export function readBoundedText(abs: string, opts: BoundedReadOptions): string {
  return readBounded(abs, opts).toString('utf8');
}

function refusalOf(err: unknown): ReadRefused {
  if (err instanceof ReadRefused) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ReadRefused('missing', 'does not exist (or is a dangling link)', code);
  if (code === 'ELOOP') return new ReadRefused('unreadable', 'a symbolic link loop', code);
  if (code === 'EISDIR') return new ReadRefused('not-regular', 'a directory, not a regular file', code);
  return new ReadRefused('unreadable', `cannot be read (${code ?? (err as Error).message})`, code);
}

export function formatBytes(n: number): string {
  if (n >= 1048576) return `${(n / 1048576).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} bytes`;
}

/** Size limits of what the tool reads from a repository (sources have their own, `maxFileBytes` in config). */
export const LIMITS = {
  /** package.json, tsconfig.json, jsconfig.json, config files, .gitignore. */
  smallFile: 4 * 1024 * 1024,
} as const;
