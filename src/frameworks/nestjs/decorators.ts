import type * as t from '@babel/types';
import type { Interpreter, ModuleRecord } from '../../resolve/interpreter.js';
import type { Env } from '../../resolve/env.js';
import { asString, force, type ExtV, type Loc, type Value } from '../../resolve/values.js';

/**
 * Nest decorators, read by value: each decorator expression is evaluated by the static interpreter, so a decorator
 * imported from '@nestjs/common' is an external call (`Controller('users')`), a project decorator
 * (`Public = () => SetMetadata(IS_PUBLIC_KEY, true)`, `Auth = () => applyDecorators(UseGuards(...), ...)`) is run
 * and flattened into the Nest decorators it applies.
 */

export interface Deco {
  /** The decorator's own name (`Get`, `UseGuards`, `SetMetadata`), or the written text for one we cannot read. */
  name: string;
  /** Package it comes from ('' for a value not known statically). */
  module: string;
  args: Value[];
  /** Argument nodes, when the decorator is written at this place (not reached through applyDecorators). */
  argNodes?: t.Node[];
  /** How the decorator is written where it is used (`@Public()`). */
  written: string;
  loc: Loc;
  /** A metadata decorator made with `Reflector.createDecorator()`: its identity. */
  metaKey?: string;
}

/** A key under which metadata is stored: a string, or the identity of a `Reflector.createDecorator()` decorator. */
export function metaKeyOf(v: Value | undefined): string | undefined {
  if (!v) return undefined;
  const f = force(v);
  if (f.kind === 'str') return `s:${f.value}`;
  if (f.kind === 'ext') return createdDecoratorKey(f);
  return undefined;
}

function createdDecoratorKey(e: ExtV): string | undefined {
  const props = e.chain.map((s) => ('prop' in s ? s.prop : 'call' in s ? '()' : 'new'));
  const at = props.indexOf('createDecorator');
  if (at < 0 || props[at + 1] !== '()') return undefined;
  const step = e.chain[at + 1] as { loc?: Loc };
  return `d:${e.module}:${step.loc?.file}:${step.loc?.line}:${step.loc?.column}`;
}

/** Evaluates the decorators written on a class or class member. */
export function readDecorators(it: Interpreter, rec: ModuleRecord, env: Env, node: { decorators?: t.Decorator[] | null }): Deco[] {
  const out: Deco[] = [];
  for (const d of node.decorators ?? []) {
    const written = it.text(d.expression, rec);
    const loc = it.loc(d, rec);
    let v: Value;
    try {
      v = force(it.evalExpr(d.expression, env, rec));
    } catch {
      out.push({ name: written, module: '', args: [], written, loc });
      continue;
    }
    const argNodes = d.expression.type === 'CallExpression' ? (d.expression.arguments as t.Node[]) : undefined;
    flatten(v, written, loc, argNodes, out, 0);
  }
  return out;
}

function flatten(v: Value, written: string, loc: Loc, argNodes: t.Node[] | undefined, out: Deco[], depth: number): void {
  const f = force(v);
  if (depth > 8) return;
  if (f.kind === 'arr') {
    for (const x of f.items) flatten(x, written, loc, undefined, out, depth + 1);
    return;
  }
  if (f.kind !== 'ext') {
    out.push({ name: written.replace(/\(.*$/s, ''), module: '', args: [], written, loc });
    return;
  }
  // the last call of the chain is the decorator factory's call: `Controller('x')`, `Reflector.createDecorator()(...)`
  let lastCall = -1;
  for (let i = f.chain.length - 1; i >= 0; i--) {
    if ('call' in f.chain[i]!) {
      lastCall = i;
      break;
    }
  }
  const props = f.chain.map((s) => ('prop' in s ? s.prop : undefined));
  const args = lastCall >= 0 ? (f.chain[lastCall] as { call: Value[] }).call : [];
  const before = lastCall >= 0 ? props.slice(0, lastCall) : props;
  const name = [...before].reverse().find((p): p is string => p !== undefined) ?? f.module;
  if (name === 'applyDecorators' && /^@nestjs\//.test(f.module)) {
    for (const a of args) flatten(a, written, loc, undefined, out, depth + 1);
    return;
  }
  const metaKey = lastCall >= 0 ? createdDecoratorKey({ ...f, chain: f.chain.slice(0, lastCall) }) : undefined;
  out.push({ name: metaKey ? 'createDecorator' : name, module: f.module, args, argNodes: depth === 0 ? argNodes : undefined, written, loc, metaKey });
}

/** Is `d` the Nest decorator `name` (from any '@nestjs/' package)? */
export function isNest(d: Deco, ...names: string[]): boolean {
  return /^@nestjs\//.test(d.module) && names.includes(d.name);
}

/** Metadata set by decorators: key → value (the first one written wins, like Nest's topmost decorator). */
export function metadataOf(decos: Deco[]): Map<string, { value: Value; deco: Deco }> {
  const out = new Map<string, { value: Value; deco: Deco }>();
  for (const d of decos) {
    if (isNest(d, 'SetMetadata')) {
      const k = metaKeyOf(d.args[0]);
      if (k && !out.has(k)) out.set(k, { value: d.args[1] ? force(d.args[1]) : { kind: 'undef' }, deco: d });
    } else if (d.metaKey && !out.has(d.metaKey)) out.set(d.metaKey, { value: d.args[0] ? force(d.args[0]) : { kind: 'undef' }, deco: d });
  }
  return out;
}

/** A short name for a guard / middleware value: `JwtAuthGuard`, `AuthGuard('jwt')`, `new RolesGuard()`. */
export function valueName(v: Value, fallback: string): string {
  const f = force(v);
  if (f.kind === 'class') return f.name ?? fallback;
  if (f.kind === 'obj' && f.cls) return `new ${f.cls.name ?? 'class'}()`;
  if (f.kind === 'fn') return f.name ?? fallback;
  if (f.kind === 'ext') {
    let s = '';
    for (const step of f.chain) {
      if ('prop' in step) s += (s ? '.' : '') + step.prop;
      else if ('call' in step) {
        const a = step.call.map((x) => {
          const xs = asString(force(x));
          return xs !== undefined ? `'${xs}'` : '...';
        });
        s += `(${a.join(', ')})`;
      } else s = `new ${s}()`;
    }
    return s || f.module;
  }
  if (f.kind === 'unknown') return f.text;
  return fallback;
}
