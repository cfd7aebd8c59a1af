import type { FrameworkPlugin } from '../types.js';

/** nextjs: not implemented yet (issue 3). Turns on for nothing. */
export const nextPlugin: FrameworkPlugin = {
  name: 'nextjs',
  packages: ['next'],
  isEntry: () => false,
  start: () => ({ hooks: { name: 'nextjs' }, finish: () => [] }),
};
