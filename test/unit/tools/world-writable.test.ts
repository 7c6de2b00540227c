import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseStatLines } from '../../../tools/world-writable.js';
import { parseHistoryStat } from '../../../tools/shell-history.js';
import { fixture } from '../../helpers/fixtures.js';

test('world-writable scan: clean host and a planted file and directory', () => {
  assert.deepEqual(parseStatLines(fx('world-writable/clean.txt')), []);
  assert.deepEqual(parseStatLines(fx('world-writable/broken.txt')), [
    { mode: '777', type: 'regular empty file', owner: 'root', path: '/usr/local/bin/lisa-ww-demo' },
    { mode: '777', type: 'directory', owner: 'root', path: '/etc/lisa-ww-dir' },
  ]);
});

test('shell history leftovers', () => {
  assert.deepEqual(parseHistoryStat(fx('shell-history/guest-leftovers.txt')), [
    { sizeBytes: 12, owner: 'root', path: '/root/.bash_history' },
    { sizeBytes: 7, owner: 'lisa', path: '/home/lisa/.bash_history' },
  ]);
});
