import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';
import type { MountEntry } from './findmnt.js';

/** Decodes the octal escapes /proc/mounts uses for spaces, tabs and backslashes (`\040`). */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Parses /proc/mounts (or /proc/self/mounts, `/etc/mtab`). */
export function parseProcMounts(text: string): MountEntry[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4)
    .map(([source, target, fstype, options]) => ({
      source: unescapeMount(source!),
      target: unescapeMount(target!),
      fstype: fstype!,
      options: options!.split(','),
    }));
}

/** `mount` / `umount`: attach and detach filesystems (with sudo). */
export class Mount extends Tool {
  readonly command = 'mount';
  override readonly needsSudo = true;
  override readonly packages: PackageNames = { default: 'util-linux', alpine: 'util-linux-misc' };

  /** Mounts `source` on `target`, creating the directory first. */
  async mount(source: string, target: string, options: { fstype?: string; options?: string[] } = {}): Promise<void> {
    await this.ensure();
    await this.node.execute(`mkdir -p ${shellQuote(target)}`, { sudo: true, expectedExitCode: 0 });
    const t = options.fstype ? ` -t ${shellQuote(options.fstype)}` : '';
    const o = options.options?.length ? ` -o ${shellQuote(options.options.join(','))}` : '';
    await this.runOk(`${t.trim()}${o} ${shellQuote(source)} ${shellQuote(target)}`.trim(), { timeoutMs: 120_000 });
  }

  async unmount(target: string, options: { lazy?: boolean } = {}): Promise<void> {
    await this.node.execute(`umount ${options.lazy ? '-l ' : ''}${shellQuote(target)}`, {
      sudo: true,
      expectedExitCode: 0,
      timeoutMs: 120_000,
    });
  }

  /** The kernel's mount table from /proc/mounts (always present, unlike findmnt on minimal images). */
  async list(): Promise<MountEntry[]> {
    const r = await this.node.execute('cat /proc/mounts', { expectedExitCode: 0, timeoutMs: 30_000 });
    return parseProcMounts(r.stdout);
  }

  async isMounted(target: string): Promise<boolean> {
    return (await this.list()).some((m) => m.target === target);
  }
}
