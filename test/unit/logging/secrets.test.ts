import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SecretMasker } from '../../../src/logging/secrets.js';

test('secrets are masked in text, longest first, and short values are left alone', () => {
  const m = new SecretMasker();
  m.add('hunter2');
  m.add('hunter2-extended');
  m.add('ab');
  assert.equal(m.mask('pw=hunter2-extended or hunter2, ab'), 'pw=****** or ******, ab');
});

test('a secret with quotes or backslashes is masked inside JSON text too', () => {
  const m = new SecretMasker();
  m.add('p"a\\ss');
  const json = JSON.stringify({ message: 'login with p"a\\ss failed' });
  assert.ok(!m.mask(json).includes('p\\"a'), m.mask(json));
  assert.deepEqual(JSON.parse(m.mask(json)), { message: 'login with ****** failed' });
  assert.deepEqual(m.maskDeep({ message: 'p"a\\ss' }), { message: '******' });
});
