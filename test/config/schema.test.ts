// The published JSON schema (schema/apilantern.schema.json) and the hand validator of src/config/config.ts must
// accept and refuse the same configurations; the validator's messages must name the bad key.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ConfigError, validateConfig } from '../../src/config/config.js';
import { SEVERITY_ORDER } from '../../src/model.js';
import { RULES } from '../../rules/index.js';
import { REPO } from '../helpers.js';

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;

const SCHEMA_FILE = path.join(REPO, 'schema/apilantern.schema.json');
const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as {
  properties: Record<string, { properties?: Record<string, unknown>; enum?: string[] }>;
  definitions: { severity: { enum: string[] } };
};
const RULE_IDS = RULES.map((r) => r.id);
const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);

const handResult = (data: unknown): string | undefined => {
  try {
    validateConfig(data, 'cfg', RULE_IDS);
    return undefined;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message;
  }
};

const VALID: unknown[] = [
  { auth: { imports: { '@acme/auth-kit': 'required', '@acme/auth-kit#optionalUser': 'optional' }, publicPaths: ['/healthz', '/api/v1/public/*'] } },
  {},
  { $schema: './node_modules/apilantern/schema/apilantern.schema.json' },
  { include: ['src/**/*.ts'], exclude: [] },
  { include: ['src/..x/*.ts', 'a..b/**'] },
  { specs: ['openapi.yaml', { path: 'docs/billing.yaml' }, { path: 'docs/a.yaml', service: 'packages/a' }] },
  { severity: Object.fromEntries(RULE_IDS.map((id, i) => [id, SEVERITY_ORDER[i % SEVERITY_ORDER.length]])) },
  { auth: {} },
  { auth: { middleware: { requireAuth: 'required', 'auth.check': 'optional', cors: 'none', magic: 'unknown' } } },
  ...['critical', 'high', 'medium', 'low', 'note', 'none'].map((failOn) => ({ failOn })),
  { minSeverity: 'note' },
  { allowRemoteRefs: false },
  { maxFileBytes: 1 },
  { maxFileBytes: 0.5 },
  { traffic: {} },
  {
    traffic: {
      format: 'jsonl',
      sessionKey: 'header:Authorization',
      fields: { method: 'req.verb', path: 'req.url' },
      stripPrefixes: ['/v1', 'https://api.example.com'],
      minDuration: '7d',
      minSessions: 1,
    },
  },
  ...['auto', 'combined', 'common', 'jsonl', 'cloudflare', 'alb', 'har', 'csv'].map((format) => ({ traffic: { format } })),
  ...['ip', 'cookie:sid', 'field:user.id'].map((sessionKey) => ({ traffic: { sessionKey } })),
  ...['90s', '30m', '1.5h', '250ms', ' 1 h '].map((minDuration) => ({ traffic: { minDuration } })),
];

/** [config, the key the error message must name] */
const INVALID: Array<[unknown, string]> = [
  [{ auth: { imports: { '@acme/auth-kit': 'yes' } } }, 'auth.imports.@acme/auth-kit'],
  [{ auth: { publicPaths: ['healthz'] } }, 'auth.publicPaths'],
  [{ inclde: ['src'] }, 'inclde'],
  [{ baselin: 'x.json' }, 'baselin'],
  [{ include: 'src/**' }, 'include'],
  [{ include: ['../outside/*.ts'] }, 'include[0]'],
  [{ include: ['src/**/*.ts', '/etc/*.ts'] }, 'include[1]'],
  [{ include: ['src/../../x.ts'] }, 'include[0]'],
  [{ include: ['C:/x/*.ts'] }, 'include[0]'],
  [{ exclude: [1] }, 'exclude'],
  [{ specs: 'openapi.yaml' }, 'specs'],
  [{ specs: [{ service: 'a' }] }, 'specs[0].path'],
  [{ specs: [{ path: 1 }] }, 'specs[0].path'],
  [{ specs: [{ path: 'a.yaml', service: 2 }] }, 'specs[0].service'],
  [{ specs: [{ path: 'a.yaml', owner: 'x' }] }, 'specs[0].owner'],
  [{ specs: [3] }, 'specs[0]'],
  [{ severity: { 'no-such-rule': 'high' } }, 'severity.no-such-rule'],
  [{ severity: { 'shadow-endpoint': 'urgent' } }, 'severity.shadow-endpoint'],
  [{ severity: { 'shadow-endpoint': 'none' } }, 'severity.shadow-endpoint'],
  [{ severity: ['shadow-endpoint'] }, 'severity'],
  [{ auth: [] }, 'auth'],
  [{ auth: { guards: {} } }, 'auth.guards'],
  [{ auth: { middleware: ['requireAuth'] } }, 'auth.middleware'],
  [{ auth: { middleware: { requireAuth: 'yes' } } }, 'auth.middleware.requireAuth'],
  [{ failOn: 'severe' }, 'failOn'],
  [{ failOn: 1 }, 'failOn'],
  [{ minSeverity: 'none' }, 'minSeverity'],
  [{ allowRemoteRefs: 'true' }, 'allowRemoteRefs'],
  [{ maxFileBytes: 0 }, 'maxFileBytes'],
  [{ maxFileBytes: '2MB' }, 'maxFileBytes'],
  [{ traffic: 'jsonl' }, 'traffic'],
  [{ traffic: { formt: 'jsonl' } }, 'traffic.formt'],
  [{ traffic: { format: 'apache' } }, 'traffic.format'],
  [{ traffic: { sessionKey: 'header:' } }, 'traffic.sessionKey'],
  [{ traffic: { sessionKey: 'token' } }, 'traffic.sessionKey'],
  [{ traffic: { fields: { method: 1 } } }, 'traffic.fields'],
  [{ traffic: { stripPrefixes: '/v1' } }, 'traffic.stripPrefixes'],
  [{ traffic: { minDuration: 'a week' } }, 'traffic.minDuration'],
  [{ traffic: { minDuration: 60 } }, 'traffic.minDuration'],
  [{ traffic: { minSessions: 0 } }, 'traffic.minSessions'],
  [{ traffic: { minSessions: '50' } }, 'traffic.minSessions'],
];

test('the schema is a valid draft-07 schema (ajv strict mode compiles it)', () => {
  assert.type(validate, 'function');
  assert.is((schema as unknown as { $schema: string }).$schema, 'http://json-schema.org/draft-07/schema#');
});

test('schema: the rule ids in severity are exactly the rules of rules/index.ts', () => {
  assert.equal(Object.keys(schema.properties.severity.properties ?? {}).sort(), [...RULE_IDS].sort());
});

test('schema: the severities are exactly SEVERITY_ORDER', () => {
  assert.equal(schema.definitions.severity.enum, SEVERITY_ORDER);
  assert.equal(schema.properties.failOn.enum, [...SEVERITY_ORDER, 'none']);
});

test('schema: the top-level keys are exactly those the validator knows', () => {
  const msg = handResult({ zzz: 1 }) ?? '';
  const known = /known: ([^)]*)\)/.exec(msg)?.[1].split(', ') ?? [];
  assert.ok(known.length > 5, msg);
  assert.equal(Object.keys(schema.properties).filter((k) => k !== '$schema').sort(), known.sort());
});

test('valid configurations: accepted by both the schema and the validator', () => {
  for (const c of VALID) {
    assert.ok(validate(c), `schema refuses ${JSON.stringify(c)}: ${JSON.stringify(validate.errors)}`);
    assert.is(handResult(c), undefined, `validator refuses ${JSON.stringify(c)}`);
  }
});

test('invalid configurations: refused by both; the message names the bad key', () => {
  for (const [c, key] of INVALID) {
    assert.not.ok(validate(c), `schema accepts ${JSON.stringify(c)}`);
    const msg = handResult(c);
    assert.ok(msg, `validator accepts ${JSON.stringify(c)}`);
    assert.ok(msg!.includes(`'${key}'`), `message for ${JSON.stringify(c)} should name '${key}': ${msg}`);
  }
});

test('not an object: refused by both', () => {
  for (const c of [[], 'x', 3, true]) {
    assert.not.ok(validate(c), JSON.stringify(c));
    assert.ok(handResult(c), JSON.stringify(c));
  }
});

test.run();
