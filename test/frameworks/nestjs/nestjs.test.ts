// NestJS: controllers and route decorators read by value, the module graph, RouterModule prefixes, the application
// made by NestFactory.create (global prefix and its exclusions, URI versioning, global guards and middleware), guards
// from @UseGuards / APP_GUARD / useGlobalGuards with metadata escape hatches, and middleware bound in configure().
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endpointLines, scanDir } from '../../helpers.js';
import type { ScanResult } from '../../../src/scan.js';

const FX = 'test/frameworks/nestjs/fixtures';

const find = (r: ScanResult, method: string, path: string) => {
  const e = r.codeEndpoints.find((x) => x.method === method && x.path === path);
  assert.ok(e, `${method} ${path} should be an endpoint`);
  return e!;
};
/** `name auth` per evidence item. */
const evidence = (r: ScanResult, method: string, path: string) => find(r, method, path).evidence.map((e) => `${e.name} ${e.auth}`);

test('basics: every verb decorator, @Controller() with no path, arrays of paths, paths from enums and const objects imported across files', async () => {
  const r = await scanDir(`${FX}/basics`);
  assert.equal(endpointLines(r), [
    'ALL /cats/legacy/{*} none src/cats/cats.controller.ts:32',
    'DELETE /cats/{id} none src/cats/cats.controller.ts:26',
    // @Controller() + @Get(): the root
    'GET / none src/health.controller.ts:10',
    'GET /cats none src/cats/cats.controller.ts:5',
    'GET /cats/breeds none src/cats/cats.controller.ts:35',
    'GET /cats/kinds none src/cats/cats.controller.ts:35',
    'GET /cats/{id} none src/cats/cats.controller.ts:10',
    'GET /health none src/health.controller.ts:5',
    // @Controller([Resource.Users, Resource.Members]) + @Get(ROUTES.PROFILE), an enum and an `as const` table
    'GET /members/profile/{userId} none src/users/users.controller.ts:6',
    'GET /users/profile/{userId} none src/users/users.controller.ts:6',
    'HEAD /health none src/health.controller.ts:15',
    'OPTIONS /cats none src/cats/cats.controller.ts:29',
    'PATCH /cats/{id} none src/cats/cats.controller.ts:23',
    'POST /cats none src/cats/cats.controller.ts:15',
    'PUT /cats/{id} none src/cats/cats.controller.ts:20',
    'PUT /members/settings none src/users/users.controller.ts:9',
    'PUT /users/settings none src/users/users.controller.ts:9',
  ]);
  assert.equal(r.frameworks, ['nestjs']);
  // served by the application created in main.ts (UsersController through the imported UsersModule)
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.server))], ['src/main.ts:5']);
  assert.equal([...new Set(r.codeEndpoints.map((e) => e.framework))], ['nestjs']);
  assert.equal(r.codeEndpoints.flatMap((e) => e.unresolved), []);
});

test('setGlobalPrefix with exclude (string and { path, method }), URI versioning: defaultVersion, @Version arrays, controller version, VERSION_NEUTRAL', async () => {
  const r = await scanDir(`${FX}/prefix-versioning`);
  assert.equal(endpointLines(r), [
    // @Version(VERSION_NEUTRAL) on the method overrides the controller's version 2
    'GET /api/cats/all none src/controllers.ts:28',
    // @Version(['1', '3']): one endpoint per version
    'GET /api/v1/cats/{id} none src/controllers.ts:24',
    // no version of its own: defaultVersion (CURRENT_VERSION imported from config.ts)
    'GET /api/v1/dogs none src/controllers.ts:34',
    // the exclusion is for POST only
    'GET /api/v1/webhooks/stripe none src/controllers.ts:14',
    'GET /api/v2/cats none src/controllers.ts:20',
    'GET /api/v3/cats/{id} none src/controllers.ts:24',
    // excluded from the prefix and version-neutral
    'GET /health none src/controllers.ts:5',
    // excluded from the global prefix, but the version segment stays (Nest strips only the prefix)
    'POST /v1/webhooks/stripe none src/controllers.ts:11',
  ]);
});

test('RouterModule.register: module paths with children (objects and bare modules); header versioning adds no segment; env prefix default noted', async () => {
  const r = await scanDir(`${FX}/router-module`);
  assert.equal(endpointLines(r), [
    // VersioningType.HEADER: @Version('2') does not change the path
    'DELETE /api/admin/users/{id} none src/admin/admin.controller.ts:10',
    // BillingModule is a bare child of 'admin': it takes the parent's path
    'GET /api/admin/billing/invoices none src/billing/billing.module.ts:5',
    'GET /api/admin/reports/daily none src/reports/reports.module.ts:5',
    'GET /api/admin/users none src/admin/admin.controller.ts:5',
    // PublicModule is not in the routes: no module path
    'GET /api/info none src/public/public.module.ts:5',
  ]);
  assert.ok(find(r, 'GET', '/api/info').notes.some((n) => /API_PREFIX assumed unset: its default 'api'/.test(n)));
});

test('APP_GUARD providers: JwtAuthGuard extends AuthGuard("jwt") with an @Public() escape hatch; a roles guard that only checks routes with @Roles', async () => {
  const r = await scanDir(`${FX}/auth-app-guard`);
  assert.equal(endpointLines(r), [
    'GET /api/account/me required src/controllers.ts:10',
    // @Public() lets JwtAuthGuard through, but RolesGuard still rejects a request without a user
    'GET /api/admin/banner required src/controllers.ts:22',
    'GET /api/admin/stats required src/controllers.ts:17',
    // @Public() on the class: getAllAndOverride reads the handler, then the class
    'GET /api/status none src/controllers.ts:29',
    'POST /api/account/login none src/controllers.ts:7',
  ]);
  assert.equal(evidence(r, 'POST', '/api/account/login'), ['JwtAuthGuard (APP_GUARD) none', 'RolesGuard (APP_GUARD) none']);
  assert.match(find(r, 'POST', '/api/account/login').evidence[0]!.reason, /IS_PUBLIC_KEY metadata \(Public\(\) at src\/controllers.ts:6\)/);
  assert.equal(evidence(r, 'GET', '/api/account/me'), ['JwtAuthGuard (APP_GUARD) required', 'RolesGuard (APP_GUARD) none']);
  assert.equal(evidence(r, 'GET', '/api/admin/stats'), ['JwtAuthGuard (APP_GUARD) required', 'RolesGuard (APP_GUARD) required']);
  assert.equal(find(r, 'GET', '/api/admin/stats').middleware, ['JwtAuthGuard (APP_GUARD)', 'RolesGuard (APP_GUARD)']);
});

test('@UseGuards on class and method: passport AuthGuard, project guards read by body, composite decorators, swagger decorators are not enforcement', async () => {
  const r = await scanDir(`${FX}/auth-use-guards`);
  assert.equal(endpointLines(r), [
    // a guard from a package the scan cannot read
    'DELETE /articles/{slug} unknown src/articles.controller.ts:29',
    // OptionalJwtGuard overrides handleRequest() without throwing
    'GET /articles optional src/articles.controller.ts:13',
    // @ApiBearerAuth() only documents; ThrottlerGuard limits rates
    'GET /articles/drafts none src/articles.controller.ts:17',
    // BearerGuard reads the Authorization header and throws UnauthorizedException
    'GET /profile required src/profile.controller.ts:9',
    'PATCH /profile required src/profile.controller.ts:13',
    'POST /articles required src/articles.controller.ts:21',
    // AuthGuard('local') is the sign-in flow
    'POST /articles/login none src/articles.controller.ts:33',
    // ApiKeyGuard returns false without the right x-api-key header
    'POST /partner/sync required src/profile.controller.ts:20',
    // @Auth() = applyDecorators(UseGuards(AuthGuard('jwt')), ApiBearerAuth(), ...)
    'PUT /articles/{slug} required src/articles.controller.ts:25',
  ]);
  assert.equal(evidence(r, 'GET', '/articles/drafts'), []);
  assert.equal(find(r, 'GET', '/articles/drafts').middleware, ['ThrottlerGuard']);
  assert.equal(evidence(r, 'PUT', '/articles/{slug}'), ["AuthGuard('jwt') required"]);
  assert.equal(evidence(r, 'DELETE', '/articles/{slug}'), ['AcmeAuthGuard unknown']);
  // MaintenanceGuard decides without credentials: not auth evidence
  assert.equal(evidence(r, 'PATCH', '/profile'), ['BearerGuard required']);
  assert.equal(find(r, 'PATCH', '/profile').middleware, ['BearerGuard', 'new MaintenanceGuard()']);
});

test('app.useGlobalGuards(new SessionGuard(...)) reading metadata of the handler only: @SkipAuth() on a class does not exempt', async () => {
  const r = await scanDir(`${FX}/global-guards`);
  assert.equal(endpointLines(r), [
    'GET /cart required src/app.module.ts:6',
    'GET /cart/count none src/app.module.ts:10',
    // reflector.get(SKIP_AUTH, context.getHandler()) never sees the class decorator
    'POST /checkout required src/app.module.ts:17',
  ]);
  assert.equal(evidence(r, 'GET', '/cart/count'), ['new SessionGuard(app.get(Reflector)) none']);
});

test('middleware in configure(consumer): forRoutes with "*", controllers and { path, method }; exclude(); app.use()', async () => {
  const r = await scanDir(`${FX}/middleware`);
  assert.equal(endpointLines(r), [
    'GET /api/orders required src/app.module.ts:6',
    // excluded: .exclude({ path: 'orders/public', method: RequestMethod.GET })
    'GET /api/orders/public none src/app.module.ts:9',
    'GET /api/pages/about none src/app.module.ts:30',
    // { path: 'reports', method: RequestMethod.POST }: only POST /reports
    'GET /api/reports none src/app.module.ts:18',
    'GET /api/reports/daily none src/app.module.ts:24',
    'POST /api/orders required src/app.module.ts:12',
    'POST /api/reports required src/app.module.ts:21',
  ]);
  assert.equal(find(r, 'GET', '/api/orders').middleware, ['helmet()', 'logger', 'AuthMiddleware']);
  assert.equal(find(r, 'GET', '/api/pages/about').middleware, ['helmet()', 'logger']);
  assert.equal(evidence(r, 'POST', '/api/reports'), ['AuthMiddleware required']);
});

test('no NestFactory.create in sight: the controller file is the server and a note says no global prefix is known', async () => {
  const r = await scanDir(`${FX}/no-main`);
  assert.equal(endpointLines(r), ['GET /items none src/items.controller.ts:5', 'POST /items none src/items.controller.ts:8']);
  const e = find(r, 'GET', '/items');
  assert.equal(e.server, 'src/items.controller.ts:3');
  assert.equal(e.unresolved, []);
  assert.ok(e.notes.some((n) => /global prefix.*not known/.test(n)));
});

test.run();
