import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonNotifier, type ResultsJson } from '../../../src/notifiers/json.js';
import { COMBO_A, COMBO_B, feed, makeContext, runEvents, SECRET } from '../../fixtures/notifiers/run-events.js';

test('results.json holds the run, combinations and every case; rewritten after each case', async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'lisa-json-'));
  try {
    const notifier = new JsonNotifier(makeContext(runDir));
    const events = runEvents(runDir);
    const file = join(runDir, 'results.json');
    const read = () => JSON.parse(readFileSync(file, 'utf8')) as ResultsJson;

    const secondEnd = events.findIndex(
      (e, i) => e.type === 'case.end' && i > events.findIndex((x) => x.type === 'case.end'),
    );
    await feed(notifier, events.slice(0, secondEnd + 1));
    const partial = read();
    assert.equal(partial.status, 'RUNNING');
    assert.deepEqual(
      partial.cases.filter((c) => c.status === 'PASSED' || c.status === 'FAILED').map((c) => c.caseId),
      ['core.boot', 'core.kernel_log'],
    );

    await feed(notifier, events.slice(secondEnd + 1));
    await notifier.finish();
    const doc = read();
    assert.equal(doc.version, 1);
    assert.equal(doc.runId, 'run-20261122');
    assert.equal(doc.status, 'FAILED');
    assert.equal(doc.durationMs, 200_000);
    assert.deepEqual(doc.summary, { total: 9, passed: 6, failed: 1, skipped: 1, attempted: 1, unfinished: 0 });
    assert.deepEqual(
      doc.combinations.map((c) => [c.name, c.variables['admin_password']]),
      [
        [COMBO_A, '******'],
        [COMBO_B, '******'],
      ],
    );
    assert.equal(doc.environments.length, 2);

    const klog = doc.cases.find((c) => c.runCaseId === `${COMBO_A}/core.kernel_log#1`)!;
    assert.equal(klog.status, 'FAILED');
    assert.match(klog.message, /password=\*{6}/);
    assert.equal(klog.envId, 'env-1');
    assert.equal(klog.logPath, `cases/${COMBO_A}_core.kernel_log_1/case.log`, 'relative to the report');
    assert.deepEqual(
      klog.subResults.map((s) => s.status),
      ['PASSED', 'FAILED'],
    );

    const flaky = doc.cases.find((c) => c.caseId === 'core.flaky')!;
    assert.equal(flaky.attempts.length, 2);
    assert.equal(flaky.attempts[0]!.willRetry, true);
    assert.equal(flaky.attempts[0]!.logPath, `cases/${COMBO_A}_core.flaky_1/case.log`);
    const iperf = doc.cases.filter((c) => c.caseId === 'perf.iperf');
    assert.deepEqual(
      iperf.map((c) => [c.iteration, c.metrics[0]?.value]),
      [
        [1, 812.4],
        [2, 799.9],
      ],
    );

    assert.ok(!readFileSync(file, 'utf8').includes(SECRET));
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});
