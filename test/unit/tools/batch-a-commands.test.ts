import assert from 'node:assert/strict';
import { fixture } from '../os/fixture.js';
import { test } from 'node:test';
import { Blkid } from '../../../tools/blkid.js';
import { Dmesg } from '../../../tools/dmesg.js';
import { HugePages } from '../../../tools/hugepages.js';
import { KernelConfig } from '../../../tools/kernel-config.js';
import { Lsblk } from '../../../tools/lsblk.js';
import { Parted } from '../../../tools/parted.js';
import { Sysctl } from '../../../tools/sysctl.js';
import { ScriptNode, table } from '../os/script-node.js';

const fx = (dir: string, f: string) => fixture(`tools/${dir}/${f}`);

test('Lsblk asks for bytes and JSON with the typed columns', async () => {
  const node = new ScriptNode(
    table([['lsblk -J -b -o NAME,KNAME,PATH,TYPE', { stdout: fx('lsblk', 'debian12-guest.json') }]]),
  );
  const disks = await new Lsblk(node).unusedDisks();
  assert.deepEqual(
    disks.map((d) => d.path),
    ['/dev/vdb'],
  );
  assert.ok(node.commands.some((c) => c.startsWith('lsblk -J -b -o ')));
});

test('Blkid runs with sudo, without the cache, and treats exit 2 (nothing found) as empty', async () => {
  const node = new ScriptNode(table([['blkid', { exitCode: 2 }]]));
  assert.deepEqual(await new Blkid(node).list(), []);
  assert.ok(node.commands.includes('sudo blkid -c /dev/null -o export'));
});

test('Dmesg falls back to raw output where -J is not supported', async () => {
  const node = new ScriptNode(
    table([
      ['dmesg -J', { exitCode: 1, stderr: "dmesg: invalid option -- 'J'" }],
      ['dmesg -r', { stdout: fx('dmesg', 'broken-oops-hung-io.txt') }],
    ]),
  );
  const d = await new Dmesg(node).defects();
  assert.equal(d[0]!.defect, 'oops');
  assert.ok(node.commands.includes('sudo dmesg -r'));
  const errs = await new Dmesg(node).messages(3);
  assert.ok(errs.every((m) => m.priority <= 3));
});

test('Parted partitions the whole disk and returns the partition node', async () => {
  const node = new ScriptNode(table([['', {}]]));
  assert.equal(await new Parted(node).partitionWhole('/dev/nvme1n1'), '/dev/nvme1n1p1');
  assert.ok(node.commands.includes('sudo parted -s -a optimal /dev/nvme1n1 mklabel gpt mkpart primary ext4 1MiB 100%'));
});

test('Sysctl.set writes with sudo and reads back', async () => {
  const node = new ScriptNode(
    table([
      ['sysctl -w', {}],
      ['sysctl -n vm.swappiness', { stdout: '10\n' }],
    ]),
  );
  assert.equal(await new Sysctl(node).set('vm.swappiness', 10), '10');
  assert.ok(node.commands.includes('sudo sysctl -w vm.swappiness=10'), node.commands.join('\n'));
});

test('HugePages.set rejects nonsense and reports what the kernel allocated', async () => {
  const meminfo = fx('hugepages', 'debian12-guest.txt')
    .replace('HugePages_Total:       0', 'HugePages_Total:       3')
    .replace(/^0$/m, '4');
  const node = new ScriptNode(
    table([
      ['echo 4 >', {}],
      ['nr_hugepages; echo ---', { stdout: meminfo }],
    ]),
  );
  const hp = new HugePages(node);
  await assert.rejects(hp.set(-1), /non-negative integer/);
  const s = await hp.set(4);
  assert.deepEqual([s.nrHugepages, s.total], [4, 3]);
});

test('KernelConfig names where it looked when no config exists', async () => {
  const node = new ScriptNode(table([['/boot/config', { exitCode: 3, stderr: 'no kernel config found' }]]));
  await assert.rejects(new KernelConfig(node).read(), /no kernel config .*\/proc\/config\.gz/);
});
