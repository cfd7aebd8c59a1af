/**
 * Loads committed OpenAPI / Swagger specs (Swagger 2.0, OpenAPI 3.0 and 3.1; YAML or JSON; split over several
 * files with `$ref`) into SpecDocuments, without ever touching the network and without reading outside the
 * repository root.
 *
 * Notification codes (every message is `file:line: sentence.` with a repo-relative file):
 *   error    spec-read-error           the root spec file cannot be read: missing, unreadable, not a regular file (a pipe,
 *                                      a device, a directory), or a symbolic link out of the repository; never opened
 *                                      for reading when it is not a regular file
 *   error    spec-too-large            a spec file is larger than MAX_SPEC_BYTES; not read
 *   warning  spec-too-deep             values nested deeper than MAX_SPEC_DEPTH (in the file, or through YAML aliases)
 *                                      were read as empty; or, in validation, deeper than MAX_VALIDATE_DEPTH with
 *                                      other files inlined and $refs followed: not validated below
 *   error    spec-parse-error          invalid YAML/JSON (root file: no document; referenced file: its $refs stay unresolved)
 *   error    spec-alias-limit          YAML alias expansion beyond MAX_ALIAS_COUNT ("billion laughs"); the file is refused
 *   error    spec-not-object           the top level is not a mapping (array, scalar, empty file); no document
 *   error    spec-unsupported-version  no `openapi`/`swagger` key (and no `paths`), or a version other than 2.0 / 3.0.x / 3.1.x; no document
 *   warning  spec-version-missing      no version key but a `paths` object (a swagger-jsdoc fragment): read as 2.0 or 3.0
 *   warning  spec-no-paths             no `paths`, or no path in it: the document has zero operations
 *   warning  spec-duplicate-key        a mapping repeats a key; the last value is used
 *   warning  spec-ref-remote           an http(s)/`//host` (or other non-file URL) $ref; never fetched
 *   warning  spec-ref-missing          a $ref to a file or JSON pointer that does not exist
 *   warning  spec-ref-outside          a $ref that leaves the repository root (also through symbolic links); not read
 *   warning  spec-ref-unreadable       a $ref to a file that is not a regular file (pipe, device, directory) or cannot be read
 *   warning  spec-ref-too-deep         a $ref reached through more than MAX_REF_NESTING nested $refs; not resolved
 *   warning  spec-ref-circular         a $ref cycle that cannot yield a value (path items referring to each other, pointer loops)
 *   warning  spec-invalid              swagger-parser validation failed (schema or Swagger 2.0 semantic checks)
 *   note     spec-validation-skipped   the validator itself failed (not the spec's fault), e.g. a stack overflow
 *   error    spec-internal-error       an unexpected failure inside this module (a bug); no document
 *
 * Operations come in file order: path keys as written under `paths`, methods as written in each path item
 * (for a path item with `$ref`, its own methods first, then those of the referenced item).
 */
import path from 'node:path';
import type { HttpMethod, Notification, SpecDocument, SpecOperation } from '../model.js';
import { joinPath, normalizeBase, securityOf, serversBasePaths } from './paths.js';
import { Loader, Notes, errorText, isObject, keyLine, locKey, refusalWords, scalarSource } from './source.js';
import type { Loc, SpecFile } from './source.js';
import { bundleForValidation, validateBundled } from './validate.js';
import { splitIgnore } from '../baseline/suppress.js';

export { looksLikeSpec } from './detect.js';

export interface LoadSpecOptions {
  /** Absolute repository root; file paths in results are relative to it, with forward slashes. */
  root: string;
  /** Default false. Even when true, nothing is fetched yet (see the TODO hook in source.ts). */
  allowRemoteRefs?: boolean;
  /** Run swagger-parser validation (default true). Without it, `$ref`s outside path items are not checked. */
  validate?: boolean;
}

export interface LoadSpecResult {
  doc?: SpecDocument;
  notifications: Notification[];
}

const METHOD_KEYS: ReadonlyMap<string, HttpMethod> = new Map<string, HttpMethod>([
  ['get', 'GET'],
  ['put', 'PUT'],
  ['post', 'POST'],
  ['delete', 'DELETE'],
  ['options', 'OPTIONS'],
  ['head', 'HEAD'],
  ['patch', 'PATCH'],
  ['trace', 'TRACE'],
]);

/** Never throws; problems are notifications. */
export async function loadSpec(absFile: string, opts: LoadSpecOptions): Promise<LoadSpecResult> {
  const notes = new Notes();
  const root = path.resolve(opts.root);
  const abs = path.resolve(root, absFile);
  const loader = new Loader({ root, allowRemoteRefs: opts.allowRemoteRefs === true }, notes);
  try {
    const doc = await load(loader, abs, opts.validate !== false);
    return doc ? { doc, notifications: notes.list } : { notifications: notes.list };
  } catch (e) {
    notes.add('error', 'spec-internal-error', loader.rel(abs), undefined, `could not load the spec (internal error: ${errorText(e)}).`);
    return { notifications: notes.list };
  }
}

async function load(loader: Loader, abs: string, validate: boolean): Promise<SpecDocument | undefined> {
  const notes = loader.notes;
  const rel = loader.rel(abs);
  const loaded = await loader.load(abs);
  if ('failed' in loaded) {
    if (loaded.failed === 'refused') notes.add('error', 'spec-read-error', rel, undefined, `cannot read the spec: the file ${refusalWords(loaded.refusal, abs)}.`);
    return undefined;
  }
  const file = loaded.file;
  const top = file.value;
  if (!isObject(top)) {
    const what = top === null || top === undefined ? 'empty' : Array.isArray(top) ? 'a list' : `a ${typeof top}`;
    notes.add('error', 'spec-not-object', rel, 1, `not an OpenAPI/Swagger document: the top level is ${what}, not a mapping.`);
    return undefined;
  }

  const version = detectVersion(file, top, notes);
  if (!version) return undefined;

  const docBase =
    version === '2.0'
      ? [typeof top.basePath === 'string' ? normalizeBase(top.basePath) : '']
      : (serversBasePaths(top.servers) ?? ['']);

  const pathsLine = 'paths' in top ? keyLine(file, ['paths']) : 1;
  const doc: SpecDocument = { file: rel, version, basePaths: docBase, operations: [], pathsLine };
  const info = top.info;
  if (isObject(info) && typeof info.title === 'string') doc.title = info.title;

  let paths: Loc | undefined = { file, ptr: ['paths'], value: top.paths };
  if (isObject(top.paths) && typeof top.paths.$ref === 'string') paths = await loader.resolveRef(top.paths.$ref, file, ['paths']);
  const pathKeys = paths && isObject(paths.value) ? Object.keys(paths.value).filter((k) => !k.startsWith('x-')) : [];
  if (!paths || pathKeys.length === 0) {
    notes.add('warning', 'spec-no-paths', rel, pathsLine, 'the spec declares no paths; it documents no operations.');
  } else {
    for (const key of pathKeys) {
      doc.operations.push(...(await pathItemOperations(loader, file, top, version, docBase, paths, key)));
    }
  }

  if (validate) {
    // No timing here: notifications reach reports, which must not differ between two runs of the same input.
    const bundled = await bundleForValidation(loader, file);
    await validateBundled(loader, file, bundled, notes, pathsLine, pathKeys.length === 0);
  }
  return doc;
}

function detectVersion(file: SpecFile, top: Record<string, unknown>, notes: Notes): SpecDocument['version'] | undefined {
  const key = 'openapi' in top ? 'openapi' : 'swagger' in top ? 'swagger' : undefined;
  if (!key) {
    // a fragment such as swagger-jsdoc's input: `paths` but no version key. Read it, saying what was assumed.
    if (isObject(top.paths) && Object.keys(top.paths).some((k) => k.startsWith('/'))) {
      const v3 = 'components' in top || 'servers' in top;
      notes.add('warning', 'spec-version-missing', file.rel, 1, `no top-level "openapi" or "swagger" version; read as ${v3 ? 'OpenAPI 3.0' : 'Swagger 2.0'} because it has ${v3 ? '"components" or "servers"' : 'no "components" or "servers"'}.`);
      return v3 ? '3.0' : '2.0';
    }
    notes.add('error', 'spec-unsupported-version', file.rel, 1, 'not an OpenAPI/Swagger document: it has no top-level "openapi" or "swagger" version.');
    return undefined;
  }
  const raw = top[key];
  // `openapi: 3.0` is the number 3 in YAML: use the text as written.
  const text = typeof raw === 'string' ? raw.trim() : (scalarSource(file, [key]) ?? String(raw)).replace(/^["']|["']$/g, '');
  let version: SpecDocument['version'] | undefined;
  if (key === 'swagger' && /^2(\.0)?$/.test(text)) version = '2.0';
  if (key === 'openapi') {
    const m = /^3\.([01])(\.\d+)?(-[0-9A-Za-z.-]+)?$/.exec(text);
    if (m) version = m[1] === '0' ? '3.0' : '3.1';
  }
  if (!version) {
    notes.add('error', 'spec-unsupported-version', file.rel, keyLine(file, [key]), `unsupported ${key} version "${text}" (supported: Swagger 2.0, OpenAPI 3.0 and 3.1).`);
  }
  return version;
}

async function pathItemOperations(
  loader: Loader,
  file: SpecFile,
  top: Record<string, unknown>,
  version: SpecDocument['version'],
  docBase: string[],
  paths: Loc,
  key: string,
): Promise<SpecOperation[]> {
  const start: Loc = { file: paths.file, ptr: [...paths.ptr, key], value: (paths.value as Record<string, unknown>)[key] };
  const pathLine = keyLine(paths.file, start.ptr);

  // The path item and, when it is a `$ref`, the chain of items it refers to.
  const layers: Loc[] = [];
  const seen = new Set<string>();
  let cur: Loc | undefined = start;
  while (cur && isObject(cur.value)) {
    const k = locKey(cur);
    if (seen.has(k)) {
      const prev = layers[layers.length - 1]!;
      loader.notes.add('warning', 'spec-ref-circular', prev.file.rel, keyLine(prev.file, [...prev.ptr, '$ref']), `path item $ref "${String((prev.value as Record<string, unknown>).$ref)}" for ${key} is circular.`);
      break;
    }
    seen.add(k);
    layers.push(cur);
    const ref: unknown = cur.value.$ref;
    if (typeof ref !== 'string') break;
    cur = await loader.resolveRef(ref, cur.file, cur.ptr);
  }

  let itemBase: string[] | undefined;
  if (version !== '2.0') {
    for (const l of layers) {
      itemBase = serversBasePaths((l.value as Record<string, unknown>).servers);
      if (itemBase) break;
    }
  }

  const out: SpecOperation[] = [];
  const taken = new Set<string>();
  for (const layer of layers) {
    for (const [name, raw] of Object.entries(layer.value as Record<string, unknown>)) {
      const method = METHOD_KEYS.get(name);
      if (!method || taken.has(name)) continue;
      taken.add(name);
      const ptr = [...layer.ptr, name];
      const line = keyLine(layer.file, ptr);
      let op: unknown = raw;
      if (isObject(raw) && typeof raw.$ref === 'string') op = (await loader.resolveRef(raw.$ref, layer.file, ptr))?.value;
      const o = isObject(op) ? op : {};

      const basePaths = version === '2.0' ? docBase : (serversBasePaths(o.servers) ?? itemBase ?? docBase);
      const sec = securityOf(Array.isArray(o.security) ? o.security : top.security);
      const entry: SpecOperation = {
        method,
        path: joinPath(basePaths[0]!, key),
        rawPath: key,
        basePaths,
        spec: file.rel,
        file: layer.file.rel,
        line,
        pathLine,
        security: sec.security,
        securityDeclared: Array.isArray(o.security) || Array.isArray(top.security),
        securitySchemes: sec.schemes,
      };
      if (typeof o.operationId === 'string') entry.operationId = o.operationId;
      if (o.deprecated === true) entry.deprecated = true;
      if (o['x-apilantern-ignore'] !== undefined) {
        const ignore = specIgnore(o['x-apilantern-ignore'], (k) => keyLine(layer.file, [...ptr, 'x-apilantern-ignore', ...(k === undefined ? [] : [k])]));
        if (ignore.length) entry.ignore = ignore;
      }
      out.push(entry);
    }
  }
  return out;
}

/** `x-apilantern-ignore: [rule-id, "rule-id: reason"]` or `{ rule-id: reason }` on an operation. */
function specIgnore(v: unknown, lineOf: (key?: string) => number): Array<{ ruleId: string; reason: string; line: number }> {
  const out: Array<{ ruleId: string; reason: string; line: number }> = [];
  if (Array.isArray(v)) {
    for (const x of v) {
      if (typeof x !== 'string') continue;
      const m = splitIgnore(x);
      if (m && !m.ids.includes(',')) out.push({ ruleId: m.ids, reason: m.reason || 'listed in x-apilantern-ignore', line: lineOf() });
    }
  } else if (isObject(v)) {
    for (const [k, r] of Object.entries(v)) out.push({ ruleId: k, reason: typeof r === 'string' && r.trim() ? r.trim() : 'listed in x-apilantern-ignore', line: lineOf(k) });
  } else if (typeof v === 'string') {
    return specIgnore([v], lineOf);
  }
  return out;
}
