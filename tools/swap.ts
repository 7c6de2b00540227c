import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface SwapArea {
  path: string;
  /** partition or file (zram shows as partition). */
  type: string;
  sizeBytes: number;
  usedBytes: number;
  priority: number;
}

/** Parses /proc/swaps (sizes in KiB). Paths with spaces are escaped as \040 by the kernel. */
export function parseProcSwaps(text: string): SwapArea[] {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 5)
    .map(([path, type, size, used, prio]) => ({
      path: path!.replace(/\\040/g, ' '),
      type: type!,
      sizeBytes: Number(size) * 1024,
      usedBytes: Number(used) * 1024,
      priority: Number(prio),
    }));
}

/** `swapon` / `swapoff` and /proc/swaps. */
export class Swap extends Tool {
  readonly command = 'swapon';
  override readonly needsSudo = true;
  override readonly packages: PackageNames = { default: 'util-linux', alpine: 'util-linux-misc' };

  /** Active swap areas; reading /proc/swaps needs no tool or privilege. */
  async list(): Promise<SwapArea[]> {
    const r = await this.node.execute('cat /proc/swaps', { expectedExitCode: 0, timeoutMs: 30_000 });
    return parseProcSwaps(r.stdout);
  }

  async totalBytes(): Promise<number> {
    return (await this.list()).reduce((s, a) => s + a.sizeBytes, 0);
  }

  async enable(path: string): Promise<void> {
    await this.runOk(shellQuote(path), { timeoutMs: 120_000 });
  }

  async disable(path: string): Promise<void> {
    await this.node.execute(`swapoff ${shellQuote(path)}`, { sudo: true, expectedExitCode: 0, timeoutMs: 10 * 60_000 });
  }
}
