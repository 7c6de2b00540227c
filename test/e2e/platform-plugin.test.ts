import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, repoRoot, runCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

// The worked example in docs/examples, loaded as a user would: from an extension directory.
let nodes: Sshd[] = [];
before(async () => {
  nodes = await Promise.all([startSshd(), startSshd()]);
});
after(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
});

test('a platform plugin from an extension directory registers its type and runbook section', () => {
  const dir = tempDir('lisa-plugin-');
  mkdirSync(join(dir, 'plugins'));
  // .mts: a plugin must be an ES module to share the engine's registries (see writing-a-platform.md).
  writeFileSync(
    join(dir, 'plugins', 'register.mts'),
    `import '${join(repoRoot, 'docs/examples/inventory-platform.ts')}';\n`,
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
  const file = writeRunbook(
    dir,
    'runbook.yml',
    `name: plugin
log_path: ${join(dir, 'runs')}
extension:
  - ./plugins
  - ${join(repoRoot, 'test/fixtures/suites/e2e')}
platform:
  - type: inventory
    inventory:
      file: ./machines.json
testcase:
  - criteria:
      name: ^e2e\\.(pass_echo|unmet_cores|parallel_\\d)$
`,
  );
  const check = runCli(['check', file]);
  assert.equal(check.code, 0, check.stderr);
  const r = runCli(['run', file]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const ends = readEvents(onlyRunDir(join(dir, 'runs'))).filter(
    (e): e is RunEventOf<'case.end'> => e.type === 'case.end',
  );
  const byId = new Map(ends.map((e) => [e.case.caseId, e]));
  assert.equal(byId.get('e2e.pass_echo')?.status, 'PASSED');
  assert.match(byId.get('e2e.unmet_cores')!.message, /^requirement not met: 512 cores \(has \d+\)$/);
  assert.deepEqual([...new Set(ends.filter((e) => e.envId).map((e) => e.envId))].sort(), ['lab-01', 'lab-02']);
});

test('without the plugin the same runbook is rejected with the known types', () => {
  const dir = tempDir('lisa-plugin-');
  const file = writeRunbook(
    dir,
    'runbook.yml',
    'name: plugin\nplatform:\n  - type: inventory\n    inventory:\n      file: ./machines.json\n',
  );
  const r = runCli(['check', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /inventory/);
  assert.match(r.stderr, /ready/);
});
