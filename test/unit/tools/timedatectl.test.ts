import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseKeyValueLines, parseTimedatectlShow } from '../../../tools/timedatectl.js';
import { fixture } from '../../helpers/fixtures.js';

test('timedatectl show: synchronised guest', () => {
  const s = parseTimedatectlShow(fx('timedatectl/timedatectl-show.txt'));
  assert.equal(s.ntpSynchronized, true);
  assert.equal(s.ntpEnabled, true);
  assert.equal(s.timezone, 'Etc/UTC');
});

test('timedatectl show: after chrony lost its sources', () => {
  assert.equal(parseTimedatectlShow(fx('timedatectl/timedatectl-show-unsync.txt')).ntpSynchronized, false);
  assert.throws(() => parseTimedatectlShow('Failed to connect to bus'), /no NTPSynchronized/);
  assert.deepEqual(parseKeyValueLines('A=1\nB=x=y\n'), { A: '1', B: 'x=y' });
});
