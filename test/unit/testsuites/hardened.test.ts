import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fipsProblems,
  secureBootProblems,
  selinuxProblems,
  tpmProblems,
  ukiProblems,
  verityUsrProblems,
} from '../../../testsuites/hardened/checks.js';
import { claims } from '../../../testsuites/hardened/index.js';
import { parseFactBlocks } from '../../../tools/fact-probe.js';
import { fixture } from '../../helpers/fixtures.js';

// HARDENED_SCRIPT on the BIOS-booted built-in guest (see test/fixtures/testsuites/hygiene/README.md).
const bios = () => parseFactBlocks(fixture('testsuites/hardened/debian12-cis-bios.txt'));

test('on the BIOS guest every hardened promise fails naming what is missing', () => {
  assert.deepEqual(ukiProblems(bios()), ['booted through BIOS, not UEFI: no UKI can have been used']);
  assert.deepEqual(secureBootProblems(bios()), ['booted through BIOS, not UEFI: Secure Boot is not available']);
  assert.deepEqual(tpmProblems(bios()), ['no TPM device (/sys/class/tpm is empty)']);
  assert.deepEqual(verityUsrProblems(bios()), ['/usr is not a separate mount']);
  assert.deepEqual(selinuxProblems(bios()), ['SELinux is not enabled (no /sys/fs/selinux)']);
  assert.deepEqual(fipsProblems(bios()), [
    'fips=1 is not on the kernel command line',
    '/proc/sys/crypto/fips_enabled is 0',
    'system crypto policy is not set (no crypto-policies), not FIPS',
    'OpenSSL has no active fips provider',
  ]);
});

test('image_claims accepts a list or a comma-separated string', () => {
  assert.deepEqual([...claims(['uki', 'tpm'])], ['uki', 'tpm']);
  assert.deepEqual([...claims('secure_boot, tpm')], ['secure_boot', 'tpm']);
  assert.equal(claims(undefined).size, 0);
});
