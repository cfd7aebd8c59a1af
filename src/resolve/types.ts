import fs from 'node:fs';
import path from 'node:path';
import type { CodeEndpoint, Notification, Unresolved } from '../model.js';
import { normalizeSlashes } from './paths.js';

/**
 * Type-aware resolution, for what the fast syntactic pass leaves unresolved: a path part whose value the interpreter
 * cannot compute but whose TypeScript type is a single string literal (`function apiPrefix(): '/v2'`,
 * `settings as { base: '/internal' }`, a constant behind a declaration file) is replaced by that literal. It loads the
 * TypeScript compiler (through ts-morph) only when such parts exist in TypeScript files, and reads files only.
 */
export async function resolveByType(endpoints: CodeEndpoint[], base: string, notify: (n: Notification) => void): Promise<number> {
  const targets = endpoints.flatMap((e) => e.unresolved.map((u, i) => ({ e, u, i }))).filter(({ u }) => u.site && /\.(ts|tsx|mts|cts)$/.test(u.site.file) && !/regular-expression/.test(u.reason));
  if (!targets.length) return 0;
  let tsMorph: typeof import('ts-morph');
  try {
    tsMorph = await import('ts-morph');
  } catch {
    return 0;
  }
  const { Project, Node } = tsMorph;
  const files = [...new Set(targets.map((t) => t.u.site!.file))];
  const tsconfig = nearestTsconfig(path.join(base, files[0]!), base);
  let project: InstanceType<typeof Project>;
  try {
    project = new Project({
      ...(tsconfig ? { tsConfigFilePath: tsconfig } : {}),
      skipAddingFilesFromTsConfig: true,
      compilerOptions: { noEmit: true, skipLibCheck: true, allowJs: false },
    });
    for (const f of files) project.addSourceFileAtPathIfExists(path.join(base, f));
    project.resolveSourceFileDependencies();
  } catch (err) {
    notify({ level: 'note', code: 'type-resolution-failed', message: `type-aware resolution could not start (${(err as Error).message.split('\n')[0]}); unresolved path parts stay unresolved.` });
    return 0;
  }
  const literalAt = new Map<string, string | null>();
  const literalOf = (site: NonNullable<Unresolved['site']>): string | undefined => {
    const key = `${site.file}:${site.line}:${site.text}`;
    if (literalAt.has(key)) return literalAt.get(key) ?? undefined;
    let found: string | undefined;
    const sf = project.getSourceFile(path.join(base, site.file));
    if (sf) {
      const want = site.text.replace(/\s+/g, '');
      // (walk.skip()/stop() return a value that forEachDescendant would take for a result: call, do not return them)
      sf.forEachDescendant((node, walk) => {
        if (found !== undefined) {
          walk.stop();
          return;
        }
        if (node.getStartLineNumber() > site.line || node.getEndLineNumber() < site.line) {
          walk.skip();
          return;
        }
        if (!Node.isExpression(node) || node.getText().replace(/\s+/g, '') !== want) return;
        const type = node.getType();
        if (type.isStringLiteral()) found = String(type.getLiteralValue());
        else if (type.isNumberLiteral()) found = String(type.getLiteralValue());
      });
    }
    literalAt.set(key, found ?? null);
    return found;
  };
  let resolved = 0;
  const byEndpoint = new Map<CodeEndpoint, Map<number, string>>();
  for (const { e, u, i } of targets) {
    const lit = literalOf(u.site!);
    if (lit === undefined) continue;
    const m = byEndpoint.get(e) ?? new Map<number, string>();
    m.set(i, lit);
    byEndpoint.set(e, m);
  }
  for (const [e, subs] of byEndpoint) {
    let k = -1;
    const path2 = e.path.replace(/\{\?\}/g, (whole) => {
      k++;
      const lit = subs.get(k);
      return lit === undefined ? whole : lit;
    });
    e.path = normalizeSlashes(path2);
    e.notes = [...e.notes, ...[...subs].map(([i, lit]) => `${e.unresolved[i]!.site!.text} resolved from its TypeScript type: '${lit}'`)];
    e.unresolved = e.unresolved.filter((_, i) => !subs.has(i));
    resolved += subs.size;
  }
  return resolved;
}

function nearestTsconfig(file: string, base: string): string | undefined {
  let dir = path.dirname(file);
  for (let i = 0; i < 50; i++) {
    const f = path.join(dir, 'tsconfig.json');
    if (fs.existsSync(f)) return f;
    if (dir === base || dir === path.dirname(dir)) return undefined;
    dir = path.dirname(dir);
  }
  return undefined;
}
