import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions, OsVersion } from '../../../src/os/version.js';

test('compareVersions orders numeric components numerically', () => {
  assert.ok(compareVersions('8.10', '8.9') > 0);
  assert.ok(compareVersions('22.04', '20.04') > 0);
  assert.ok(compareVersions('2018.03', '2023') < 0);
  assert.equal(compareVersions('9', '9.0'), 0);
  assert.ok(compareVersions('3.19.8', '3.2.0') > 0);
  assert.ok(compareVersions('13.2-RELEASE', '13.0') > 0);
});

test('OsVersion helpers', () => {
  const v = new OsVersion('22.04');
  assert.equal(v.major, 22);
  assert.ok(v.atLeast('20.04'));
  assert.ok(v.below('24.04'));
  assert.equal(String(v), '22.04');
});
