import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import { readEvents, readyPlatformYaml, repoRoot, runCli, runDirs, tempDir, writeRunbook } from '../helpers/cli.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

let node: Sshd;
let dir: string;
before(async () => {
  node = await startSshd();
  dir = tempDir();
});
after(async () => {
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('perf criteria fail a case that regressed from the last passing run; perfdump exports the metrics', () => {
  const file = writeRunbook(
    dir,
    'runbook.yml',
    `name: perf
log_path: ${join(dir, 'runs')}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/results')}
${readyPlatformYaml([node])}testcase:
  - criteria:
      area: results
      name: ^(throughput|subchecks)$
notifier:
  - type: database
`,
  );
  const criteria = join(dir, 'criteria.yml');
  writeFileSync(
    criteria,
    'criteria:\n  - metric: throughput\n    min: 50\n    baseline_tolerance: 10%\n  - metric: latency\n    max: 5\n',
  );
  const first = runCli(['run', file, '-v', 'throughput:100', '--perf-criteria', criteria]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const second = runCli(['run', file, '-v', 'throughput:80', '--perf-criteria', criteria]);
  assert.equal(second.code, 1, second.stdout + second.stderr);
  const [dir1, dir2] = runDirs(join(dir, 'runs'));
  const end = readEvents(dir2!).find(
    (e): e is RunEventOf<'case.end'> => e.type === 'case.end' && e.case.caseId === 'results.throughput',
  )!;
  assert.equal(end.status, 'FAILED');
  assert.equal(
    end.message,
    "performance criteria: throughput 80 MB/s regressed 20% from the baseline's 100 MB/s (tolerance 10%)",
  );
  const diff = runCli(['diff', dir2!, '--json']);
  assert.equal(diff.code, 1, diff.stderr);
  const d = JSON.parse(diff.stdout) as {
    newFailures: { caseId: string }[];
    metricRegressions: { metric: string; change: number }[];
  };
  assert.deepEqual(
    d.newFailures.map((c) => c.caseId),
    ['results.throughput'],
  );
  assert.deepEqual(
    d.metricRegressions.map((m) => [m.metric, m.change]),
    [['throughput', -0.2]],
  );

  const csv = runCli(['perfdump', dir1!]);
  assert.equal(csv.code, 0, csv.stderr);
  const lines = csv.stdout.trim().split('\n');
  assert.equal(lines[0], 'run,combination,case,runCaseId,status,metric,value,unit,higherIsBetter');
  assert.match(lines[1]!, /,default,results\.throughput,results\.throughput,PASSED,throughput,100,MB\/s,true$/);
  assert.match(lines[2]!, /,latency,2,ms,false$/);
  const json = runCli([
    'perfdump',
    dir2!.split('/').pop()!,
    '--db',
    `sqlite:${join(dir, 'runs', 'results.db')}`,
    '--format',
    'json',
  ]);
  assert.equal((JSON.parse(json.stdout) as { value: number }[])[0]!.value, 80);

  const bad = join(dir, 'bad.yml');
  writeFileSync(bad, 'criteria:\n  - metric: throughput\n    tolerance: lots\n');
  const r = runCli(['run', file, '--perf-criteria', bad]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: .*bad\.yml:3:\d+: criteria\[0\]\.tolerance: /);
  assert.ok(!readFileSync(join(dir1!, 'events.jsonl'), 'utf8').includes('performance criteria'));
});
