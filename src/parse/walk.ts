import type * as t from '@babel/types';

const SKIP = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'range']);

/**
 * Visits every node under `root` without recursion (deeply nested code cannot overflow the stack). Stops after
 * `limit` nodes, or when `visit` returns true.
 */
export function walkNodes(root: t.Node, visit: (n: t.Node) => boolean | void, limit = 20000): void {
  const stack: t.Node[] = [root];
  let count = 0;
  while (stack.length && count++ < limit) {
    const n = stack.pop()!;
    if (visit(n) === true) return;
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
