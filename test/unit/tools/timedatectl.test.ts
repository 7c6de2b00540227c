import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../../' : '../../../', import.meta.url));
const fx = (p: string): string => readFileSync(`${root}test/fixtures/tools/${p}`, 'utf8');

import { parseKeyValueLines, parseTimedatectlShow } from '../../../tools/timedatectl.js';

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
