import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface UnameInfo {
  kernelName: string;
  nodename: string;
  kernelRelease: string;
  kernelVersion: string;
  machine: string;
  operatingSystem: string;
}

const ARGS = ['-s', '-n', '-r', '-v', '-m', '-o'] as const;

/** Parses one line per flag of `uname -s; uname -n; uname -r; uname -v; uname -m; uname -o`. */
export function parseUname(text: string): UnameInfo {
  const [s = '', n = '', r = '', v = '', m = '', o = ''] = text.split('\n').map((l) => l.trim());
  return { kernelName: s, nodename: n, kernelRelease: r, kernelVersion: v, machine: m, operatingSystem: o };
}

/** `uname`: kernel name, release, version and machine. One flag per line because -v contains spaces. */
export class Uname extends Tool {
  readonly command = 'uname';
  override readonly packages: PackageNames = { default: 'coreutils' };

  async info(): Promise<UnameInfo> {
    await this.ensure();
    // busybox uname has no -o: the `|| echo` keeps one line per flag.
    const script = ARGS.map((a) => `uname ${a} 2>/dev/null || echo`).join('; ');
    const r = await this.node.execute(script, { expectedExitCode: 0, timeoutMs: 30_000 });
    return parseUname(r.stdout);
  }

  async release(): Promise<string> {
    return (await this.runOk('-r', { timeoutMs: 30_000 })).stdout.trim();
  }
}
