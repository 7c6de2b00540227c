import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, repoRoot, runCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

// The worked examples in docs/examples, copied outside the repository and named by path in a
// runbook, as a user would: nothing registers them, and `lisa-ts` resolves with no symlink.
let nodes: Sshd[] = [];
before(async () => {
  nodes = await Promise.all([startSshd(), startSshd()]);
});
after(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
});

function labDir(): string {
  const dir = tempDir('lisa-plugin-');
  mkdirSync(join(dir, 'plugins'));
  mkdirSync(join(dir, 'suites'));
  for (const f of ['inventory-platform.mts', 'summary-notifier.mts']) {
    copyFileSync(join(repoRoot, 'docs/examples', f), join(dir, 'plugins', f));
  }
  // A suite outside the repository with no package.json: tsx compiles it to CommonJS.
  writeFileSync(
    join(dir, 'suites', 'outside.ts'),
    `import { defineSuite, expectEqual } from 'lisa-ts';
import { Nproc } from 'lisa-ts/tools';
export default defineSuite({
  name: 'outside',
  area: 'plugin',
  cases: [
    {
      name: 'echo',
      async run(ctx) {
        expectEqual('echo', (await ctx.node.execute('echo from-outside')).stdout.trim(), 'from-outside');
        expectEqual('tool class', typeof Nproc, 'function');
      },
    },
    { name: 'unmet_cores', requirement: { minCores: 512 }, async run() {} },
  ],
});
`,
  );
  writeFileSync(
    join(dir, 'machines.json'),
    JSON.stringify(
      nodes.map((n, i) => ({
        name: `lab-0${i + 1}`,
        address: n.host,
        port: n.port,
        username: n.username,
        private_key_file: n.privateKeyFile,
      })),
    ),
  );
  return dir;
}

test('a platform and a notifier named by module path in a runbook, with a suite from outside the repo', () => {
  const dir = labDir();
  const file = writeRunbook(
    dir,
    'runbook.yml',
    `name: plugin
log_path: ${join(dir, 'runs')}
extension:
  - ./suites
  - ${join(repoRoot, 'test/fixtures/suites/e2e')}
platform:
  - type: ./plugins/inventory-platform.mts
    inventory:
      file: ./machines.json
notifier:
  - type: ./plugins/summary-notifier.mts
    path: ${join(dir, 'summary.md')}
testcase:
  - criteria:
      name: ^(outside\\.(echo|unmet_cores)|e2e\\.(pass_echo|parallel_\\d))$
`,
  );
  const check = runCli(['check', file], { cwd: dir });
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /platform inventory/);
  const r = runCli(['run', file], { cwd: dir });
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const ends = readEvents(onlyRunDir(join(dir, 'runs'))).filter(
    (e): e is RunEventOf<'case.end'> => e.type === 'case.end',
  );
  const byId = new Map(ends.map((e) => [e.case.caseId, e]));
  assert.equal(byId.get('outside.echo')?.status, 'PASSED', byId.get('outside.echo')?.message);
  assert.equal(byId.get('e2e.pass_echo')?.status, 'PASSED');
  assert.match(byId.get('outside.unmet_cores')!.message, /^requirement not met: 512 cores \(has \d+\)$/);
  assert.deepEqual([...new Set(ends.filter((e) => e.envId).map((e) => e.envId))].sort(), ['lab-01', 'lab-02']);
  const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
  assert.match(summary, /^## plugin: 8\/9 passed, 0 failed, 1 skipped$/m);
  assert.match(summary, /^\| outside\.echo \| PASSED \|/m);
});

test('bad plugin paths and options are runbook errors: file:line:col, key, exit 2, no stack', () => {
  const dir = labDir();
  writeFileSync(join(dir, 'plugins', 'nodefault.mts'), 'export const x = 1;\n');
  writeFileSync(join(dir, 'plugins', 'shape.mts'), "export default { type: 'shape', create() {} };\n");
  const cases: [string, RegExp][] = [
    [
      'platform:\n  - type: ./plugins/missing.mts\n',
      /^error: runbook\.yml:2:11: platform\[0\]\.type: platform module not found: .*plugins\/missing\.mts$/m,
    ],
    [
      'platform:\n  - type: ./plugins/nodefault.mts\n',
      /^error: runbook\.yml:2:11: platform\[0\]\.type: platform module .*nodefault\.mts has no default export/m,
    ],
    [
      'notifier:\n  - type: ./plugins/shape.mts\n',
      /^error: runbook\.yml:2:11: notifier\[0\]\.type: the default export of notifier module .*shape\.mts has no zod object schema/m,
    ],
    [
      'platform:\n  - type: ./plugins/inventory-platform.mts\n    inventory:\n      fiel: x.json\n',
      /^error: runbook\.yml:4:7: platform\[0\]\.inventory\.fiel: unknown key "fiel"; did you mean "file"\?$/m,
    ],
    [
      'notifier:\n  - type: ./plugins/summary-notifier.mts\n    only_failures: sometimes\n',
      /^error: runbook\.yml:3:20: notifier\[0\]\.only_failures: expected true or false, found string "sometimes"$/m,
    ],
    [
      'notifier:\n  - type: slack\n',
      /^error: runbook\.yml:2:11: notifier\[0\]\.type: unknown notifier type "slack"; known types: console, database, env_stats, file, html, json, junit, text_result/m,
    ],
  ];
  for (const [yaml, expected] of cases) {
    const file = writeRunbook(dir, 'runbook.yml', yaml);
    const r = runCli(['check', file], { cwd: dir });
    assert.equal(r.code, 2, `${yaml}\n${r.stderr}`);
    assert.match(r.stderr, expected);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.ok(!existsSync(join(dir, 'runs')));
});

test('a platform type that is not a path and not built in is rejected with the known types', () => {
  const dir = tempDir('lisa-plugin-');
  const file = writeRunbook(
    dir,
    'runbook.yml',
    'name: plugin\nplatform:\n  - type: inventory\n    inventory:\n      file: ./machines.json\n',
  );
  const r = runCli(['check', file], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /unknown platform type "inventory"; known types: azure, baremetal, hyperv, qemu, ready \(or a module path/,
  );
});
