import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { matcherRegex } from '../../../src/frameworks/nextjs/matcher.js';
import { nextFileByPath } from '../../../src/frameworks/nextjs/files.js';

test('matcher syntax: :path*, :path+, :id?, custom groups, negative lookahead, strict trailing slash', () => {
  const m = (src: string, p: string) => matcherRegex(src)!.test(p);
  assert.ok(m('/dashboard/:path*', '/dashboard'));
  assert.ok(m('/dashboard/:path*', '/dashboard/a/b'));
  assert.not.ok(m('/dashboard/:path*', '/dashboards'));
  assert.not.ok(m('/dashboard/:path+', '/dashboard'));
  assert.ok(m('/dashboard/:path+', '/dashboard/a'));
  assert.ok(m('/users/:id?', '/users'));
  assert.ok(m('/users/:id(\\d+)', '/users/12'));
  assert.not.ok(m('/users/:id(\\d+)', '/users/ab'));
  assert.ok(m('/((?!api|_next/static|favicon.ico).*)', '/orders/1'));
  assert.not.ok(m('/((?!api|_next/static|favicon.ico).*)', '/api/orders'));
  assert.ok(m('/(api|trpc)(.*)', '/api/x'));
  assert.not.ok(m('/about', '/about/'));
  assert.not.ok(m('/About', '/about'));
});

test('pre-filter: Next files by name, confirmed by their text', () => {
  const route = 'export async function GET() { return Response.json({}) }';
  assert.ok(nextFileByPath('app/api/x/route.ts', route));
  assert.ok(nextFileByPath('apps/web/src/app/route.ts', 'export const { GET, POST } = handlers'));
  assert.not.ok(nextFileByPath('app/api/x/route.ts', 'export const revalidate = 60'));
  assert.not.ok(nextFileByPath('src/routes/route.ts', route));
  assert.ok(nextFileByPath('pages/api/hello.ts', 'export default function handler(req, res) {}'));
  assert.not.ok(nextFileByPath('pages/about.tsx', 'export default function About() {}'));
  assert.ok(nextFileByPath('middleware.ts', "import { NextResponse } from 'next/server'"));
  // an Express project's middleware.ts does not turn Next on
  assert.not.ok(nextFileByPath('src/middleware.ts', "export function requireAuth(req, res, next) { next() }"));
  assert.ok(nextFileByPath('next.config.mjs', 'export default {}'));
});

test.run();
