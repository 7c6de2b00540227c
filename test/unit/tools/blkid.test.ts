import assert from 'node:assert/strict';
import { fixture } from '../os/fixture.js';
import { test } from 'node:test';
import { parseBlkidExport, resolveSpec } from '../../../tools/blkid.js';

const fx = (f: string) => fixture(`tools/blkid/${f}`);

test('blkid -o export with a formatted data partition', () => {
  const e = parseBlkidExport(fx('debian12-guest-data-formatted.txt'));
  assert.deepEqual(
    e.map((x) => x.device),
    ['/dev/vdb1', '/dev/vda'],
  );
  assert.deepEqual(
    [e[0]!.uuid, e[0]!.type, e[0]!.label, e[0]!.partlabel, e[0]!.partuuid],
    ['2e693daf-8475-4ec6-9610-e14b94b0ed24', 'ext4', 'lisadata', 'primary', '508207ce-8095-432b-a1e8-500da669557d'],
  );
  assert.equal(e[1]!.tags.BLOCK_SIZE, '4096');
});

test('resolveSpec finds fstab specs, case-insensitive for UUIDs, undefined when missing', () => {
  const e = parseBlkidExport(fx('debian12-guest-data-formatted.txt'));
  assert.equal(resolveSpec('LABEL=rootfs', e)?.device, '/dev/vda');
  assert.equal(resolveSpec('UUID=2E693DAF-8475-4EC6-9610-E14B94B0ED24', e)?.device, '/dev/vdb1');
  assert.equal(resolveSpec('PARTUUID=508207ce-8095-432b-a1e8-500da669557d', e)?.device, '/dev/vdb1');
  assert.equal(resolveSpec('/dev/vda', e)?.label, 'rootfs');
  assert.equal(resolveSpec('UUID=00000000-0000-0000-0000-000000000000', e), undefined);
  assert.equal(resolveSpec('LABEL="rootfs"', e)?.device, '/dev/vda');
});

test('blkid on the host and an empty result', () => {
  assert.deepEqual(parseBlkidExport(''), []);
  assert.ok(Array.isArray(parseBlkidExport(fx('host-firecracker.txt'))));
});
