import type { Rule } from '../src/rules/engine.js';
import methodMismatch from './method-mismatch.js';
import missingRateLimit from './missing-rate-limit.js';
import shadowEndpoint from './shadow-endpoint.js';
import specAuthMismatch from './spec-auth-mismatch.js';
import unauthenticatedEndpoint from './unauthenticated-endpoint.js';
import unauthenticatedWrite from './unauthenticated-write.js';
import undocumentedTraffic from './undocumented-traffic.js';
import unknownTraffic from './unknown-traffic.js';
import unusedEndpoint from './unused-endpoint.js';
import writeEndpoint from './write-endpoint.js';
import zombieEndpoint from './zombie-endpoint.js';

/** Every rule, in the order SARIF lists them. Ids are permanent. */
export const RULES: Rule[] = [
  shadowEndpoint,
  zombieEndpoint,
  methodMismatch,
  unauthenticatedWrite,
  unauthenticatedEndpoint,
  specAuthMismatch,
  writeEndpoint,
  undocumentedTraffic,
  unknownTraffic,
  unusedEndpoint,
  missingRateLimit,
];
