import assert from 'node:assert/strict';
import { fixture } from '../os/fixture.js';
import { test } from 'node:test';
import { parseModulesBuiltin, parseProcModules } from '../../../tools/lsmod.js';
import { parseModinfo } from '../../../tools/modinfo.js';

const fx = (dir: string, f: string) => fixture(`tools/${dir}/${f}`);

test('/proc/modules', () => {
  const m = parseProcModules(fx('lsmod', 'debian12-guest-proc-modules.txt'));
  assert.equal(m.length, 43);
  assert.deepEqual(m.find((x) => x.name === 'virtio')!, {
    name: 'virtio',
    sizeBytes: 20480,
    refCount: 5,
    usedBy: ['virtio_rng', 'virtio_scsi', 'virtio_net', 'virtio_blk', 'virtio_pci'],
    state: 'Live',
  });
  assert.deepEqual(m.find((x) => x.name === 'virtio_rng')!.usedBy, []);
});

test('modules.builtin', () => {
  const b = parseModulesBuiltin(fx('lsmod', 'debian12-guest-modules.builtin'));
  assert.ok(b.includes('ext4'));
  assert.ok(b.every((n) => !n.includes('-') && !n.includes('/')));
});

test('modinfo of a loadable module and of a built-in one', () => {
  const d = parseModinfo(fx('modinfo', 'debian12-guest-dummy.txt'));
  assert.equal(d.name, 'dummy');
  assert.equal(d.filename, '/lib/modules/6.1.0-50-cloud-amd64/kernel/drivers/net/dummy.ko');
  assert.equal(d.license, 'GPL');
  assert.deepEqual(d.depends, []);
  assert.deepEqual(d.params, { numdummies: 'Number of dummy pseudo devices (int)' });
  assert.deepEqual(d.fields.alias, ['rtnl-link-dummy']);
  const e = parseModinfo(fx('modinfo', 'debian12-guest-ext4.txt'));
  assert.equal(e.filename, '(builtin)');
  assert.equal(e.description, 'Fourth Extended Filesystem');
  assert.ok(e.fields.alias!.includes('ext3'));
});
