import { isWriteMethod, type CodeEndpoint, type Endpoint, type SpecDocument, type SpecOperation } from '../model.js';
import { joinPath as joinBase } from '../spec/paths.js';
import { keyOfRendered, parseTemplate, pathKey, templatesMatch, type PathT } from '../resolve/paths.js';

/**
 * Merges code endpoints and spec operations into one inventory. Matching ignores parameter names and trailing
 * slashes, treats `:id` and `{id}` alike, applies every base path of the spec, and lets an unresolved part of a code
 * path (`{?}`) stand for any run of segments. A spec inside a package directory describes that package's endpoints
 * only; a spec outside every package describes them all.
 */
export function buildInventory(code: CodeEndpoint[], specs: SpecDocument[]): Endpoint[] {
  const groups = new Map<string, Endpoint>();
  const codePaths = new Map<Endpoint, PathT>();
  for (const c of code) {
    const key = keyOfRendered(c.path);
    const id = `${c.service}\0${c.method}\0${key}\0${c.unresolved.map((u) => u.text).join('|')}`;
    let e = groups.get(id);
    if (!e) {
      e = { method: c.method, path: c.path, key, sources: ['code'], auth: c.auth, write: isWriteMethod(c.method), framework: c.framework, service: c.service, code: [], spec: [], unresolved: c.unresolved };
      groups.set(id, e);
      codePaths.set(e, parseTemplate(c.path));
    }
    e.code.push(c);
    e.auth = weakest(e.auth, c.auth);
  }
  const codeEntries = [...groups.values()];
  // index: exact keys for the common case; paths with holes or wildcards are checked one by one
  const byKey = new Map<string, Endpoint[]>();
  const flexible: Endpoint[] = [];
  for (const e of codeEntries) {
    const cp = codePaths.get(e)!;
    if (cp.some((seg) => seg.some((pc) => 'hole' in pc || 'wild' in pc))) flexible.push(e);
    else {
      const list = byKey.get(e.key) ?? [];
      list.push(e);
      byKey.set(e.key, list);
    }
  }
  const specOnly = new Map<string, Endpoint>();
  for (const doc of specs) {
    const scope = doc.service ?? '.';
    const inScope = (e: Endpoint) => scope === '.' || e.service === scope || e.service.startsWith(scope + '/');
    for (const op of doc.operations) {
      const candidates = op.basePaths.length ? op.basePaths.map((b) => joinBase(b, op.rawPath)) : [op.path];
      const templates = candidates.map(parseTemplate);
      const keys = new Set(templates.map(pathKey));
      const pool = [...[...keys].flatMap((k) => byKey.get(k) ?? []), ...flexible];
      let matched = false;
      for (const e of pool) {
        // `ALL` stands for every method only at a path known in full
        if (e.method !== op.method && (e.method !== 'ALL' || e.unresolved.length)) continue;
        if (!inScope(e)) continue;
        const cp = codePaths.get(e)!;
        if (templates.some((tp) => templatesMatch(cp, tp))) {
          if (!e.spec.includes(op)) e.spec.push(op);
          if (!e.sources.includes('spec')) e.sources.push('spec');
          matched = true;
        }
      }
      if (matched) continue;
      const key = keyOfRendered(op.path);
      const id = `${scope}\0${op.method}\0${key}`;
      let e = specOnly.get(id);
      if (!e) {
        e = { method: op.method, path: op.path, key, sources: ['spec'], auth: specAuth(op), write: isWriteMethod(op.method), service: scope, code: [], spec: [], unresolved: [] };
        specOnly.set(id, e);
      }
      e.spec.push(op);
    }
  }
  const all = [...codeEntries, ...specOnly.values()];
  all.sort(compareEndpoints);
  return all;
}

export function compareEndpoints(a: Endpoint, b: Endpoint): number {
  return a.path.localeCompare(b.path) || methodRank(a.method) - methodRank(b.method) || a.service.localeCompare(b.service) || (a.code[0]?.location.file ?? '').localeCompare(b.code[0]?.location.file ?? '') || (a.code[0]?.location.line ?? 0) - (b.code[0]?.location.line ?? 0);
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'ALL'];
export function methodRank(m: string): number {
  const i = ORDER.indexOf(m);
  return i < 0 ? ORDER.length : i;
}

function specAuth(op: SpecOperation): Endpoint['auth'] {
  return op.security;
}

/** When one endpoint is registered in several places, the least protected registration decides. */
function weakest(a: Endpoint['auth'], b: Endpoint['auth']): Endpoint['auth'] {
  const rank = { none: 0, optional: 1, unknown: 2, required: 3 } as const;
  return rank[a] <= rank[b] ? a : b;
}
