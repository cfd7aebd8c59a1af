import { createRequire as __apilanternCreateRequire } from 'node:module';
const require = __apilanternCreateRequire(import.meta.url);
import {
  loadSpec
} from "./chunk-DZBBBFRF.js";
import {
  looksLikeSpec
} from "./chunk-3JAZL3ZZ.js";
import "./chunk-KLNQWGDO.js";
export {
  loadSpec,
  looksLikeSpec
};
