import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseKselftestOutput, parseTap } from '../../../tools/kselftest.js';
import { fixture } from '../../helpers/fixtures.js';

test('kselftest TAP: one result per program, nested TAP ignored', () => {
  const r = parseKselftestOutput(fx('kselftest/run-timers.tap'));
  assert.deepEqual(
    r.map((x) => [x.name, x.status]),
    [
      ['timers:posix_timers', 'pass'],
      ['timers:nanosleep', 'pass'],
      ['timers:rtcpie', 'skip'],
      ['timers:inconsistency-check', 'fail'],
    ],
  );
  assert.equal(r[3]!.directive, 'exit=1');
  assert.equal(parseTap(fx('kselftest/run-timers.tap')).plan, 4);
});

test('plain TAP with descriptions and TODO', () => {
  const r = parseTap('1..3\nok 1 - first\nnot ok 2 - second # TODO later\nnot ok 3 third\n').results;
  assert.deepEqual(
    r.map((x) => [x.name, x.status]),
    [
      ['first', 'pass'],
      ['second', 'xfail'],
      ['third', 'fail'],
    ],
  );
});

test('real run_kselftest.sh output: one TAP stream per collection', () => {
  const r = parseKselftestOutput(fx('kselftest/host-size-timers.tap'));
  assert.deepEqual(
    r.map((x) => [x.name, x.status]),
    [
      ['size:get_size', 'pass'],
      ['timers:rtcpie', 'skip'],
      ['timers:posix_timers', 'pass'],
      ['timers:inconsistency-check', 'pass'],
    ],
  );
});

test('real failure in a TCG guest: rtcpie exit=255', () => {
  const r = parseKselftestOutput(fx('kselftest/guest-rtcpie-fail.tap'));
  assert.deepEqual(
    r.map((x) => [x.name, x.status, x.directive]),
    [
      ['size:get_size', 'pass', undefined],
      ['timers:rtcpie', 'fail', 'exit=255'],
    ],
  );
});
