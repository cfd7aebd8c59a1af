import type { FrameworkPlugin } from '../types.js';

/** hapi: not implemented yet (issue 3). Turns on for nothing. */
export const hapiPlugin: FrameworkPlugin = {
  name: 'hapi',
  packages: ['@hapi/hapi', 'hapi'],
  isEntry: () => false,
  start: () => ({ hooks: { name: 'hapi' }, finish: () => [] }),
};
