import { createRequire as __apilanternCreateRequire } from 'node:module';
const require = __apilanternCreateRequire(import.meta.url);
import {
  loadSpec
} from "./chunk-4P7ZKLEC.js";
import {
  looksLikeSpec
} from "./chunk-XORUWEOU.js";
import "./chunk-KLNQWGDO.js";
export {
  loadSpec,
  looksLikeSpec
};
