/**
 * Reading spec files (YAML or JSON, both through the `yaml` package so every node has a source range),
 * JSON pointers, line lookups and `$ref` resolution confined to the repository. Nothing here goes on the network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Composer, LineCounter, Parser, YAMLParseError, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { Notification } from '../model.js';
import { isInside, ReadRefused, readBounded } from '../discover/safe-read.js';
import { MAX_SPEC_DEPTH, boundDepth, cutYamlTokens } from './depth.js';
import { childOffset, memberValueSource, parseJsonPositions, type JsonPositions } from './json.js';

/** Per anchor: uses × nested aliases. Far above what hand-written specs use, far below an expansion attack. */
export const MAX_ALIAS_COUNT = 1000;
/** Spec files larger than this are not read. */
export const MAX_SPEC_BYTES = 32 * 1024 * 1024;
/** Longest chain of `$ref`s followed while walking one JSON pointer. */
const MAX_REF_HOPS = 64;
/** Deepest nesting of `$ref` resolutions (a `$ref` through a `$ref` met on the way, and so on). */
export const MAX_REF_NESTING = 64;

export type JsonObject = { [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

export interface SpecFile {
  abs: string;
  /** Repo-relative, forward slashes. */
  rel: string;
  /** The YAML document (YAML files). */
  doc?: Document.Parsed;
  /** The text and where each member starts (JSON files, which are not read by the YAML parser). */
  json?: { text: string; positions: JsonPositions };
  lc: LineCounter;
  value: unknown;
}

/** A place inside a spec file. */
export interface Loc {
  file: SpecFile;
  ptr: string[];
  value: unknown;
}

export type ParseOutcome =
  | {
      ok: true;
      file: SpecFile;
      duplicateKeys: { line: number; message: string }[];
      /** Values nested deeper than MAX_SPEC_DEPTH, read as empty: how many, and the line of the first. */
      deep?: { line: number; count: number };
    }
  | { ok: false; code: 'spec-parse-error' | 'spec-alias-limit'; line: number; message: string };

/** A LineCounter for text that was not read by the YAML parser. */
function lineCounterOf(text: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return lc;
}

/** Parses YAML or JSON text. Never throws, never recurses deeper than MAX_SPEC_DEPTH. */
export function parseSpecText(text: string, abs: string, rel: string): ParseOutcome {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const kind = /^\s*[{[]/.test(text) ? 'JSON' : 'YAML';
  if (kind === 'JSON') {
    const j = parseJsonPositions(text, MAX_SPEC_DEPTH);
    if (j.ok) {
      const lc = lineCounterOf(text);
      const out: ParseOutcome = {
        ok: true,
        file: { abs, rel, lc, value: j.value, json: { text, positions: j.positions } },
        duplicateKeys: j.duplicates.map((o) => ({ line: lc.linePos(o).line, message: 'Map keys must be unique' })),
      };
      if (j.cuts.length) out.deep = { line: lc.linePos(j.cuts[0]!).line, count: j.cuts.length };
      return out;
    }
    // not strict JSON (a YAML flow mapping, or broken): the YAML parser reads it or says where it breaks
  }
  const lc = new LineCounter();
  let doc: Document.Parsed | undefined;
  let cut: { cuts: number[]; aliases: boolean };
  try {
    const tokens = [...new Parser(lc.addNewLine).parse(text)];
    cut = cutYamlTokens(tokens, MAX_SPEC_DEPTH);
    // Duplicate keys are found below, in one pass: YAML's own check compares each key with every earlier one.
    // After a cut, the offsets that follow the emptied collection are computed from where it now ends (too early):
    // YAML's check that a key's `:` is within 1024 characters of the key would then fail for no fault of the file.
    const composer = new Composer({ prettyErrors: false, merge: true, uniqueKeys: false, strict: cut.cuts.length === 0 });
    for (const d of composer.compose(tokens, true, text.length)) {
      if (!doc) doc = d;
      else {
        doc.errors.push(new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
        break;
      }
    }
    tokens.length = 0; // the syntax tree is not needed any more: let it go before the value is built
    if (!doc) throw new Error('no document');
  } catch (e) {
    return { ok: false, code: 'spec-parse-error', line: 1, message: `cannot parse ${kind}: ${errorText(e)}` };
  }
  const fatal = doc.errors;
  if (fatal.length > 0) {
    const err = fatal[0]!;
    return { ok: false, code: 'spec-parse-error', line: lc.linePos(err.pos[0]).line, message: `cannot parse ${kind}: ${errorText(err)}` };
  }
  const duplicateKeys = duplicateKeysOf(doc, lc);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const msg = errorText(e);
    if (/alias count|resource exhaustion/i.test(msg)) {
      return {
        ok: false,
        code: 'spec-alias-limit',
        line: firstAliasLine(doc, lc),
        message: `YAML aliases expand too much (more than ${MAX_ALIAS_COUNT} per anchor, a "billion laughs" pattern); the file was not loaded`,
      };
    }
    return { ok: false, code: 'spec-parse-error', line: 1, message: `cannot parse ${kind}: ${msg}` };
  }
  const out: ParseOutcome = { ok: true, file: { abs, rel, doc, lc, value }, duplicateKeys };
  if (cut.cuts.length) out.deep = { line: lc.linePos(cut.cuts[0]!).line, count: cut.cuts.length };
  else if (cut.aliases) {
    // shallow text, deep value: aliases nested in one another
    const bound = boundDepth(value, MAX_SPEC_DEPTH);
    if (bound.cuts) out.deep = { line: bound.first ? keyLine(out.file, bound.first) : 1, count: bound.cuts };
  }
  return out;
}

/** Keys repeated in a mapping (the later ones), in one pass over the document without recursion. */
function duplicateKeysOf(doc: Document.Parsed, lc: LineCounter): { line: number; message: string }[] {
  const out: { line: number; message: string }[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const n = stack.pop();
    if (isMap(n)) {
      // equal as YAML compares them: the same scalar value (the number 1 and the string '1' differ)
      const seen = new Set<unknown>();
      for (const p of n.items) {
        const k = p.key;
        if (isScalar(k) && typeof k.value !== 'symbol') {
          if (seen.has(k.value) && k.range) out.push({ line: lc.linePos(k.range[0]).line, message: 'Map keys must be unique' });
          seen.add(k.value);
        }
        stack.push(p.key, p.value);
      }
    } else if (isSeq(n)) {
      for (const it of n.items) stack.push(it);
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

function firstAliasLine(doc: Document.Parsed, lc: LineCounter): number {
  let line = 1;
  const seen = new Set<unknown>();
  const visit = (n: unknown): boolean => {
    if (!n || typeof n !== 'object' || seen.has(n)) return false;
    seen.add(n);
    if (isAlias(n)) {
      if (n.range) line = lc.linePos(n.range[0]).line;
      return true;
    }
    if (isPair(n)) return visit(n.key) || visit(n.value);
    if (isMap(n) || isSeq(n)) return n.items.some((it) => visit(it));
    return false;
  };
  try {
    visit(doc.contents);
  } catch {
    /* absurdly deep nesting: line 1 will do */
  }
  return line;
}

export function errorText(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  return raw.split('\n')[0]!.trim();
}

// ---------------------------------------------------------------- JSON pointers

/**
 * `#/a/b~1c` fragment (without `#`) → segments: percent-decoding first (URI fragments only, not plain JSON
 * pointers such as Ajv's `instancePath`), then `~1` → `/`, `~0` → `~`.
 */
export function parsePointer(fragment: string, uriFragment = true): string[] | undefined {
  let f = fragment;
  if (uriFragment) {
    try {
      f = decodeURIComponent(fragment);
    } catch {
      /* keep it as written */
    }
  }
  if (f === '') return [];
  if (!f.startsWith('/')) return undefined;
  return f
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function formatPointer(segs: string[]): string {
  return segs.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Direct child (no `$ref` following). */
export function child(v: unknown, seg: string): { found: boolean; value?: unknown } {
  if (Array.isArray(v)) {
    if (!/^(0|[1-9]\d*)$/.test(seg)) return { found: false };
    const i = Number(seg);
    return i < v.length ? { found: true, value: v[i] } : { found: false };
  }
  if (isObject(v) && hasOwn(v, seg)) return { found: true, value: v[seg] };
  return { found: false };
}

// ---------------------------------------------------------------- lines

function lineOf(file: SpecFile, node: { range?: [number, number, number] | null } | null | undefined): number | undefined {
  if (!node?.range) return undefined;
  return file.lc.linePos(node.range[0]).line;
}

function keyString(k: unknown): string | undefined {
  if (isScalar(k)) {
    if (typeof k.value === 'symbol') return k.source ?? k.value.description; // the `<<` merge key
    return k.value === null ? '' : String(k.value);
  }
  if (k === null || k === undefined) return undefined;
  if (typeof k !== 'object') return String(k);
  return undefined;
}

/**
 * The AST nodes at a pointer: the key (for map entries) and the value. Follows YAML aliases and `<<` merge keys,
 * not `$ref`s. Returns undefined when the pointer is not found in the AST.
 */
function astAt(file: SpecFile, segs: string[]): { key?: YamlNode; value?: YamlNode | null } | undefined {
  const doc = file.doc;
  if (!doc) return undefined;
  let node: unknown = doc.contents;
  let key: YamlNode | undefined;
  for (const seg of segs) {
    let hops = 0;
    while (isAlias(node) && hops++ < 32) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = findPair(doc, node, seg, 0);
      if (!pair) return undefined;
      key = isScalar(pair.key) || isMap(pair.key) || isSeq(pair.key) ? (pair.key as YamlNode) : undefined;
      node = pair.value;
    } else if (isSeq(node)) {
      if (!/^(0|[1-9]\d*)$/.test(seg)) return undefined;
      node = node.items[Number(seg)];
      if (node === undefined) return undefined;
      key = undefined;
    } else {
      return undefined;
    }
  }
  return { key, value: (node ?? null) as YamlNode | null };
}

type AnyPair = { key: unknown; value: unknown };
/** Key → first pair, for big mappings (a `paths` object with thousands of entries). */
const pairIndex = new WeakMap<object, Map<string, AnyPair>>();

function findPair(doc: Document.Parsed, map: { items: unknown[] }, seg: string, depth: number): AnyPair | undefined {
  if (map.items.length > 16) {
    let index = pairIndex.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        const k = isPair(p) ? keyString(p.key) : undefined;
        if (k !== undefined) index.set(k, p as AnyPair); // the last one wins, as in the loaded value
      }
      pairIndex.set(map, index);
    }
    const hit = index.get(seg);
    if (hit) return hit;
  } else {
    let last: AnyPair | undefined;
    for (const p of map.items) if (isPair(p) && keyString(p.key) === seg) last = p;
    if (last) return last;
  }
  if (depth > 8) return undefined;
  // `<<: *base` / `<<: [*a, *b]` merge keys: the value is written where the anchor is.
  for (const p of map.items) {
    if (!isPair(p) || keyString(p.key) !== '<<') continue;
    const sources = isSeq(p.value) ? p.value.items : [p.value];
    for (let s of sources) {
      if (isAlias(s)) s = s.resolve(doc);
      if (isMap(s)) {
        const found = findPair(doc, s, seg, depth + 1);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** Offset of the key (or array item) at `segs` in a JSON file, or of the deepest ancestor found. */
function jsonOffset(file: SpecFile, segs: string[]): { offset: number; complete: boolean; member: boolean } | undefined {
  const positions = file.json!.positions;
  let v = file.value;
  let found: { offset: number; complete: boolean; member: boolean } | undefined;
  for (let i = 0; i < segs.length; i++) {
    const offset = childOffset(positions, v, segs[i]!);
    if (offset === undefined) return found;
    found = { offset, complete: i === segs.length - 1, member: !Array.isArray(v) };
    v = child(v, segs[i]!).value;
  }
  return found;
}

/** Line of the key at `segs` (the value's line for array items); falls back to the nearest ancestor, then 1. */
export function keyLine(file: SpecFile, segs: string[]): number {
  if (file.json) {
    const at = jsonOffset(file, segs);
    return at === undefined ? 1 : file.lc.linePos(at.offset).line;
  }
  for (let n = segs.length; n >= 0; n--) {
    const at = astAt(file, segs.slice(0, n));
    const line = at ? (lineOf(file, at.key) ?? lineOf(file, at.value)) : undefined;
    if (line !== undefined) return line;
  }
  return 1;
}

/** Source text of a scalar (e.g. `3.0` for `openapi: 3.0`, which YAML reads as the number 3). */
export function scalarSource(file: SpecFile, segs: string[]): string | undefined {
  if (file.json) {
    const at = jsonOffset(file, segs);
    return at?.complete && at.member ? memberValueSource(file.json.text, at.offset) : undefined;
  }
  const at = astAt(file, segs);
  const v = at?.value;
  if (isScalar(v) && typeof v.source === 'string') return v.source;
  return undefined;
}

// ---------------------------------------------------------------- notifications

/** At most this many notifications of one code per spec; the rest are counted in one summary. */
export const MAX_NOTES_PER_CODE = 50;

export class Notes {
  private readonly kept: Notification[] = [];
  private readonly seen = new Set<string>();
  private readonly perCode = new Map<string, number>();
  /** Per code: how many were left out, and the level and file of the first one left out. */
  private readonly hidden = new Map<string, { count: number; level: Notification['level']; file: string }>();

  add(level: Notification['level'], code: string, file: string, line: number | undefined, sentence: string): void {
    const message = `${file}${line ? `:${line}` : ''}: ${sentence}`;
    const key = `${level}|${code}|${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const count = (this.perCode.get(code) ?? 0) + 1;
    this.perCode.set(code, count);
    if (count > MAX_NOTES_PER_CODE) {
      // a hostile spec can hold thousands of broken $refs: the report stays readable and bounded
      const h = this.hidden.get(code);
      if (h) h.count++;
      else this.hidden.set(code, { count: 1, level, file });
      return;
    }
    const n: Notification = { level, code, message, file };
    if (line) n.line = line;
    this.kept.push(n);
  }

  /** The notifications, then one per code whose notifications were too many to list. */
  get list(): Notification[] {
    const out = [...this.kept];
    for (const [code, h] of this.hidden) {
      out.push({ level: h.level, code, message: `${h.file}: ${h.count} more ${code} notifications like the ones above are not listed.`, file: h.file });
    }
    return out;
  }
}

// ---------------------------------------------------------------- files and $refs

type FileOutcome = { file: SpecFile } | { failed: 'refused'; refusal: ReadRefused } | { failed: 'reported' };

/** `does not exist`, `is a named pipe, not a regular file`: words that follow "the file". */
export function refusalWords(r: ReadRefused, abs: string): string {
  if (r.reason === 'missing') {
    try {
      fs.lstatSync(abs);
      return 'is a dangling symbolic link';
    } catch {
      return 'does not exist';
    }
  }
  return /^(does|cannot)\b/.test(r.why) ? r.why : `is ${r.why}`;
}
/** `code` undefined: already reported (e.g. the target file does not parse). */
type RefOutcome = { loc: Loc } | RefFailure;
/** `cause`: the innermost failure when this one happened at a `$ref` met on the way. */
type RefFailure = { code: string | undefined; sentence: string; cause?: string };

export interface LoaderOptions {
  root: string;
  allowRemoteRefs: boolean;
}

/**
 * TODO(remote-refs): the single place where a remote `$ref` (http:, https:, //host) could be fetched once
 * `allowRemoteRefs` is set. Deliberately not implemented: this module never goes on the network. A future
 * implementation belongs in the CLI layer (timeouts, size limits, caching) and would hand the text back here.
 */
async function fetchRemoteRef(_url: string): Promise<string | undefined> {
  return undefined;
}

export class Loader {
  private readonly files = new Map<string, Promise<FileOutcome>>();
  private readonly refs = new Map<string, RefOutcome>();
  private readonly resolving = new Set<string>();

  constructor(
    readonly opts: LoaderOptions,
    readonly notes: Notes,
  ) {}

  rel(abs: string): string {
    const r = path.relative(this.opts.root, abs);
    return r.split(path.sep).join('/') || path.basename(abs);
  }

  /** Reads and parses a file once. Parse problems are reported here (they name the file itself). */
  load(abs: string): Promise<FileOutcome> {
    let p = this.files.get(abs);
    if (!p) {
      p = this.read(abs);
      this.files.set(abs, p);
    }
    return p;
  }

  private async read(abs: string): Promise<FileOutcome> {
    const rel = this.rel(abs);
    let text: string;
    try {
      // A regular file of bounded size whose real path stays in the repository (a root spec named outside it, on
      // the command line, is read where it is); a pipe, a device or a link out of the repository is never opened
      // for reading, and the open does not block.
      text = readBounded(abs, { maxBytes: MAX_SPEC_BYTES, within: isInside(this.opts.root, abs) ? this.opts.root : undefined }).toString('utf8');
    } catch (e) {
      const refusal = e instanceof ReadRefused ? e : new ReadRefused('unreadable', `cannot be read (${errorText(e)})`);
      if (refusal.reason === 'too-large') {
        this.notes.add('error', 'spec-too-large', rel, undefined, `spec file is ${refusal.why}; not read.`);
        return { failed: 'reported' };
      }
      return { failed: 'refused', refusal };
    }
    const out = parseSpecText(text, abs, rel);
    if (!out.ok) {
      this.notes.add('error', out.code, rel, out.line, `${out.message}.`);
      return { failed: 'reported' };
    }
    for (const d of out.duplicateKeys) {
      this.notes.add('warning', 'spec-duplicate-key', rel, d.line, `duplicate key (${d.message}); the last value is used.`);
    }
    if (out.deep) {
      this.notes.add(
        'warning',
        'spec-too-deep',
        rel,
        out.deep.line,
        `values nested more than ${MAX_SPEC_DEPTH} levels deep were skipped (${out.deep.count === 1 ? 'one value, here' : `${out.deep.count} values, the first here`}); they are read as empty, the rest of the spec is loaded.`,
      );
    }
    return { file: out.file };
  }

  /**
   * Resolves `$ref` found in the object at `holder` (in `from`). Returns the target, or undefined after
   * reporting why (unless `quiet`), with the line of the `$ref` key.
   */
  async resolveRef(ref: string, from: SpecFile, holder: string[], quiet = false): Promise<Loc | undefined> {
    const out = await this.outcome(ref, from);
    if ('loc' in out) return out.loc;
    if (!quiet && out.code) this.notes.add('warning', out.code, from.rel, keyLine(from, [...holder, '$ref']), out.sentence);
    return undefined;
  }

  /**
   * Resolution of one `$ref` string from one file does not depend on where in the file it is written,
   * so it is done once. A `$ref` met again while it is being resolved is circular.
   */
  private async outcome(ref: string, from: SpecFile, nesting = 0): Promise<RefOutcome> {
    const key = `${from.abs}\0${ref}`;
    const done = this.refs.get(key);
    if (done) return done;
    if (nesting > MAX_REF_NESTING) {
      // each nested resolution is a level of the stack: a chain of thousands would overflow it
      return { code: 'spec-ref-too-deep', sentence: `$ref "${ref}" is reached through more than ${MAX_REF_NESTING} nested $refs; not resolved.` };
    }
    if (this.resolving.has(key)) {
      return { code: 'spec-ref-circular', sentence: `$ref "${ref}" is circular and cannot be resolved.` };
    }
    this.resolving.add(key);
    let out: RefOutcome;
    try {
      out = await this.resolveUncached(ref, from, nesting);
    } finally {
      this.resolving.delete(key);
    }
    this.refs.set(key, out);
    return out;
  }

  private async resolveUncached(ref: string, from: SpecFile, nesting: number): Promise<RefOutcome> {
    const fail = (code: string, sentence: string): RefOutcome => ({ code, sentence });
    const hash = ref.indexOf('#');
    const filePart = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);

    let targetAbs: string;
    if (/^\/\//.test(filePart) || /^https?:/i.test(filePart)) {
      if (!this.opts.allowRemoteRefs) {
        return fail('spec-ref-remote', `remote $ref "${ref}" not fetched; pass --allow-remote-refs to permit.`);
      }
      const text = await fetchRemoteRef(filePart);
      if (text === undefined) return fail('spec-ref-remote', `remote $ref "${ref}" not fetched: fetching remote $refs is not implemented.`);
      return fail('spec-ref-remote', `remote $ref "${ref}" not resolved.`);
    } else if (/^file:/i.test(filePart)) {
      try {
        targetAbs = fileURLToPath(filePart);
      } catch {
        return fail('spec-ref-missing', `$ref "${ref}" is not a usable file URL.`);
      }
    } else if (/^[a-z][a-z0-9+.-]+:/i.test(filePart)) {
      return fail('spec-ref-remote', `$ref "${ref}" uses a non-file URL scheme and is not resolved.`);
    } else if (filePart === '') {
      targetAbs = from.abs;
    } else {
      let decoded = filePart;
      try {
        decoded = decodeURIComponent(filePart);
      } catch {
        /* keep as written */
      }
      targetAbs = path.resolve(path.dirname(from.abs), decoded);
    }

    if (targetAbs !== from.abs && !isInside(this.opts.root, targetAbs)) {
      return fail('spec-ref-outside', `$ref "${ref}" points outside the repository root; not read.`);
    }

    let file: SpecFile;
    if (targetAbs === from.abs) {
      file = from;
    } else {
      const out = await this.load(targetAbs);
      if ('failed' in out) {
        if (out.failed === 'reported') return { code: undefined, sentence: '' };
        const r = out.refusal;
        // symbolic links may lead outside even when the path does not
        if (r.reason === 'outside') return fail('spec-ref-outside', `$ref "${ref}" points outside the repository root; not read.`);
        if (r.reason === 'missing') return fail('spec-ref-missing', `$ref "${ref}": file ${this.rel(targetAbs)} ${refusalWords(r, targetAbs)}.`);
        return fail('spec-ref-unreadable', `$ref "${ref}": file ${this.rel(targetAbs)} ${refusalWords(r, targetAbs)}; not read.`);
      }
      file = out.file;
    }

    const segs = parsePointer(fragment);
    if (!segs) return fail('spec-ref-missing', `$ref "${ref}": only JSON pointer fragments (#/...) are supported.`);
    const walked = await this.walk(file, segs, true, nesting + 1);
    if (walked.via) {
      // Failed at a `$ref` met on the way: say why, keeping that failure's code.
      const via = walked.via;
      if (!via.code) return via;
      if (via.code === 'spec-ref-circular') return fail(via.code, `$ref "${ref}" is circular and cannot be resolved.`);
      const at = `${walked.loc.file.rel}:${keyLine(walked.loc.file, [...walked.loc.ptr, '$ref'])}`;
      const cause = via.cause ?? `${at}: ${via.sentence}`;
      return { code: via.code, sentence: `$ref "${ref}" cannot be resolved because of ${cause}`, cause };
    }
    if (!walked.complete) {
      return fail('spec-ref-missing', `$ref "${ref}": ${formatPointer(segs) || '/'} not found in ${file.rel}.`);
    }
    return { loc: walked.loc };
  }

  /**
   * Follows a pointer from the top of `file`, going through `$ref`s met on the way (into other files too).
   * `loc` is the deepest place reached; `complete` says whether the whole pointer was found.
   */
  async walk(file: SpecFile, segs: string[], quiet: boolean, nesting = 0): Promise<{ loc: Loc; complete: boolean; via?: RefFailure }> {
    let loc: Loc = { file, ptr: [], value: file.value };
    let hops = 0;
    for (let i = 0; i < segs.length; ) {
      const seg = segs[i]!;
      const c = child(loc.value, seg);
      if (c.found) {
        loc = { file: loc.file, ptr: [...loc.ptr, seg], value: c.value };
        i++;
        continue;
      }
      if (isObject(loc.value) && typeof loc.value.$ref === 'string' && hops++ < MAX_REF_HOPS) {
        const out = await this.outcome(loc.value.$ref, loc.file, nesting);
        if (!('loc' in out)) {
          if (!quiet && out.code) this.notes.add('warning', out.code, loc.file.rel, keyLine(loc.file, [...loc.ptr, '$ref']), out.sentence);
          return { loc, complete: false, via: out };
        }
        loc = out.loc;
        continue;
      }
      return { loc, complete: false };
    }
    return { loc, complete: true };
  }
}


export function locKey(loc: { file: SpecFile; ptr: string[] }): string {
  return `${loc.file.abs}#${formatPointer(loc.ptr)}`;
}
