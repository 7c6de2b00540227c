import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, repoRoot, startCli, tempDir, writeRunbook } from '../helpers/cli.js';

/** One `type: local` environment and four workers: three of them must wait for it. */
function runbook(longSeconds: number): { file: string; runs: string } {
  const dir = tempDir();
  const runs = join(dir, 'runs');
  const file = writeRunbook(
    dir,
    'runbook.yml',
    `name: e2e-concurrency
log_path: ${runs}
concurrency: 4
extension:
  - ${join(repoRoot, 'test/fixtures/suites/waiting')}
variable:
  - name: long_s
    value: ${longSeconds}
platform:
  - type: ready
environment:
  environments:
    - nodes:
        - type: local
testcase:
  - criteria:
      area: waiting
notifier:
  - type: junit
  - type: json
`,
  );
  return { file, runs };
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The run root exists a moment before the run's own directory is made inside it.
const longBegan = (runs: string) =>
  existsSync(runs) &&
  readdirSync(runs).length > 0 &&
  readEvents(onlyRunDir(runs)).some((e) => e.type === 'case.begin' && e.case.caseId === 'waiting.long');

/** User plus system CPU seconds the process has used, from /proc/PID/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 (utime, stime) counted from 1, i.e. 11 and 12 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

test('concurrency 4 on one environment runs every case once, and the waiting workers stay idle', async () => {
  const { file, runs } = runbook(4);
  const cli = startCli(['run', file]);
  await until(() => longBegan(runs), 60_000);
  const before = cpuSeconds(cli.child.pid!);
  const windowStart = Date.now();
  await new Promise((r) => setTimeout(r, 2500));
  const used = cpuSeconds(cli.child.pid!) - before;
  const elapsed = (Date.now() - windowStart) / 1000;
  console.log(`cpu while three workers wait: ${used.toFixed(2)} s in ${elapsed.toFixed(1)} s`);
  assert.ok(used < 0.25, `the waiting run used ${used.toFixed(2)} s of CPU in ${elapsed.toFixed(1)} s`);

  const r = await cli.done;
  assert.equal(r.code, 0, r.stderr);
  const ends = readEvents(onlyRunDir(runs)).filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
  assert.deepEqual(
    ends.map((e) => e.case.caseId).sort(),
    ['waiting.long', ...[1, 2, 3, 4, 5].map((i) => `waiting.short_${i}`)].sort(),
  );
  for (const e of ends) assert.equal(e.status, 'PASSED', `${e.case.caseId}: ${e.message}`);
});

test('Ctrl-C while workers wait for the one environment exits 130 with reports written, under 1 s once the running command is killed', async () => {
  const { file, runs } = runbook(300);
  const cli = startCli(['run', file]);
  await until(() => longBegan(runs), 60_000);
  await new Promise((r) => setTimeout(r, 300));
  const sent = Date.now();
  cli.child.kill('SIGINT');
  const r = await cli.done;
  const exited = Date.now();
  const took = exited - sent;
  assert.equal(r.code, 130, r.stderr);
  const runDir = onlyRunDir(runs);
  const longEnd = readEvents(runDir).find(
    (e): e is RunEventOf<'case.end'> => e.type === 'case.end' && e.case.caseId === 'waiting.long',
  )!;
  // Killing the running command is the node's job (a /proc walk that a loaded machine slows
  // down); from then on, the waiting workers, the reports and the exit must take under 1 s.
  const afterKill = exited - Date.parse(longEnd.time);
  console.log(`exit after Ctrl-C: ${took} ms, of which ${afterKill} ms after the running case ended`);
  assert.ok(afterKill < 1000, `exit took ${afterKill} ms after the interrupted case ended`);
  assert.ok(took < 5000, `exit took ${took} ms after SIGINT`);
  assert.ok(existsSync(join(runDir, 'junit.xml')), 'junit.xml not written');
  assert.ok(existsSync(join(runDir, 'results.json')), 'results.json not written');
  const ends = readEvents(runDir).filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
  assert.equal(ends.length, 6, 'every case is reported once');
  for (const e of ends.filter((x) => x.case.caseId !== 'waiting.long')) {
    assert.equal(e.status, 'SKIPPED');
    assert.equal(e.message, 'not run: the run was interrupted');
  }
});
