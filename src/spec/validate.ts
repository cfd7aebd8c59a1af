/**
 * Validation with @apidevtools/swagger-parser, kept strictly offline:
 *
 * 1. We build the object ourselves: the root document with every external `$ref` (other files) inlined by our
 *    own resolver (confined to the repository, see source.ts). `$ref`s into the root document stay internal
 *    (`#/...`); `$ref`s that could not be resolved (missing, remote, outside the root, circular across files)
 *    are replaced by `{}` — they were already reported.
 * 2. swagger-parser gets that plain object plus a base path, so it never reads the root file, and options that
 *    switch off everything that could do I/O: `resolve.external: false` (no external resolution pass at all) and
 *    `resolve.file: false` / `resolve.http: false` (both resolver plugins removed, so even a stray read has no
 *    resolver to run). Its dereferencing of internal `$ref`s is in memory; circular ones are left alone.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { validateSchema } from './schema-validator.js';
import { MAX_VALIDATE_DEPTH, boundDepth } from './depth.js';
import { child, errorText, isObject, keyLine, locKey, parsePointer } from './source.js';
import type { Loader, Notes, SpecFile } from './source.js';

/** swagger-parser's semantic checks (Swagger 2.0: parameters, paths, ...), run after the schema check as it does. */
const validateSpec = createRequire(import.meta.url)('@apidevtools/swagger-parser/lib/validators/spec.js') as (api: unknown) => void;

/** At most this many `spec-invalid` notifications per spec (then one summary). */
const MAX_VALIDATION_NOTES = 10;

export const OFFLINE_OPTIONS = {
  resolve: { external: false, file: false, http: false },
  dereference: { circular: 'ignore' as const },
} satisfies SwaggerParser.Options;

export interface Bundled {
  value: unknown;
  /** The `{}` objects standing in for what could not be resolved: errors under them are not the spec's fault. */
  placeholders: WeakSet<object>;
}

/** Root document with external `$ref`s inlined; the result shares objects (a DAG), it is never cloned as JSON. */
export async function bundleForValidation(loader: Loader, root: SpecFile): Promise<Bundled> {
  const placeholders = new WeakSet<object>();
  const placeholder = (): object => {
    const o = {};
    placeholders.add(o);
    return o;
  };
  const external = new Map<string, unknown>(); // target loc key → bundled value
  const inProgress = new Set<string>();
  const byObject = new Map<SpecFile, WeakMap<object, unknown>>(); // YAML aliases share JS objects
  const onStack = new WeakSet<object>();
  let tooDeep: { file: SpecFile; ptr: string[] } | undefined;

  /** `depth`: how deep the value is in the bundled document. */
  const visit = async (value: unknown, file: SpecFile, ptr: string[], depth: number): Promise<unknown> => {
    if (value === null || typeof value !== 'object') return value;
    if (depth > MAX_VALIDATE_DEPTH) {
      // files inlined into one another: not validated below this depth (each level is a level of the stack)
      tooDeep ??= { file, ptr };
      return placeholder();
    }
    let memo = byObject.get(file);
    if (!memo) byObject.set(file, (memo = new WeakMap()));
    if (memo.has(value)) return memo.get(value);
    if (onStack.has(value)) return placeholder(); // a YAML structure that contains itself
    onStack.add(value);
    try {
      let out: unknown;
      if (Array.isArray(value)) {
        const arr: unknown[] = [];
        for (let i = 0; i < value.length; i++) arr.push(await visit(value[i], file, [...ptr, String(i)], depth + 1));
        out = arr;
      } else if (isObject(value) && typeof value.$ref === 'string') {
        out = await visitRef(value, file, ptr, depth);
      } else {
        const obj: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          Object.defineProperty(obj, k, { value: await visit(v, file, [...ptr, k], depth + 1), enumerable: true, writable: true, configurable: true });
        }
        out = obj;
      }
      memo.set(value, out);
      return out;
    } finally {
      onStack.delete(value);
    }
  };

  const visitRef = async (holder: Record<string, unknown>, file: SpecFile, ptr: string[], depth: number): Promise<unknown> => {
    const target = await loader.resolveRef(holder.$ref as string, file, ptr);
    if (!target) return placeholder();
    if (target.file === root) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(holder)) {
        if (k !== '$ref') out[k] = await visit(v, file, [...ptr, k], depth + 1);
      }
      out.$ref = '#' + target.ptr.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
      return out;
    }
    const key = locKey(target);
    if (external.has(key)) return external.get(key);
    if (inProgress.has(key)) return placeholder(); // circular across files: legal for schemas, not needed to validate
    inProgress.add(key);
    try {
      const out = await visit(target.value, target.file, target.ptr, depth + 1);
      external.set(key, out);
      return out;
    } finally {
      inProgress.delete(key);
    }
  };

  const value = await visit(root.value, root, [], 0);
  if (tooDeep) {
    loader.notes.add('warning', 'spec-too-deep', tooDeep.file.rel, keyLine(tooDeep.file, tooDeep.ptr), `spec files inlined into one another nest more than ${MAX_VALIDATE_DEPTH} levels deep; not validated below that depth.`);
  }
  // swagger-parser inlines the `$ref`s inside the document and Ajv walks the result recursively: bound that too.
  const bound = boundDepth(value, MAX_VALIDATE_DEPTH, {
    target: (holder) => {
      const ref = holder.$ref as string;
      if (!ref.startsWith('#')) return undefined;
      let cur: unknown = value;
      for (const seg of parsePointer(ref.slice(1)) ?? []) {
        const c = child(cur, seg);
        if (!c.found) return undefined;
        cur = c.value;
      }
      return cur !== null && typeof cur === 'object' ? cur : undefined;
    },
    empty: () => placeholder(),
    cutRef: (holder) => placeholders.add(holder),
  });
  if (bound.cuts) {
    const { loc } = await loader.walk(root, bound.first ?? [], true);
    loader.notes.add(
      'warning',
      'spec-too-deep',
      loc.file.rel,
      keyLine(loc.file, loc.ptr),
      `with its $refs followed, the spec nests more than ${MAX_VALIDATE_DEPTH} levels deep; ${bound.cuts === 1 ? 'one value was' : `${bound.cuts} values were`} not validated (the first here).`,
    );
  }
  return { value, placeholders };
}

interface AjvLikeError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** Runs swagger-parser on the bundled object; every problem becomes a `spec-invalid` warning on `notes`. */
export async function validateBundled(
  loader: Loader,
  root: SpecFile,
  bundled: Bundled,
  notes: Notes,
  pathsLine: number,
  noPaths: boolean,
): Promise<void> {
  let error: unknown;
  const parser = new SwaggerParser();
  try {
    // What swagger-parser's validate() does, with the schema validator compiled once per thread (see
    // schema-validator.ts). A base URL is passed so that swagger-parser never derives one from the document
    // (`$id`); it is not read.
    await parser.dereference(pathToFileURL(root.abs).href, bundled.value as never, OFFLINE_OPTIONS);
    const api = (parser as unknown as { api: Record<string, unknown> }).api;
    validateSchema(api);
    validateSpec(api);
    return;
  } catch (e) {
    error = e;
  }
  // swagger-parser dereferences in place (mutateInputSchema defaults to true): walk what it validated.
  const validated: unknown = (parser as unknown as { schema?: unknown }).schema ?? bundled.value;
  // Validation failures are SyntaxErrors (schema / Swagger 2.0 checks, version) or $ref errors; anything else
  // (a RangeError on a pathological document, ...) means the validator itself could not run.
  const name = error instanceof Error ? error.name : '';
  if (!(error instanceof SyntaxError) && !/Pointer|Parser|Resolver|Reference/.test(name)) {
    notes.add('note', 'spec-validation-skipped', root.rel, undefined, `the spec could not be validated (${clean(errorText(error), root)}).`);
    return;
  }
  const details = (error as { details?: unknown }).details;
  if (!Array.isArray(details) || details.length === 0) {
    // swagger-parser refuses documents without `paths`: already reported as spec-no-paths.
    if (noPaths && /is not a valid Openapi API definition/i.test(errorText(error))) return;
    notes.add('warning', 'spec-invalid', root.rel, pathsLine, `spec is invalid: ${clean(errorText(error), root)}.`.replace(/\.\.$/, '.'));
    return;
  }
  const errors = details as AjvLikeError[];
  const spoiled = new Set(errors.map((e) => e.instancePath ?? '').filter((p) => underPlaceholder(validated, p, bundled.placeholders)));
  const aboveSpoiled = ancestors(spoiled);
  const own = errors.filter((e) => {
    const p = e.instancePath ?? '';
    if (spoiled.has(p)) return false;
    // A combinator failing only because a child is a stand-in.
    return !(isNoise(e) && aboveSpoiled.has(p));
  });
  if (own.length === 0) return;
  const picked = pickErrors(own);
  let count = 0;
  for (const e of picked) {
    if (count === MAX_VALIDATION_NOTES) {
      notes.add('warning', 'spec-invalid', root.rel, undefined, `${picked.length - count} more schema validation errors not shown.`);
      break;
    }
    const { loc } = await loader.walk(root, e.at, true);
    const line = keyLine(loc.file, loc.ptr);
    const where = e.instancePath ? e.instancePath : '/';
    notes.add('warning', 'spec-invalid', loc.file.rel, line, `spec is invalid at ${where}: ${e.text}.`);
    count++;
  }
}

const COMBINATORS = new Set(['oneOf', 'anyOf', 'if', 'not']);

/**
 * Ajv (allErrors) reports every branch of every `oneOf`. Keep one message per place, the most specific:
 * - a place with errors further down only keeps its `additionalProperties` errors (unknown keys are real
 *   problems), and not even those when a combinator failed there (they come from the other branches);
 * - "must have required property '$ref'" and combinator failures only when nothing else is said there;
 * - several `enum` failures at one place (one per branch) become one list of allowed values.
 */
function pickErrors(errors: AjvLikeError[]): { instancePath: string; at: string[]; text: string }[] {
  const byPath = new Map<string, AjvLikeError[]>();
  for (const e of errors) {
    const p = e.instancePath ?? '';
    const list = byPath.get(p);
    if (list) list.push(e);
    else byPath.set(p, [e]);
  }
  const withDeeper = ancestors(byPath.keys());
  const out: { instancePath: string; at: string[]; text: string }[] = [];
  for (const [p, errs] of byPath) {
    let keep = errs;
    if (withDeeper.has(p)) {
      keep = errs.some((e) => COMBINATORS.has(e.keyword ?? '')) ? [] : errs.filter((e) => e.keyword === 'additionalProperties');
    }
    const real = keep.filter((e) => !isNoise(e));
    if (real.length) keep = real;
    if (!keep.length) continue;
    const at = parsePointer(p, false) ?? [];
    // An unknown key: point at the key itself.
    for (const e of keep) {
      const extra = e.params?.additionalProperty;
      if (e.keyword === 'additionalProperties' && typeof extra === 'string') out.push({ instancePath: p, at: [...at, extra], text: describe(e) });
    }
    keep = keep.filter((e) => !(e.keyword === 'additionalProperties' && typeof e.params?.additionalProperty === 'string'));
    if (!keep.length) continue;
    const texts: string[] = [];
    const allowed = keep.filter((e) => e.keyword === 'enum').flatMap((e) => (Array.isArray(e.params?.allowedValues) ? e.params.allowedValues : []));
    if (allowed.length) texts.push(`must be one of ${[...new Set(allowed.map((v) => JSON.stringify(v)))].join(', ')}`);
    for (const e of keep) {
      if (e.keyword === 'enum') continue;
      const t = describe(e);
      if (!texts.includes(t)) texts.push(t);
    }
    out.push({ instancePath: p, at, text: texts.join('; ') });
  }
  return out;
}

/** Every proper prefix (`/a`, `/a/b` for `/a/b/c`, and `''`) of the given JSON pointers. */
function ancestors(pointers: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of pointers) {
    for (let i = p.lastIndexOf('/'); i >= 0; i = p.lastIndexOf('/', i - 1)) {
      const prefix = p.slice(0, i);
      if (out.has(prefix)) break;
      out.add(prefix);
      if (i === 0) break;
    }
  }
  return out;
}

function underPlaceholder(doc: unknown, pointer: string, placeholders: WeakSet<object>): boolean {
  let cur: unknown = doc;
  for (const seg of parsePointer(pointer, false) ?? []) {
    if (cur === null || typeof cur !== 'object') return false;
    if (placeholders.has(cur)) return true;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur !== null && typeof cur === 'object' && placeholders.has(cur);
}

function isNoise(e: AjvLikeError): boolean {
  return ['oneOf', 'anyOf', 'if', 'not'].includes(e.keyword ?? '') || (e.keyword === 'required' && e.params?.missingProperty === '$ref');
}

function describe(e: AjvLikeError): string {
  let msg = e.message ?? 'is invalid';
  const p = e.params ?? {};
  if (e.keyword === 'additionalProperties' && typeof p.additionalProperty === 'string') msg += ` (${p.additionalProperty})`;
  return msg;
}

/** swagger-parser messages may name the document by URL or absolute path: use the repo-relative name. */
function clean(msg: string, root: SpecFile): string {
  return msg.split(pathToFileURL(root.abs).href).join(root.rel).split(root.abs).join(root.rel);
}
