import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = fixture;

import { parseDmesgRaw } from '../../../tools/dmesg.js';
import { parseListUnits } from '../../../tools/systemctl.js';
import {
  checkBootIdChanged,
  checkKernelLogClean,
  checkNoFailedUnits,
  checkSystemRunning,
  ignorePatterns,
} from '../../../testsuites/provisioning/checks.js';
import { failsWith, fixture } from '../../helpers/fixtures.js';

test('healthy guest: clean kernel log, no failed units, running', () => {
  checkKernelLogClean('guest', parseDmesgRaw(fx('testsuites/provisioning/guest-dmesg-r.txt')));
  const none = parseListUnits(fx('tools/systemctl/failed-units-none.txt'));
  checkNoFailedUnits('guest', none);
  checkSystemRunning('guest', 'running', none);
  checkBootIdChanged('guest', 'a1\n', 'b2\n');
});

test('broken boot: oops, call trace and hung task are named', () => {
  const messages = parseDmesgRaw(fx('testsuites/provisioning/broken-dmesg-r.txt'));
  failsWith(
    () => checkKernelLogClean('guest', messages),
    /kernel log of guest: expected none/,
    /NULL pointer dereference/,
    /call-trace: Call Trace: \(CPU: 1 PID: 412 Comm: modprobe\)/,
    /hung-task|blocked for more than/,
  );
  // The runbook can waive a known line, but not the others.
  failsWith(() => checkKernelLogClean('guest', messages, ignorePatterns('NULL pointer')), /Oops|call-trace/);
});

test('a real call trace (sysrq backtrace on a live guest) names the task', () => {
  const messages = parseDmesgRaw(fx('testsuites/provisioning/guest-dmesg-sysrq-backtrace.txt'));
  failsWith(
    () => checkKernelLogClean('guest', messages),
    /found 1: \[226.390\] call-trace: Call Trace: \(CPU: \d+ PID: \d+ Comm: sh\)/,
  );
});

test('failed unit and degraded state name the unit', () => {
  const failed = parseListUnits(fx('tools/systemctl/failed-units-plain.txt'));
  failsWith(
    () => checkNoFailedUnits('guest', failed),
    /failed systemd units on guest: expected none, found 1: lisa-broken-demo.service \(failed: \/bin\/false\)/,
  );
  failsWith(
    () => checkSystemRunning('guest', 'degraded', failed),
    /system state of guest: expected running, found degraded, failed: lisa-broken-demo.service/,
  );
});

test('a reboot that did not happen', () => {
  failsWith(
    () => checkBootIdChanged('guest', 'same', 'same'),
    /boot id of guest after reboot: expected a new boot id \(was same\), found same/,
  );
  assert.deepEqual(ignorePatterns(undefined), []);
  assert.equal(ignorePatterns(['a', 'b']).length, 2);
});
