import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseSshdT, sshdValue } from '../../../tools/sshd-config.js';
import { fixture } from '../../helpers/fixtures.js';

test('sshd -T on the Debian 12 guest', () => {
  const s = parseSshdT(fx('sshd-config/guest-sshd-T.txt'));
  assert.equal(sshdValue(s, 'PermitRootLogin'), 'without-password');
  assert.equal(sshdValue(s, 'permitemptypasswords'), 'no');
  assert.equal(s.hostkey!.length, 3);
  assert.equal(sshdValue(s, 'port'), '22');
});

test('sshd -T on the host and garbage input', () => {
  assert.equal(sshdValue(parseSshdT(fx('sshd-config/host-sshd-T.txt')), 'passwordauthentication'), 'yes');
  assert.throws(() => parseSshdT('sshd: no hostkeys available -- exiting.'), /not an sshd configuration dump/);
});
