import { Tool, type PackageNames } from '../src/tool/tool.js';
import { parseMeminfo } from './meminfo.js';

export interface HugePagesState {
  /** /proc/sys/vm/nr_hugepages: the persistent pool size requested. */
  nrHugepages: number;
  total: number;
  free: number;
  reserved: number;
  surplus: number;
  /** Default huge page size (Hugepagesize), usually 2 MiB on x86_64. */
  pageSizeBytes: number;
}

const SCRIPT = 'cat /proc/sys/vm/nr_hugepages; echo ---; cat /proc/meminfo';

/** Parses the output of `cat /proc/sys/vm/nr_hugepages; echo ---; cat /proc/meminfo`. */
export function parseHugePages(text: string): HugePagesState {
  const [nr = '', meminfo = ''] = text.split(/^---$/m);
  const m = parseMeminfo(meminfo);
  return {
    nrHugepages: Number(nr.trim()),
    total: m.hugePagesTotal,
    free: m.hugePagesFree,
    reserved: m.raw.HugePages_Rsvd ?? 0,
    surplus: m.raw.HugePages_Surp ?? 0,
    pageSizeBytes: m.hugePageSizeBytes,
  };
}

/** The default-size huge page pool: read it, and resize it at runtime. */
export class HugePages extends Tool {
  readonly command = 'cat';
  override readonly packages: PackageNames = { default: 'coreutils' };

  async read(): Promise<HugePagesState> {
    return parseHugePages((await this.node.execute(SCRIPT, { expectedExitCode: 0, timeoutMs: 30_000 })).stdout);
  }

  /**
   * Asks for `count` pages and returns the state afterwards. The kernel may allocate fewer when
   * memory is fragmented: compare `total` with what was asked.
   */
  async set(count: number): Promise<HugePagesState> {
    if (!Number.isInteger(count) || count < 0)
      throw new Error(`huge page count must be a non-negative integer, got ${count}`);
    await this.node.execute(`sh -c 'echo ${count} > /proc/sys/vm/nr_hugepages'`, {
      sudo: true,
      expectedExitCode: 0,
      timeoutMs: 120_000,
    });
    return this.read();
  }
}
