import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkDataMount,
  checkFstab,
  checkReadBack,
  checkRootMount,
  checkRootSpace,
  checkSwapPolicy,
  fstabProblems,
  parseSwapPolicy,
  pickDataDisk,
} from '../../../testsuites/storage/checks.js';
import suite from '../../../testsuites/storage/index.js';
import { parseBlkidExport } from '../../../tools/blkid.js';
import { parseDf } from '../../../tools/df.js';
import { parseFindmntJson } from '../../../tools/findmnt.js';
import { parseFstab } from '../../../tools/fstab.js';
import { parseLsblkJson } from '../../../tools/lsblk.js';
import { parseProcMounts } from '../../../tools/mount.js';
import { parseProcSwaps } from '../../../tools/swap.js';
import { failsWith, fixture } from '../../helpers/fixtures.js';

const mounts = (f: string) => parseProcMounts(fixture(`tools/mount/${f}`));
const root = (f: string) =>
  mounts(f)
    .filter((m) => m.target === '/')
    .pop();

test('suite: data_disk_io needs a data disk', () => {
  assert.equal(suite.cases.find((c) => c.name === 'data_disk_io')?.requirement?.minDataDisks, 1);
});

test('root_filesystem: healthy rw ext4 passes; remounted read-only and full root fail', () => {
  checkRootMount('vm1', root('debian12-guest-proc-mounts.txt'));
  checkRootMount('host', root('host-firecracker-proc-mounts.txt'));
  failsWith(
    () => checkRootMount('vm1', root('broken-root-remounted-ro.txt')),
    /mount options of \/ on vm1: expected rw, found ro,relatime,errors=remount-ro \(\/dev\/vda, ext4\)/,
  );
  failsWith(() => checkRootMount('vm1', undefined), /expected a filesystem mounted on \/, found nothing mounted on \//);
  failsWith(
    () => checkRootMount('vm1', { target: '/', source: '/dev/vda', fstype: 'vfat', options: ['rw'] }),
    /filesystem type of \/ on vm1: expected one of ext4.*found vfat on \/dev\/vda/,
  );
  const df = (f: string) => parseDf(fixture(`tools/df/${f}`)).find((d) => d.target === '/');
  checkRootSpace('vm1', df('debian12-guest.txt'));
  failsWith(
    () => checkRootSpace('vm1', df('broken-root-full.txt')),
    /usage of \/ on vm1: expected at most 95% used, found 99% used \(18 MiB free of 2951 MiB\)/,
  );
});

test('fstab_resolvable: the guest fstab resolves; a stale UUID, missing mount point, unmounted entry and missing swap file are named', () => {
  const blkid = parseBlkidExport(fixture('tools/blkid/debian12-guest.txt'));
  const guestMounts = mounts('debian12-guest-proc-mounts.txt');
  const healthy = fstabProblems(
    parseFstab(fixture('tools/fstab/debian12-guest.txt')),
    blkid,
    new Set(['/']),
    guestMounts,
  );
  assert.deepEqual(healthy, []);
  checkFstab('vm1', healthy);

  const broken = parseFstab(fixture('tools/fstab/broken-unresolvable.txt'));
  const problems = fstabProblems(broken, blkid, new Set(['/', '/data', '/srv']), guestMounts);
  assert.deepEqual(problems, [
    'line 4: UUID=5c1f2a9e-0d4e-4b7e-9a51-3f1e2d7c8b90 /data: UUID=5c1f2a9e-0d4e-4b7e-9a51-3f1e2d7c8b90 does not exist',
    'line 4: UUID=5c1f2a9e-0d4e-4b7e-9a51-3f1e2d7c8b90 /data: not mounted',
    'line 6: /swapfile none: /swapfile does not exist',
    'line 7: /dev/vdb1 /srv: /dev/vdb1 does not exist',
    'line 7: /dev/vdb1 /srv: not mounted',
  ]);
  failsWith(
    () => checkFstab('vm1', problems),
    /fstab entries of vm1 that do not resolve: expected none, found 5: line 4: UUID=5c1f2a9e/,
  );

  // The swap file exists but was never activated; then it is.
  const withSwapFile = new Set(['/', '/data', '/srv', '/swapfile', '/dev/vdb1']);
  assert.ok(
    fstabProblems(broken, blkid, withSwapFile, guestMounts).includes('line 6: /swapfile none: swap is not active'),
  );
  const swaps = parseProcSwaps(fixture('tools/swap/broken-swapfile-active.txt'));
  assert.ok(!fstabProblems(broken, blkid, withSwapFile, guestMounts, swaps).some((p) => p.includes('/swapfile')));
});

test('swap_policy', () => {
  const none = parseProcSwaps(fixture('tools/swap/debian12-guest-proc-swaps.txt'));
  const some = parseProcSwaps(fixture('tools/swap/broken-swapfile-active.txt'));
  checkSwapPolicy('vm1', 'any', some);
  checkSwapPolicy('vm1', 'forbidden', none);
  checkSwapPolicy('vm1', 'required', some);
  failsWith(
    () => checkSwapPolicy('vm1', 'forbidden', some),
    /swap on vm1: expected no active swap \(swap_policy=forbidden\), found \/swapfile \(file, 2048 MiB\)/,
  );
  failsWith(
    () => checkSwapPolicy('vm1', 'required', none),
    /expected at least one active swap area \(swap_policy=required\), found no swap/,
  );
  assert.equal(parseSwapPolicy(undefined), 'any');
  failsWith(() => parseSwapPolicy('sometimes'), /variable swap_policy: expected any, required or forbidden/);
});

test('data_disk_io: picks the blank disk, never the root disk; checks mount and read-back', () => {
  const blank = parseLsblkJson(fixture('tools/lsblk/debian12-guest.json'));
  assert.equal(pickDataDisk('vm1', blank).path, '/dev/vdb');
  assert.equal(pickDataDisk('vm1', blank, '/dev/vdb').path, '/dev/vdb');
  failsWith(
    () => pickDataDisk('vm1', blank, '/dev/vda'),
    /data disk \/dev\/vda on vm1: expected a blank disk with nothing mounted, found vda disk 3072MiB on \/ ext4; vdb disk 1024MiB/,
  );
  const used = parseLsblkJson(fixture('tools/lsblk/debian12-guest-data-mounted.json'));
  failsWith(
    () => pickDataDisk('vm1', used),
    /blank data disk on vm1: expected at least one unused disk .*found .*vdb disk 1024MiB \(1 partitions\)/,
  );
  failsWith(
    () => pickDataDisk('host', parseLsblkJson(fixture('tools/lsblk/host-firecracker.json'))),
    /found zram0 disk 0MiB; vda disk 262144MiB on \//,
  );

  const m = parseFindmntJson(fixture('tools/findmnt/debian12-guest-data-mountpoint.json'))[0];
  checkDataMount('vm1', '/dev/vdb1', '/mnt/lisa-data', m, 'ext4');
  failsWith(
    () => checkDataMount('vm1', '/dev/vdb1', '/mnt/lisa-data', undefined, 'ext4'),
    /expected \/dev\/vdb1 on \/mnt\/lisa-data, found not mounted/,
  );
  failsWith(
    () => checkDataMount('vm1', '/dev/vdb1', '/mnt/lisa-data', { ...m!, options: ['ro'] }, 'ext4'),
    /expected \/dev\/vdb1 ext4 rw on \/mnt\/lisa-data, found \/dev\/vdb1 ext4 ro/,
  );
  checkReadBack('vm1', '/mnt/x/f', 'ab', 'ab');
  failsWith(
    () => checkReadBack('vm1', '/mnt/x/f', 'ab', 'cd'),
    /content of \/mnt\/x\/f on vm1 read back from disk: expected sha256 ab, found sha256 cd/,
  );
});
