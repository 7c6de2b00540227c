import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkCpuCount,
  checkHugePagesAllocated,
  checkHugePagesRestored,
  checkMemorySize,
  checkNoOfflineCpus,
  checkNumaCoversCpus,
  hugePagesSupported,
} from '../../../testsuites/cpu-memory/checks.js';
import suite from '../../../testsuites/cpu-memory/index.js';
import { parseHugePages } from '../../../tools/hugepages.js';
import { parseLscpuJson } from '../../../tools/lscpu.js';
import { parseMeminfo } from '../../../tools/meminfo.js';
import { parseNumactlHardware } from '../../../tools/numactl.js';
import { failsWith, fixture } from '../../helpers/fixtures.js';

const healthyCpu = () => parseLscpuJson(fixture('tools/lscpu/debian12-guest.json'));
const brokenCpu = () => parseLscpuJson(fixture('tools/lscpu/broken-offline-cpu.json'));

test('suite declares its cases with requirements', () => {
  assert.equal(suite.area, 'cpu-memory');
  assert.deepEqual(suite.requirement?.supportedOs, ['linux']);
  assert.deepEqual(
    suite.cases.map((c) => c.name),
    ['cpu_count', 'no_offline_cpus', 'memory_size', 'numa_topology', 'hugepages_settable'],
  );
});

test('cpu_count: healthy guest passes, a missing CPU fails naming both counts', () => {
  checkCpuCount('vm1', healthyCpu().cpus, 2);
  failsWith(
    () => checkCpuCount('vm1', healthyCpu().cpus, 4),
    /CPU count of vm1: expected 4 \(the environment's capability\), found 2/,
  );
  failsWith(
    () => checkCpuCount('vm1', 2, undefined),
    /expected a core count declared by the environment, found none declared/,
  );
});

test('no_offline_cpus: healthy guest passes, an offline CPU is named', () => {
  checkNoOfflineCpus('vm1', healthyCpu());
  failsWith(() => checkNoOfflineCpus('vm1', brokenCpu()), /offline CPUs on vm1: expected none, found 1: cpu2/);
});

test('memory_size: MemTotal near the capability passes, missing memory fails', () => {
  const m = parseMeminfo(fixture('tools/meminfo/debian12-guest.txt'));
  checkMemorySize('vm1', m.totalBytes, 1024);
  failsWith(
    () => checkMemorySize('vm1', m.totalBytes, 2048),
    /memory of vm1: expected between 1638 and 2048 MiB \(capability 2048 MiB\), found 972 MiB MemTotal/,
  );
  failsWith(() => checkMemorySize('vm1', m.totalBytes, 512), /found 972 MiB/);
});

test('numa_topology: healthy passes, a CPU outside every node and an empty node fail', () => {
  checkNumaCoversCpus('vm1', parseNumactlHardware(fixture('tools/numactl/debian12-guest.txt')), healthyCpu().online);
  const broken = parseNumactlHardware(fixture('tools/numactl/broken-cpu-without-node.txt'));
  failsWith(
    () => checkNumaCoversCpus('vm1', broken, brokenCpu().online),
    /online CPUs of vm1 without a NUMA node: expected none, found 1: cpu3/,
  );
  failsWith(
    () => checkNumaCoversCpus('vm1', broken, [0, 1]),
    /NUMA nodes of vm1 with neither CPUs nor memory: expected none, found 1: node 1/,
  );
});

test('hugepages_settable: a full allocation passes, a short one and a leak fail', () => {
  const original = parseHugePages(fixture('tools/hugepages/debian12-guest.txt'));
  assert.ok(hugePagesSupported(original));
  assert.equal(hugePagesSupported({ ...original, pageSizeBytes: 0 }), false);
  checkHugePagesAllocated('vm1', 8, { ...original, nrHugepages: 8, total: 8, free: 8 });
  const short = parseHugePages(fixture('tools/hugepages/broken-short-allocation.txt'));
  failsWith(
    () => checkHugePagesAllocated('vm1', 8, short),
    /huge pages on vm1 after requesting 8: expected 8 pages of 2048 KiB, found nr_hugepages 8, HugePages_Total 3/,
  );
  checkHugePagesRestored('vm1', original, original);
  failsWith(
    () => checkHugePagesRestored('vm1', original, short),
    /after restoring: expected 0 \(the original value\), found 8/,
  );
});
