#!/usr/bin/env node
// Code-shape figures for a closing note: files and lines per file by top folder, and import
// cycles counted twice - once over every import (type-only included) and once over the imports
// that survive compilation (what Node really loads).
//
//   node scripts/code-stats.mjs [root] [--json]
//
// `root` defaults to the repository this script sits in; point it at an exported older commit
// (git archive / git worktree) to get the "before" figures with the same code.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const root = resolve(args.find((a) => !a.startsWith('--')) ?? join(here, '..'));
// The TypeScript compiler of this checkout parses the files of any root.
const ts = createRequire(join(here, '..', 'package.json'))('typescript');

const FOLDERS = ['src', 'tools', 'testsuites', 'test', 'bench', 'docs/examples'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'fixtures']);

function listTs(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(name)) out.push(...listTs(path));
    } else if (/\.(m|c)?ts$/.test(name) && !name.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out;
}

function quantile(sorted, q) {
  if (sorted.length === 0) return 0;
  // nearest-rank: the smallest value with at least q of the data at or below it
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] ?? 0;
}

function lineCount(text) {
  if (text.length === 0) return 0;
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

function shape(files, lines) {
  const sorted = files.map((f) => lines.get(f) ?? 0).sort((a, b) => a - b);
  return {
    files: sorted.length,
    lines: sorted.reduce((a, b) => a + b, 0),
    median: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    max: sorted.at(-1) ?? 0,
    over300: sorted.filter((n) => n > 300).length,
  };
}

function specifiers(sourceFile, { dynamic }) {
  const out = [];
  const visit = (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      out.push(node.moduleSpecifier.text);
    } else if (
      dynamic &&
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      out.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

function resolveLocal(from, spec, known) {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  return candidates.find((c) => known.has(c));
}

function edges(files, { runtimeOnly, dynamic }) {
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    let text = readFileSync(file, 'utf8');
    if (runtimeOnly) {
      // What tsc emits: type-only imports and unused-as-value specifiers are elided.
      text = ts.transpileModule(text, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        fileName: file,
      }).outputText;
    }
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
    const targets = new Set();
    for (const spec of specifiers(sf, { dynamic })) {
      const to = resolveLocal(file, spec, known);
      if (to) targets.add(to);
    }
    graph.set(file, targets);
  }
  return graph;
}

// Tarjan's strongly connected components; a component of 2+ files (or a file importing itself)
// is one import cycle group.
function cycles(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const groups = [];
  const strong = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), idx.get(w)));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const group = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || graph.get(v)?.has(v)) groups.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return groups;
}

const byFolder = new Map(FOLDERS.map((f) => [f, listTs(join(root, f))]));
const all = [...byFolder.values()].flat();
const lines = new Map(all.map((f) => [f, lineCount(readFileSync(f, 'utf8'))]));
const rel = (f) => relative(root, f).split(sep).join('/');

const report = {
  root,
  folders: Object.fromEntries([...byFolder].map(([name, files]) => [name, shape(files, lines)])),
  productCode: shape([...byFolder.get('src'), ...byFolder.get('tools'), ...byFolder.get('testsuites')], lines),
  overall: shape(all, lines),
  largest: all
    .sort((a, b) => (lines.get(b) ?? 0) - (lines.get(a) ?? 0))
    .slice(0, 5)
    .map((f) => `${rel(f)} (${lines.get(f)})`),
  cycles: {},
};
// allImports: every import, type-only and lazy `import()` included. runtimeImports: the static
// imports Node loads when a module is first loaded (what the no-runtime-cycle lint rule fails on).
for (const [name, runtimeOnly, dynamic] of [
  ['allImports', false, true],
  ['runtimeImports', true, false],
]) {
  const groups = cycles(edges(all, { runtimeOnly, dynamic }));
  report.cycles[name] = {
    groups: groups.length,
    filesInCycles: groups.reduce((n, g) => n + g.length, 0),
    members: groups.map((g) => g.map(rel)),
  };
}

if (asJson) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const row = (name, s) =>
    `${name.padEnd(14)} ${String(s.files).padStart(5)} ${String(s.lines).padStart(7)} ${String(s.median).padStart(6)} ${String(s.p90).padStart(5)} ${String(s.max).padStart(5)} ${String(s.over300).padStart(6)}`;
  console.log(`root: ${root}`);
  console.log(
    `${'folder'.padEnd(14)} ${'files'.padStart(5)} ${'lines'.padStart(7)} ${'median'.padStart(6)} ${'p90'.padStart(5)} ${'max'.padStart(5)} ${'>300'.padStart(6)}`,
  );
  for (const [name, s] of Object.entries(report.folders)) console.log(row(name, s));
  console.log(row('src+tools+ts', report.productCode));
  console.log(row('overall', report.overall));
  console.log(`largest: ${report.largest.join(', ')}`);
  for (const [name, c] of Object.entries(report.cycles)) {
    console.log(`cycles (${name}): ${c.groups} group(s), ${c.filesInCycles} file(s)`);
    for (const g of c.members) console.log(`  - ${g.join(' <-> ')}`);
  }
}
