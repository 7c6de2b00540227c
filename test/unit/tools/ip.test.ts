import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = (p: string): string => fixture(`tools/${p}`);

import { isInterfaceUp, parseIpAddr, parseIpLink, parseIpRoute } from '../../../tools/ip.js';
import { fixture } from '../../helpers/fixtures.js';

test('ip -j addr of the host: interfaces, state and addresses', () => {
  const ifs = parseIpAddr(fx('ip/ip-addr.json'));
  assert.deepEqual(
    ifs.map((i) => i.name),
    ['lo', 'ifb0', 'ifb1', 'eth0'],
  );
  const eth0 = ifs.find((i) => i.name === 'eth0')!;
  assert.equal(eth0.mtu, 1400);
  assert.equal(eth0.state, 'UP');
  assert.ok(isInterfaceUp(eth0));
  assert.ok(eth0.addresses.some((a) => a.family === 'inet' && a.address === '192.0.2.2' && a.prefixLen === 24));
  assert.ok(isInterfaceUp(ifs[0]!), 'loopback reports UNKNOWN but is up');
  assert.equal(isInterfaceUp(ifs.find((i) => i.name === 'ifb0')!), false);
});

test('ip -j addr of the guest: user-net and private interfaces', () => {
  const ifs = parseIpAddr(fx('ip/guest-ip-addr.json'));
  const ens8 = ifs.find((i) => i.name === 'ens8')!;
  assert.deepEqual(
    ens8.addresses.filter((a) => a.family === 'inet').map((a) => a.address),
    ['192.168.77.1'],
  );
  assert.equal(ifs.find((i) => i.name === 'ens3')!.addresses[0]!.address, '10.0.2.15');
});

test('ip -j link has no addresses', () => {
  const links = parseIpLink(fx('ip/ip-link.json'));
  assert.ok(links.length >= 2);
  assert.ok(links.every((l) => l.addresses.length === 0));
});

test('ip -j route: default route with gateway and device', () => {
  const routes = parseIpRoute(fx('ip/ip-route.json'));
  assert.deepEqual(routes[0], { dst: 'default', gateway: '192.0.2.1', dev: 'eth0' });
  assert.equal(routes[1]!.prefsrc, '192.0.2.2');
  const guest = parseIpRoute(fx('ip/guest-ip-route.json'));
  assert.ok(guest.some((r) => r.dst === 'default' && r.gateway === '10.0.2.2' && r.dev === 'ens3'));
  assert.deepEqual(parseIpRoute(''), []);
});

test('ip -d -j addr: virtual link kind and NIC bus', () => {
  const host = parseIpAddr(fx('ip/ip-d-addr.json'));
  assert.equal(host.find((i) => i.name === 'ifb0')!.kind, 'ifb');
  assert.equal(host.find((i) => i.name === 'eth0')!.kind, undefined);
  const guest = parseIpAddr(fx('ip/guest-ip-d-addr.json'));
  assert.equal(guest.find((i) => i.name === 'ens3')!.parentBus, 'virtio');
});
