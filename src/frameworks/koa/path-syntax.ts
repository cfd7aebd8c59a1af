import type { PathT } from '../../resolve/paths.js';
import { expressPath } from '../express/path-syntax.js';

/**
 * @koa/router and koa-router path strings to templates. Up to @koa/router 13 (and every koa-router) they are
 * path-to-regexp 1.x–6.x strings: `:id`, `:id?` (two variants), `:id(\\d+)`, `:path*` / `:path+`, and the unnamed
 * group `(.*)` that Koa code writes for "anything below"; @koa/router 14+ uses path-to-regexp 8 (`*name`, `{/:id}`),
 * which is Express 5's syntax. Express's parser reads both; what it reads differently is `(.*)`, an unnamed group it
 * keeps as an unresolved part, while in Koa it is the ordinary wildcard: it becomes `{*}` (`:name(.*)` → `{name*}`).
 */
export function koaPath(text: string): PathT[] {
  const rewritten = text
    .replace(/:([A-Za-z_$][\w$]*)\(\.[*+]\)/g, '*$1')
    .replace(/(^|[^\w$)\\])\(\.[*+]\)/g, '$1*');
  return expressPath(rewritten);
}
