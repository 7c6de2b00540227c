import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../../' : '../../../', import.meta.url));
const fx = (p: string): string => readFileSync(`${root}test/fixtures/tools/${p}`, 'utf8');

import { parseGetenforce, parseSestatus } from '../../../tools/selinux.js';

test('Debian: SELinux disabled', () => {
  assert.equal(parseGetenforce(fx('selinux/getenforce-debian.txt')), 'disabled');
  assert.deepEqual(parseSestatus(fx('selinux/sestatus-debian.txt')), { mode: 'disabled' });
});

test('RHEL-style sestatus: enforcing targeted', () => {
  assert.deepEqual(parseSestatus(fx('selinux/sestatus-rhel9-enforcing.txt')), { mode: 'enforcing', policy: 'targeted', configMode: 'enforcing' });
  assert.throws(() => parseGetenforce('bash: getenforce: command not found'), /unexpected output/);
});
