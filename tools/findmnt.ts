import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface MountEntry {
  target: string;
  source: string;
  fstype: string;
  options: string[];
}

interface RawFs {
  target?: string;
  source?: string;
  fstype?: string;
  options?: string;
  children?: RawFs[];
}

/** Parses `findmnt -J -o TARGET,SOURCE,FSTYPE,OPTIONS` (tree or `-l` list) into a flat list. */
export function parseFindmntJson(text: string): MountEntry[] {
  if (!text.trim()) return [];
  const parsed = JSON.parse(text) as { filesystems?: RawFs[] };
  const out: MountEntry[] = [];
  const walk = (list: RawFs[]) => {
    for (const f of list) {
      out.push({
        target: f.target ?? '',
        source: f.source ?? '',
        fstype: f.fstype ?? '',
        options: (f.options ?? '').split(',').filter(Boolean),
      });
      if (f.children) walk(f.children);
    }
  };
  walk(parsed.filesystems ?? []);
  return out;
}

/** True when the mount is read-write. */
export function isReadWrite(m: MountEntry): boolean {
  return m.options.includes('rw') && !m.options.includes('ro');
}

/** `findmnt`: the kernel's mount table as JSON. */
export class Findmnt extends Tool {
  readonly command = 'findmnt';
  override readonly packages: PackageNames = { default: 'util-linux' };

  async list(): Promise<MountEntry[]> {
    const r = await this.runOk('-J -o TARGET,SOURCE,FSTYPE,OPTIONS', { timeoutMs: 30_000 });
    return parseFindmntJson(r.stdout);
  }

  /** The mount that holds `path` (`findmnt -T`), or undefined when findmnt finds none. */
  async forPath(path: string): Promise<MountEntry | undefined> {
    const r = await this.run(`-J -o TARGET,SOURCE,FSTYPE,OPTIONS -T ${shellQuote(path)}`, {
      expectedExitCode: [0, 1],
      timeoutMs: 30_000,
    });
    return parseFindmntJson(r.stdout)[0];
  }

  /** The mount whose target is exactly `mountpoint`. */
  async at(mountpoint: string): Promise<MountEntry | undefined> {
    const r = await this.run(`-J -o TARGET,SOURCE,FSTYPE,OPTIONS --mountpoint ${shellQuote(mountpoint)}`, {
      expectedExitCode: [0, 1],
      timeoutMs: 30_000,
    });
    return parseFindmntJson(r.stdout)[0];
  }
}
