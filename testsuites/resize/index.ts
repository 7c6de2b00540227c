import type { Resize, ResizeRequest } from '../../src/platform/types.js';
import { defineSuite } from '../../src/testing/define.js';
import type { CaseContext } from '../../src/testing/types.js';
import { Meminfo } from '../../tools/meminfo.js';
import { Nproc } from '../../tools/nproc.js';
import { checkCoresAfterResize, checkDirection, checkMemoryAfterResize } from './checks.js';

/**
 * Resizes node 0 through the platform's Resize feature, then checks over SSH that the guest has the
 * new size's CPUs and memory and that the environment's capability says so too.
 */
async function resizeChecked(
  ctx: CaseContext,
  request: ResizeRequest,
  action?: 'increase' | 'decrease',
): Promise<void> {
  const resize = ctx.environment.feature<Resize>('Resize')!;
  const before = (await ctx.tool(Nproc).count()).all;
  const started = Date.now();
  const result = await resize.resize({ ...request, node: 0 });
  ctx.metric('resize_time', (Date.now() - started) / 1000, 's', { higherIsBetter: false });
  ctx.log.info(
    `resized ${result.node}: ${result.oldSize} -> ${result.newSize} (${result.cores} cores, ${result.memoryMiB} MiB)`,
  );
  if (action) checkDirection(result, before, action);
  checkCoresAfterResize(ctx.node.name, result, before, (await ctx.tool(Nproc).count()).all);
  const minFraction = Number(ctx.variables.memory_min_fraction ?? 0.8);
  checkMemoryAfterResize(ctx.node.name, result, (await ctx.tool(Meminfo).read()).totalBytes, minFraction);
  const cap = ctx.environment.capabilities[0]!;
  checkCoresAfterResize(`${ctx.node.name} (capability)`, result, before, cap.cores);
}

/**
 * Resize of a running VM. Variables: `resize_cores` (a core count for resize_up instead of "the next
 * larger size"), `memory_min_fraction` (0.8).
 */
export default defineSuite({
  name: 'resize',
  area: 'resize',
  category: 'functional',
  description: 'the VM is resized through the platform and the guest sees the new CPUs and memory',
  tags: ['resize', 'cpu', 'memory', 'disruptive'],
  owner: 'lisa-ts',
  requirement: { supportedOs: ['linux'], features: ['Resize'] },
  cases: [
    {
      name: 'resize_up',
      priority: 1,
      timeoutMs: 1_800_000,
      description: 'to the next larger size (or `resize_cores` cores): nproc and MemTotal follow',
      async run(ctx) {
        const cores = ctx.variables.resize_cores;
        if (cores !== undefined && cores !== '') await resizeChecked(ctx, { cores: Number(cores) });
        else await resizeChecked(ctx, { action: 'increase' }, 'increase');
      },
    },
    {
      name: 'resize_down',
      priority: 2,
      timeoutMs: 1_800_000,
      description: 'to the next smaller size: nproc and MemTotal follow',
      async run(ctx) {
        await resizeChecked(ctx, { action: 'decrease' }, 'decrease');
      },
    },
  ],
});
