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

test('every encoded form of a secret is masked: HTML, shell-quoted, URL, base64, JSON of those', async () => {
  const { shellQuote } = await import('../../../src/shell/quote.js');
  const { esc: escapeHtml } = await import('../../../src/notifiers/html-render.js');
  const secret = `p@ss'w"o<r>d&x`;
  const m = new SecretMasker();
  m.add(secret);
  const sinks = [
    escapeHtml(secret),
    shellQuote(secret),
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
    JSON.stringify(escapeHtml(secret)),
    JSON.stringify(`echo ${shellQuote(secret)}`),
  ];
  for (const text of sinks) {
    const out = m.mask(text);
    assert.match(out, /^[^a-zA-Z0-9]*\*{6}[^a-zA-Z0-9]*$|^"echo '?\*{6}'?"$/, `not masked whole: ${text} -> ${out}`);
  }
  assert.equal(
    m.mask(`curl -H 'Authorization: Basic ${Buffer.from(secret).toString('base64')}'`).includes('cEBz'),
    false,
  );
});

test('a multi-line secret is masked line by line, so indented continuation lines do not leak', () => {
  const key = '-----BEGIN KEY-----\nAAAAB3NzaC1yc2EAAAADAQABAAABAQ\nQDQtZ7xYm9+more/lines==\n-----END KEY-----';
  const m = new SecretMasker();
  m.add(key);
  const logged = `stdout:\n    ${key.split('\n').join('\n    ')}`;
  const out = m.mask(logged);
  for (const line of key.split('\n')) assert.equal(out.includes(line), false, `leaked: ${line}\n${out}`);
});
