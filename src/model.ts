/**
 * The data model shared by every stage of the pipeline:
 * discover → parse → frameworks → resolve → inventory → rules → report.
 *
 * Paths of files are always repo-relative with forward slashes. Lines are 1-based; columns are 1-based.
 */

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number] | 'ALL';

/** Methods that change state. `ALL` counts: it accepts every method. */
export const WRITE_METHODS: ReadonlySet<HttpMethod> = new Set<HttpMethod>(['POST', 'PUT', 'PATCH', 'DELETE', 'ALL']);

export function isWriteMethod(m: HttpMethod): boolean {
  return WRITE_METHODS.has(m);
}

/** How an endpoint is protected. `unknown` is an honest answer, never a guess. */
export type AuthState = 'required' | 'optional' | 'none' | 'unknown';

export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'note';
export const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'note'];
export function severityRank(s: Severity): number {
  return SEVERITY_ORDER.length - SEVERITY_ORDER.indexOf(s);
}

/** One reason for an endpoint's auth decision (a middleware, a guard, a spec requirement, a handler check). */
export interface AuthEvidence {
  kind: 'middleware' | 'handler' | 'config' | 'spec';
  /** What the code calls it: `passport.authenticate('jwt')`, `requireAuth`. */
  name: string;
  auth: AuthState;
  /** Why it was classified so: `express-jwt`, `responds 401 when no token`, `name suggests auth, body not visible`. */
  reason: string;
  file?: string;
  line?: number;
}

/** A part of a path that could not be known statically. It is rendered `{?}` in the path. */
export interface Unresolved {
  /** The source text of the expression, e.g. `process.env.API_PREFIX`. */
  text: string;
  reason: string;
  file?: string;
  line?: number;
  /** The expression as written where the path is built (`apiPrefix()` in `app.use(apiPrefix(), router)`). */
  site?: { text: string; file: string; line: number };
}

/** An endpoint found in code. One per (method, full path, registration site, server). */
export interface CodeEndpoint {
  method: HttpMethod;
  /** Full served path, OpenAPI style: `/api/v1/users/{id}`; unresolved parts as `{?}`. */
  path: string;
  framework: string;
  /** Package directory of the server that serves it ('.' for the repository root). */
  service: string;
  /** Where the server (app) is created: `src/app.ts:12`. */
  server: string;
  location: SourceLocation;
  /** Names of the middleware / guards in front of the handler, in execution order. */
  middleware: string[];
  auth: AuthState;
  evidence: AuthEvidence[];
  unresolved: Unresolved[];
  /** Assumptions made while resolving (e.g. a default value of an environment variable). */
  notes: string[];
}

/** What a spec says about an operation's security. `optional`: one alternative is `{}`. */
export type SpecSecurity = 'required' | 'optional' | 'none';

export interface SpecOperation {
  method: HttpMethod;
  /** Full path with the spec's (first) base path applied, OpenAPI style. */
  path: string;
  /** The path key as written under `paths`. */
  rawPath: string;
  /** Every base path the operation is served under (Swagger `basePath`, OpenAPI `servers`); `''` for none. */
  basePaths: string[];
  /** The spec's root file (repo-relative): the document this operation belongs to. */
  spec: string;
  /** Where the operation is written (may be a split file reached by `$ref`). */
  file: string;
  line: number;
  /** Where the path item is written. */
  pathLine: number;
  operationId?: string;
  security: SpecSecurity;
  /** Whether the spec says anything about security for this operation (its own `security` or a global one). */
  securityDeclared?: boolean;
  /** Names of the security schemes that apply (union over alternatives). */
  securitySchemes: string[];
  deprecated?: boolean;
  /** `x-apilantern-ignore` on the operation: rules whose findings about it are suppressed, with the reason. */
  ignore?: Array<{ ruleId: string; reason: string; line: number }>;
}

export interface SpecDocument {
  /** Repo-relative path of the root file. */
  file: string;
  version: '2.0' | '3.0' | '3.1';
  title?: string;
  basePaths: string[];
  operations: SpecOperation[];
  /** Line of the `paths:` key (or 1): anchor for findings about the whole spec. */
  pathsLine: number;
  /** The package directory the spec belongs to ('.' when outside every package): it describes that service. */
  service?: string;
}

export type NotificationLevel = 'error' | 'warning' | 'note';

/** Something the tool could not do or chose to skip; shown on stderr and in every report. */
export interface Notification {
  level: NotificationLevel;
  /** Stable machine-readable code: `parse-error`, `file-skipped-minified`, `spec-invalid`, ... */
  code: string;
  message: string;
  file?: string;
  line?: number;
}

export type EndpointSource = 'code' | 'spec' | 'traffic';

/** The merged inventory entry: code and spec views of one method + path. */
export interface Endpoint {
  method: HttpMethod;
  path: string;
  /** Matching key: parameters as `{}`, no trailing slash. */
  key: string;
  sources: EndpointSource[];
  auth: AuthState;
  write: boolean;
  framework?: string;
  service: string;
  code: CodeEndpoint[];
  spec: SpecOperation[];
  unresolved: Unresolved[];
  /** What a sample of access logs says about it (when logs were given). */
  traffic?: import('./traffic/types.js').TrafficStats;
  /** Endpoints seen only in traffic: how sure the templating is (0..1) and a few concrete paths. */
  template?: { confidence: number; examples: string[] };
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  endpoint: string;
  message: string;
  file: string;
  line: number;
  column?: number;
  /** Stable across unrelated edits: rule + method + normalized path (+ service). */
  fingerprint: string;
  related: SourceLocation[];
  evidence: AuthEvidence[];
  /** The endpoint's traffic in the log sample (requests, statuses, sessions, rate recommendation). */
  traffic?: import('./traffic/types.js').TrafficStats;
}
