import assert from 'node:assert/strict';
import { fixture } from '../os/fixture.js';
import { test } from 'node:test';
import { flattenDevices, inUse, parseLsblkJson, unusedDisks } from '../../../tools/lsblk.js';

const fx = (f: string) => fixture(`tools/lsblk/${f}`);

test('lsblk -J -b on the guest: root disk and a blank data disk', () => {
  const devs = parseLsblkJson(fx('debian12-guest.json'));
  const vda = devs.find((d) => d.name === 'vda')!;
  assert.deepEqual(
    [vda.path, vda.type, vda.sizeBytes, vda.fstype, vda.mountpoint, vda.label],
    ['/dev/vda', 'disk', 3221225472, 'ext4', '/', 'rootfs'],
  );
  const vdb = devs.find((d) => d.name === 'vdb')!;
  assert.equal(vdb.serial, 'lisa-data1');
  assert.equal(vdb.fstype, '');
  assert.deepEqual(
    unusedDisks(devs).map((d) => d.name),
    ['vdb'],
  );
  assert.deepEqual(
    unusedDisks(devs, true).map((d) => d.name),
    ['vdb'],
  );
});

test('lsblk after partitioning and mounting the data disk', () => {
  const devs = parseLsblkJson(fx('debian12-guest-data-mounted.json'));
  const vdb = devs.find((d) => d.name === 'vdb')!;
  assert.equal(vdb.children.length, 1);
  const part = vdb.children[0]!;
  assert.deepEqual(
    [part.path, part.type, part.fstype, part.mountpoint, part.label, part.parent],
    ['/dev/vdb1', 'part', 'ext4', '/mnt/lisa-data', 'lisadata', 'vdb'],
  );
  assert.ok(inUse(vdb));
  assert.deepEqual(unusedDisks(devs), []);
  assert.deepEqual(
    flattenDevices(devs).map((d) => d.name),
    ['vda', 'vdb', 'vdb1'],
  );
});

test('lsblk on the host: zram is never a data disk candidate', () => {
  const devs = parseLsblkJson(fx('host-firecracker.json'));
  assert.deepEqual(
    devs.map((d) => d.name),
    ['zram0', 'vda'],
  );
  assert.deepEqual(unusedDisks(devs), []);
});

test('old lsblk (util-linux < 2.33) prints numbers and booleans as strings and has no PATH', () => {
  const devs = parseLsblkJson(
    '{"blockdevices": [{"name": "sdb", "kname": "sdb", "type": "disk", "size": "10737418240", "ro": "0", "rm": "1", "mountpoint": null}]}',
  );
  assert.deepEqual(
    [devs[0]!.path, devs[0]!.sizeBytes, devs[0]!.readOnly, devs[0]!.removable],
    ['/dev/sdb', 10737418240, false, true],
  );
});
