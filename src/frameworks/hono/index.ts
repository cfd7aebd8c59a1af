import type { FrameworkPlugin } from '../types.js';

/** hono: not implemented yet (issue 3). Turns on for nothing. */
export const honoPlugin: FrameworkPlugin = {
  name: 'hono',
  packages: ['hono'],
  isEntry: () => false,
  start: () => ({ hooks: { name: 'hono' }, finish: () => [] }),
};
