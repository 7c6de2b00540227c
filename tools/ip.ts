import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface IpAddress {
  family: 'inet' | 'inet6';
  address: string;
  prefixLen: number;
  scope: string;
}

export interface IpInterface {
  name: string;
  index: number;
  /** Kernel operational state: UP, DOWN, UNKNOWN (loopback and some virtual links report UNKNOWN). */
  state: string;
  flags: string[];
  mtu: number;
  mac: string;
  linkType: string;
  /** Virtual link kind from `ip -d` (bridge, veth, tun, ifb, vlan, ...); absent for hardware NICs. */
  kind?: string;
  /** Bus of a hardware NIC from `ip -d` (pci, virtio, vmbus). */
  parentBus?: string;
  addresses: IpAddress[];
}

export interface IpRoute {
  /** `default` or a prefix such as `10.0.2.0/24`. */
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  scope?: string;
  prefsrc?: string;
  metric?: number;
}

interface RawAddrInfo {
  family?: string;
  local?: string;
  prefixlen?: number;
  scope?: string;
}
interface RawLink {
  ifindex?: number;
  ifname?: string;
  flags?: string[];
  mtu?: number;
  operstate?: string;
  address?: string;
  link_type?: string;
  linkinfo?: { info_kind?: string };
  parentbus?: string;
  addr_info?: RawAddrInfo[];
}

function parseJsonArray<T>(text: string, what: string): T[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const parsed: unknown = JSON.parse(trimmed);
  if (!Array.isArray(parsed)) throw new Error(`${what}: expected a JSON array`);
  // `ip -j addr` prints empty objects for interfaces filtered out by family.
  return (parsed as T[]).filter((x) => x && typeof x === 'object' && Object.keys(x).length > 0);
}

/** Parses `ip -j addr` (or `ip -j link`: interfaces without addr_info get no addresses). */
export function parseIpAddr(text: string): IpInterface[] {
  return parseJsonArray<RawLink>(text, 'ip -j addr').map((l) =>
    withDetails(l, {
      name: l.ifname ?? '',
      index: l.ifindex ?? 0,
      state: l.operstate ?? 'UNKNOWN',
      flags: l.flags ?? [],
      mtu: l.mtu ?? 0,
      mac: l.address ?? '',
      linkType: l.link_type ?? '',
      addresses: (l.addr_info ?? [])
        .filter((a) => a.local && (a.family === 'inet' || a.family === 'inet6'))
        .map((a) => ({
          family: a.family as 'inet' | 'inet6',
          address: a.local as string,
          prefixLen: a.prefixlen ?? 0,
          scope: a.scope ?? '',
        })),
    }),
  );
}

function withDetails(raw: RawLink, i: IpInterface): IpInterface {
  if (raw.linkinfo?.info_kind) i.kind = raw.linkinfo.info_kind;
  if (raw.parentbus) i.parentBus = raw.parentbus;
  return i;
}

export const parseIpLink = parseIpAddr;

/** Parses `ip -j route`. */
export function parseIpRoute(text: string): IpRoute[] {
  return parseJsonArray<Record<string, unknown>>(text, 'ip -j route').map((r) => {
    const route: IpRoute = { dst: typeof r.dst === 'string' ? r.dst : '' };
    if (typeof r.gateway === 'string') route.gateway = r.gateway;
    if (typeof r.dev === 'string') route.dev = r.dev;
    if (typeof r.protocol === 'string') route.protocol = r.protocol;
    if (typeof r.scope === 'string') route.scope = r.scope;
    if (typeof r.prefsrc === 'string') route.prefsrc = r.prefsrc;
    if (typeof r.metric === 'number') route.metric = r.metric;
    return route;
  });
}

/** True when an interface is administratively up and has carrier (loopback reports UNKNOWN). */
export function isInterfaceUp(i: IpInterface): boolean {
  return i.flags.includes('UP') && (i.state === 'UP' || (i.state === 'UNKNOWN' && i.flags.includes('LOWER_UP')));
}

/** `ip` from iproute2: addresses, links and routes as JSON. */
export class Ip extends Tool {
  readonly command = 'ip';
  override readonly packages: PackageNames = {
    default: 'iproute2',
    redhat: 'iproute',
    mariner: 'iproute',
    azurelinux: 'iproute',
  };

  async addresses(iface?: string): Promise<IpInterface[]> {
    const r = await this.runOk(`-d -j addr show${iface ? ` dev ${shellQuote(iface)}` : ''}`);
    return parseIpAddr(r.stdout);
  }

  async links(): Promise<IpInterface[]> {
    return parseIpLink((await this.runOk('-d -j link show')).stdout);
  }

  async routes(family: 4 | 6 = 4): Promise<IpRoute[]> {
    return parseIpRoute((await this.runOk(`-${family} -j route show`)).stdout);
  }

  async defaultRoutes(family: 4 | 6 = 4): Promise<IpRoute[]> {
    return (await this.routes(family)).filter((r) => r.dst === 'default');
  }
}
