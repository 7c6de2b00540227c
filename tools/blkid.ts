import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface BlkidEntry {
  device: string;
  uuid: string;
  type: string;
  label: string;
  partuuid: string;
  partlabel: string;
  /** Every tag blkid printed (UUID, TYPE, BLOCK_SIZE, PTTYPE...). */
  tags: Record<string, string>;
}

/** Parses `blkid -o export`: blank-line separated blocks of KEY=value, DEVNAME first. */
export function parseBlkidExport(text: string): BlkidEntry[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => {
      const tags: Record<string, string> = {};
      for (const line of block.split('\n')) {
        const i = line.indexOf('=');
        if (i > 0)
          tags[line.slice(0, i).trim()] = line
            .slice(i + 1)
            .trim()
            .replace(/\\(.)/g, '$1');
      }
      return tags;
    })
    .filter((t) => t.DEVNAME)
    .map((tags) => ({
      device: tags.DEVNAME!,
      uuid: tags.UUID ?? '',
      type: tags.TYPE ?? '',
      label: tags.LABEL ?? '',
      partuuid: tags.PARTUUID ?? '',
      partlabel: tags.PARTLABEL ?? '',
      tags,
    }));
}

/**
 * Finds the device an fstab-style spec names (`UUID=`, `LABEL=`, `PARTUUID=`, `PARTLABEL=` or a
 * path) among blkid entries; undefined when nothing matches.
 */
export function resolveSpec(spec: string, entries: readonly BlkidEntry[]): BlkidEntry | undefined {
  const m = /^(UUID|LABEL|PARTUUID|PARTLABEL)=(.*)$/.exec(spec);
  if (!m) return entries.find((e) => e.device === spec);
  const value = m[2]!.replace(/^"(.*)"$/, '$1');
  const key = m[1]!.toLowerCase() as 'uuid' | 'label' | 'partuuid' | 'partlabel';
  return entries.find((e) => e[key].toLowerCase() === value.toLowerCase());
}

/** `blkid`: filesystem UUIDs, labels and types. Needs root to probe devices instead of reading a stale cache. */
export class Blkid extends Tool {
  readonly command = 'blkid';
  override readonly needsSudo = true;
  override readonly packages: PackageNames = { default: 'util-linux', debian: 'util-linux', alpine: 'blkid' };

  /** Every device with a recognised signature. blkid exits 2 when it finds nothing. */
  async list(device = ''): Promise<BlkidEntry[]> {
    const r = await this.run(`-c /dev/null -o export${device ? ` ${shellQuote(device)}` : ''}`, {
      expectedExitCode: [0, 2],
      timeoutMs: 60_000,
    });
    return parseBlkidExport(r.stdout);
  }

  async resolve(spec: string): Promise<BlkidEntry | undefined> {
    return resolveSpec(spec, await this.list());
  }
}
