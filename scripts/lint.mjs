#!/usr/bin/env node
// `npm run lint`: type check, eslint (type-aware), prettier and the import boundaries. Every step
// runs even after one fails, so one run shows every kind of problem; the exit code is non-zero if
// any step failed. Each step's time is printed to keep lint fast on purpose.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const LINTED = ['src', 'tools', 'testsuites', 'test', 'bench', 'docs/examples'];

const steps = [
  ['tsc', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
  ['tsc docs/examples', bin('tsc'), ['-p', 'docs/examples/tsconfig.json', '--noEmit']],
  [
    'eslint',
    bin('eslint'),
    ['--max-warnings', '0', ...LINTED, 'scripts', 'eslint.config.js', '.dependency-cruiser.cjs'],
  ],
  ['prettier', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  ['dependency-cruiser', bin('depcruise'), ['--config', '.dependency-cruiser.cjs', ...LINTED]],
];

const only = process.argv.slice(2);
let failed = 0;
const started = performance.now();
for (const [name, command, args] of steps) {
  if (only.length && !only.some((o) => name.startsWith(o))) continue;
  const t0 = performance.now();
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const ok = r.status === 0;
  if (!ok) failed++;
  console.log(`lint: ${name} ${ok ? 'ok' : 'FAILED'} (${seconds} s)`);
}
console.log(
  `lint: ${failed ? `${failed} step(s) failed` : 'all ok'} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(failed ? 1 : 0);
