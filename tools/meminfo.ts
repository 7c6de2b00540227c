import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface MemInfo {
  totalBytes: number;
  freeBytes: number;
  /** MemAvailable (kernel ≥ 3.14); falls back to free + buffers + cached. */
  availableBytes: number;
  swapTotalBytes: number;
  swapFreeBytes: number;
  hugePagesTotal: number;
  hugePagesFree: number;
  hugePageSizeBytes: number;
  /** Every line in bytes (values with a `kB` unit multiplied) or as a plain count (HugePages_*). */
  raw: Record<string, number>;
}

/** Parses /proc/meminfo. */
export function parseMeminfo(text: string): MemInfo {
  const raw: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):\s+(\d+)(?:\s+(kB))?/.exec(line);
    if (m) raw[m[1]!] = Number(m[2]) * (m[3] ? 1024 : 1);
  }
  const g = (k: string) => raw[k] ?? 0;
  return {
    totalBytes: g('MemTotal'),
    freeBytes: g('MemFree'),
    availableBytes: raw.MemAvailable ?? g('MemFree') + g('Buffers') + g('Cached'),
    swapTotalBytes: g('SwapTotal'),
    swapFreeBytes: g('SwapFree'),
    hugePagesTotal: g('HugePages_Total'),
    hugePagesFree: g('HugePages_Free'),
    hugePageSizeBytes: g('Hugepagesize'),
    raw,
  };
}

/** /proc/meminfo: memory, swap and huge page counters straight from the kernel. */
export class Meminfo extends Tool {
  readonly command = 'cat';
  override readonly packages: PackageNames = { default: 'coreutils' };

  async read(): Promise<MemInfo> {
    const r = await this.runOk('/proc/meminfo', { timeoutMs: 30_000 });
    return parseMeminfo(r.stdout);
  }
}
