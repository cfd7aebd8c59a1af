import type * as t from '@babel/types';
import type { Unresolved } from '../model.js';
import type { Env } from './env.js';
import type { ModuleRecord } from './interpreter.js';

/**
 * Values of the static interpreter. Anything that cannot be known is an `unknown` carrying the source text and the
 * reason, so that later stages can report it instead of dropping or inventing it.
 */

export interface Loc {
  file: string;
  line: number;
  column: number;
}

export interface StrV {
  kind: 'str';
  value: string;
  /** Assumptions made to get this value (e.g. the default of an unset environment variable). */
  notes?: string[];
}
/** A string with parts that are not known statically. */
export interface PStrV {
  kind: 'pstr';
  parts: Array<string | Unresolved>;
  notes?: string[];
}
export interface NumV {
  kind: 'num';
  value: number;
}
export interface BoolV {
  kind: 'bool';
  value: boolean;
}
export interface NullV {
  kind: 'null';
}
export interface UndefV {
  kind: 'undef';
}
export interface RegexV {
  kind: 'regex';
  pattern: string;
  flags: string;
  /** Where the literal is written (for the warning when it cannot be run safely). */
  loc?: Loc;
}
export interface UnknownV {
  kind: 'unknown';
  text: string;
  reason: string;
  loc?: Loc;
}
export interface LazyV {
  kind: 'lazy';
  get: () => Value;
}
export interface ObjV {
  kind: 'obj';
  id: number;
  props: Map<string, Value>;
  /** Some properties may exist that we could not see (spread of an unknown, computed keys). */
  partial: boolean;
  cls?: ClassV;
  loc?: Loc;
  /** For module namespaces and CommonJS export objects: the module they belong to. */
  module?: string;
  /** For a Map or Set the interpreter models: its entries (never a property, so scanned code cannot forge one). */
  entries?: ArrV;
}
export interface ArrV {
  kind: 'arr';
  items: Value[];
  partial: boolean;
}
export type FunctionNode = t.FunctionDeclaration | t.FunctionExpression | t.ArrowFunctionExpression | t.ObjectMethod | t.ClassMethod | t.ClassPrivateMethod;
export interface FnV {
  kind: 'fn';
  node: FunctionNode;
  env: Env;
  mod: ModuleRecord;
  name?: string;
  thisVal?: Value;
  /** The class that holds this method (for `super`). */
  homeClass?: ClassV;
}
export interface ClassV {
  kind: 'class';
  node: t.ClassDeclaration | t.ClassExpression;
  env: Env;
  mod: ModuleRecord;
  name?: string;
  superV?: Value;
  statics: Map<string, Value>;
  id: number;
}
/** One step in a chain of accesses on a value that comes from a package we do not read. */
export type ExtStep = { prop: string } | { call: Value[]; loc?: Loc; text?: string } | { new: Value[]; loc?: Loc };
/** A value from a package we do not read (express, passport, ...): kept as its access chain for plugins to interpret. */
export interface ExtV {
  kind: 'ext';
  module: string;
  chain: ExtStep[];
  text: string;
  loc?: Loc;
}
/** A framework object owned by a plugin (an express app or router, ...). */
export interface HostV {
  kind: 'host';
  plugin: string;
  tag: string;
  data: unknown;
  id: number;
}
/** A method of a host object, read but not yet called. */
export interface HostFnV {
  kind: 'hostfn';
  host: HostV;
  name: string;
}

/** A function of the interpreter itself (Object.keys, path.join, require, ...). */
export interface NativeV {
  kind: 'native';
  name: string;
  call: (args: Value[], thisVal: Value, ctx: import('./interpreter.js').CallContext) => Value;
}

export type Value = StrV | PStrV | NumV | BoolV | NullV | UndefV | RegexV | UnknownV | LazyV | ObjV | ArrV | FnV | ClassV | ExtV | HostV | HostFnV | NativeV;

let nextId = 1;
export function newId(): number {
  return nextId++;
}

export const UNDEF: UndefV = { kind: 'undef' };
export const NULL: NullV = { kind: 'null' };

export function str(value: string, notes?: string[]): StrV {
  return notes?.length ? { kind: 'str', value, notes } : { kind: 'str', value };
}
export function unknown(text: string, reason: string, loc?: Loc): UnknownV {
  return { kind: 'unknown', text: text.length > 120 ? text.slice(0, 117) + '...' : text, reason, loc };
}
export function obj(props?: Iterable<[string, Value]>, partial = false): ObjV {
  return { kind: 'obj', id: newId(), props: new Map(props ?? []), partial };
}
export function arr(items: Value[], partial = false): ArrV {
  return { kind: 'arr', items, partial };
}

/**
 * A lookup table keyed by names that come from scanned code (method names, decorator names, option keys): it has
 * no prototype, so `constructor`, `__proto__`, `toString` and their kin are absent keys, never Object's own functions.
 */
export function lookupTable<T>(entries: Record<string, T>): Readonly<Record<string, T | undefined>> {
  const t = Object.create(null) as Record<string, T | undefined>;
  for (const k of Object.keys(entries)) t[k] = entries[k];
  return Object.freeze(t);
}

/** What every plain JavaScript object answers to without owning it (Object.prototype's members). */
export const OBJECT_PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

export function force(v: Value): Value {
  let cur = v;
  for (let i = 0; cur.kind === 'lazy' && i < 50; i++) cur = cur.get();
  return cur.kind === 'lazy' ? unknown('?', 'lazy value chain too deep') : cur;
}

/** Truthiness when known: true/false, or undefined when it cannot be decided. */
export function truthy(v: Value): boolean | undefined {
  switch (v.kind) {
    case 'str':
      return v.value.length > 0;
    case 'num':
      return v.value !== 0 && !Number.isNaN(v.value);
    case 'bool':
      return v.value;
    case 'null':
    case 'undef':
      return false;
    case 'obj':
    case 'arr':
    case 'fn':
    case 'class':
    case 'regex':
    case 'host':
    case 'hostfn':
    case 'native':
      return true;
    default:
      return undefined;
  }
}

/** The string form of a primitive, when known. */
export function asString(v: Value): string | undefined {
  switch (v.kind) {
    case 'str':
      return v.value;
    case 'num':
      return String(v.value);
    case 'bool':
      return String(v.value);
    case 'null':
      return 'null';
    case 'undef':
      return 'undefined';
    default:
      return undefined;
  }
}

/** Concatenates two values as strings, keeping unknown parts as holes. */
export function concat(a: Value, b: Value, textOf: (v: Value) => Unresolved): Value {
  const partsOf = (v: Value): Array<string | Unresolved> => {
    if (v.kind === 'pstr') return v.parts;
    const s = asString(v);
    return s !== undefined ? [s] : [textOf(v)];
  };
  const parts = [...partsOf(a), ...partsOf(b)];
  const merged: Array<string | Unresolved> = [];
  for (const p of parts) {
    const last = merged[merged.length - 1];
    if (typeof p === 'string' && typeof last === 'string') merged[merged.length - 1] = last + p;
    else merged.push(p);
  }
  const notes = [...((a as StrV).notes ?? []), ...((b as StrV).notes ?? [])];
  if (merged.every((p) => typeof p === 'string')) return str(merged.join(''), notes);
  return notes.length ? { kind: 'pstr', parts: merged, notes } : { kind: 'pstr', parts: merged };
}

/**
 * Would putting `v` into the array `target` make an array that contains itself (through arrays)? Every walk over
 * arrays (handler lists, path lists) would then never end, so the interpreter stores an unknown there instead.
 */
export function wouldNestItself(target: ArrV, v: Value): boolean {
  if (v.kind !== 'arr') return false;
  const seen = new Set<ArrV>();
  const stack: ArrV[] = [v];
  while (stack.length) {
    const a = stack.pop()!;
    if (a === target) return true;
    if (seen.has(a)) continue;
    seen.add(a);
    for (const x of a.items) if (x.kind === 'arr') stack.push(x);
  }
  return false;
}

export function isFunctionLike(v: Value): boolean {
  return v.kind === 'fn' || v.kind === 'class' || v.kind === 'hostfn';
}
