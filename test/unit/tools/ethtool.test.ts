import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { parseEthtoolDriverInfo, parseEthtoolFeatures, parseEthtoolSettings } from '../../../tools/ethtool.js';
import { fixture } from '../../helpers/fixtures.js';

test('ethtool -i: driver and bus of a virtio NIC', () => {
  assert.deepEqual(parseEthtoolDriverInfo(fx('ethtool/ethtool-i.txt')), {
    driver: 'virtio_net',
    version: '1.0.0',
    firmwareVersion: '',
    busInfo: '0000:00:03.0',
  });
  assert.throws(() => parseEthtoolDriverInfo(fx('ethtool/ethtool-i-lo.txt')), /no "driver:" line/);
});

test('ethtool settings: virtio reports no speed', () => {
  const s = parseEthtoolSettings(fx('ethtool/ethtool-settings.txt'));
  assert.equal(s.speedMbps, null);
  assert.equal(s.linkDetected, true);
  assert.equal(s.autoNegotiation, false);
  assert.equal(s.duplex, 'Unknown');
  assert.equal(parseEthtoolSettings('\tSpeed: 25000Mb/s\n\tDuplex: Full\n').speedMbps, 25000);
});

test('ethtool -k: offloads with fixed flags', () => {
  const f = parseEthtoolFeatures(fx('ethtool/ethtool-k.txt'));
  assert.deepEqual(f['rx-checksumming'], { enabled: true, fixed: true });
  assert.deepEqual(f['tcp-segmentation-offload'], { enabled: true, fixed: false });
  assert.deepEqual(f['large-receive-offload'], { enabled: false, fixed: true });
});

test('guest capture: all three sections parse', () => {
  const [i, s, k] = fx('ethtool/guest-virtio-all.txt').split('---\n');
  assert.equal(parseEthtoolDriverInfo(i!).driver, 'virtio_net');
  assert.equal(parseEthtoolSettings(s!).linkDetected, true);
  assert.ok(Object.keys(parseEthtoolFeatures(k!)).length > 20);
});
