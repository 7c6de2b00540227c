import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseEfiVarBytes, parseMokutilSbState } from '../../../tools/secure-boot.js';
import { fixture } from '../../helpers/fixtures.js';

test('mokutil --sb-state', () => {
  assert.equal(parseMokutilSbState(fx('secure-boot/mokutil-enabled.txt')), true);
  assert.equal(parseMokutilSbState(fx('secure-boot/mokutil-disabled.txt')), false);
  assert.equal(parseMokutilSbState(fx('secure-boot/mokutil-noefi.txt')), null);
});

test('SecureBoot EFI variable bytes', () => {
  assert.equal(parseEfiVarBytes(fx('secure-boot/efivar-secureboot-on.txt')), true);
  assert.equal(parseEfiVarBytes(fx('secure-boot/efivar-secureboot-off.txt')), false);
  assert.equal(parseEfiVarBytes(''), null);
});
