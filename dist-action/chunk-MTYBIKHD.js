import { createRequire as __apilanternCreateRequire } from 'node:module';
const require = __apilanternCreateRequire(import.meta.url);
import {
  loadSpec
} from "./chunk-FLRPPFJJ.js";
import {
  looksLikeSpec
} from "./chunk-LRA52F2V.js";
import "./chunk-KLNQWGDO.js";
export {
  loadSpec,
  looksLikeSpec
};
