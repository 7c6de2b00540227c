import { test } from 'node:test';
import assert from 'node:assert/strict';

const fx = fixture;

import type { DnsLookupResult } from '../../../tools/dns.js';
import { parseIpAddr, parseIpRoute, type IpInterface } from '../../../tools/ip.js';
import { parseIperf3Json } from '../../../tools/iperf3.js';
import { parsePing } from '../../../tools/ping.js';
import { parseDigShort, parseGetentHosts } from '../../../tools/dns.js';
import {
  checkDefaultRoute,
  checkDnsResolution,
  checkInterfacesUp,
  checkMtu,
  checkPeerPath,
  checkPing,
  checkThroughput,
  choosePeerAddress,
} from '../../../testsuites/network/checks.js';
import { failsWith, fixture } from '../../helpers/fixtures.js';

const guestIfs = () => parseIpAddr(fx('tools/ip/guest-ip-addr.json'));

/** The second guest of a two-node setup: same user-net address, 192.168.77.2 on the private network. */
function peerIfs(): IpInterface[] {
  return guestIfs().map((i) => ({
    ...i,
    addresses: i.addresses.map((a) => (a.address === '192.168.77.1' ? { ...a, address: '192.168.77.2' } : a)),
  }));
}

test('healthy guest and host: interfaces, route, MTU', () => {
  checkInterfacesUp('guest', guestIfs());
  checkInterfacesUp('host', parseIpAddr(fx('tools/ip/ip-addr.json')));
  checkDefaultRoute('guest', parseIpRoute(fx('tools/ip/guest-ip-route.json')));
  checkMtu('guest', guestIfs());
  checkMtu('host', parseIpAddr(fx('tools/ip/ip-addr.json')));
});

test('interface configured up without carrier; no address at all', () => {
  const noCarrier = guestIfs().map((i) =>
    i.name === 'ens8' ? { ...i, state: 'DOWN', flags: ['BROADCAST', 'MULTICAST', 'UP', 'NO-CARRIER'] } : i,
  );
  failsWith(
    () => checkInterfacesUp('guest', noCarrier),
    /configured up but without link: expected none, found 1: ens8 \(state DOWN/,
  );
  // An empty bridge has no carrier by design.
  const bridge = { ...noCarrier.find((i) => i.name === 'ens8')!, name: 'docker0', kind: 'bridge' };
  checkInterfacesUp('guest', [...guestIfs(), bridge]);
  const noAddr = guestIfs().map((i) => ({ ...i, addresses: i.addresses.filter((a) => a.scope !== 'global') }));
  failsWith(
    () => checkInterfacesUp('guest', noAddr),
    /with a global address: expected at least one interface up with a global address, found lo:UNKNOWN ens3:UP/,
  );
});

test('no default route', () => {
  const routes = parseIpRoute(fx('tools/ip/guest-ip-route.json')).filter((r) => r.dst !== 'default');
  failsWith(
    () => checkDefaultRoute('guest', routes),
    /default route of guest: expected a default route, found only: 10\.0\.2\.0\/24 dev ens3/,
  );
  failsWith(() => checkDefaultRoute('guest', []), /found no routes/);
});

test('DNS: resolves, and a name that does not', () => {
  checkDnsResolution(
    'host',
    { name: 'deb.debian.org', addresses: parseGetentHosts(fx('tools/dns/getent-ok.txt')), via: 'getent' },
    ['10.0.2.3'],
  );
  const miss: DnsLookupResult = {
    name: 'no-such-host.invalid',
    addresses: parseDigShort(fx('tools/dns/dig-miss.txt')),
    via: 'dig',
  };
  failsWith(
    () => checkDnsResolution('guest', miss, ['10.0.2.3']),
    /resolution of no-such-host.invalid on guest \(via dig\): expected at least one address, found none \(nameservers 10.0.2.3\)/,
  );
  failsWith(() => checkDnsResolution('guest', miss, []), /no nameserver in \/etc\/resolv.conf/);
});

test('MTU out of range', () => {
  const tiny = guestIfs().map((i) => (i.name === 'ens3' ? { ...i, mtu: 576 } : i));
  failsWith(
    () => checkMtu('guest', tiny),
    /MTU of interfaces of guest \(allowed 1280\.\.9216\): expected none, found 1: ens3 mtu 576/,
  );
});

test('peer address: the private network, never the shared user-net address', () => {
  const path = choosePeerAddress(guestIfs(), peerIfs(), ['ens3']);
  assert.deepEqual(path, { localInterface: 'ens8', localAddress: '192.168.77.1', peerAddress: '192.168.77.2' });
  // Without the private network both nodes are 10.0.2.15 behind NAT: no usable path.
  const userNetOnly = (ifs: IpInterface[]) => ifs.filter((i) => i.name !== 'ens8');
  const none = choosePeerAddress(userNetOnly(guestIfs()), userNetOnly(peerIfs()), ['ens3']);
  assert.equal(none, undefined);
  failsWith(
    () => checkPeerPath('n1', 'n2', none, userNetOnly(peerIfs())),
    /network path from n1 to n2: expected a peer address on a subnet both nodes are on, found ens3 10\.0\.2\.15\/24/,
  );
});

test('ping: replies pass, 100% loss and unknown host fail', () => {
  checkPing('n1', parsePing(fx('tools/ping/ping-ok.txt'), '192.168.77.2'));
  failsWith(
    () => checkPing('n1', parsePing(fx('tools/ping/ping-loss.txt'), '192.168.77.2')),
    /ping from n1 to 192.168.77.2: expected at most 0% loss, found 100% loss \(0\/3 replies\)/,
  );
  failsWith(
    () => checkPing('n1', parsePing(fx('tools/ping/ping-unknown.txt'), 'nonexistent.invalid')),
    /expected replies, found ping: nonexistent.invalid: Name or service not known/,
  );
});

test('iperf3 throughput threshold', () => {
  const r = parseIperf3Json(fx('tools/iperf3/iperf3-client.json'));
  checkThroughput('TCP n1 -> n2', r, 1);
  const slow = { ...r, receivedBitsPerSecond: 120_000 };
  failsWith(
    () => checkThroughput('TCP n1 -> n2', slow, 1),
    /TCP n1 -> n2: expected at least 1 Mbit\/s, found 0.1 Mbit\/s/,
  );
});
