import type { FrameworkPlugin } from '../types.js';

/** fastify: not implemented yet (issue 3). Turns on for nothing. */
export const fastifyPlugin: FrameworkPlugin = {
  name: 'fastify',
  packages: ['fastify'],
  isEntry: () => false,
  start: () => ({ hooks: { name: 'fastify' }, finish: () => [] }),
};
