import { expectNone, expectTrue, fail } from '../../src/testing/assert.js';
import type { HugePagesState } from '../../tools/hugepages.js';
import type { CpuInfo } from '../../tools/lscpu.js';
import type { NumaTopology } from '../../tools/numactl.js';

/**
 * The node sees as many CPUs as the environment says it has. `seen` is what the kernel knows
 * (`lscpu` CPU(s), falling back to `nproc --all`).
 */
export function checkCpuCount(nodeName: string, seen: number, expected: number | undefined): void {
  if (expected === undefined || expected <= 0)
    fail(`CPU count of ${nodeName}`, 'a core count declared by the environment', 'none declared');
  expectTrue(`CPU count of ${nodeName}`, seen === expected, `${expected} (the environment's capability)`, `${seen}`);
}

/** Every CPU the kernel knows is online: an offline CPU is capacity the customer pays for and cannot use. */
export function checkNoOfflineCpus(nodeName: string, cpu: CpuInfo): void {
  expectNone(`offline CPUs on ${nodeName}`, cpu.offline, (n) => `cpu${n}`);
  expectTrue(
    `online CPUs of ${nodeName}`,
    cpu.online.length === cpu.cpus,
    `all ${cpu.cpus} online`,
    `${cpu.online.length} online (${cpu.online.join(',') || 'none'})`,
  );
}

/**
 * MemTotal is below the configured RAM by what firmware and the kernel reserve (typically 3-8%, more
 * for small VMs with crashkernel). Less than `minFraction` of it means memory is missing.
 */
export function checkMemorySize(
  nodeName: string,
  memTotalBytes: number,
  expectedMiB: number | undefined,
  minFraction = 0.8,
): void {
  if (!expectedMiB) return;
  const foundMiB = Math.round(memTotalBytes / 1048576);
  expectTrue(
    `memory of ${nodeName}`,
    foundMiB >= expectedMiB * minFraction && foundMiB <= expectedMiB * 1.01,
    `between ${Math.round(expectedMiB * minFraction)} and ${expectedMiB} MiB (capability ${expectedMiB} MiB)`,
    `${foundMiB} MiB MemTotal`,
  );
}

/** The kernel supports huge pages at all: a zero page size means no hugetlbfs. */
export function hugePagesSupported(state: HugePagesState): boolean {
  return state.pageSizeBytes > 0;
}

/** After asking for `requested` pages the pool holds exactly that many. */
export function checkHugePagesAllocated(nodeName: string, requested: number, state: HugePagesState): void {
  expectTrue(
    `huge pages on ${nodeName} after requesting ${requested}`,
    state.nrHugepages === requested && state.total === requested,
    `${requested} pages of ${state.pageSizeBytes / 1024} KiB`,
    `nr_hugepages ${state.nrHugepages}, HugePages_Total ${state.total}, free ${state.free}`,
  );
}

/** The pool is back to its original size (a leaked pool pins memory for the rest of the run). */
export function checkHugePagesRestored(nodeName: string, original: HugePagesState, state: HugePagesState): void {
  expectTrue(
    `huge pages on ${nodeName} after restoring`,
    state.nrHugepages === original.nrHugepages,
    `${original.nrHugepages} (the original value)`,
    `${state.nrHugepages}`,
  );
}

/** Every online CPU belongs to exactly one NUMA node, and every node has memory or CPUs. */
export function checkNumaCoversCpus(nodeName: string, topo: NumaTopology, online: readonly number[]): void {
  const owners = new Map<number, number[]>();
  for (const n of topo.nodes) for (const c of n.cpus) owners.set(c, [...(owners.get(c) ?? []), n.id]);
  const orphan = online.filter((c) => !owners.has(c));
  expectNone(`online CPUs of ${nodeName} without a NUMA node`, orphan, (c) => `cpu${c}`);
  const doubled = [...owners].filter(([, nodes]) => nodes.length > 1);
  expectNone(
    `CPUs of ${nodeName} in several NUMA nodes`,
    doubled,
    ([c, nodes]) => `cpu${c} in nodes ${nodes.join(',')}`,
  );
  const empty = topo.nodes.filter((n) => n.cpus.length === 0 && n.sizeMiB === 0);
  expectNone(`NUMA nodes of ${nodeName} with neither CPUs nor memory`, empty, (n) => `node ${n.id}`);
}
