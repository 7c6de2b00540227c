import assert from 'node:assert/strict';
import { fixture } from '../os/fixture.js';
import { test } from 'node:test';
import { mkfsCommand } from '../../../tools/mkfs.js';
import { parsePartedMachine, partitionPath } from '../../../tools/parted.js';

const fx = (f: string) => fixture(`tools/parted/${f}`);

test('parted -m print of a blank disk (exit 1, unrecognised label)', () => {
  const t = parsePartedMachine(
    fx('debian12-guest-blank-disk.txt')
      .replace(/^Error:.*\n/m, '')
      .replace(/^exit.*$/m, ''),
  );
  assert.deepEqual(
    [t.device, t.sizeBytes, t.label, t.model, t.partitions.length],
    ['/dev/vdb', 1073741824, 'unknown', 'Virtio Block Device', 0],
  );
});

test('parted -m print after mklabel gpt + mkpart', () => {
  const t = parsePartedMachine(fx('debian12-guest-gpt-one-partition.txt'));
  assert.equal(t.label, 'gpt');
  assert.deepEqual(t.partitions, [
    {
      number: 1,
      startBytes: 1048576,
      endBytes: 1072693247,
      sizeBytes: 1071644672,
      fstype: 'ext4',
      name: 'primary',
      flags: [],
    },
  ]);
});

test('partition device names', () => {
  assert.equal(partitionPath('/dev/vdb', 1), '/dev/vdb1');
  assert.equal(partitionPath('/dev/nvme0n1', 2), '/dev/nvme0n1p2');
  assert.equal(partitionPath('/dev/mmcblk0', 1), '/dev/mmcblk0p1');
});

test('mkfs command lines never prompt', () => {
  assert.equal(mkfsCommand('ext4', '/dev/vdb1', 'data'), 'mkfs.ext4 -F -q -L data /dev/vdb1');
  assert.equal(mkfsCommand('xfs', '/dev/vdb1'), 'mkfs.xfs -f -q /dev/vdb1');
  assert.equal(mkfsCommand('vfat', '/dev/sdc1', 'EFI'), 'mkfs.vfat -n EFI /dev/sdc1');
});
