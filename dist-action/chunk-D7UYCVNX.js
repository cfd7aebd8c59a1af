import { createRequire as __apilanternCreateRequire } from 'node:module';
const require = __apilanternCreateRequire(import.meta.url);
import {
  loadSpec
} from "./chunk-WDTHNR5F.js";
import {
  looksLikeSpec
} from "./chunk-7JFEQL36.js";
import "./chunk-KLNQWGDO.js";
export {
  loadSpec,
  looksLikeSpec
};
