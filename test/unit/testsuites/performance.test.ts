import { test } from 'node:test';

const fx = fixture;

import { parseFioJson } from '../../../tools/fio.js';
import { parseStressNgBrief, parseStressNgYaml } from '../../../tools/stress-ng.js';
import { checkFioProducedThroughput, checkStressNg } from '../../../testsuites/performance/checks.js';
import { failsWith, fixture } from '../../helpers/fixtures.js';

test('fio: a real run passes; no data moved or a job error fails', () => {
  const jobs = parseFioJson(fx('tools/fio/fio-randrw.json'));
  checkFioProducedThroughput('fio randrw', 'randrw', jobs);
  const stalled = jobs.map((j) => ({ ...j, write: { ...j.write, bwBytesPerSecond: 0 } }));
  failsWith(
    () => checkFioProducedThroughput('fio randrw', 'randrw', stalled),
    /fio randrw: write throughput of randrw: expected more than 0 B\/s, found 0 B\/s/,
  );
  failsWith(
    () =>
      checkFioProducedThroughput(
        'fio',
        'read',
        jobs.map((j) => ({ ...j, error: 5 })),
      ),
    /fio job randrw: expected error 0, found error 5/,
  );
  failsWith(() => checkFioProducedThroughput('fio', 'read', []), /expected fio job results, found none/);
});

test('stress-ng: a clean run passes; a failed stressor is named', () => {
  const metrics = parseStressNgYaml(fx('tools/stress-ng/stress-ng.yaml'));
  checkStressNg('host', { metrics, exitCode: 0, failures: [] }, ['cpu', 'vm']);
  const failLine = 'stress-ng: fail:  [14801] vm: detected memory error, offset : 4096, got: 0x00000000';
  failsWith(
    () => checkStressNg('host', { metrics, exitCode: 2, failures: [failLine] }, ['cpu', 'vm']),
    /stress-ng failures on host: expected none, found 1: stress-ng: fail:  \[14801\] vm: detected memory error/,
  );
  failsWith(
    () => checkStressNg('host', { metrics, exitCode: 3, failures: [] }, ['cpu', 'vm']),
    /stress-ng exit code on host: expected 0, found 3/,
  );
  const brief = parseStressNgBrief(fx('tools/stress-ng/stress-ng.out')).filter((m) => m.stressor === 'cpu');
  failsWith(
    () => checkStressNg('host', { metrics: brief, exitCode: 0, failures: [] }, ['cpu', 'vm']),
    /stressors that did no work on host: expected none, found 1: vm/,
  );
});
