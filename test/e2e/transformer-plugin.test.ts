import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, repoRoot, runCli, tempDir, writeRunbook } from '../helpers/cli.js';

// The worked example in docs/examples, loaded as a user would: from an extension directory.
test('a transformer plugin registers its type; its outputs reach the runbook and the cases', () => {
  const dir = tempDir('lisa-xplugin-');
  mkdirSync(join(dir, 'plugins'));
  writeFileSync(
    join(dir, 'plugins', 'register.mts'),
    `import '${join(repoRoot, 'docs/examples/os-release-transformer.ts')}';\n`,
  );
  const file = writeRunbook(
    dir,
    'runbook.yml',
    `name: xplugin
log_path: ${join(dir, 'runs')}
extension:
  - ./plugins
platform:
  - type: ready
environment:
  environments:
    - nodes:
        - type: local
transformer:
  - type: os_release
    keys: [ID, VERSION_ID]
  - type: script
    name: after
    phase: environment_connected
    depends_on: [os_release]
    scripts:
      - run: echo "$(os_release_id)-$(os_release_version_id)"
        output: seen
testcase:
  - criteria:
      name: smoke.reachable
`,
  );
  const r = runCli(['run', file]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const ends = readEvents(onlyRunDir(join(dir, 'runs'))).filter(
    (e): e is RunEventOf<'transformer.end'> => e.type === 'transformer.end',
  );
  const fields: Record<string, string> = Object.fromEntries(
    readFileSync('/etc/os-release', 'utf8')
      .split('\n')
      .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => [m[1]!, m[2]!.replace(/^"(.*)"$/, '$1')]),
  );
  const [id, version] = [fields['ID'] ?? '', fields['VERSION_ID'] ?? ''];
  assert.deepEqual(ends[0]!.outputs, { os_release_id: id, os_release_version_id: version });
  assert.deepEqual(ends[1]!.outputs, { after_seen: `${id}-${version}` });
  const bad = runCli([
    'check',
    writeRunbook(dir, 'bad.yml', readFileSync(file, 'utf8').replace('[ID, VERSION_ID]', '[ID, version_id]')),
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad\.yml:\d+:\d+: transformer\[0\]\.keys\[1\]: os-release keys are upper case/);
});
