import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDdStats } from '../../../tools/dd.js';
import { parseSha256sum, Sha256sum } from '../../../tools/sha256sum.js';
import { fixture } from '../os/fixture.js';
import { runLocally, ScriptNode } from '../os/script-node.js';

test('dd statistics from stderr', () => {
  const s = parseDdStats(fixture('tools/dd/host-firecracker-stderr.txt'))!;
  assert.equal(s.bytes, 8388608);
  assert.equal(s.seconds, 0.0780153);
  assert.ok(Math.abs(s.rate - 8388608 / 0.0780153) < 1);
  assert.equal(parseDdStats('dd: error writing: No space left on device'), undefined);
});

test('sha256sum output', () => {
  assert.equal(
    parseSha256sum('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  /tmp/abc\n'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
  assert.throws(() => parseSha256sum('sha256sum: /nope: No such file or directory'), /unexpected sha256sum output/);
});

test('Sha256sum against this machine', { skip: process.platform !== 'linux' }, async () => {
  const node = new ScriptNode(runLocally);
  assert.equal(
    await new Sha256sum(node).sum('/dev/null'),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
});
