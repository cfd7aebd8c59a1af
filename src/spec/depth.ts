/**
 * Bounded nesting. Everything downstream of the loader (the bundler, swagger-parser's dereferencing, Ajv) walks
 * values recursively, so a spec nested 10,000 levels deep would overflow the stack (and take minutes and gigabytes
 * before doing so). The loader cuts what lies deeper than a bound, replacing it with an empty value, and says where:
 * in the YAML token stream before anything recursive runs, in the JSON parser (json.ts) as it reads, and on values
 * that are graphs (YAML aliases, `$ref`s followed by the validator), here, without recursion.
 */
import type { CST } from 'yaml';

/** Deepest nesting of arrays and objects read from a spec file (far beyond any real schema). */
export const MAX_SPEC_DEPTH = 256;
/** Deepest nesting validated, with other files inlined and `$ref`s inside the document followed. */
export const MAX_VALIDATE_DEPTH = 256;

type Slot = { key?: CST.Token; value?: CST.Token };

/**
 * Empties the YAML collections that are nested more than `max` levels deep in the token stream (they become `[]` or
 * `{}`), in place and without recursion. Returns the offsets of what was emptied, and whether any alias was seen
 * (aliases can build deep values out of shallow text: see {@link boundDepth}).
 */
export function cutYamlTokens(tokens: CST.Token[], max: number): { cuts: number[]; aliases: boolean } {
  const cuts: number[] = [];
  let aliases = false;
  const stack: Array<[Slot, 'key' | 'value', number]> = [];
  for (const t of tokens) if (t.type === 'document' && t.value) stack.push([t as Slot, 'value', 0]);
  while (stack.length) {
    const [holder, slot, depth] = stack.pop()!;
    const tok = holder[slot];
    if (!tok) continue;
    if (tok.type === 'alias') aliases = true;
    if (tok.type !== 'block-map' && tok.type !== 'block-seq' && tok.type !== 'flow-collection') continue;
    if (depth >= max) {
      cuts.push(tok.offset);
      if (tok.type === 'flow-collection') {
        tok.items = [];
      } else {
        const map = tok.type === 'block-map';
        const at = { offset: tok.offset, indent: tok.indent };
        holder[slot] = {
          type: 'flow-collection',
          ...at,
          start: { type: map ? 'flow-map-start' : 'flow-seq-start', ...at, source: map ? '{' : '[' },
          items: [],
          end: [{ type: map ? 'flow-map-end' : 'flow-seq-end', ...at, source: map ? '}' : ']' }],
        };
      }
      continue;
    }
    for (const it of tok.items as Slot[]) {
      if (it.key) stack.push([it, 'key', depth + 1]);
      if (it.value) stack.push([it, 'value', depth + 1]);
    }
  }
  cuts.sort((a, b) => a - b);
  return { cuts, aliases };
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return v !== null && typeof v === 'object';
}

export interface BoundOptions {
  /** Where a `$ref` holder leads (for the validator, which inlines it); undefined when nowhere. */
  target?: (holder: Record<string, unknown>) => object | undefined;
  /** The empty value put in place of a cut one. */
  empty?: (cut: Container) => object;
  /** Called with a `$ref` holder whose `$ref` was removed (what it leads to is too deep). */
  cutRef?: (holder: Record<string, unknown>) => void;
}

/**
 * Cuts a value that is a graph (shared objects, even cycles) so that no walk from the root goes more than `max`
 * containers deep, following `target` edges as a walker that inlines `$ref`s would. Iterative: a depth-first order
 * of the containers, then the longest distance from the root of each (edges back into a cycle are left out: walkers
 * stop at cycles), then every non-empty container below a container at distance `max - 1` is replaced by an empty
 * one. Returns how many were cut and the pointer (first discovery) of the first one.
 */
export function boundDepth(root: unknown, max: number, opts: BoundOptions = {}): { cuts: number; first?: string[] } {
  if (!isContainer(root)) return { cuts: 0 };
  const post = new Map<object, number>(); // depth-first finishing number; -1 while on the stack
  const order: Container[] = [];
  const keysOf = (o: Container): string[] | null => (Array.isArray(o) ? null : Object.keys(o));
  type Frame = { node: Container; keys: string[] | null; i: number; refDone: boolean };
  const frames: Frame[] = [{ node: root, keys: keysOf(root), i: 0, refDone: false }];
  post.set(root, -1);
  while (frames.length) {
    const f = frames[frames.length - 1]!;
    let c: unknown;
    if (f.keys === null && f.i < (f.node as unknown[]).length) c = (f.node as unknown[])[f.i++];
    else if (f.keys !== null && f.i < f.keys.length) c = (f.node as Record<string, unknown>)[f.keys[f.i++]!];
    else if (!f.refDone) {
      f.refDone = true;
      c = opts.target && f.keys !== null && typeof (f.node as Record<string, unknown>).$ref === 'string' ? opts.target(f.node as Record<string, unknown>) : undefined;
    } else {
      frames.pop();
      post.set(f.node, order.length);
      order.push(f.node);
      continue;
    }
    if (isContainer(c) && !post.has(c)) {
      post.set(c, -1);
      frames.push({ node: c, keys: keysOf(c), i: 0, refDone: false });
    }
  }

  // longest distance from the root, in topological order (decreasing finishing number)
  const dist = new Int32Array(order.length);
  const edges = (u: Container, each: (v: Container) => void): void => {
    if (Array.isArray(u)) {
      for (const v of u) if (isContainer(v)) each(v);
    } else {
      for (const k of Object.keys(u)) {
        const v = u[k];
        if (isContainer(v)) each(v);
      }
      if (opts.target && typeof u.$ref === 'string') {
        const t = opts.target(u);
        if (isContainer(t)) each(t);
      }
    }
  };
  let deepest = 0;
  for (let ui = order.length - 1; ui >= 0; ui--) {
    const d = dist[ui]! + 1;
    edges(order[ui]!, (v) => {
      const vi = post.get(v)!;
      if (vi < ui && dist[vi]! < d) dist[vi] = d; // vi > ui: an edge back into a cycle
    });
    if (dist[ui]! > deepest) deepest = dist[ui]!;
  }
  if (deepest < max) return { cuts: 0 };

  const nonEmpty = (c: Container): boolean =>
    Array.isArray(c) ? c.length > 0 : Object.keys(c).length > 0 || (opts.target !== undefined && typeof c.$ref === 'string');
  const empty = opts.empty ?? ((c: Container) => (Array.isArray(c) ? [] : {}));
  let cuts = 0;
  let firstParent: Container | undefined;
  let firstKey = '';
  // in topological order, so that what a cut made unreachable is neither cut nor counted
  const reachable = new Uint8Array(order.length);
  reachable[order.length - 1] = 1;
  for (let ui = order.length - 1; ui >= 0; ui--) {
    if (!reachable[ui]) continue;
    const u = order[ui]!;
    const cutHere = dist[ui]! + 1 >= max;
    const slots = Array.isArray(u) ? u.map((_, i) => String(i)) : Object.keys(u);
    for (const k of slots) {
      const v = (u as Record<string, unknown>)[k];
      if (!isContainer(v)) continue;
      if (!cutHere || !nonEmpty(v)) {
        const vi = post.get(v);
        if (vi !== undefined) reachable[vi] = 1;
        continue;
      }
      if (cuts === 0) {
        firstParent = u;
        firstKey = k;
      }
      cuts++;
      const e = empty(v);
      if (Array.isArray(u)) u[Number(k)] = e;
      else Object.defineProperty(u, k, { value: e, enumerable: true, writable: true, configurable: true });
    }
    if (opts.target && !Array.isArray(u) && typeof u.$ref === 'string') {
      const t = opts.target(u);
      if (t && !cutHere) {
        const ti = post.get(t);
        if (ti !== undefined) reachable[ti] = 1;
      } else if (t && isContainer(t) && nonEmpty(t)) {
        // what the `$ref` would bring in is too deep: the `$ref` goes
        if (cuts === 0) firstParent = u;
        cuts++;
        delete u.$ref;
        opts.cutRef?.(u);
      }
    }
  }
  if (!cuts) return { cuts: 0 };
  const at = firstParent ? pointerTo(root, firstParent) : undefined;
  return { cuts, first: at ? (firstKey === '' ? at : [...at, firstKey]) : undefined };
}

/** The pointer of the first path (breadth first, no `$ref` followed) from `root` to `goal`. */
function pointerTo(root: Container, goal: Container): string[] | undefined {
  const from = new Map<object, [Container, string] | null>([[root, null]]);
  const queue: Container[] = [root];
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q]!;
    if (u === goal) {
      const ptr: string[] = [];
      for (let at = from.get(u); at; at = from.get(at[0])) ptr.push(at[1]);
      return ptr.reverse();
    }
    const keys = Array.isArray(u) ? u.map((_, i) => String(i)) : Object.keys(u);
    for (const k of keys) {
      const v = (u as Record<string, unknown>)[k];
      if (isContainer(v) && !from.has(v)) {
        from.set(v, [u, k]);
        queue.push(v);
      }
    }
  }
  return undefined;
}
