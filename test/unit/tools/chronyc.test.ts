import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseChronycTrackingCsv } from '../../../tools/chronyc.js';
import { fixture } from '../../helpers/fixtures.js';

test('chronyc -c tracking: synchronised', () => {
  const t = parseChronycTrackingCsv(fx('chronyc/chronyc-tracking.csv'));
  assert.equal(t.synchronized, true);
  assert.equal(t.referenceName, '10.0.2.2');
  assert.equal(t.stratum, 9);
  assert.equal(t.leapStatus, 'Normal');
  assert.ok(Math.abs(t.systemTimeOffsetS) < 0.001);
});

test('chronyc -c tracking: no source selected', () => {
  const t = parseChronycTrackingCsv(fx('chronyc/chronyc-tracking-unsync.csv'));
  assert.equal(t.synchronized, false);
  assert.equal(t.leapStatus, 'Not synchronised');
  assert.equal(t.referenceId, '00000000');
  assert.throws(() => parseChronycTrackingCsv('506 Cannot talk to daemon'), /unexpected output/);
});
