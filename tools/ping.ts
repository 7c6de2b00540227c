import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface PingResult {
  target: string;
  transmitted: number;
  received: number;
  /** 0..100 */
  lossPercent: number;
  /** Milliseconds; absent when nothing came back. */
  rtt?: { min: number; avg: number; max: number; mdev: number };
  /** Set when ping never sent anything: unknown host, no route, permission. */
  error?: string;
}

/** Parses the summary of iputils or busybox ping. */
export function parsePing(text: string, target = ''): PingResult {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(text);
  if (!counts) {
    const error = text.trim().split('\n').filter(Boolean).pop() ?? 'no output';
    return { target, transmitted: 0, received: 0, lossPercent: 100, error };
  }
  const transmitted = Number(counts[1]);
  const received = Number(counts[2]);
  const loss = /([\d.]+)% packet loss/.exec(text);
  const result: PingResult = {
    target,
    transmitted,
    received,
    lossPercent: loss ? Number(loss[1]) : transmitted ? (100 * (transmitted - received)) / transmitted : 100,
  };
  // iputils: "rtt min/avg/max/mdev = a/b/c/d ms"; busybox: "round-trip min/avg/max = a/b/c ms"
  const rtt = /(?:rtt|round-trip) min\/avg\/max(?:\/mdev)? = ([\d.]+)\/([\d.]+)\/([\d.]+)(?:\/([\d.]+))?/.exec(text);
  if (rtt) result.rtt = { min: Number(rtt[1]), avg: Number(rtt[2]), max: Number(rtt[3]), mdev: Number(rtt[4] ?? 0) };
  return result;
}

export interface PingOptions {
  count?: number;
  /** Seconds between packets; below 0.2 needs root. */
  intervalS?: number;
  /** Seconds to wait for each reply. */
  waitS?: number;
  /** Source interface or address. */
  source?: string;
}

/** `ping`: ICMP reachability. Under QEMU user networking (slirp) ICMP is faked: use a private network. */
export class Ping extends Tool {
  readonly command = 'ping';
  override readonly packages: PackageNames = {
    default: 'iputils-ping',
    redhat: 'iputils',
    suse: 'iputils',
    arch: 'iputils',
    mariner: 'iputils',
    azurelinux: 'iputils',
    photon: 'iputils',
  };

  /** Never throws on loss: a lost packet is a result, not an error. */
  async ping(target: string, options: PingOptions = {}): Promise<PingResult> {
    const count = options.count ?? 4;
    const args = [`-c ${count}`, `-i ${options.intervalS ?? 0.2}`, `-W ${options.waitS ?? 2}`];
    if (options.source) args.push(`-I ${shellQuote(options.source)}`);
    const timeoutMs = (count * ((options.intervalS ?? 0.2) + (options.waitS ?? 2)) + 10) * 1000;
    const r = await this.run(`${args.join(' ')} ${shellQuote(target)}`, { noErrorLog: true, timeoutMs });
    return parsePing(`${r.stdout}\n${r.stderr}`, target);
  }
}
