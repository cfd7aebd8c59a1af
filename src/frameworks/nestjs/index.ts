import type { FrameworkPlugin } from '../types.js';

/** nestjs: not implemented yet (issue 3). Turns on for nothing. */
export const nestPlugin: FrameworkPlugin = {
  name: 'nestjs',
  packages: ['@nestjs/core', '@nestjs/common'],
  isEntry: () => false,
  start: () => ({ hooks: { name: 'nestjs' }, finish: () => [] }),
};
