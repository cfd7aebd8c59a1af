import { expressPlugin } from './express/index.js';
import { fastifyPlugin } from './fastify/index.js';
import { hapiPlugin } from './hapi/index.js';
import { honoPlugin } from './hono/index.js';
import { koaPlugin } from './koa/index.js';
import { nestPlugin } from './nestjs/index.js';
import { nextPlugin } from './nextjs/index.js';
import type { FrameworkPlugin } from './types.js';

/** Every framework plugin. A new framework is a folder beside `express/` and one line here. */
export const FRAMEWORKS: FrameworkPlugin[] = [expressPlugin, nestPlugin, fastifyPlugin, koaPlugin, honoPlugin, nextPlugin, hapiPlugin];
