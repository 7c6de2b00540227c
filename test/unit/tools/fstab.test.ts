import assert from 'node:assert/strict';
import { fixture } from '../os/fixture.js';
import { test } from 'node:test';
import { isOptional, isSwapEntry, parseFstab } from '../../../tools/fstab.js';
import { parseProcSwaps } from '../../../tools/swap.js';

const fx = (dir: string, f: string) => fixture(`tools/${dir}/${f}`);

test('fstab of the guest', () => {
  assert.deepEqual(parseFstab(fx('fstab', 'debian12-guest.txt')), [
    {
      line: 1,
      spec: 'LABEL=rootfs',
      file: '/',
      vfstype: 'ext4',
      options: ['defaults', 'errors=remount-ro'],
      dump: 0,
      pass: 1,
    },
  ]);
  assert.deepEqual(parseFstab(fx('fstab', 'host-firecracker.txt')), []);
});

test('fstab: comments, swap, optional entries, escapes, short lines', () => {
  const t = parseFstab(
    '# /etc/fstab\nUUID=abc / ext4 defaults 0 1 # root\n\n/swap.img none swap sw 0 0\nLABEL=data /mnt/my\\040data xfs defaults,nofail\n/dev/sr0 /media/cdrom0 udf,iso9660 user,noauto 0 0\n',
  );
  assert.equal(t.length, 4);
  assert.equal(t[0]!.line, 2);
  assert.ok(isSwapEntry(t[1]!));
  assert.equal(t[2]!.file, '/mnt/my data');
  assert.equal(t[2]!.pass, 0);
  assert.ok(isOptional(t[2]!) && isOptional(t[3]!) && !isOptional(t[0]!));
});

test('/proc/swaps', () => {
  assert.deepEqual(parseProcSwaps(fx('swap', 'debian12-guest-proc-swaps.txt')), []);
  assert.deepEqual(
    parseProcSwaps(
      'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/swap.img                               file\t\t2097148\t\t0\t\t-2\n/dev/zram0 partition 1048572 512 100\n',
    ),
    [
      { path: '/swap.img', type: 'file', sizeBytes: 2097148 * 1024, usedBytes: 0, priority: -2 },
      { path: '/dev/zram0', type: 'partition', sizeBytes: 1048572 * 1024, usedBytes: 512 * 1024, priority: 100 },
    ],
  );
});
