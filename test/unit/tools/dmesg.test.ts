import assert from 'node:assert/strict';
import { fixture } from '../os/fixture.js';
import { test } from 'node:test';
import {
  classifyKernelLine,
  findDefects,
  parseDmesgJson,
  parseDmesgRaw,
  parseDmesgText,
} from '../../../tools/dmesg.js';

const fx = (f: string) => fixture(`tools/dmesg/${f}`);

test('a healthy boot of the guest has no defect lines (JSON and raw)', () => {
  const json = parseDmesgJson(fx('debian12-guest.json'));
  assert.ok(json.length > 400);
  assert.deepEqual(json[0]!.priority, 5);
  assert.match(json[0]!.message, /^Linux version 6\.1\.0-50-cloud-amd64/);
  assert.deepEqual(findDefects(json), []);
  const raw = parseDmesgRaw(fx('debian12-guest-raw.txt'));
  assert.ok(raw.length > 400);
  assert.deepEqual(findDefects(raw), []);
  assert.deepEqual(findDefects(parseDmesgJson(fx('host-firecracker-warn.json'))), []);
});

test('a real segfault is found at info priority', () => {
  const d = findDefects(parseDmesgJson(fx('debian12-guest-segfault.json')));
  assert.equal(d.length, 1);
  assert.equal(d[0]!.defect, 'segfault');
  assert.equal(d[0]!.priority, 6);
  assert.match(d[0]!.message, /^perl\[371\]: segfault at 8/);
});

test('a real sysrq panic on the serial console (CRLF line ends)', () => {
  const d = findDefects(parseDmesgText(fx('debian12-guest-serial-sysrq-panic.txt')));
  assert.deepEqual(
    d.map((x) => x.defect),
    ['segfault', 'panic', 'call-trace', 'panic'],
  );
  assert.equal(d[1]!.message, 'Kernel panic - not syncing: sysrq triggered crash');
});

test('hand-written broken logs: every defect class is recognised', () => {
  const kinds = findDefects(parseDmesgRaw(fx('broken-oops-hung-io.txt'))).map((x) => x.defect);
  assert.deepEqual(kinds, ['oops', 'oops', 'call-trace', 'hung-task', 'io-error', 'io-error', 'fs-error', 'segfault']);
  const more = findDefects(parseDmesgRaw(fx('broken-softlockup-warning.txt'))).map((x) => x.defect);
  assert.deepEqual(more, ['warning', 'call-trace', 'soft-lockup', 'rcu-stall', 'oom-kill']);
});

test('classifyKernelLine leaves benign lines alone', () => {
  for (const benign of [
    'mtrr: your CPUs had inconsistent fixed MTRR settings',
    'EXT4-fs (vda): mounted filesystem with ordered data mode. Quota mode: none.',
    'ACPI: PCI Interrupt Link [LNKD] enabled at IRQ 11',
    'hrtimer: interrupt took 28784760 ns',
    'kvm: Nested Virtualization enabled',
    'Spectre V2 : Mitigation: Retpolines',
  ]) {
    assert.equal(classifyKernelLine(benign), undefined, benign);
  }
  assert.equal(classifyKernelLine('kernel BUG at mm/slub.c:379!'), 'bug');
  assert.equal(
    classifyKernelLine(
      'general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP NOPTI',
    ),
    'oops',
  );
});
