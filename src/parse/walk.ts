import { AsyncLocalStorage } from 'node:async_hooks';
import type * as t from '@babel/types';
import type { Notification } from '../model.js';

/** Nodes one walk reads at most: a larger function body (generated code) is read in part, and that is reported. */
export const WALK_LIMIT = 20_000;

const cutScope = new AsyncLocalStorage<{ notify: (n: Notification) => void; reported: Set<string> }>();

/** Runs `fn` (a scan) so that walks cut short at {@link WALK_LIMIT} are reported to `notify`, once per place. */
export function withWalkScope<T>(notify: (n: Notification) => void, fn: () => T): T {
  return cutScope.run({ notify, reported: new Set() }, fn);
}

/** Reports that the walk of `root` stopped at the limit (the file is the parser's `sourceFilename`). */
export function reportWalkCut(root: t.Node, limit: number): void {
  const scope = cutScope.getStore();
  const file = root.loc?.filename;
  const line = root.loc?.start.line;
  if (!scope || !file) return;
  const key = `${file}:${line}`;
  if (scope.reported.has(key)) return;
  scope.reported.add(key);
  scope.notify({ level: 'warning', code: 'analysis-budget', message: `${key}: this code is too large to read whole (more than ${limit.toLocaleString('en')} syntax nodes); only that much was read, so what it does about authentication or methods may be missed.`, file, ...(line ? { line } : {}) });
}

const SKIP = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'range']);

/**
 * Visits every node under `root` without recursion (deeply nested code cannot overflow the stack). Stops after
 * `limit` nodes, or when `visit` returns true; `'skip'` does not descend into that node.
 */
export function walkNodes(root: t.Node, visit: (n: t.Node) => boolean | 'skip' | void, limit = WALK_LIMIT): void {
  const stack: t.Node[] = [root];
  let count = 0;
  while (stack.length) {
    if (count++ >= limit) {
      reportWalkCut(root, limit);
      return;
    }
    const n = stack.pop()!;
    const r = visit(n);
    if (r === true) return;
    if (r === 'skip') continue;
    for (const k of Object.keys(n)) {
      if (SKIP.has(k)) continue;
      const child = (n as unknown as Record<string, unknown>)[k];
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const c = child[i] as t.Node | null;
          if (c && typeof c === 'object' && typeof c.type === 'string') stack.push(c);
        }
      } else if (child && typeof child === 'object' && typeof (child as t.Node).type === 'string') stack.push(child as t.Node);
    }
  }
}

export function isFunctionNode(n: t.Node): boolean {
  return n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression' || n.type === 'FunctionDeclaration' || n.type === 'ObjectMethod' || n.type === 'ClassMethod';
}

/**
 * Does the function call its own `next` parameter (named `next`/`done`, else the third) with no argument in its own
 * body (not in a nested callback)? That is how a middleware passes a request on; `next(err)` and `iterator.next()`
 * do not count.
 */
export function callsNextItself(fn: t.Function): boolean {
  // Express `(req, res, next)`, Koa and Hono `(ctx, next)` / `(c, next)`, Fastify's `done`
  const named = fn.params.find((x) => x.type === 'Identifier' && /^(next|done)$/.test(x.name));
  const p = named ?? fn.params[2];
  if (!p || p.type !== 'Identifier') return false;
  const name = p.name;
  let found = false;
  walkNodes(fn.body, (n) => {
    if (n !== fn.body && isFunctionNode(n)) return 'skip';
    if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === name && n.arguments.length === 0) {
      found = true;
      return true;
    }
    return false;
  });
  return found;
}
