import { defineSuite } from '../../src/testing/define.js';
import { AssertionFailure } from '../../src/testing/errors.js';
import type { CaseContext } from '../../src/testing/types.js';
import { Chronyc } from '../../tools/chronyc.js';
import { Systemctl } from '../../tools/systemctl.js';
import { Timedatectl } from '../../tools/timedatectl.js';
import { checkClockSynchronised, checkTimeSyncServiceActive, TIME_SYNC_UNITS, type ClockFacts } from './checks.js';

async function clockFacts(ctx: CaseContext): Promise<ClockFacts> {
  const node = ctx.node;
  const facts: ClockFacts = {};
  const chrony = ctx.tool(Chronyc, node);
  if (
    (await ctx.tool(Systemctl, node).isActive('chronyd.service')) === 'active' ||
    (await ctx.tool(Systemctl, node).isActive('chrony.service')) === 'active'
  ) {
    if (await chrony.exists()) facts.chrony = await chrony.tracking();
  }
  const timedatectl = ctx.tool(Timedatectl, node);
  if (await timedatectl.exists()) facts.timedatectl = await timedatectl.status();
  return facts;
}

/**
 * Time keeping. Variables: `time_sync_wait_s` (how long to wait for a fresh boot to synchronise,
 * default 180), `time_max_offset_s` (default 1).
 */
export default defineSuite({
  name: 'time',
  area: 'time',
  category: 'functional',
  description: 'a time-sync service runs and the clock is synchronised',
  tags: ['time'],
  owner: 'lisa-ts',
  requirement: { supportedOs: ['linux'] },
  cases: [
    {
      name: 'time_sync_service_active',
      priority: 1,
      timeoutMs: 300_000,
      description: 'chronyd, systemd-timesyncd or ntpd is active',
      async run(ctx) {
        const systemctl = ctx.tool(Systemctl);
        if (!(await systemctl.exists())) ctx.skip('no systemd on this node');
        const states: Record<string, string> = {};
        for (const unit of TIME_SYNC_UNITS) {
          if ((await systemctl.isEnabled(unit)) !== 'not-found') states[unit] = await systemctl.isActive(unit);
        }
        ctx.log.info(`active time-sync unit: ${checkTimeSyncServiceActive(ctx.node.name, states)}`);
      },
    },
    {
      name: 'clock_synchronised',
      priority: 1,
      timeoutMs: 600_000,
      description: 'the clock is synchronised (waits for a freshly booted node to get there)',
      async run(ctx) {
        const deadline = Date.now() + Number(ctx.variables.time_sync_wait_s ?? 180) * 1000;
        const maxOffset = Number(ctx.variables.time_max_offset_s ?? 1);
        for (;;) {
          const facts = await clockFacts(ctx);
          try {
            checkClockSynchronised(ctx.node.name, facts, maxOffset);
            if (facts.chrony)
              ctx.metric('clock_offset', Math.abs(facts.chrony.systemTimeOffsetS) * 1000, 'ms', {
                higherIsBetter: false,
              });
            return;
          } catch (e) {
            if (!(e instanceof AssertionFailure) || Date.now() > deadline || ctx.signal.aborted) throw e;
          }
          await new Promise((r) => setTimeout(r, 10_000));
        }
      },
    },
  ],
});
