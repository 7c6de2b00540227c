import assert from 'node:assert/strict';
import { fixture } from '../os/fixture.js';
import { test } from 'node:test';
import { isReadWrite, parseFindmntJson } from '../../../tools/findmnt.js';
import { parseProcMounts } from '../../../tools/mount.js';
import { parseDf } from '../../../tools/df.js';

const fx = (dir: string, f: string) => fixture(`tools/${dir}/${f}`);

test('findmnt -J tree is flattened; root is rw ext4 on /dev/vda', () => {
  const m = parseFindmntJson(fx('findmnt', 'debian12-guest.json'));
  const root = m.find((x) => x.target === '/')!;
  assert.deepEqual([root.source, root.fstype], ['/dev/vda', 'ext4']);
  assert.ok(root.options.includes('errors=remount-ro'));
  assert.ok(isReadWrite(root));
  assert.ok(m.some((x) => x.target === '/proc' && x.fstype === 'proc'));
  assert.ok(m.length > 10);
});

test('findmnt --mountpoint for the data disk, and empty output', () => {
  assert.deepEqual(parseFindmntJson(fx('findmnt', 'debian12-guest-data-mountpoint.json')), [
    { target: '/mnt/lisa-data', source: '/dev/vdb1', fstype: 'ext4', options: ['rw', 'relatime'] },
  ]);
  assert.deepEqual(parseFindmntJson(''), []);
  assert.equal(isReadWrite({ target: '/', source: '/dev/vda', fstype: 'ext4', options: ['ro', 'relatime'] }), false);
});

test('/proc/mounts, with octal escapes', () => {
  const m = parseProcMounts(fx('mount', 'debian12-guest-proc-mounts.txt'));
  assert.deepEqual(m[0], {
    source: 'sysfs',
    target: '/sys',
    fstype: 'sysfs',
    options: ['rw', 'nosuid', 'nodev', 'noexec', 'relatime'],
  });
  assert.ok(m.some((x) => x.target === '/' && x.source === '/dev/vda'));
  assert.equal(parseProcMounts('/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0\n')[0]!.target, '/mnt/my disk');
  assert.ok(parseProcMounts(fx('mount', 'host-firecracker-proc-mounts.txt')).some((x) => x.target === '/'));
});

test('df -B1 --output', () => {
  const d = parseDf(fx('df', 'debian12-guest.txt'));
  const root = d.find((x) => x.target === '/')!;
  assert.deepEqual(root, {
    source: '/dev/vda',
    fstype: 'ext4',
    sizeBytes: 3094126592,
    usedBytes: 473698304,
    availBytes: 2442592256,
    usePercent: 17,
    target: '/',
  });
  assert.deepEqual(parseDf(fx('df', 'debian12-guest-data.txt'))[0]!.target, '/mnt/lisa-data');
  assert.ok(parseDf(fx('df', 'host-firecracker.txt')).length > 3);
  assert.equal(
    parseDf('Filesystem Type 1B-blocks Used Avail Use% Mounted on\nproc proc 0 0 0 - /proc\n')[0]!.usePercent,
    0,
  );
});
