import type { FrameworkPlugin } from '../types.js';

/** koa: not implemented yet (issue 3). Turns on for nothing. */
export const koaPlugin: FrameworkPlugin = {
  name: 'koa',
  packages: ['koa', '@koa/router', 'koa-router'],
  isEntry: () => false,
  start: () => ({ hooks: { name: 'koa' }, finish: () => [] }),
};
