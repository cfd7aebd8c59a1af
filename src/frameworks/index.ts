import { expressPlugin } from './express/index.js';
import type { FrameworkPlugin } from './types.js';

/** Every framework plugin. A new framework is a folder beside `express/` and one line here. */
export const FRAMEWORKS: FrameworkPlugin[] = [expressPlugin];
