import { expectAtLeast, expectNone, expectTrue, fail } from '../../src/testing/assert.js';
import type { DnsLookupResult } from '../../tools/dns.js';
import { isInterfaceUp, type IpInterface, type IpRoute } from '../../tools/ip.js';
import type { Iperf3Result } from '../../tools/iperf3.js';
import type { PingResult } from '../../tools/ping.js';

/** Interfaces that matter: not loopback, not administratively down. */
function activeInterfaces(ifaces: readonly IpInterface[]): IpInterface[] {
  return ifaces.filter((i) => i.linkType !== 'loopback' && !i.flags.includes('LOOPBACK') && i.flags.includes('UP'));
}

function globalAddresses(i: IpInterface): string[] {
  return i.addresses.filter((a) => a.scope === 'global').map((a) => `${a.address}/${a.prefixLen}`);
}

/**
 * Every NIC that is configured up has carrier, and at least one interface has a global address.
 * Administratively down interfaces (spare NICs, ifb) are not defects, nor are virtual links without
 * carrier (an empty docker0 bridge, a tun nobody opened).
 */
export function checkInterfacesUp(nodeName: string, ifaces: readonly IpInterface[]): void {
  const active = activeInterfaces(ifaces);
  const noCarrier = active.filter((i) => !i.kind && !isInterfaceUp(i));
  expectNone(
    `interfaces of ${nodeName} configured up but without link`,
    noCarrier,
    (i) => `${i.name} (state ${i.state}, flags ${i.flags.join(',')})`,
  );
  const withAddress = active.filter((i) => globalAddresses(i).length > 0);
  const found = ifaces
    .map((i) => `${i.name}:${i.state}${globalAddresses(i).length ? `:${globalAddresses(i).join(',')}` : ''}`)
    .join(' ');
  expectTrue(
    `interfaces of ${nodeName} with a global address`,
    withAddress.length > 0,
    'at least one interface up with a global address',
    found || 'no interfaces',
  );
}

export function checkDefaultRoute(nodeName: string, routes: readonly IpRoute[]): void {
  const defaults = routes.filter((r) => r.dst === 'default' && (r.gateway || r.dev));
  const found = routes
    .map((r) => `${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`)
    .join('; ');
  expectTrue(
    `default route of ${nodeName}`,
    defaults.length > 0,
    'a default route',
    found ? `only: ${found}` : 'no routes',
  );
}

export function checkDnsResolution(nodeName: string, result: DnsLookupResult, nameservers: readonly string[]): void {
  if (result.addresses.length > 0) return;
  const servers = nameservers.length ? `nameservers ${nameservers.join(', ')}` : 'no nameserver in /etc/resolv.conf';
  fail(`resolution of ${result.name} on ${nodeName} (via ${result.via})`, 'at least one address', `none (${servers})`);
}

/** 1280 is the IPv6 minimum; 9216 the largest jumbo frame switches commonly carry. */
export function checkMtu(nodeName: string, ifaces: readonly IpInterface[], min = 1280, max = 9216): void {
  const bad = activeInterfaces(ifaces).filter((i) => i.mtu < min || i.mtu > max);
  expectNone(`MTU of interfaces of ${nodeName} (allowed ${min}..${max})`, bad, (i) => `${i.name} mtu ${i.mtu}`);
}

function ipv4ToInt(a: string): number {
  return a.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
}

function sameSubnet(a: string, b: string, prefix: number): boolean {
  if (prefix === 0) return true;
  const mask = prefix >= 32 ? 0xffffffff : (~0 << (32 - prefix)) >>> 0;
  return (ipv4ToInt(a) & mask) === (ipv4ToInt(b) & mask);
}

export interface PeerPath {
  localInterface: string;
  localAddress: string;
  peerAddress: string;
}

/**
 * Picks the address to reach a peer at: an IPv4 address of the peer in a subnet the local node is
 * directly on, preferring interfaces that do not carry the default route (the private network
 * between test nodes, not QEMU's user-mode NAT where every guest is 10.0.2.15 and ICMP is faked).
 * An address equal to one of our own is never chosen.
 */
export function choosePeerAddress(
  local: readonly IpInterface[],
  peer: readonly IpInterface[],
  localDefaultDevs: readonly string[] = [],
): PeerPath | undefined {
  const own = new Set(local.flatMap((i) => i.addresses.map((a) => a.address)));
  const candidates: (PeerPath & { score: number })[] = [];
  for (const li of activeInterfaces(local)) {
    for (const la of li.addresses.filter((a) => a.family === 'inet' && a.scope === 'global')) {
      for (const pi of activeInterfaces(peer)) {
        for (const pa of pi.addresses.filter((a) => a.family === 'inet' && a.scope === 'global')) {
          if (own.has(pa.address) || !sameSubnet(la.address, pa.address, la.prefixLen)) continue;
          candidates.push({
            localInterface: li.name,
            localAddress: la.address,
            peerAddress: pa.address,
            score: localDefaultDevs.includes(li.name) ? 1 : 0,
          });
        }
      }
    }
  }
  candidates.sort((a, b) => a.score - b.score);
  const best = candidates[0];
  return (
    best && { localInterface: best.localInterface, localAddress: best.localAddress, peerAddress: best.peerAddress }
  );
}

export function checkPeerPath(
  from: string,
  to: string,
  path: PeerPath | undefined,
  peer: readonly IpInterface[],
): PeerPath {
  if (path) return path;
  const addrs = peer.flatMap((i) => globalAddresses(i).map((a) => `${i.name} ${a}`)).join(', ');
  return fail(
    `network path from ${from} to ${to}`,
    'a peer address on a subnet both nodes are on',
    addrs || 'peer has no global address',
  );
}

export function checkPing(from: string, result: PingResult, maxLossPercent = 0): void {
  if (result.error) fail(`ping from ${from} to ${result.target}`, 'replies', result.error);
  expectTrue(
    `ping from ${from} to ${result.target}`,
    result.received > 0 && result.lossPercent <= maxLossPercent,
    `at most ${maxLossPercent}% loss`,
    `${result.lossPercent}% loss (${result.received}/${result.transmitted} replies)`,
  );
}

export function checkThroughput(what: string, result: Iperf3Result, minMbps: number): void {
  expectAtLeast(what, Math.round((result.receivedBitsPerSecond / 1e6) * 10) / 10, minMbps, ' Mbit/s');
}
