import { join } from 'node:path';
import type { Feature } from '../types.js';
import type { NodeRef } from './features.js';
import type { QemuGuest } from './guest.js';

/**
 * The boot entry of a direct-boot (`-kernel`/`-initrd`) guest: there is no boot loader inside to
 * change, so "make this kernel the default" means booting the node's own installed kernel and
 * initrd from now on, which this feature does by copying them out of the guest's /boot.
 */
export class KernelBoot implements Feature {
  readonly name = 'KernelBoot';
  constructor(
    private readonly guests: QemuGuest[],
    private readonly signal: () => AbortSignal,
  ) {}

  /** The kernel file the node boots now (a host path). */
  current(node?: NodeRef): string | undefined {
    return this.pick(node).init.spec.kernel;
  }

  /** Boots `/boot/vmlinuz-<release>` with `/boot/initrd.img-<release>` of the node from its next start on. */
  async setDefault(release: string, node?: NodeRef): Promise<void> {
    const g = this.pick(node);
    const n = g.node!;
    const files = { kernel: `/boot/vmlinuz-${release}`, initrd: `/boot/initrd.img-${release}` };
    const out: Record<string, string> = {};
    for (const [what, path] of Object.entries(files)) {
      // /boot/vmlinuz-* is readable by root only; copy it somewhere the SFTP user may read.
      const tmp = `/tmp/lisa-boot-${what}-${release}`;
      await n.execute(`install -m 644 ${path} ${tmp}`, { sudo: true, expectedExitCode: 0, timeoutMs: 120_000 });
      out[what] = join(g.init.dir, `${what}-${release}`);
      await n.download(tmp, out[what]);
      await n.execute(`rm -f ${tmp}`, { sudo: true, timeoutMs: 60_000 });
    }
    g.init.spec.kernel = out['kernel'];
    g.init.spec.initrd = out['initrd'];
  }

  /** Powers the node off cleanly and boots it again with its default entry; waits for SSH. */
  async reboot(node?: NodeRef): Promise<void> {
    const g = this.pick(node);
    await g.stop(true);
    await g.start(this.signal());
  }

  private pick(ref: NodeRef): QemuGuest {
    const g = typeof ref === 'string' ? this.guests.find((x) => x.init.name === ref) : this.guests[ref ?? 0];
    if (!g) throw new Error(`no node ${String(ref)} in this environment`);
    return g;
  }
}
