import { fail } from '../../src/testing/assert.js';
import type { ChronyTracking } from '../../tools/chronyc.js';
import type { TimeStatus } from '../../tools/timedatectl.js';

/** Units that keep the clock in sync, by distribution. */
export const TIME_SYNC_UNITS = [
  'chronyd.service',
  'chrony.service',
  'systemd-timesyncd.service',
  'ntpd.service',
  'ntp.service',
  'ntpsec.service',
  'openntpd.service',
];

/**
 * At least one time-sync unit is active. `states` maps each installed unit to its
 * `systemctl is-active` answer (units that are not installed are left out).
 */
export function checkTimeSyncServiceActive(nodeName: string, states: Readonly<Record<string, string>>): string {
  const active = Object.entries(states).find(([, s]) => s === 'active');
  if (active) return active[0];
  const found = Object.entries(states).map(([u, s]) => `${u} ${s}`);
  return fail(
    `time-sync service on ${nodeName}`,
    `one of ${TIME_SYNC_UNITS.join(', ')} active`,
    found.length ? found.join(', ') : 'none installed',
  );
}

export interface ClockFacts {
  timedatectl?: TimeStatus;
  chrony?: ChronyTracking;
}

/**
 * The clock is synchronised: chrony has a selected source and a small offset, or (without chrony)
 * the kernel's sync flag as timedatectl reports it is set.
 */
export function checkClockSynchronised(nodeName: string, facts: ClockFacts, maxOffsetS = 1): void {
  const what = `clock of ${nodeName}`;
  if (facts.chrony) {
    const c = facts.chrony;
    if (!c.synchronized)
      fail(
        what,
        'synchronised by chronyd',
        `chronyd not synchronised (leap status "${c.leapStatus}", reference ${c.referenceId} ${c.referenceName || 'none'}, stratum ${c.stratum})`,
      );
    if (Math.abs(c.systemTimeOffsetS) > maxOffsetS)
      fail(what, `offset within ${maxOffsetS} s`, `${c.systemTimeOffsetS} s from ${c.referenceName}`);
    return;
  }
  if (facts.timedatectl) {
    const t = facts.timedatectl;
    if (t.ntpSynchronized) return;
    fail(what, 'NTPSynchronized=yes', `NTPSynchronized=no (NTP service ${t.ntpEnabled ? 'enabled' : 'disabled'})`);
  }
  fail(what, 'a way to read the sync state (chronyc or timedatectl)', 'neither is available');
}
