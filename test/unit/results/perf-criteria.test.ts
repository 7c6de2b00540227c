import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeMetric, loadPerfCriteria } from '../../../src/results/perf-criteria.js';
import { baselineKey, PerfGate } from '../../../src/results/perf-gate.js';
import type { CaseRef } from '../../../src/results/events.js';

const facts = {
  case: 'perf.iperf',
  area: 'perf',
  combination: 'default',
  image: 'debian-12',
  kernel: '6.1.0-28-amd64',
};

function criteriaFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lisa-perf-')), 'criteria.yml');
  writeFileSync(file, text);
  return file;
}

test('min, max, target with tolerance and baseline tolerance, matched on case and environment facts', () => {
  const c = loadPerfCriteria(
    criteriaFile(`criteria:
  - metric: throughput
    match: { case: 'perf\\..*', image: debian }
    min: 500
    target: 900
    tolerance: 10%
    baseline_tolerance: 5%
  - metric: latency_.*
    max: 3
`),
  );
  const m = (value: number, name = 'throughput') => ({ name, value, unit: 'MB/s', higherIsBetter: true });
  assert.equal(judgeMetric(c, m(850), facts, undefined), undefined);
  assert.equal(judgeMetric(c, m(400), facts, undefined), 'throughput 400 MB/s is below the minimum 500 MB/s');
  assert.equal(
    judgeMetric(c, m(800), facts, undefined),
    'throughput 800 MB/s misses the target 900 MB/s by more than 10%',
  );
  assert.equal(
    judgeMetric(c, m(850), facts, 950),
    "throughput 850 MB/s regressed 10.5% from the baseline's 950 MB/s (tolerance 5%)",
  );
  assert.equal(judgeMetric(c, m(400), { ...facts, image: 'ubuntu' }, undefined), undefined, 'match on image');
  assert.equal(
    judgeMetric(c, { name: 'latency_p99', value: 4 }, facts, undefined),
    'latency_p99 4 is above the maximum 3',
  );
  assert.equal(judgeMetric(c, { name: 'latency', value: 4 }, facts, undefined), undefined, 'whole-name match');
});

test('a mistake in the criteria file names the file, line and key', () => {
  const file = criteriaFile('criteria:\n  - metric: x\n    min: low\n');
  assert.throws(
    () => loadPerfCriteria(file),
    (e: Error & { format(): string }) => {
      assert.match(e.format(), /criteria\.yml:3:10: criteria\[0\]\.min: .*number/);
      return true;
    },
  );
  assert.throws(() => loadPerfCriteria(criteriaFile('criteria:\n  - metric: x\n    mni: 1\n')), /mni/);
});

test('the gate fails a passed case whose metric breaks a criterion; a failed case keeps its message', () => {
  const ref: CaseRef = {
    runCaseId: 'perf.iperf',
    caseId: 'perf.iperf',
    name: 'iperf',
    suite: 'perf',
    area: 'perf',
    priority: 1,
    tags: [],
    combination: 'default',
    iteration: 1,
  };
  const gate = new PerfGate(
    loadPerfCriteria(criteriaFile('criteria:\n  - metric: throughput\n    baseline_tolerance: 10%\n')),
    new Map([[baselineKey('perf.iperf', 'throughput'), 1000]]),
  );
  const end = (status: 'PASSED' | 'FAILED') => ({
    type: 'case.end' as const,
    case: ref,
    status,
    message: status === 'FAILED' ? 'own' : '',
    attempt: 1,
    durationMs: 1,
  });
  gate.transform({ type: 'case.begin', case: ref, envId: 'e', attempt: 1, logPath: '/x' });
  gate.transform({ type: 'case.metric', case: ref, name: 'throughput', value: 850, higherIsBetter: true });
  const judged = gate.transform(end('PASSED'));
  assert.equal(judged.type === 'case.end' && judged.status, 'FAILED');
  assert.match(judged.type === 'case.end' ? judged.message : '', /^performance criteria: throughput 850 regressed 15%/);
  gate.transform({ type: 'case.begin', case: ref, envId: 'e', attempt: 2, logPath: '/x' });
  gate.transform({ type: 'case.metric', case: ref, name: 'throughput', value: 990, higherIsBetter: true });
  const ok = gate.transform(end('PASSED'));
  assert.equal(ok.type === 'case.end' && ok.status, 'PASSED', 'each attempt is judged on its own metrics');
  gate.transform({ type: 'case.begin', case: ref, envId: 'e', attempt: 3, logPath: '/x' });
  gate.transform({ type: 'case.metric', case: ref, name: 'throughput', value: 1, higherIsBetter: true });
  const failed = gate.transform(end('FAILED'));
  assert.equal(failed.type === 'case.end' && failed.message, 'own');
});
