import { createRequire as __apilanternCreateRequire } from 'node:module';
const require = __apilanternCreateRequire(import.meta.url);

// src/resolve/paths.ts
function render(p) {
  if (!p.length) return "/";
  return "/" + p.map(
    (seg) => seg.map((pc) => "lit" in pc ? pc.lit : "param" in pc ? `{${pc.param}}` : "wild" in pc ? pc.wild ? `{${pc.wild}*}` : "{*}" : "{?}").join("")
  ).join("/");
}
function pathKey(p) {
  if (!p.length) return "/";
  return "/" + p.map((seg) => seg.map((pc) => "lit" in pc ? pc.lit : "param" in pc ? "{}" : "wild" in pc ? "{*}" : "{?}").join("")).join("/");
}
function keyOfRendered(path) {
  return pathKey(parseTemplate(path));
}
function join(a, b) {
  return [...a, ...b];
}
function holes(p) {
  const out = [];
  for (const seg of p) for (const pc of seg) if ("hole" in pc) out.push(pc.hole);
  return out;
}
function parseTemplate(path) {
  const segs = path.split("/").filter((s) => s.length > 0);
  return segs.map((s) => {
    const pieces = [];
    const re = /\{([^}]*)\}/g;
    let last = 0;
    let m;
    while (m = re.exec(s)) {
      if (m.index > last) pieces.push({ lit: s.slice(last, m.index) });
      const name = m[1];
      if (name === "?") pieces.push({ hole: { text: "?", reason: "unresolved" } });
      else if (name === "*") pieces.push({ wild: null });
      else if (name.endsWith("*")) pieces.push({ wild: name.slice(0, -1) });
      else pieces.push({ param: name });
      last = m.index + m[0].length;
    }
    if (last < s.length) pieces.push({ lit: s.slice(last) });
    return pieces;
  });
}
function segCovers(g, e) {
  if (g.length === 1 && "param" in g[0]) return true;
  if (g.length !== e.length) return false;
  for (let i = 0; i < g.length; i++) {
    const a = g[i];
    const b = e[i];
    if ("lit" in a) {
      if (!("lit" in b) || a.lit.toLowerCase() !== b.lit.toLowerCase()) return false;
    } else if ("param" in a) {
      continue;
    } else if ("hole" in a) {
      if (!("hole" in b) || a.hole.text !== b.hole.text) return false;
    }
  }
  return true;
}
function covers(guard, endpoint, mode) {
  for (let i = 0; i < guard.length; i++) {
    const g = guard[i];
    const e = endpoint[i];
    if (!e) return false;
    if (g.length === 1 && "wild" in g[0]) return true;
    if (!segCovers(g, e)) return false;
  }
  return mode === "prefix" || guard.length === endpoint.length;
}
function templatesMatch(codeP, specP) {
  if (!codeP.some((seg) => seg.some((pc) => "lit" in pc))) {
    const re = regexOfHole(codeP);
    return re ? re.test(samplePath(specP)) : false;
  }
  const memo = /* @__PURE__ */ new Map();
  const go = (i, j) => {
    const k = `${i},${j}`;
    const hit = memo.get(k);
    if (hit !== void 0) return hit;
    let r;
    if (i === codeP.length) r = j === specP.length;
    else {
      const seg = codeP[i];
      const flexible = seg.length === 1 && ("hole" in seg[0] || "wild" in seg[0]);
      const re = flexible ? regexOfHole([seg]) : void 0;
      if (flexible) {
        r = false;
        for (let jj = j + 1; jj <= specP.length && !r; jj++) if (!re || re.test(samplePath(specP.slice(j, jj)))) r = go(i + 1, jj);
      } else r = j < specP.length && segEq(seg, specP[j]) && go(i + 1, j + 1);
    }
    memo.set(k, r);
    return r;
  };
  return go(0, 0);
}
function segEq(a, b) {
  if (a.length !== b.length) {
    return a.some((p) => "hole" in p) || b.some((p) => "hole" in p);
  }
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if ("hole" in x || "hole" in y) continue;
    if ("lit" in x) {
      if (!("lit" in y) || x.lit !== y.lit) return false;
    } else if ("param" in x || "wild" in x) {
      if (!("param" in y) && !("wild" in y)) return false;
    }
  }
  return true;
}
function normalizeSlashes(p) {
  const s = ("/" + p).replace(/\/{2,}/g, "/");
  return s.length > 1 ? s.replace(/\/$/, "") : s;
}
function regexOfHole(p) {
  if (p.length !== 1 || p[0].length !== 1) return void 0;
  const pc = p[0][0];
  if (!("hole" in pc) || !/regular-expression path/.test(pc.hole.reason)) return void 0;
  const m = /^\/(.*)\/([a-z]*)$/s.exec(pc.hole.text);
  if (!m) return void 0;
  try {
    return new RegExp(m[1], m[2].replace(/[gy]/g, ""));
  } catch {
    return void 0;
  }
}
function samplePath(p) {
  return "/" + p.map((seg) => seg.map((pc) => "lit" in pc ? pc.lit : "1").join("")).join("/");
}

export {
  render,
  pathKey,
  keyOfRendered,
  join,
  holes,
  parseTemplate,
  covers,
  templatesMatch,
  normalizeSlashes
};
