import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResultsModel } from '../../../src/results/results-model.js';
import { COMBO_A, COMBO_B, interruptedEvents, runEvents } from '../../fixtures/notifiers/run-events.js';

function folded() {
  const model = new ResultsModel();
  for (const e of runEvents('/runs/r1')) model.apply(e);
  return model;
}

test('summary counts final statuses; a case passing on retry counts once, as passed', () => {
  const model = folded();
  assert.deepEqual(model.summary(), { total: 9, passed: 6, failed: 1, skipped: 1, attempted: 1, unfinished: 0 });
  assert.equal(model.state, 'FAILED');
  assert.equal(model.durationMs(), 200_000);
});

test('a retried case keeps every attempt and shows the last one', () => {
  const flaky = folded().getCase(`${COMBO_A}/core.flaky#1`)!;
  assert.equal(flaky.status, 'PASSED');
  assert.equal(flaky.attempt, 2);
  assert.deepEqual(
    flaky.attempts.map((a) => [a.attempt, a.status, a.message]),
    [
      [1, 'FAILED', 'timeout waiting for ssh'],
      [2, 'PASSED', ''],
    ],
  );
  assert.equal(flaky.durationMs, 62_000, 'retries cost real time, so durations add up');
  assert.deepEqual(
    flaky.subResults.map((s) => s.name),
    ['reconnect'],
    'sub-results belong to their attempt',
  );
  assert.match(flaky.logPath ?? '', /attempt2/);
});

test('sub-results, metrics, environments and combinations are folded in', () => {
  const model = folded();
  const klog = model.getCase(`${COMBO_A}/core.kernel_log#1`)!;
  assert.deepEqual(
    klog.subResults.map((s) => `${s.status} ${s.name}`),
    ['PASSED no_oops', 'FAILED no_call_trace'],
  );
  const iperf = model.getCase(`${COMBO_A}/perf.iperf#1`)!;
  assert.deepEqual(iperf.metrics[0], {
    name: 'throughput',
    value: 812.4,
    unit: 'MB/s',
    higherIsBetter: true,
    description: 'TCP, 1 stream',
  });
  assert.ok(model.isRepeated(iperf));
  assert.ok(!model.isRepeated(klog));
  const snap = model.snapshot();
  assert.deepEqual(
    snap.combinations.map((c) => c.name),
    [COMBO_A, COMBO_B],
  );
  assert.deepEqual(
    snap.environments.map((e) => [e.envId, e.nodes[0]?.os]),
    [
      ['env-1', 'Debian 12'],
      ['env-2', 'Ubuntu 24.04'],
    ],
  );
  assert.deepEqual(
    model.groups().map((g) => `${g.combination} ${g.suite} ${g.cases.length}`),
    [`${COMBO_A} core 3`, `${COMBO_A} net 1`, `${COMBO_A} storage 1`, `${COMBO_A} perf 2`, `${COMBO_B} core 2`],
  );
});

test('snapshots are copies, and an interrupted run counts unfinished cases', () => {
  const events = runEvents('/runs/r1');
  const cut = events.findIndex((e) => e.type === 'case.begin' && e.case.name === 'fio');
  const model = new ResultsModel();
  for (const e of events.slice(0, cut + 1)) model.apply(e);
  const s = model.summary();
  assert.equal(s.unfinished, 4, 'fio running, flaky and two iperf queued');
  assert.equal(model.state, 'RUNNING');
  const snap = model.snapshot();
  snap.cases[0]!.status = 'FAILED';
  assert.equal(model.cases[0]!.status, 'PASSED');
});

test('a failed attempt waiting for its retry is not counted as failed', () => {
  const events = runEvents('/runs/r1');
  const model = new ResultsModel();
  for (const e of events.slice(0, events.findIndex((e) => e.type === 'case.end' && e.willRetry) + 1)) model.apply(e);
  const flaky = model.getCase(`${COMBO_A}/core.flaky#1`)!;
  assert.equal(flaky.status, 'QUEUED');
  assert.equal(flaky.attempts[0]!.willRetry, true);
  assert.equal(model.summary().failed, 1, 'only kernel_log');
});

test('engine-reported interruption: unfinished cases count once, as unfinished', () => {
  const model = new ResultsModel();
  for (const e of interruptedEvents('/runs/r1')) model.apply(e);
  assert.deepEqual(model.summary(), { total: 7, passed: 1, failed: 1, skipped: 1, attempted: 0, unfinished: 4 });
  assert.equal(model.state, 'INTERRUPTED');
});
