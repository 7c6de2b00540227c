import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { repoRoot, fixturesDir } from '../../helpers/fixtures.js';

// The project's own lint configuration, run over test/fixtures/lint/tree: a tree laid out like the
// project where every file breaks one rule on purpose. Each check must exit non-zero naming it.
const tree = `${fixturesDir}lint/tree`;
const bin = (name: string): string => `${repoRoot}node_modules/.bin/${name}`;

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('dependency-cruiser fails on planted boundary violations and runtime cycles', async () => {
  const { code, output } = await run(
    bin('depcruise'),
    ['--no-progress', '--config', `${repoRoot}.dependency-cruiser.cjs`, 'src', 'testsuites'],
    tree,
  );
  assert.notEqual(code, 0, output);
  const errors = output.split('\n').filter((l) => l.includes('error '));
  const has = (rule: string, what: RegExp) =>
    assert.ok(
      errors.some((l) => l.includes(`error ${rule}:`) && what.test(l)),
      `expected ${rule} on ${what}:\n${output}`,
    );
  has('src-not-tools-or-testsuites', /src\/testing\/imports-testsuites\.ts → testsuites\/suite\.ts/);
  has('platform-notifiers-not-orchestrator', /src\/platform\/reaches-orchestrator\.ts → src\/orchestrator\/run\.ts/);
  has('boundary-platform', /src\/platform\/reaches-orchestrator\.ts/);
  has('no-runtime-cycle', /src\/results\/cycle-[ab]\.ts/);
  has('src-folder-in-table', /src\/gadgets\/unlisted\.ts/);
  // A cycle through `import type` only is reported, but is not an error.
  assert.match(output, /warn type-only-cycle: src\/results\/types-[ab]\.ts/);
  assert.ok(!errors.some((l) => l.includes('types-a.ts')), 'a type-only cycle is a warning only');
  assert.match(output, /5 errors/);
});

test('eslint fails on a planted floating promise and a misused promise', async () => {
  const { code, output } = await run(
    bin('eslint'),
    ['--no-ignore', '--config', `${repoRoot}eslint.config.js`, `${tree}/src/node/promises.ts`],
    repoRoot,
  );
  assert.equal(code, 1, output);
  assert.match(output, /7:3 +error .*@typescript-eslint\/no-floating-promises/);
  assert.match(output, /11:17 +error .*@typescript-eslint\/no-misused-promises/);
  assert.match(output, /2 problems \(2 errors/);
});
