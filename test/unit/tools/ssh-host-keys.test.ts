import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseSshKeygenFingerprints } from '../../../tools/ssh-host-keys.js';
import { fixture } from '../../helpers/fixtures.js';

test('host key fingerprints with paths', () => {
  const k = parseSshKeygenFingerprints(fx('ssh-host-keys/guest-fingerprints.txt'));
  assert.deepEqual(
    k.map((x) => x.type),
    ['ECDSA', 'ED25519', 'RSA'],
  );
  assert.equal(k[1]!.fingerprint, 'SHA256:n0kdvPUK6+oocwU+z9/956xD+5xSgsmyPk1c1Dpxs9Q');
  assert.equal(k[1]!.path, '/etc/ssh/ssh_host_ed25519_key.pub');
  assert.equal(k[2]!.bits, 3072);
  assert.equal(parseSshKeygenFingerprints(fx('ssh-host-keys/hostkeys-l.txt')).length, 3);
});
