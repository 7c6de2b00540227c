import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseKirkJson, parseLtpResultsLog, selectRuntestLines } from '../../../tools/ltp.js';
import { fixture } from '../../helpers/fixtures.js';

test('ltp-pan results log: all pass, one TCONF', () => {
  const r = parseLtpResultsLog(fx('ltp/results-smoke.txt'));
  assert.equal(r.results.length, 9);
  assert.deepEqual(r.totals, { tests: 9, skipped: 1, failures: 0 });
  assert.deepEqual(r.results.at(-1), { name: 'fanotify10', status: 'CONF', exitValue: 32 });
  assert.equal(r.kernel, '6.1.0-50-cloud-amd64');
});

test('ltp-pan results log: FAIL split into FAIL, BROK and WARN by exit value', () => {
  const r = parseLtpResultsLog(fx('ltp/results-broken.txt'));
  const by = Object.fromEntries(r.results.map((x) => [x.name, x.status]));
  assert.equal(by.madvise06, 'FAIL');
  assert.equal(by['cve-2017-17052'], 'BROK');
  assert.equal(by.memcg_stress, 'WARN');
  assert.equal(r.totals.failures, 3);
});

test('kirk JSON report', () => {
  const r = parseKirkJson(fx('ltp/kirk-report.json'));
  assert.deepEqual(
    r.results.map((x) => x.status),
    ['PASS', 'FAIL', 'CONF', 'BROK'],
  );
  assert.deepEqual(r.totals, { skipped: 1, failures: 2 });
});

test('runtest selection keeps named tests once, in runtest order', () => {
  const runtest = '#DESCRIPTION:syscalls\nabort01 abort01\nfork01 fork01\nmmap01 mmap01 -x\nfork01 fork01 -i 2\n';
  assert.equal(selectRuntestLines(runtest, ['mmap01', 'fork01', 'nosuch']), 'fork01 fork01\nmmap01 mmap01 -x');
});

test('ltp-pan machine format (runltp without -p)', () => {
  const log =
    'tag=fork01 stime=1795334400 dur=0 exit=exited stat=0 core=no cu=0 cs=1\n' +
    'tag=madvise06 stime=1795334401 dur=2 exit=exited stat=1 core=no cu=5 cs=9\n' +
    'tag=fanotify10 stime=1795334403 dur=0 exit=exited stat=32 core=no cu=0 cs=0\n';
  assert.deepEqual(
    parseLtpResultsLog(log).results.map((r) => [r.name, r.status]),
    [
      ['fork01', 'PASS'],
      ['madvise06', 'FAIL'],
      ['fanotify10', 'CONF'],
    ],
  );
});
