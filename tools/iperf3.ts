import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface Iperf3Result {
  /** Bits per second as the sender saw them. */
  sentBitsPerSecond: number;
  /** Bits per second that arrived: the number to report. */
  receivedBitsPerSecond: number;
  /** TCP retransmits on the sender; undefined for UDP or when the receiver ran the test. */
  retransmits?: number;
  bytes: number;
  seconds: number;
  /** UDP only. */
  lostPercent?: number;
  /** iperf3's own error (`unable to connect to server: Connection refused`). */
  error?: string;
}

/** Parses `iperf3 -J` output of a client (or of a server with --logfile). */
export function parseIperf3Json(text: string): Iperf3Result {
  const start = text.indexOf('{');
  if (start < 0) throw new Error(`iperf3 -J: no JSON in output: ${text.trim().slice(0, 200)}`);
  const doc = JSON.parse(text.slice(start)) as {
    end?: {
      sum_sent?: { bits_per_second?: number; retransmits?: number; bytes?: number; seconds?: number };
      sum_received?: { bits_per_second?: number; bytes?: number; seconds?: number };
      sum?: { bits_per_second?: number; bytes?: number; seconds?: number; lost_percent?: number };
    };
    error?: string;
  };
  const end = doc.end ?? {};
  const sent = end.sum_sent ?? end.sum ?? {};
  const received = end.sum_received ?? end.sum ?? {};
  const result: Iperf3Result = {
    sentBitsPerSecond: sent.bits_per_second ?? 0,
    receivedBitsPerSecond: received.bits_per_second ?? 0,
    bytes: received.bytes ?? sent.bytes ?? 0,
    seconds: received.seconds ?? sent.seconds ?? 0,
  };
  if (typeof end.sum_sent?.retransmits === 'number') result.retransmits = end.sum_sent.retransmits;
  if (typeof end.sum?.lost_percent === 'number') result.lostPercent = end.sum.lost_percent;
  if (doc.error) result.error = doc.error;
  return result;
}

export interface Iperf3ClientOptions {
  port?: number;
  seconds?: number;
  parallel?: number;
  /** Server sends, client receives. */
  reverse?: boolean;
  udp?: boolean;
  /** Target bitrate, e.g. `100M` (UDP defaults to 1M without it). */
  bitrate?: string;
  bind?: string;
}

/** `iperf3`: network throughput between two nodes. */
export class Iperf3 extends Tool {
  readonly command = 'iperf3';
  override readonly packages: PackageNames = { default: 'iperf3' };

  private pidFile(port: number): string {
    return `/tmp/lisa-iperf3-${port}.pid`;
  }

  /** Starts a daemonised server that serves `oneOff` tests (default 1) then exits. */
  async startServer(port = 5201, options: { oneOff?: boolean; bind?: string } = {}): Promise<void> {
    const args = ['-s', '-D', `-p ${port}`, `-I ${this.pidFile(port)}`];
    if (options.oneOff ?? true) args.push('-1');
    if (options.bind) args.push(`-B ${shellQuote(options.bind)}`);
    await this.runOk(args.join(' '), { timeoutMs: 30_000 });
    // -D returns before the socket is bound; wait (at most 5 s) so the client does not race it.
    await this.node.execute(
      `for i in $(seq 1 50); do ss -H -ltn 2>/dev/null | grep -q ':${port} ' && exit 0; sleep 0.1; done; exit 0`,
      { timeoutMs: 30_000, noErrorLog: true },
    );
  }

  /** Stops a server started by startServer (no-op when it already exited). */
  async stopServer(port = 5201): Promise<void> {
    const f = this.pidFile(port);
    await this.node.execute(`[ -f ${f} ] && kill "$(cat ${f})" 2>/dev/null; rm -f ${f}; true`, { noErrorLog: true });
  }

  /** Runs a client test; throws with iperf3's own message when the test did not run. */
  async client(server: string, options: Iperf3ClientOptions = {}): Promise<Iperf3Result> {
    const seconds = options.seconds ?? 10;
    const args = ['-J', `-c ${shellQuote(server)}`, `-p ${options.port ?? 5201}`, `-t ${seconds}`];
    if (options.parallel) args.push(`-P ${options.parallel}`);
    if (options.reverse) args.push('-R');
    if (options.udp) args.push('-u');
    if (options.bitrate) args.push(`-b ${shellQuote(options.bitrate)}`);
    if (options.bind) args.push(`-B ${shellQuote(options.bind)}`);
    const r = await this.run(args.join(' '), { timeoutMs: (seconds + 60) * 1000, noErrorLog: true });
    const result = parseIperf3Json(r.stdout);
    if (result.error) throw new Error(`iperf3 client to ${server} on ${this.node.name} failed: ${result.error}`);
    return result;
  }
}
