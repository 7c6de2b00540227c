import { expectNone, fail } from '../../src/testing/assert.js';
import type { SubResultStatus } from '../../src/testing/types.js';
import type { TapResult } from '../../tools/kselftest.js';
import type { LtpRun, LtpStatus } from '../../tools/ltp.js';

/** A quick selection of LTP syscall tests (seconds each) that still exercises the core of the kernel. */
export const LTP_SMOKE_TESTS = [
  'abort01',
  'access01',
  'brk01',
  'chdir04',
  'chmod01',
  'clone01',
  'close01',
  'creat01',
  'dup01',
  'dup201',
  'execve01',
  'exit01',
  'fcntl01',
  'fork01',
  'fstat02',
  'getcwd01',
  'getpid01',
  'getppid01',
  'kill02',
  'link02',
  'lseek01',
  'mkdir02',
  'mmap01',
  'munmap01',
  'nanosleep01',
  'open01',
  'pipe01',
  'read01',
  'readlink01',
  'rename01',
  'rmdir01',
  'sched_yield01',
  'signal01',
  'stat01',
  'symlink01',
  'time01',
  'umask01',
  'uname01',
  'unlink05',
  'wait401',
  'write01',
];

/** runtest files for the full run (LTP's own default scenario minus the hour-long stress groups). */
export const LTP_FULL_RUNTEST = [
  'syscalls',
  'fs',
  'fs_perms_simple',
  'mm',
  'ipc',
  'sched',
  'math',
  'nptl',
  'pty',
  'containers',
  'fcntl-locktests',
  'timers',
  'cve',
  'crypto',
  'kernel_misc',
  'uevent',
];

/** TCONF means "not applicable here" (a skip); TWARN is reported but is not a failure. */
export function ltpSubResultStatus(status: LtpStatus): SubResultStatus {
  switch (status) {
    case 'PASS':
      return 'PASSED';
    case 'CONF':
      return 'SKIPPED';
    case 'WARN':
      return 'ATTEMPTED';
    default:
      return 'FAILED';
  }
}

export function tapSubResultStatus(status: TapResult['status']): SubResultStatus {
  if (status === 'pass' || status === 'xfail') return 'PASSED';
  if (status === 'skip') return 'SKIPPED';
  if (status === 'todo') return 'ATTEMPTED';
  return 'FAILED';
}

/** Fails on FAIL/BROK tests and on a run that executed nothing (a broken install looks like that). */
export function checkLtpRun(nodeName: string, run: LtpRun): void {
  if (run.results.length === 0)
    fail(
      `LTP on ${nodeName}`,
      'at least one test result',
      'no results (is the selection present in the runtest files?)',
    );
  expectNone(
    `LTP tests failed on ${nodeName}`,
    run.results.filter((r) => r.status === 'FAIL' || r.status === 'BROK'),
    (r) => `${r.name} ${r.status} (exit ${r.exitValue})`,
  );
  if (run.timedOut)
    fail(`LTP on ${nodeName}`, 'the run to finish within the case timeout', `killed after ${run.results.length} tests`);
  const ran = run.results.filter((r) => r.status !== 'CONF');
  if (ran.length === 0)
    fail(`LTP on ${nodeName}`, 'at least one test that ran', `all ${run.results.length} tests reported TCONF`);
}

export function checkKselftestRun(nodeName: string, results: readonly TapResult[]): void {
  if (results.length === 0)
    fail(`kselftest on ${nodeName}`, 'at least one test result', 'no TAP results in the output');
  expectNone(
    `kselftests failed on ${nodeName}`,
    results.filter((r) => r.status === 'fail'),
    (r) => `${r.name}${r.directive ? ` (${r.directive})` : ''}`,
  );
}

// The suite's own tests import it from here.
export { listVariable } from '../../src/testing/variables.js';
