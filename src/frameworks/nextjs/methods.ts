import type * as t from '@babel/types';
import { HTTP_METHODS, type HttpMethod } from '../../model.js';
import { walkNodes, isFunctionNode } from '../../parse/walk.js';
import type { FnV } from '../../resolve/values.js';

/**
 * The methods a pages-router API route answers. Next calls the default export for every method; the handler picks
 * with `req.method === 'POST'`, `switch (req.method)` or `['GET', 'HEAD'].includes(req.method)`. When the handler
 * answers other methods too (no 405 and code that responds outside the method branches), `ALL` is added; when it
 * checks no method at all, it is `ALL`.
 */
export function pagesMethods(fn: FnV): HttpMethod[] | undefined {
  const node = fn.node;
  const p0 = node.params[0];
  const reqName = p0?.type === 'Identifier' ? p0.name : 'req';
  const methodNames = new Set<string>();
  const text = (n: t.Node) => fn.mod.text.slice(n.start ?? 0, n.end ?? 0);
  const own = (visit: (n: t.Node) => void) =>
    walkNodes(node.body, (n) => {
      if (n !== node.body && isFunctionNode(n)) return 'skip';
      visit(n);
      return false;
    });
  own((n) => {
    if (n.type !== 'VariableDeclarator' || !n.init) return;
    const init = text(n.init);
    if (n.id.type === 'Identifier' && init === `${reqName}.method`) methodNames.add(n.id.name);
    if (n.id.type === 'ObjectPattern' && init === reqName) {
      for (const p of n.id.properties) {
        if (p.type === 'ObjectProperty' && p.key.type === 'Identifier' && p.key.name === 'method' && p.value.type === 'Identifier') methodNames.add(p.value.name);
      }
    }
  });
  const isMethod = (n: t.Node): boolean => {
    const s = text(n).replace(/\?\./g, '.').replace(/\.toUpperCase\(\)$/, '');
    return s === `${reqName}.method` || methodNames.has(s);
  };
  const pos = new Set<string>();
  const neg = new Set<string>();
  const branches: t.Node[] = [];
  const add = (set: Set<string>, m: string) => {
    const u = m.toUpperCase();
    if ((HTTP_METHODS as readonly string[]).includes(u)) set.add(u);
  };
  own((n) => {
    if (n.type === 'BinaryExpression' && /^[!=]==?$/.test(n.operator)) {
      const [a, b] = [n.left, n.right];
      const lit = a.type === 'StringLiteral' ? a : b.type === 'StringLiteral' ? b : undefined;
      const other = lit === a ? b : a;
      if (!lit || !isMethod(other)) return;
      add(n.operator.startsWith('!') ? neg : pos, lit.value);
    } else if (n.type === 'SwitchStatement' && isMethod(n.discriminant)) {
      for (const c of n.cases) {
        if (c.test?.type === 'StringLiteral') {
          add(pos, c.test.value);
          branches.push(...c.consequent);
        }
      }
    } else if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && !n.callee.computed && n.callee.property.type === 'Identifier' && n.callee.property.name === 'includes' && n.callee.object.type === 'ArrayExpression' && n.arguments[0] && isMethod(n.arguments[0])) {
      for (const el of n.callee.object.elements) if (el?.type === 'StringLiteral') add(pos, el.value);
    } else if (n.type === 'IfStatement') {
      const tt = text(n.test);
      if (/===?\s*['"]/.test(tt) && [...methodNames, `${reqName}.method`].some((m) => tt.includes(m)) && !tt.includes('!')) branches.push(n.consequent);
    }
  });
  if (!pos.size && !neg.size) return undefined;
  const methods = new Set([...pos, ...neg]);
  const body = text(node.body);
  const refuses = /\b405\b|method not allowed|not allowed|setHeader\(\s*['"]Allow['"]/i.test(body);
  if (pos.size && !neg.size && !refuses) {
    // blank out the method branches: does the rest answer requests of any method?
    let rest = fn.mod.text.slice(0, node.body.end ?? 0);
    for (const b of branches) rest = rest.slice(0, b.start ?? 0) + ' '.repeat((b.end ?? 0) - (b.start ?? 0)) + rest.slice(b.end ?? 0);
    rest = rest.slice(node.body.start ?? 0);
    if (/\b(res|response)\s*\.\s*(json|send|end|status|redirect|write)\s*\(/.test(rest)) methods.add('ALL');
  }
  return [...methods].sort() as HttpMethod[];
}
