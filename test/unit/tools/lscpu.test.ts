import assert from 'node:assert/strict';
import { fixture } from '../os/fixture.js';
import { test } from 'node:test';
import { parseCpuList, parseLscpuJson } from '../../../tools/lscpu.js';
import { parseNproc } from '../../../tools/nproc.js';
import { parseNumactlHardware } from '../../../tools/numactl.js';

const fx = (dir: string, f: string) => fixture(`tools/${dir}/${f}`);

test('parseCpuList', () => {
  assert.deepEqual(parseCpuList('0-3,5,7-8'), [0, 1, 2, 3, 5, 7, 8]);
  assert.deepEqual(parseCpuList('0,1'), [0, 1]);
  assert.deepEqual(parseCpuList(''), []);
  assert.deepEqual(parseCpuList(' 0 1 '), [0, 1]);
});

test('lscpu -J from the Debian 12 guest', () => {
  const c = parseLscpuJson(fx('lscpu', 'debian12-guest.json'));
  assert.equal(c.architecture, 'x86_64');
  assert.equal(c.cpus, 2);
  assert.deepEqual(c.online, [0, 1]);
  assert.deepEqual(c.offline, []);
  assert.equal(c.threadsPerCore, 1);
  assert.equal(c.coresPerSocket, 2);
  assert.equal(c.sockets, 1);
  assert.equal(c.numaNodes, 1);
  assert.equal(c.vendor, 'AuthenticAMD');
  assert.equal(c.modelName, 'QEMU TCG CPU version 2.5+');
  assert.ok(c.flags.includes('sse2'));
  assert.equal(c.hypervisor, '');
});

test('lscpu -J from the host (KVM guest)', () => {
  const c = parseLscpuJson(fx('lscpu', 'host-firecracker.json'));
  assert.equal(c.cpus, 2);
  assert.equal(c.hypervisor, 'KVM');
  assert.equal(c.fields['Virtualization type'], 'full');
});

test('lscpu -J with nested children (util-linux ≥ 2.38 layout) and offline CPUs', () => {
  const nested = JSON.stringify({
    lscpu: [
      { field: 'CPU(s):', data: '4' },
      { field: 'On-line CPU(s) list:', data: '0,2,3' },
      { field: 'Off-line CPU(s) list:', data: '1' },
      {
        field: 'Vendor ID:',
        data: 'GenuineIntel',
        children: [
          {
            field: 'Model name:',
            data: 'Xeon',
            children: [
              { field: 'Socket(s):', data: '1' },
              { field: 'Core(s) per socket:', data: '4' },
            ],
          },
        ],
      },
    ],
  });
  const c = parseLscpuJson(nested);
  assert.deepEqual([c.cpus, c.online, c.offline, c.modelName, c.coresPerSocket], [4, [0, 2, 3], [1], 'Xeon', 4]);
});

test('nproc', () => {
  assert.deepEqual(parseNproc(fx('nproc', 'debian12-guest.txt')), { available: 2, all: 2 });
  assert.deepEqual(parseNproc(fx('nproc', 'host-firecracker.txt')), { available: 2, all: 2 });
  assert.throws(() => parseNproc('nproc: not found\n'), /unexpected nproc output/);
});

test('numactl -H', () => {
  const t = parseNumactlHardware(fx('numactl', 'debian12-guest.txt'));
  assert.deepEqual(t.nodes, [{ id: 0, cpus: [0, 1], sizeMiB: 972, freeMiB: 846 }]);
  assert.deepEqual(t.distances, [[10]]);
  const two = parseNumactlHardware(
    'available: 2 nodes (0-1)\nnode 0 cpus: 0 1 2 3\nnode 0 size: 16000 MB\nnode 0 free: 15000 MB\nnode 1 cpus: 4 5 6 7\nnode 1 size: 16125 MB\nnode 1 free: 15900 MB\nnode distances:\nnode   0   1 \n  0:  10  21 \n  1:  21  10 \n',
  );
  assert.equal(two.nodes.length, 2);
  assert.deepEqual(two.nodes[1]!.cpus, [4, 5, 6, 7]);
  assert.deepEqual(two.distances, [
    [10, 21],
    [21, 10],
  ]);
});
