import type { AuthDecision, KnownLib } from '../../auth/classify.js';
import { force, type Value } from '../../resolve/values.js';

/** Auth middleware of Hono's ecosystem, by package and call chain. */

const req = (reason: string): AuthDecision => ({ auth: 'required', reason });
const optional = (reason: string): AuthDecision => ({ auth: 'optional', reason });
const neutral = (reason: string): AuthDecision => ({ auth: 'neutral', reason });

function opt(args: Value[], key: string): Value | undefined {
  const o = args[0] ? force(args[0]) : undefined;
  if (!o || o.kind !== 'obj') return undefined;
  const v = o.props.get(key);
  return v ? force(v) : undefined;
}

/** Middleware that ships with hono and never decides authentication. */
const NEUTRAL_HONO = /^hono\/(cors|logger|secure-headers|etag|pretty-json|compress|body-limit|cache|timing|csrf|request-id|trailing-slash|timeout|method-override|powered-by|serve-static|context-storage|language|validator|cookie|streaming|html|jsx|jsx-renderer|ip-restriction|dev|adapter|bun|deno|cloudflare-workers|aws-lambda|vercel|netlify|http-exception|client|testing|ssg|ws|accepts|conninfo)(\/|$)|^@hono\/(zod-validator|valibot-validator|typebox-validator|arktype-validator|effect-validator|standard-validator|swagger-ui|node-server|sentry|prometheus|otel|node-ws|cors)(\/|$)/;

export const HONO_AUTH_LIBS: KnownLib[] = [
  { module: 'hono/jwt', chain: /^\.jwt\(\)/, decide: () => req("hono/jwt jwt() verifies a bearer token (401 without one)") },
  {
    module: 'hono/jwk',
    chain: /^\.jwk\(\)/,
    decide: (args) => {
      const anon = opt(args, 'allow_anon');
      return anon?.kind === 'bool' && anon.value ? optional('hono/jwk jwk({ allow_anon: true }) lets requests without a token through') : req('hono/jwk jwk() verifies a bearer token');
    },
  },
  { module: 'hono/bearer-auth', chain: /^\.bearerAuth\(\)/, decide: () => req('hono/bearer-auth bearerAuth() (401 without the token)') },
  { module: 'hono/basic-auth', chain: /^\.basicAuth\(\)/, decide: () => req('hono/basic-auth basicAuth() (401 without credentials)') },
  { module: '@hono/clerk-auth', chain: /^\.clerkMiddleware\(\)/, decide: () => optional('@hono/clerk-auth clerkMiddleware() reads the session but does not require it') },
  { module: '@hono/auth-js', chain: /^\.verifyAuth\(\)/, decide: () => req('@hono/auth-js verifyAuth() (401 without a session)') },
  { module: '@hono/auth-js', chain: /^\.(initAuthConfig|authHandler)\(\)/, decide: () => neutral('@hono/auth-js set-up, does not require a session') },
  { module: '@hono/firebase-auth', chain: /^\.verifyFirebaseAuth\(\)/, decide: () => req('@hono/firebase-auth verifyFirebaseAuth()') },
  { module: '@hono/oidc-auth', chain: /^\.oidcAuthMiddleware\(\)/, decide: () => req('@hono/oidc-auth oidcAuthMiddleware() (redirects to sign-in without a session)') },
  { module: '@hono/oidc-auth', chain: /^\.(processOAuthCallback|revokeSession|initOidcAuthMiddleware)\(\)/, decide: () => neutral('@hono/oidc-auth sign-in flow') },
  { module: NEUTRAL_HONO, chain: /.*/, decide: () => neutral('a hono middleware that does not decide authentication') },
];
