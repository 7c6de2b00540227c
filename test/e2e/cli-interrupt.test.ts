import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import {
  onlyRunDir,
  readEvents,
  readyPlatformYaml,
  repoRoot,
  startCli,
  tempDir,
  writeRunbook,
} from '../helpers/cli.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { waitFor } from '../helpers/wait.js';

let node: Sshd;
before(async () => {
  node = await startSshd();
});
after(async () => {
  await node.stop();
});

test('Ctrl-C mid-run stops work, cleans up, writes every report and exits 130', async () => {
  const dir = tempDir();
  const runs = join(dir, 'runs');
  const file = writeRunbook(
    dir,
    'runbook.yml',
    `name: e2e-interrupt
log_path: ${runs}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/e2e')}
${readyPlatformYaml([node])}testcase:
  - criteria:
      tags: interrupt
notifier:
  - type: junit
  - type: json
`,
  );
  const cli = startCli(['run', file]);
  await waitFor(() => existsSync(runs) && readEvents(onlyRunDir(runs)).some((e) => e.type === 'case.begin'), 60_000);
  await new Promise((r) => setTimeout(r, 500));
  cli.child.kill('SIGINT');
  const result = await cli.done;
  assert.equal(result.code, 130, result.stderr);
  assert.match(result.stderr, /SIGINT: stopping/);

  const runDir = onlyRunDir(runs);
  const events = readEvents(runDir);
  const end = events.at(-1) as RunEventOf<'run.end'>;
  assert.equal(end.type, 'run.end');
  assert.equal(end.status, 'INTERRUPTED');
  const caseEnds = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
  const running = caseEnds.find((e) => e.case.caseId === 'e2e.long_wait')!;
  assert.equal(running.status, 'FAILED');
  assert.equal(running.message, 'interrupted while running (Ctrl-C)');
  const queued = caseEnds.find((e) => e.case.caseId === 'e2e.after_long_wait')!;
  assert.equal(queued.status, 'SKIPPED');
  assert.equal(queued.unfinished, true);
  assert.equal(end.summary.unfinished, 2);
  assert.equal(end.summary.failed, 0, 'a case cut short by Ctrl-C is unfinished, not failed');
  assert.ok(existsSync(join(runDir, 'junit.xml')), 'junit.xml not written on interrupt');
  assert.ok(existsSync(join(runDir, 'results.json')), 'results.json not written on interrupt');
  const left = execSync('pgrep -f "sleep 30[2]" || true', { encoding: 'utf8' }).trim();
  assert.equal(left, '', 'the interrupted case left its remote command running');
});
