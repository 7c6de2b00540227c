import assert from 'node:assert/strict';
import { fixture } from '../os/fixture.js';
import { test } from 'node:test';
import { parseFree } from '../../../tools/free.js';
import { parseHugePages } from '../../../tools/hugepages.js';
import { parseMeminfo } from '../../../tools/meminfo.js';

const fx = (dir: string, f: string) => fixture(`tools/${dir}/${f}`);

test('/proc/meminfo from the guest', () => {
  const m = parseMeminfo(fx('meminfo', 'debian12-guest.txt'));
  assert.equal(m.totalBytes, 995348 * 1024);
  assert.equal(m.availableBytes, 824800 * 1024);
  assert.equal(m.swapTotalBytes, 0);
  assert.equal(m.hugePagesTotal, 0);
  assert.equal(m.hugePageSizeBytes, 2048 * 1024);
  assert.equal(m.raw.HugePages_Rsvd, 0);
});

test('/proc/meminfo from the host', () => {
  const m = parseMeminfo(fx('meminfo', 'host-firecracker.txt'));
  assert.equal(m.totalBytes, 24684084 * 1024);
  assert.ok(m.freeBytes > 0 && m.freeBytes <= m.totalBytes);
});

test('free -b', () => {
  const f = parseFree(fx('free', 'debian12-guest.txt'));
  assert.equal(f.mem.total, 1019236352);
  assert.equal(f.mem.available, 844701696);
  assert.equal(f.mem.buffCache, 61349888);
  assert.deepEqual([f.swap.total, f.swap.used], [0, 0]);
  assert.throws(() => parseFree('garbage'), /no Mem: line/);
});

test('huge pages: nr_hugepages + meminfo', () => {
  const h = parseHugePages(fx('hugepages', 'debian12-guest.txt'));
  assert.deepEqual(h, { nrHugepages: 0, total: 0, free: 0, reserved: 0, surplus: 0, pageSizeBytes: 2097152 });
});
