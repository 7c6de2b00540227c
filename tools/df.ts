import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface DfEntry {
  source: string;
  fstype: string;
  sizeBytes: number;
  usedBytes: number;
  availBytes: number;
  usePercent: number;
  target: string;
}

/** Parses `df -B1 --output=source,fstype,size,used,avail,pcent,target` (GNU coreutils). */
export function parseDf(text: string): DfEntry[] {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => /^(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+|-)%?\s+(.+)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      source: m[1]!,
      fstype: m[2]!,
      sizeBytes: Number(m[3]),
      usedBytes: Number(m[4]),
      availBytes: Number(m[5]),
      usePercent: m[6] === '-' ? 0 : Number(m[6]),
      target: m[7]!,
    }));
}

/** `df`: filesystem size and usage in bytes. */
export class Df extends Tool {
  readonly command = 'df';
  override readonly packages: PackageNames = { default: 'coreutils' };

  async list(path = ''): Promise<DfEntry[]> {
    const r = await this.runOk(
      `-B1 --output=source,fstype,size,used,avail,pcent,target${path ? ` ${shellQuote(path)}` : ''}`,
      { timeoutMs: 60_000 },
    );
    return parseDf(r.stdout);
  }

  async forPath(path: string): Promise<DfEntry | undefined> {
    return (await this.list(path))[0];
  }
}
