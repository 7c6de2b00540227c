import { test } from 'node:test';
import assert from 'node:assert/strict';

import { parseFipsState } from '../../../tools/fips.js';

test('FIPS state from fips_enabled and the command line', () => {
  assert.deepEqual(parseFipsState('0\n', 'root=/dev/vda rw'), { kernelFipsEnabled: false, cmdlineFips: false });
  assert.deepEqual(parseFipsState('1\n', 'BOOT_IMAGE=/vmlinuz fips=1 quiet'), {
    kernelFipsEnabled: true,
    cmdlineFips: true,
  });
  // This host's kernel has no /proc/sys/crypto/fips_enabled at all.
  assert.deepEqual(parseFipsState(null, 'console=ttyS0'), { kernelFipsEnabled: null, cmdlineFips: false });
});
