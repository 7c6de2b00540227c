import { defineSuite } from '../../src/testing/define.js';
import { textVariable } from '../../src/testing/variables.js';
import type { CaseContext } from '../../src/testing/types.js';
import type { Node } from '../../src/node/types.js';
import { DnsLookup } from '../../tools/dns.js';
import { Ip } from '../../tools/ip.js';
import { Iperf3 } from '../../tools/iperf3.js';
import { Ping } from '../../tools/ping.js';
import { ResolvConfFile } from '../../tools/resolv-conf.js';
import {
  checkDefaultRoute,
  checkDnsResolution,
  checkInterfacesUp,
  checkMtu,
  checkPeerPath,
  checkPing,
  checkThroughput,
  choosePeerAddress,
  type PeerPath,
} from './checks.js';

async function peerPath(ctx: CaseContext): Promise<{ from: Node; to: Node; path: PeerPath }> {
  const [from, to] = ctx.nodes as [Node, Node];
  const ip = ctx.tool(Ip, from);
  const local = await ip.addresses();
  const peer = await ctx.tool(Ip, to).addresses();
  const defaultDevs = (await ip.defaultRoutes()).map((r) => r.dev ?? '');
  const override = ctx.variables.peer_address;
  const path =
    typeof override === 'string' && override
      ? { localInterface: '', localAddress: '', peerAddress: override }
      : checkPeerPath(from.name, to.name, choosePeerAddress(local, peer, defaultDevs), peer);
  ctx.log.info(`path ${from.name} ${path.localInterface} ${path.localAddress} -> ${to.name} ${path.peerAddress}`);
  return { from, to, path };
}

/**
 * Basic networking of an image, and between two nodes. Variables: `dns_name` (default
 * deb.debian.org), `peer_address` (skip discovery), `ping_max_loss_percent` (default 0),
 * `iperf3_seconds` (10), `iperf3_min_mbps` (1).
 */
export default defineSuite({
  name: 'network',
  area: 'network',
  category: 'functional',
  description: 'interfaces, routes, DNS, MTU; reachability and throughput between two nodes',
  tags: ['network'],
  owner: 'lisa-ts',
  requirement: { supportedOs: ['linux'] },
  cases: [
    {
      name: 'interfaces_up',
      priority: 0,
      timeoutMs: 300_000,
      description: 'interfaces configured up have link, and one has a global address',
      async run(ctx) {
        checkInterfacesUp(ctx.node.name, await ctx.tool(Ip).addresses());
      },
    },
    {
      name: 'default_route',
      priority: 0,
      timeoutMs: 300_000,
      description: 'an IPv4 default route exists',
      async run(ctx) {
        checkDefaultRoute(ctx.node.name, await ctx.tool(Ip).routes(4));
      },
    },
    {
      name: 'dns_resolution',
      priority: 1,
      timeoutMs: 300_000,
      description: 'a public name resolves through the system resolver (NSS)',
      async run(ctx) {
        const name = textVariable(ctx.variables, 'dns_name', 'deb.debian.org');
        const conf = await ctx
          .tool(ResolvConfFile)
          .read()
          .catch(() => undefined);
        const result = await ctx.tool(DnsLookup).lookup(name);
        ctx.log.info(`${name} -> ${result.addresses.join(', ') || 'nothing'} (via ${result.via})`);
        checkDnsResolution(ctx.node.name, result, conf?.nameservers ?? []);
      },
    },
    {
      name: 'mtu',
      priority: 1,
      timeoutMs: 300_000,
      description: 'MTU of active interfaces within 1280..9216',
      async run(ctx) {
        checkMtu(ctx.node.name, await ctx.tool(Ip).addresses());
      },
    },
    {
      name: 'peer_reachable',
      priority: 1,
      timeoutMs: 600_000,
      description: 'node 1 reaches node 2 by ICMP on a network they share (not through user-mode NAT)',
      requirement: { nodes: 2 },
      async run(ctx) {
        const { from, path } = await peerPath(ctx);
        const result = await ctx.tool(Ping, from).ping(path.peerAddress, { count: 10 });
        if (result.rtt) ctx.metric('ping_rtt_avg', result.rtt.avg, 'ms', { higherIsBetter: false });
        checkPing(from.name, result, Number(ctx.variables.ping_max_loss_percent ?? 0));
      },
    },
    {
      name: 'iperf3_throughput',
      priority: 2,
      timeoutMs: 900_000,
      tags: ['performance'],
      description: 'TCP throughput from node 1 to node 2 with iperf3, reported as a metric',
      requirement: { nodes: 2 },
      async run(ctx) {
        const { from, to, path } = await peerPath(ctx);
        const port = Number(ctx.variables.iperf3_port ?? 5201);
        const server = ctx.tool(Iperf3, to);
        await ctx.tool(Iperf3, from).ensure();
        await server.startServer(port);
        try {
          const r = await ctx
            .tool(Iperf3, from)
            .client(path.peerAddress, { port, seconds: Number(ctx.variables.iperf3_seconds ?? 10) });
          ctx.metric('tcp_throughput', r.receivedBitsPerSecond / 1e6, 'Mbit/s', { higherIsBetter: true });
          if (r.retransmits !== undefined) ctx.metric('tcp_retransmits', r.retransmits, '', { higherIsBetter: false });
          checkThroughput(`TCP throughput ${from.name} -> ${to.name}`, r, Number(ctx.variables.iperf3_min_mbps ?? 1));
        } finally {
          await server.stopServer(port);
        }
      },
    },
  ],
});
