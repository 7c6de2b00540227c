import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = fixture;

import { parseKselftestOutput } from '../../../tools/kselftest.js';
import { parseKirkJson, parseLtpResultsLog } from '../../../tools/ltp.js';
import {
  checkKselftestRun,
  checkLtpRun,
  listVariable,
  ltpSubResultStatus,
  tapSubResultStatus,
} from '../../../testsuites/upstream/checks.js';
import { failsWith, fixture } from '../../helpers/fixtures.js';

test('LTP: all pass (TCONF is a skip)', () => {
  const run = parseLtpResultsLog(fx('tools/ltp/results-smoke.txt'));
  checkLtpRun('guest', run);
  assert.deepEqual(
    run.results.map((r) => ltpSubResultStatus(r.status)).filter((s) => s !== 'PASSED'),
    ['SKIPPED'],
  );
});

test('LTP: failures and broken tests are named', () => {
  const run = parseLtpResultsLog(fx('tools/ltp/results-broken.txt'));
  failsWith(
    () => checkLtpRun('guest', run),
    /LTP tests failed on guest: expected none, found 2: madvise06 FAIL \(exit 1\); cve-2017-17052 BROK \(exit 2\)/,
  );
  failsWith(
    () => checkLtpRun('guest', parseKirkJson(fx('tools/ltp/kirk-report.json'))),
    /madvise06 FAIL.*cve-2017-17052 BROK/,
  );
  assert.equal(ltpSubResultStatus('WARN'), 'ATTEMPTED');
});

test('LTP: an empty or all-TCONF run is not a pass', () => {
  failsWith(
    () => checkLtpRun('guest', { results: [], totals: {} }),
    /expected at least one test result, found no results/,
  );
  failsWith(
    () => checkLtpRun('guest', { results: [{ name: 'x', status: 'CONF', exitValue: 32 }], totals: {} }),
    /all 1 tests reported TCONF/,
  );
  failsWith(
    () => checkLtpRun('guest', { results: [{ name: 'x', status: 'PASS', exitValue: 0 }], totals: {}, timedOut: true }),
    /expected the run to finish within the case timeout, found killed after 1 tests/,
  );
});

test('kselftest: failures named, skips are sub-results', () => {
  const results = parseKselftestOutput(fx('tools/kselftest/run-timers.tap'));
  assert.deepEqual(
    results.map((r) => tapSubResultStatus(r.status)),
    ['PASSED', 'PASSED', 'SKIPPED', 'FAILED'],
  );
  failsWith(
    () => checkKselftestRun('guest', results),
    /kselftests failed on guest: expected none, found 1: timers:inconsistency-check \(exit=1\)/,
  );
  checkKselftestRun('guest', results.slice(0, 3));
  failsWith(() => checkKselftestRun('guest', []), /no TAP results/);
});

test('list variables', () => {
  assert.deepEqual(listVariable('fork01, mmap01 open01'), ['fork01', 'mmap01', 'open01']);
  assert.deepEqual(listVariable(['a']), ['a']);
  assert.equal(listVariable(undefined), undefined);
});

test('kselftest: a real failure recorded in a guest', () => {
  const results = parseKselftestOutput(fx('tools/kselftest/guest-rtcpie-fail.tap'));
  failsWith(() => checkKselftestRun('guest', results), /found 1: timers:rtcpie \(exit=255\)/);
  checkKselftestRun('host', parseKselftestOutput(fx('tools/kselftest/host-size-timers.tap')));
});
