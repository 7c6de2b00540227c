import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, readyPlatformYaml, repoRoot, runCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

let nodes: Sshd[] = [];
before(async () => {
  nodes = await Promise.all([startSshd(), startSshd()]);
});
after(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
});

test('afterCase cleans up on the live node after a timeout; a failed cleanup breaks the environment', () => {
  const dir = tempDir();
  const markers = tempDir('lisa-markers-');
  execSync(`chmod 777 ${markers}`);
  const file = writeRunbook(
    dir,
    'runbook.yml',
    `name: e2e-cleanup
log_path: ${join(dir, 'runs')}
concurrency: 1
extension:
  - ${join(repoRoot, 'test/fixtures/suites/cleanup')}
variable:
  - name: marker_dir
    value: ${markers}
${readyPlatformYaml(nodes)}testcase:
  - criteria:
      area: cleanup
notifier:
  - type: json
`,
  );
  const r = runCli(['run', file]);
  assert.equal(r.code, 1, r.stderr);
  const events = readEvents(onlyRunDir(join(dir, 'runs')));
  const end = (id: string) =>
    events.find((e): e is RunEventOf<'case.end'> => e.type === 'case.end' && e.case.caseId === `cleanup.${id}`)!;

  assert.equal(end('a_times_out').status, 'FAILED');
  assert.equal(end('a_times_out').message, 'timed out after 1 s');
  assert.equal(end('a_times_out').envId, 'env1');
  const cleanups = readFileSync(join(markers, 'cleanups'), 'utf8').trim().split('\n');
  assert.deepEqual(
    cleanups.map((l) => l.split(' ')[0]),
    ['node1', 'node1', 'node2'],
    'afterCase did not run its commands after every case, the timed-out one included',
  );
  const left = execSync('pgrep -f "sleep 30[1]" || true', { encoding: 'utf8' }).trim();
  assert.equal(left, '', 'the timed-out case left its remote command running');

  // The wedged node's cleanup failed: its environment is released as broken and never reused.
  assert.equal(end('b_wedges').status, 'PASSED', "a failed cleanup must not hide the case's own result");
  assert.equal(end('b_wedges').envId, 'env1');
  const envEnd = events.find((e): e is RunEventOf<'env.end'> => e.type === 'env.end' && e.envId === 'env1')!;
  assert.match(envEnd.broken ?? '', /^afterCase failed: node1 was left wedged by the case/);
  assert.equal(end('c_after_wedge').status, 'PASSED');
  assert.equal(end('c_after_wedge').envId, 'env2', 'the next case reused the environment whose cleanup failed');
  assert.match(r.stderr, /env1 is not reused: afterCase failed: node1 was left wedged/);
});
