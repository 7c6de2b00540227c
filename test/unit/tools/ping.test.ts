import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parsePing } from '../../../tools/ping.js';
import { fixture } from '../../helpers/fixtures.js';

test('ping summary: all replies', () => {
  const r = parsePing(fx('ping/ping-ok.txt'), '127.0.0.1');
  assert.equal(r.transmitted, 3);
  assert.equal(r.received, 3);
  assert.equal(r.lossPercent, 0);
  assert.deepEqual(r.rtt, { min: 0.044, avg: 0.069, max: 0.096, mdev: 0.021 });
});

test('ping summary: 100% loss has no rtt', () => {
  const r = parsePing(fx('ping/ping-loss.txt'));
  assert.equal(r.received, 0);
  assert.equal(r.lossPercent, 100);
  assert.equal(r.rtt, undefined);
  assert.equal(r.error, undefined);
});

test('ping that never sent anything reports the error', () => {
  const r = parsePing(fx('ping/ping-unknown.txt'));
  assert.equal(r.transmitted, 0);
  assert.match(r.error!, /Name or service not known/);
});

test('busybox ping summary', () => {
  const r = parsePing(
    '4 packets transmitted, 2 packets received, 50% packet loss\nround-trip min/avg/max = 0.1/0.2/0.3 ms\n',
  );
  assert.equal(r.lossPercent, 50);
  assert.equal(r.rtt!.avg, 0.2);
});

test('guest to guest over a private network', () => {
  const r = parsePing(fx('ping/guest-private-ok.txt'), '192.168.77.1');
  assert.equal(r.lossPercent, 0);
  assert.equal(r.received, 5);
  assert.ok(r.rtt!.avg > 0);
});
