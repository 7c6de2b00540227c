import { defineSuite } from '../../src/testing/define.js';
import type { CaseContext } from '../../src/testing/types.js';
import type { Node } from '../../src/node/types.js';
import { Dmesg } from '../../tools/dmesg.js';
import { Systemctl } from '../../tools/systemctl.js';
import {
  checkBootIdChanged,
  checkKernelLogClean,
  checkNoFailedUnits,
  checkSystemRunning,
  ignorePatterns,
} from './checks.js';

async function bootId(node: Node): Promise<string> {
  return (await node.readFile('/proc/sys/kernel/random/boot_id')).trim();
}

/** Kernel log clean and, under systemd, boot finished with no failed unit. */
async function checkHealthy(ctx: CaseContext, node: Node): Promise<void> {
  const ignore = ignorePatterns(ctx.variables.dmesg_ignore);
  checkKernelLogClean(node.name, await ctx.tool(Dmesg, node).messages(), ignore);
  const systemctl = ctx.tool(Systemctl, node);
  if (!(await systemctl.exists())) {
    ctx.log.info(`${node.name} has no systemd; unit checks skipped`);
    return;
  }
  const state = await systemctl.waitUntilBooted(300);
  if (state === 'offline') {
    // systemctl is installed but systemd is not PID 1 (containers, chroots).
    ctx.log.info(`systemd is not running on ${node.name}; unit checks skipped`);
    return;
  }
  const failed = await systemctl.failedUnits();
  checkNoFailedUnits(node.name, failed);
  checkSystemRunning(node.name, state, failed);
}

async function rebootChecked(ctx: CaseContext, node: Node): Promise<number> {
  const before = await bootId(node);
  const start = Date.now();
  await node.reboot({ timeoutMs: 900_000 });
  const seconds = (Date.now() - start) / 1000;
  checkBootIdChanged(node.name, before, await bootId(node));
  await checkHealthy(ctx, node);
  return seconds;
}

/**
 * A freshly provisioned image: reachable, boots without kernel defects or failed units, and stays
 * that way across reboots. Variables: `dmesg_ignore` (regex or list), `reboot_count` (default 3).
 */
export default defineSuite({
  name: 'provisioning',
  area: 'provisioning',
  category: 'functional',
  description: 'reachable over SSH, clean boot, healthy after one and after repeated reboots',
  tags: ['provisioning', 'smoke'],
  owner: 'lisa-ts',
  cases: [
    {
      name: 'reachable',
      priority: 0,
      timeoutMs: 300_000,
      description: 'every node answers over its connection',
      async run(ctx) {
        for (const node of ctx.nodes) {
          const alive = await node.isAlive(60_000);
          if (!alive) throw new Error(`${node.name} did not answer a trivial command within 60 s`);
        }
      },
    },
    {
      name: 'boot_clean',
      priority: 0,
      timeoutMs: 600_000,
      description: 'no panic, oops, BUG, call trace or hung task in the kernel log; no failed systemd units',
      requirement: { supportedOs: ['linux'] },
      async run(ctx) {
        await checkHealthy(ctx, ctx.node);
      },
    },
    {
      name: 'reboot_healthy',
      priority: 1,
      timeoutMs: 1_200_000,
      tags: ['disruptive'],
      description: 'after a reboot the node is back with a new boot id, a clean kernel log and no failed units',
      requirement: { supportedOs: ['linux'] },
      async run(ctx) {
        if (ctx.node.kind === 'local') ctx.skip('cannot reboot the machine the harness itself runs on');
        ctx.metric('reboot_time', await rebootChecked(ctx, ctx.node), 's', { higherIsBetter: false });
      },
    },
    {
      name: 'repeated_reboots',
      priority: 2,
      timeoutMs: 3_600_000,
      tags: ['disruptive', 'stress'],
      description: 'the node survives several reboots in a row, healthy after each',
      requirement: { supportedOs: ['linux'] },
      async run(ctx) {
        if (ctx.node.kind === 'local') ctx.skip('cannot reboot the machine the harness itself runs on');
        const count = Number(ctx.variables.reboot_count ?? 3);
        const times: number[] = [];
        for (let i = 1; i <= count; i++) {
          ctx.log.info(`reboot ${i} of ${count}`);
          times.push(await rebootChecked(ctx, ctx.node));
        }
        ctx.metric('reboot_time_max', Math.max(...times), 's', { higherIsBetter: false });
        ctx.metric('reboot_time_mean', times.reduce((a, b) => a + b, 0) / times.length, 's', { higherIsBetter: false });
      },
    },
  ],
});
