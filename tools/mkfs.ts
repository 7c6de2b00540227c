import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export type FsType = 'ext4' | 'ext3' | 'xfs' | 'btrfs' | 'vfat';

/** The command line that creates a filesystem without prompting (a pre-existing signature is overwritten). */
export function mkfsCommand(fstype: FsType, device: string, label?: string): string {
  const l = label ? ` -L ${shellQuote(label)}` : '';
  switch (fstype) {
    case 'ext4':
    case 'ext3':
      return `mkfs.${fstype} -F -q${l} ${shellQuote(device)}`;
    case 'xfs':
    case 'btrfs':
      return `mkfs.${fstype} -f -q${l} ${shellQuote(device)}`;
    case 'vfat':
      return `mkfs.vfat${label ? ` -n ${shellQuote(label)}` : ''} ${shellQuote(device)}`;
  }
}

/** Packages per filesystem, for ensure(). */
export const MKFS_PACKAGES: Record<FsType, PackageNames> = {
  ext4: { default: 'e2fsprogs' },
  ext3: { default: 'e2fsprogs' },
  xfs: { default: 'xfsprogs' },
  btrfs: { default: 'btrfs-progs', debian: 'btrfs-progs' },
  vfat: { default: 'dosfstools' },
};

/** `mkfs.<type>`: creates filesystems. One instance per node; the filesystem is an argument. */
export class Mkfs extends Tool {
  readonly command = 'mkfs';
  override readonly needsSudo = true;
  override readonly packages: PackageNames = { default: 'util-linux' };

  async format(device: string, fstype: FsType = 'ext4', label?: string): Promise<void> {
    await this.ensureFs(fstype);
    await this.node.execute(mkfsCommand(fstype, device, label), {
      sudo: true,
      expectedExitCode: 0,
      timeoutMs: 10 * 60_000,
    });
  }

  /** mkfs.xfs lives in a different package than mkfs.ext4: install the right one on demand. */
  private async ensureFs(fstype: FsType): Promise<void> {
    const probe = await this.node.execute(`PATH="$PATH:/usr/sbin:/sbin" command -v mkfs.${fstype}`, {
      noErrorLog: true,
      timeoutMs: 30_000,
    });
    if (probe.exitCode === 0) return;
    const os = await this.node.os();
    const spec = MKFS_PACKAGES[fstype];
    const pkg = os.families.map((f) => spec[f]).find(Boolean) ?? spec.default;
    const { packageManagerFor } = await import('../src/os/package-manager.js');
    await (await packageManagerFor(this.node)).install(Array.isArray(pkg) ? pkg : [pkg as string]);
  }
}
