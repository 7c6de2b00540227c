import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface FreeRow {
  total: number;
  used: number;
  free: number;
  shared?: number;
  buffCache?: number;
  available?: number;
}

export interface FreeOutput {
  mem: FreeRow;
  swap: FreeRow;
}

/** Parses `free -b` (procps-ng ≥ 3.3.10 layout; older `-/+ buffers/cache` lines are ignored). */
export function parseFree(text: string): FreeOutput {
  const lines = text.trim().split('\n');
  const header = (lines[0] ?? '').trim().split(/\s+/);
  const row = (label: string): FreeRow => {
    const line = lines.find((l) => l.startsWith(label));
    if (!line) throw new Error(`free: no ${label} line in ${JSON.stringify(text.slice(0, 200))}`);
    const nums = line.slice(label.length).trim().split(/\s+/).map(Number);
    const out: Record<string, number> = {};
    header.forEach((h, i) => {
      if (nums[i] !== undefined) out[h === 'buff/cache' ? 'buffCache' : h] = nums[i]!;
    });
    return {
      total: out.total ?? 0,
      used: out.used ?? 0,
      free: out.free ?? 0,
      shared: out.shared,
      buffCache: out.buffCache,
      available: out.available,
    };
  };
  return { mem: row('Mem:'), swap: row('Swap:') };
}

/** `free -b`: memory and swap totals in bytes. */
export class Free extends Tool {
  readonly command = 'free';
  override readonly packages: PackageNames = {
    default: 'procps',
    alpine: 'procps-ng',
    arch: 'procps-ng',
    photon: 'procps-ng',
  };

  async read(): Promise<FreeOutput> {
    const r = await this.runOk('-b', { timeoutMs: 30_000 });
    return parseFree(r.stdout);
  }
}
