import { createRequire as __apilanternCreateRequire } from 'node:module';
const require = __apilanternCreateRequire(import.meta.url);

// src/traffic/types.ts
var LOG_FORMATS = ["combined", "common", "jsonl", "cloudflare", "alb", "har", "csv"];

export {
  LOG_FORMATS
};
