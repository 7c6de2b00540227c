import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { isUmaskAtLeast022, parseLoginDefs, parseUmaskSettings } from '../../../tools/login-defs.js';
import { fixture } from '../../helpers/fixtures.js';

test('login.defs of Debian 12', () => {
  const d = parseLoginDefs(fx('login-defs/debian12-login.defs'));
  assert.equal(d.UMASK, '022');
  assert.equal(d.ENCRYPT_METHOD, 'SHA512');
});

test('umask settings from login.defs and profile files', () => {
  assert.deepEqual(parseUmaskSettings(fx('login-defs/guest-umask-grep.txt')), [
    { value: '022', source: '/etc/login.defs' },
  ]);
  assert.deepEqual(parseUmaskSettings('/etc/profile:    umask 0027\n/etc/bash.bashrc:# umask 000\n'), [
    { value: '027', source: '/etc/profile' },
  ]);
  assert.equal(isUmaskAtLeast022('022'), true);
  assert.equal(isUmaskAtLeast022('027'), true);
  assert.equal(isUmaskAtLeast022('077'), true);
  assert.equal(isUmaskAtLeast022('002'), false);
  assert.equal(isUmaskAtLeast022('000'), false);
});
