import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface PartitionTable {
  device: string;
  sizeBytes: number;
  /** gpt, msdos, loop (a filesystem on the whole disk) or unknown. */
  label: string;
  model: string;
  partitions: {
    number: number;
    startBytes: number;
    endBytes: number;
    sizeBytes: number;
    fstype: string;
    name: string;
    flags: string[];
  }[];
}

const bytes = (s: string) => Number(s.replace(/B$/, ''));

/**
 * Parses `parted -s -m DEV unit B print`: a `BYT;` line, the disk line
 * `path:size:transport:logical:physical:label:model:flags;`, then one line per partition
 * `number:start:end:size:fs:name:flags;`.
 */
export function parsePartedMachine(text: string): PartitionTable {
  const lines = text
    .trim()
    .split('\n')
    .map((l) => l.trim().replace(/;$/, ''))
    .filter((l) => l && l !== 'BYT' && l !== 'CHS' && l !== 'CYL');
  const disk = (lines.shift() ?? '').split(':');
  return {
    device: disk[0] ?? '',
    sizeBytes: bytes(disk[1] ?? '0'),
    label: disk[5] ?? 'unknown',
    model: disk[6] ?? '',
    partitions: lines.map((l) => {
      const f = l.split(':');
      return {
        number: Number(f[0]),
        startBytes: bytes(f[1] ?? '0'),
        endBytes: bytes(f[2] ?? '0'),
        sizeBytes: bytes(f[3] ?? '0'),
        fstype: f[4] ?? '',
        name: f[5] ?? '',
        flags: (f[6] ?? '')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      };
    }),
  };
}

/** The device node of partition `n` of `disk`: /dev/sdb → /dev/sdb1, /dev/nvme0n1 → /dev/nvme0n1p1. */
export function partitionPath(disk: string, n: number): string {
  return /\d$/.test(disk) ? `${disk}p${n}` : `${disk}${n}`;
}

/** `parted`: partition tables, scripted (`-s`) and machine-readable (`-m`). */
export class Parted extends Tool {
  readonly command = 'parted';
  override readonly needsSudo = true;
  override readonly packages: PackageNames = { default: 'parted' };

  async print(device: string): Promise<PartitionTable> {
    // A blank disk makes parted exit 1 with "unrecognised disk label" but still print the disk line.
    const r = await this.run(`-s -m ${shellQuote(device)} unit B print`, {
      expectedExitCode: [0, 1],
      noErrorLog: true,
      timeoutMs: 60_000,
    });
    return parsePartedMachine(r.stdout);
  }

  /**
   * Writes a new label and one partition spanning the disk, waits for udev, and returns the
   * partition's device node. Destroys everything on the disk.
   */
  async partitionWhole(device: string, label: 'gpt' | 'msdos' = 'gpt', fstype = 'ext4'): Promise<string> {
    await this.runOk(`-s -a optimal ${shellQuote(device)} mklabel ${label} mkpart primary ${fstype} 1MiB 100%`, {
      timeoutMs: 120_000,
    });
    await this.node.execute(`partprobe ${shellQuote(device)} 2>/dev/null; udevadm settle 2>/dev/null; true`, {
      sudo: true,
      timeoutMs: 60_000,
    });
    return partitionPath(device, 1);
  }

  /** Removes filesystem signatures from the partitions, then the partition table itself. */
  async wipe(device: string): Promise<void> {
    const d = shellQuote(device);
    // Partitions first (lsblk lists the disk first, so reverse), or their signatures survive the table.
    const script = `wipefs -a $(lsblk -nrpo NAME ${d} | tac) && (partprobe ${d} 2>/dev/null; udevadm settle 2>/dev/null; true)`;
    await this.node.execute(script, { sudo: true, expectedExitCode: 0, timeoutMs: 120_000 });
  }
}
