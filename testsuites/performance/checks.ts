import { expectNone, expectTrue, fail } from '../../src/testing/assert.js';
import type { FioJobResult } from '../../tools/fio.js';
import type { StressNgResult } from '../../tools/stress-ng.js';

/** A fio job that moved no data in the direction it was asked to is a failed measurement. */
export function checkFioProducedThroughput(what: string, rw: string, jobs: readonly FioJobResult[]): void {
  if (jobs.length === 0) fail(what, 'fio job results', 'none');
  const reads = /read|rw/.test(rw);
  const writes = /write|rw/.test(rw);
  for (const j of jobs) {
    if (j.error !== 0) fail(`${what}: fio job ${j.name}`, 'error 0', `error ${j.error}`);
    if (reads)
      expectTrue(
        `${what}: read throughput of ${j.name}`,
        j.read.bwBytesPerSecond > 0,
        'more than 0 B/s',
        `${j.read.bwBytesPerSecond} B/s`,
      );
    if (writes)
      expectTrue(
        `${what}: write throughput of ${j.name}`,
        j.write.bwBytesPerSecond > 0,
        'more than 0 B/s',
        `${j.write.bwBytesPerSecond} B/s`,
      );
  }
}

/** stress-ng's exit code 0, no `fail:` lines, and every stressor did some work. */
export function checkStressNg(nodeName: string, result: StressNgResult, expectedStressors: readonly string[]): void {
  expectNone(`stress-ng failures on ${nodeName}`, result.failures, (l) => l.trim(), 5);
  expectTrue(`stress-ng exit code on ${nodeName}`, result.exitCode === 0, '0', String(result.exitCode));
  const seen = new Set(result.metrics.filter((m) => m.bogoOps > 0).map((m) => m.stressor));
  expectNone(
    `stressors that did no work on ${nodeName}`,
    expectedStressors.filter((s) => !seen.has(s)),
  );
}
