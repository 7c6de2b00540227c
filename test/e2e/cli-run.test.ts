import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import {
  allFiles,
  onlyRunDir,
  readEvents,
  readyPlatformYaml,
  repoRoot,
  runCli,
  tempDir,
  writeRunbook,
} from '../helpers/cli.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

const SECRET = 'tok-9f3e2a7c51';

function ends(events: RunEvent[]): Map<string, RunEventOf<'case.end'>> {
  const m = new Map<string, RunEventOf<'case.end'>>();
  for (const e of events) if (e.type === 'case.end' && !e.willRetry) m.set(e.case.caseId, e);
  return m;
}

describe('lisa run against three loopback sshd nodes', () => {
  let nodes: Sshd[] = [];
  let result: ReturnType<typeof runCli>;
  let runDir: string;
  let events: RunEvent[];

  before(async () => {
    nodes = await Promise.all([startSshd(), startSshd(), startSshd()]);
    const dir = tempDir();
    const file = writeRunbook(
      dir,
      'runbook.yml',
      `name: e2e-main-$(token)
log_path: ${join(dir, 'runs')}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/e2e')}
variable:
  - name: token
    value: ${SECRET}
    is_secret: true
${readyPlatformYaml(nodes)}testcase:
  - criteria:
      area: e2e
      tags: main
  - criteria:
      name: times_out
    timeout: 3
  - criteria:
      name: retry_flaky
    retry: 1
notifier:
  - type: console
  - type: junit
  - type: json
  - type: html
concurrency: 3
`,
    );
    result = runCli(['run', '-r', file]);
    runDir = onlyRunDir(join(dir, 'runs'));
    events = readEvents(runDir);
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  });

  test('exits 1 because cases failed, and says so in the summary', () => {
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /FAILED/);
    const end = events.at(-1) as RunEventOf<'run.end'>;
    assert.equal(end.type, 'run.end');
    assert.equal(end.status, 'FAILED');
  });

  test('each case has the expected final status and message', () => {
    const e = ends(events);
    assert.equal(e.get('e2e.pass_echo')?.status, 'PASSED');
    assert.equal(e.get('e2e.fail_message')?.status, 'FAILED');
    assert.equal(e.get('e2e.fail_message')?.message, 'answer: expected "4", found "3"');
    assert.equal(e.get('e2e.skip_runtime')?.status, 'SKIPPED');
    assert.equal(e.get('e2e.skip_runtime')?.message, 'the widget is not installed');
    assert.equal(e.get('e2e.unmet_cores')?.status, 'SKIPPED');
    assert.match(e.get('e2e.unmet_cores')!.message, /^requirement not met: 512 cores \(has \d+\)$/);
    assert.equal(e.get('e2e.times_out')?.status, 'FAILED');
    assert.equal(e.get('e2e.times_out')?.message, 'timed out after 3 s');
    assert.equal(e.get('e2e.retry_flaky')?.status, 'PASSED');
    assert.equal(e.get('e2e.retry_flaky')?.attempt, 2);
    assert.equal(e.get('e2e.metrics_and_subresults')?.status, 'PASSED');
    for (let i = 1; i <= 6; i++) assert.equal(e.get(`e2e.parallel_${i}`)?.status, 'PASSED');
  });

  test('a timed-out case leaves no remote process behind', () => {
    const left = execSync('pgrep -f "sleep 30[1]" || true', { encoding: 'utf8' }).trim();
    assert.equal(left, '', 'the remote sleep of the timed-out case is still running');
  });

  test('a connection dropped mid-case fails that case clearly and the node is reused', () => {
    const drop = ends(events).get('e2e.drop_connection')!;
    assert.equal(drop.status, 'FAILED');
    assert.match(drop.message, /connection|unreachable|closed/i);
    const envEnd = events.find((x) => x.type === 'env.end' && x.envId === drop.envId) as RunEventOf<'env.end'>;
    assert.equal(envEnd.broken, undefined, 'the environment was marked broken although the node answers again');
    const later = events.filter((x) => x.type === 'case.begin' && x.envId === drop.envId);
    const dropIndex = events.indexOf(drop);
    assert.ok(
      later.some((x) => events.indexOf(x) > dropIndex) ||
        events.filter((x) => x.type === 'case.begin').every((x) => events.indexOf(x) < dropIndex),
      'no case ran on the node after the drop although cases were still waiting',
    );
  });

  test('environments run in parallel', () => {
    const begins = events.filter((x): x is RunEventOf<'case.begin'> => x.type === 'case.begin');
    const used = new Set(begins.map((b) => b.envId));
    assert.equal(used.size, 3, `cases ran on ${[...used].join(', ')}`);
    // Some case began while a case on another environment was still running.
    const running = new Map<string, string>();
    let overlapped = false;
    for (const x of events) {
      if (x.type === 'case.begin') {
        if ([...running.values()].some((env) => env !== x.envId)) overlapped = true;
        running.set(x.case.runCaseId, x.envId);
      } else if (x.type === 'case.end') running.delete(x.case.runCaseId);
    }
    assert.ok(overlapped, 'no two environments ever ran cases at the same time');
  });

  test('sub-results and metrics are on the event stream', () => {
    const subs = events.filter((x) => x.type === 'case.subresult');
    assert.deepEqual(
      subs.map((s) => s.name),
      ['first', 'second'],
    );
    const metric = events.find((x) => x.type === 'case.metric' && x.name === 'throughput') as RunEventOf<'case.metric'>;
    assert.equal(metric.value, 123.5);
    assert.equal(metric.unit, 'MB/s');
  });

  test('the run directory holds the full log, case logs, node logs and reports', () => {
    const files = allFiles(runDir).map((f) => f.slice(runDir.length + 1));
    for (const f of ['lisa.log', 'events.jsonl', 'junit.xml', 'results.json', 'report.html'])
      assert.ok(files.includes(f), `${f} missing`);
    assert.ok(
      files.some((f) => /^cases\/.*e2e\.pass_echo.*\/case\.log$/.test(f)),
      'no case log for pass_echo',
    );
    assert.ok(
      files.some((f) => f.startsWith('nodes/')),
      'no node logs',
    );
    const caseLog = readFileSync(join(runDir, files.find((f) => /e2e\.pass_echo.*case\.log$/.test(f))!), 'utf8');
    assert.match(caseLog, /echo hello/);
    assert.match(caseLog, /exit 0/);
  });

  test('the secret never appears in any output file or on the console', () => {
    assert.ok(!result.stdout.includes(SECRET) && !result.stderr.includes(SECRET), 'secret printed on the console');
    // The run's name holds the secret too: the run directory's name is masked like any output.
    assert.ok(!runDir.includes(SECRET), `secret in the run directory's name: ${runDir}`);
    assert.match(runDir, /e2e-main-_+$/);
    for (const f of allFiles(runDir)) {
      assert.ok(!f.includes(SECRET), `secret in a file name: ${f}`);
      assert.ok(!readFileSync(f, 'utf8').includes(SECRET), `secret found in ${f}`);
    }
    const secretCase = ends(events).get('e2e.secret_echo')!;
    assert.equal(secretCase.message, 'deliberate failure mentioning ******');
  });
});
