import type { Rule } from '../src/rules/engine.js';
import methodMismatch from './method-mismatch.js';
import shadowEndpoint from './shadow-endpoint.js';
import specAuthMismatch from './spec-auth-mismatch.js';
import unauthenticatedEndpoint from './unauthenticated-endpoint.js';
import unauthenticatedWrite from './unauthenticated-write.js';
import writeEndpoint from './write-endpoint.js';
import zombieEndpoint from './zombie-endpoint.js';

/** Every rule, in the order SARIF lists them. Ids are permanent. */
export const RULES: Rule[] = [shadowEndpoint, zombieEndpoint, methodMismatch, unauthenticatedWrite, unauthenticatedEndpoint, specAuthMismatch, writeEndpoint];
