import assert from 'node:assert/strict';
import { fixture } from '../os/fixture.js';
import { test } from 'node:test';
import { parseSysctl } from '../../../tools/sysctl.js';
import { parseKernelConfig } from '../../../tools/kernel-config.js';
import { cmdlineHas, cmdlineValues, parseCmdline } from '../../../tools/cmdline.js';
import { parseUname } from '../../../tools/uname.js';
import { parseLspciMm } from '../../../tools/lspci.js';

const fx = (dir: string, f: string) => fixture(`tools/${dir}/${f}`);

test('sysctl -a', () => {
  const s = parseSysctl(fx('sysctl', 'debian12-guest-a.txt'));
  assert.equal(s['kernel.hostname'], 'lisa-guest');
  assert.equal(s['vm.swappiness'], '60');
  assert.equal(s['kernel.osrelease'], '6.1.0-50-cloud-amd64');
  assert.ok(Object.keys(s).length > 900);
  assert.ok(Object.keys(parseSysctl(fx('sysctl', 'host-firecracker-a.txt'))).length > 1000);
  assert.deepEqual(parseSysctl('kernel.domainname = (none)\nnet.ipv4.tcp_rmem = 4096\t131072\t6291456\nfs.empty =\n'), {
    'kernel.domainname': '(none)',
    'net.ipv4.tcp_rmem': '4096\t131072\t6291456',
    'fs.empty': '',
  });
});

test('kernel config', () => {
  const c = parseKernelConfig(fx('kernel-config', 'debian12-guest-config-6.1.0-50-cloud-amd64.txt'));
  assert.equal(c.CONFIG_EXT4_FS, 'y');
  assert.equal(c.CONFIG_DUMMY, 'm');
  assert.equal(c.CONFIG_HZ, '250');
  assert.equal(c.CONFIG_LOCALVERSION, '');
  assert.equal(c.CONFIG_LKDTM, 'n');
});

test('kernel command line', () => {
  const g = parseCmdline(fx('cmdline', 'debian12-guest.txt'));
  assert.deepEqual(g.params, [{ key: 'root', value: '/dev/vda' }, { key: 'rw' }, { key: 'console', value: 'ttyS0' }]);
  const h = parseCmdline(fx('cmdline', 'host-firecracker.txt'));
  assert.ok(cmdlineHas(h, 'quiet'));
  assert.deepEqual(cmdlineValues(h, 'console'), ['ttyS0']);
  assert.equal(h.initArgs[0], '--firecracker-init');
  const q = parseCmdline('BOOT_IMAGE=/vmlinuz dyndbg="file drivers/* +p" console=tty0 console=ttyS0,115200n8\n');
  assert.deepEqual(cmdlineValues(q, 'dyndbg'), ['file drivers/* +p']);
  assert.deepEqual(cmdlineValues(q, 'console'), ['tty0', 'ttyS0,115200n8']);
});

test('uname', () => {
  assert.deepEqual(parseUname(fx('uname', 'debian12-guest.txt')), {
    kernelName: 'Linux',
    nodename: 'lisa-guest',
    kernelRelease: '6.1.0-50-cloud-amd64',
    kernelVersion: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 (2026-07-02)',
    machine: 'x86_64',
    operatingSystem: 'GNU/Linux',
  });
});

test('lspci -mm -nn', () => {
  const g = parseLspciMm(fx('lspci', 'debian12-guest.txt'));
  assert.equal(g.length, 8);
  assert.deepEqual(g[0], {
    slot: '00:00.0',
    className: 'Host bridge',
    classId: '0600',
    vendor: 'Intel Corporation',
    vendorId: '8086',
    device: '440FX - 82441FX PMC [Natoma]',
    deviceId: '1237',
    revision: '02',
    progIf: '00',
    subsystemVendor: 'Red Hat, Inc.',
    subsystemVendorId: '1af4',
    subsystem: 'Qemu virtual machine',
    subsystemId: '1100',
  });
  const net = g.find((d) => d.classId === '0200')!;
  assert.deepEqual([net.vendorId, net.deviceId, net.revision], ['1af4', '1000', '']);
  const h = parseLspciMm(fx('lspci', 'host-firecracker.txt'));
  assert.equal(h.find((d) => d.deviceId === '1042')!.device, 'Virtio 1.0 block device');
  assert.equal(h[0]!.subsystemVendor, '');
});
