import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, readyPlatformYaml, startCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

// The built-in smoke.reboot case through the CLI against a loopback sshd whose "reboot" restarts
// sshd with a new boot id: the node's ordinary reboot path, no test hooks in the runbook.
let node: Sshd;
before(async () => {
  node = await startSshd({ namespacedReboot: true });
});
after(async () => {
  await node.stop();
});

test('smoke.reboot passes: the connection drops, the node comes back with a new boot id, and cases go on', async () => {
  const bootBefore = readFileSync(node.bootIdFile, 'utf8');
  const dir = tempDir();
  const file = writeRunbook(
    dir,
    'runbook.yml',
    `name: reboot
log_path: ${join(dir, 'runs')}
${readyPlatformYaml([node])}testcase:
  - criteria:
      area: smoke
`,
  );
  // Asynchronously: the fixture restarts sshd from this process's event loop.
  const r = await startCli(['run', file]).done;
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const ends = readEvents(onlyRunDir(join(dir, 'runs'))).filter(
    (e): e is RunEventOf<'case.end'> => e.type === 'case.end',
  );
  assert.deepEqual(ends.map((e) => `${e.case.caseId} ${e.status}`).sort(), [
    'smoke.command_round_trip PASSED',
    'smoke.os_facts PASSED',
    'smoke.reachable PASSED',
    'smoke.reboot PASSED',
  ]);
  assert.notEqual(readFileSync(node.bootIdFile, 'utf8'), bootBefore, 'the fixture never restarted sshd');
});
