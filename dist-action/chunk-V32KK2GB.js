import { createRequire as __apilanternCreateRequire } from 'node:module';
const require = __apilanternCreateRequire(import.meta.url);
import {
  loadSpec
} from "./chunk-52SCNBL3.js";
import {
  looksLikeSpec
} from "./chunk-X742OSD6.js";
import "./chunk-KLNQWGDO.js";
export {
  loadSpec,
  looksLikeSpec
};
