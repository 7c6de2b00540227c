import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkCmdline,
  checkJournal,
  checkKernelLog,
  checkModuleCycle,
  checkSysctls,
  chooseModule,
  cmdlineProblems,
  ignorePatterns,
  journalDefects,
  kernelDefects,
  REQUIRED_SYSCTLS,
} from '../../../testsuites/kernel/checks.js';
import suite from '../../../testsuites/kernel/index.js';
import { parseCmdline } from '../../../tools/cmdline.js';
import { findDefects, parseDmesgJson, parseDmesgRaw, parseDmesgText } from '../../../tools/dmesg.js';
import { parseJournalJson } from '../../../tools/journalctl.js';
import { parseModinfo } from '../../../tools/modinfo.js';
import { parseProcModules } from '../../../tools/lsmod.js';
import { parseSysctl } from '../../../tools/sysctl.js';
import { failsWith, fixture } from '../../helpers/fixtures.js';

const dmesg = (f: string) => findDefects(parseDmesgJson(fixture(`tools/dmesg/${f}`)));
const journal = (f: string) => parseJournalJson(fixture(`tools/journalctl/${f}`));

test('suite declares six cases on Linux', () => {
  assert.equal(suite.cases.length, 6);
  assert.deepEqual(suite.requirement?.supportedOs, ['linux']);
});

test('dmesg_clean: healthy boot passes; a user-program segfault is tolerated', () => {
  checkKernelLog('vm1', kernelDefects(dmesg('debian12-guest.json')));
  checkKernelLog('host', kernelDefects(dmesg('host-firecracker-warn.json')));
  // perl is not a system process: logged by the kernel, not a defect of the image.
  assert.deepEqual(kernelDefects(dmesg('debian12-guest-segfault.json')), []);
});

test('dmesg_clean: Oops, hung task, I/O errors and a panic fail with the lines named', () => {
  const broken = kernelDefects(findDefects(parseDmesgRaw(fixture('tools/dmesg/broken-oops-hung-io.txt'))));
  failsWith(
    () => checkKernelLog('vm1', broken),
    /kernel log \(dmesg\) of vm1: expected none, found 7: \[41\.220\] oops: BUG: kernel NULL pointer dereference, address: 0000000000000008; \[41\.221\] oops: Oops: 0000 \[#1\] PREEMPT SMP NOPTI/,
    /\(\+2 more\)/,
  );
  assert.deepEqual(
    broken.map((f) => f.defect),
    ['oops', 'oops', 'call-trace', 'hung-task', 'io-error', 'io-error', 'fs-error'],
  );
  const panic = kernelDefects(
    findDefects(parseDmesgText(fixture('tools/dmesg/debian12-guest-serial-sysrq-panic.txt'))),
  );
  failsWith(() => checkKernelLog('vm1', panic), /panic: Kernel panic - not syncing: sysrq triggered crash/);
  failsWith(
    () =>
      checkKernelLog(
        'vm1',
        kernelDefects(findDefects(parseDmesgRaw(fixture('tools/dmesg/broken-softlockup-warning.txt')))),
      ),
    /soft-lockup: watchdog: BUG: soft lockup - CPU#1 stuck for 22s!/,
  );
});

test('dmesg_clean: allow-list and dmesg_ignore', () => {
  const floppy = findDefects(
    parseDmesgRaw('<3>[    3.100000] I/O error, dev fd0, sector 0 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 2\n'),
  );
  assert.equal(floppy.length, 1);
  assert.deepEqual(kernelDefects(floppy), []);
  const broken = findDefects(parseDmesgRaw(fixture('tools/dmesg/broken-oops-hung-io.txt')));
  assert.ok(
    !kernelDefects(broken, ignorePatterns(['I/O error', 'jbd2'])).some((f) => /I\/O error|jbd2/.test(f.message)),
  );
  const systemSegv = findDefects(
    parseDmesgRaw(
      '<6>[   12.000000] systemd-journald[201]: segfault at 0 ip 00007f00 sp 00007ffd error 4 in libc.so.6[7f00+1000]\n',
    ),
  );
  failsWith(() => checkKernelLog('vm1', kernelDefects(systemSegv)), /segfault: systemd-journald\[201\]/);
});

test('journal_clean: healthy guest passes (pam_env locale noise is allowed)', () => {
  checkJournal('vm1', journalDefects(journal('debian12-guest-err.jsonl')));
  checkJournal('vm1', journalDefects(journal('debian12-guest-warning.jsonl')));
});

test('journal_clean: real failed units, a core dump and a hung task fail', () => {
  failsWith(
    () => checkJournal('vm1', journalDefects(journal('debian12-guest-broken-failed-units.jsonl'))),
    /journal of vm1 \(this boot\): expected none, found 3: unit-failed: systemd: lisa-fail.service: Failed with result 'exit-code'\./,
  );
  const d = journalDefects(journal('broken-coredump.jsonl'));
  assert.deepEqual(
    d.map((x) => x.kind),
    ['segfault', 'core-dump', 'unit-failed', 'unit-failed', 'hung-task'],
  );
  failsWith(() => checkJournal('vm1', d), /core-dump: systemd-coredump: Process 812 \(sshd\) of user 0 dumped core\./);
});

test('module_load_unload: choosing a module and checking a cycle', () => {
  const info = new Map([
    ['dummy', parseModinfo(fixture('tools/modinfo/debian12-guest-dummy.txt'))],
    ['ext4', parseModinfo(fixture('tools/modinfo/debian12-guest-ext4.txt'))],
    ['veth', undefined],
  ]);
  const loaded = new Set(parseProcModules(fixture('tools/lsmod/debian12-guest-proc-modules.txt')).map((m) => m.name));
  assert.equal(chooseModule('vm1', ['veth', 'ext4', 'dummy'], info, loaded), 'dummy');
  failsWith(
    () => chooseModule('vm1', ['veth', 'ext4'], info, loaded),
    /expected one of veth, ext4 available as a module and not loaded, found veth: not found; ext4: built in/,
  );
  failsWith(() => chooseModule('vm1', ['dummy'], info, new Set(['dummy'])), /found dummy: already loaded/);
  checkModuleCycle('vm1', 'dummy', true, false);
  failsWith(
    () => checkModuleCycle('vm1', 'dummy', false, false),
    /module dummy on vm1 after modprobe: expected listed in \/proc\/modules, found not listed/,
  );
  failsWith(
    () => checkModuleCycle('vm1', 'dummy', true, true),
    /after modprobe -r: expected gone from \/proc\/modules, found still loaded/,
  );
});

test('sysctl_readable', () => {
  const values = parseSysctl(fixture('tools/sysctl/debian12-guest-a.txt'));
  checkSysctls('vm1', values, REQUIRED_SYSCTLS, '6.1.0-50-cloud-amd64');
  const broken = { ...values };
  delete broken['vm.swappiness'];
  failsWith(
    () => checkSysctls('vm1', broken, REQUIRED_SYSCTLS, '6.1.0-50-cloud-amd64'),
    /sysctl keys readable on vm1: expected none, found 1: vm.swappiness missing/,
  );
  failsWith(
    () => checkSysctls('vm1', values, REQUIRED_SYSCTLS, '6.1.0-99-amd64'),
    /kernel.osrelease on vm1: expected 6.1.0-99-amd64 \(uname -r\), found 6.1.0-50-cloud-amd64/,
  );
});

test('cmdline_sane: guest passes; leftover debugging and missing console fail', () => {
  const policy = { requireConsole: true, requireRoot: true };
  const guest = parseCmdline(fixture('tools/cmdline/debian12-guest.txt'));
  checkCmdline('vm1', guest, cmdlineProblems(guest, policy));
  const broken = parseCmdline(fixture('tools/cmdline/broken-debug-leftovers.txt'));
  const problems = cmdlineProblems(broken, policy);
  assert.deepEqual(problems, [
    'no console= parameter',
    'leftover debugging parameter init=/bin/bash',
    'leftover debugging parameter systemd.unit=emergency.target',
    'leftover debugging parameter rd.break',
  ]);
  failsWith(
    () => checkCmdline('vm1', broken, problems),
    /kernel command line of vm1 \(BOOT_IMAGE=.*\): expected none, found 4: no console= parameter; leftover debugging parameter init=\/bin\/bash/,
  );
  assert.deepEqual(cmdlineProblems(parseCmdline('console=ttyS0 root=/dev/sda1 root=/dev/sdb1'), policy), [
    'conflicting root= values: /dev/sda1, /dev/sdb1',
  ]);
  assert.deepEqual(
    cmdlineProblems(parseCmdline('console=ttyS0 systemd.unit=multi-user.target init=/sbin/init'), policy),
    ['no root= parameter'],
  );
  assert.deepEqual(cmdlineProblems(parseCmdline('quiet'), { requireConsole: false, requireRoot: false }), []);
});
