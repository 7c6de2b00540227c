import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseGetenforce, parseSestatus } from '../../../tools/selinux.js';
import { fixture } from '../../helpers/fixtures.js';

test('Debian: SELinux disabled', () => {
  assert.equal(parseGetenforce(fx('selinux/getenforce-debian.txt')), 'disabled');
  assert.deepEqual(parseSestatus(fx('selinux/sestatus-debian.txt')), { mode: 'disabled' });
});

test('RHEL-style sestatus: enforcing targeted', () => {
  assert.deepEqual(parseSestatus(fx('selinux/sestatus-rhel9-enforcing.txt')), {
    mode: 'enforcing',
    policy: 'targeted',
    configMode: 'enforcing',
  });
  assert.throws(() => parseGetenforce('bash: getenforce: command not found'), /unexpected output/);
});
