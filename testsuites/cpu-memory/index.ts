import { defineSuite } from '../../src/testing/define.js';
import type { CaseContext } from '../../src/testing/types.js';
import { HugePages } from '../../tools/hugepages.js';
import { Lscpu } from '../../tools/lscpu.js';
import { Meminfo } from '../../tools/meminfo.js';
import { Nproc } from '../../tools/nproc.js';
import { Numactl } from '../../tools/numactl.js';
import {
  checkCpuCount,
  checkHugePagesAllocated,
  checkHugePagesRestored,
  checkMemorySize,
  checkNoOfflineCpus,
  checkNumaCoversCpus,
  hugePagesSupported,
} from './checks.js';

function capabilityOf(ctx: CaseContext, index = 0) {
  return ctx.environment.capabilities[index];
}

/**
 * CPUs and memory match what the environment provides, and huge pages work. Variables:
 * `hugepages_count` (default 8 pages; 16 MiB with 2 MiB pages), `memory_min_fraction` (0.8).
 */
export default defineSuite({
  name: 'cpu_memory',
  area: 'cpu-memory',
  category: 'functional',
  description: 'CPU and memory counts match the environment; no offline CPUs; NUMA sane; huge pages settable',
  tags: ['cpu', 'memory'],
  owner: 'lisa-ts',
  requirement: { supportedOs: ['linux'] },
  cases: [
    {
      name: 'cpu_count',
      priority: 0,
      timeoutMs: 300_000,
      description: "the kernel sees as many CPUs as the environment's capability declares",
      async run(ctx) {
        for (const [i, node] of ctx.nodes.entries()) {
          const lscpu = ctx.tool(Lscpu, node);
          const seen = (await lscpu.exists()) ? (await lscpu.info()).cpus : (await ctx.tool(Nproc, node).count()).all;
          checkCpuCount(node.name, seen, capabilityOf(ctx, i)?.cores);
        }
      },
    },
    {
      name: 'no_offline_cpus',
      priority: 1,
      timeoutMs: 300_000,
      description: 'every CPU the kernel knows is online',
      async run(ctx) {
        checkNoOfflineCpus(ctx.node.name, await ctx.tool(Lscpu).info());
      },
    },
    {
      name: 'memory_size',
      priority: 1,
      timeoutMs: 300_000,
      description: "MemTotal is close to the environment's memory capability",
      async run(ctx) {
        const m = await ctx.tool(Meminfo).read();
        const fraction = Number(ctx.variables.memory_min_fraction ?? 0.8);
        checkMemorySize(ctx.node.name, m.totalBytes, capabilityOf(ctx)?.memoryMiB, fraction);
        ctx.metric('mem_total', Math.round(m.totalBytes / 1048576), 'MiB');
      },
    },
    {
      name: 'numa_topology',
      priority: 2,
      timeoutMs: 600_000,
      description: 'every online CPU belongs to exactly one NUMA node',
      async run(ctx) {
        const cpu = await ctx.tool(Lscpu).info();
        checkNumaCoversCpus(ctx.node.name, await ctx.tool(Numactl).hardware(), cpu.online);
      },
    },
    {
      name: 'hugepages_settable',
      priority: 2,
      timeoutMs: 600_000,
      description: 'the default huge page pool can be resized at runtime and restored',
      async run(ctx) {
        const hp = ctx.tool(HugePages);
        const original = await hp.read();
        if (!hugePagesSupported(original))
          ctx.skip(`the kernel of ${ctx.node.name} has no huge page support (Hugepagesize is 0)`);
        const requested = original.nrHugepages + Number(ctx.variables.hugepages_count ?? 8);
        // Boxed so that whatever was thrown (even a falsy value) is rethrown as it was.
        let failure: { error: unknown } | undefined;
        try {
          checkHugePagesAllocated(ctx.node.name, requested, await hp.set(requested));
        } catch (e) {
          failure = { error: e };
        }
        // Restore even after a failure; the first failure is the one worth reporting.
        const restored = await hp.set(original.nrHugepages);
        if (failure) throw failure.error;
        checkHugePagesRestored(ctx.node.name, original, restored);
      },
    },
  ],
});
