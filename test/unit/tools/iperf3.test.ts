import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseIperf3Json } from '../../../tools/iperf3.js';
import { fixture } from '../../helpers/fixtures.js';

test('iperf3 client JSON: throughput and retransmits', () => {
  const r = parseIperf3Json(fx('iperf3/iperf3-client.json'));
  assert.ok(r.receivedBitsPerSecond > 1e9);
  assert.equal(Math.round(r.receivedBitsPerSecond), 15255804429);
  assert.equal(r.retransmits, 3);
  assert.equal(r.bytes, 3814195200);
  assert.equal(r.error, undefined);
});

test('iperf3 server log JSON has no retransmits', () => {
  const r = parseIperf3Json(fx('iperf3/iperf3-server.json'));
  assert.ok(r.receivedBitsPerSecond > 1e9);
  assert.equal(r.retransmits, undefined);
});

test('iperf3 refused connection: error field, zero throughput', () => {
  const r = parseIperf3Json(fx('iperf3/iperf3-refused.json'));
  assert.equal(r.error, 'unable to connect to server: Connection refused');
  assert.equal(r.receivedBitsPerSecond, 0);
  assert.throws(() => parseIperf3Json('iperf3: error - unable to connect'), /no JSON/);
});

test('iperf3 between two guests on a private network', () => {
  const r = parseIperf3Json(fx('iperf3/guest-to-guest-client.json'));
  assert.equal(Math.round(r.receivedBitsPerSecond / 1e6), 85);
  assert.equal(r.retransmits, 102);
});
