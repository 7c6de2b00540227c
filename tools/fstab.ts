import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface FstabEntry {
  /** 1-based line in the file, for messages. */
  line: number;
  /** First field as written: `UUID=...`, `LABEL=...`, `/dev/sda1`, `tmpfs`... */
  spec: string;
  /** Mount point, or `none`/`swap` for swap entries. */
  file: string;
  vfstype: string;
  options: string[];
  dump: number;
  pass: number;
}

/** Parses /etc/fstab. Comments and blank lines are skipped; octal escapes (`\040`) are decoded. */
export function parseFstab(text: string): FstabEntry[] {
  const out: FstabEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const f = line
      .split(/\s+/)
      .map((s) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
    if (f.length < 2) return;
    out.push({
      line: i + 1,
      spec: f[0]!,
      file: f[1]!,
      vfstype: f[2] ?? 'auto',
      options: (f[3] ?? 'defaults').split(','),
      dump: Number(f[4] ?? 0),
      pass: Number(f[5] ?? 0),
    });
  });
  return out;
}

/** Filesystems that are not backed by a block device, so their spec never resolves to one. */
export const VIRTUAL_FS = new Set([
  'proc',
  'sysfs',
  'tmpfs',
  'devpts',
  'devtmpfs',
  'securityfs',
  'cgroup',
  'cgroup2',
  'debugfs',
  'hugetlbfs',
  'mqueue',
  'configfs',
  'efivarfs',
  'pstore',
  'bpf',
  'tracefs',
  'fusectl',
  'binfmt_misc',
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  '9p',
  'virtiofs',
  'overlay',
  'none',
  'fuse',
  'fuse.sshfs',
]);

export function isSwapEntry(e: FstabEntry): boolean {
  return e.vfstype === 'swap';
}

/** `noauto` and `nofail` entries are allowed to be absent at boot. */
export function isOptional(e: FstabEntry): boolean {
  return e.options.includes('noauto') || e.options.includes('nofail');
}

/** /etc/fstab as typed entries. */
export class Fstab extends Tool {
  readonly command = 'cat';
  override readonly packages: PackageNames = { default: 'coreutils' };

  async read(path = '/etc/fstab'): Promise<FstabEntry[]> {
    const r = await this.run(path, { noErrorLog: true, timeoutMs: 30_000 });
    // Some images (containers, Flatcar) have no fstab: that is an empty table, not an error.
    if (r.exitCode !== 0) return [];
    return parseFstab(r.stdout);
  }

  /** Which of `paths` exist on the node (mount points, swap files, device nodes). */
  async existing(paths: readonly string[]): Promise<Set<string>> {
    if (paths.length === 0) return new Set();
    const script = `for p in ${paths.map(shellQuote).join(' ')}; do [ -e "$p" ] && printf '%s\\n' "$p"; done; true`;
    const r = await this.node.execute(script, { sudo: true, expectedExitCode: 0, timeoutMs: 60_000 });
    return new Set(r.stdout.split('\n').filter(Boolean));
  }
}
