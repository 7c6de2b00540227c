import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = fixture;

import { parseChronycTrackingCsv } from '../../../tools/chronyc.js';
import { parseTimedatectlShow } from '../../../tools/timedatectl.js';
import { checkClockSynchronised, checkTimeSyncServiceActive } from '../../../testsuites/time/checks.js';
import { failsWith, fixture } from '../../helpers/fixtures.js';

const synced = () => parseChronycTrackingCsv(fx('tools/chronyc/chronyc-tracking.csv'));
const unsynced = () => parseChronycTrackingCsv(fx('tools/chronyc/chronyc-tracking-unsync.csv'));
const tdSynced = () => parseTimedatectlShow(fx('tools/timedatectl/timedatectl-show.txt'));
const tdUnsynced = () => parseTimedatectlShow(fx('tools/timedatectl/timedatectl-show-unsync.txt'));

test('a time-sync service is active', () => {
  assert.equal(
    checkTimeSyncServiceActive('guest', { 'chrony.service': 'active', 'systemd-timesyncd.service': 'inactive' }),
    'chrony.service',
  );
  failsWith(
    () => checkTimeSyncServiceActive('guest', { 'chrony.service': 'failed', 'systemd-timesyncd.service': 'inactive' }),
    /time-sync service on guest: expected one of chronyd.service, .* active, found chrony.service failed/,
  );
  failsWith(
    () => checkTimeSyncServiceActive('guest', { 'chrony.service': 'inactive' }),
    /found chrony.service inactive/,
  );
  failsWith(() => checkTimeSyncServiceActive('guest', {}), /found none installed/);
});

test('synchronised clock passes through chrony and through timedatectl', () => {
  checkClockSynchronised('guest', { chrony: synced(), timedatectl: tdSynced() });
  checkClockSynchronised('guest', { timedatectl: tdSynced() });
});

test('unsynchronised clock names the cause', () => {
  failsWith(
    () => checkClockSynchronised('guest', { chrony: unsynced(), timedatectl: tdUnsynced() }),
    /clock of guest: expected synchronised by chronyd, found chronyd not synchronised \(leap status "Not synchronised", reference 00000000 none, stratum 0\)/,
  );
  failsWith(
    () => checkClockSynchronised('guest', { timedatectl: tdUnsynced() }),
    /expected NTPSynchronized=yes, found NTPSynchronized=no \(NTP service enabled\)/,
  );
  failsWith(() => checkClockSynchronised('guest', {}), /neither is available/);
});

test('synchronised but far off', () => {
  const off = { ...synced(), systemTimeOffsetS: 3.5 };
  failsWith(
    () => checkClockSynchronised('guest', { chrony: off }, 1),
    /expected offset within 1 s, found 3.5 s from 10.0.2.2/,
  );
});
