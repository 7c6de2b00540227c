import type { Node } from '../../src/node/types.js';
import type { Feature } from '../../src/platform/types.js';
import { defineSuite } from '../../src/testing/define.js';
import type { CaseContext } from '../../src/testing/types.js';
import { Blkid } from '../../tools/blkid.js';
import { Dd } from '../../tools/dd.js';
import { Df } from '../../tools/df.js';
import { Findmnt } from '../../tools/findmnt.js';
import { Fstab, isSwapEntry } from '../../tools/fstab.js';
import { Lsblk } from '../../tools/lsblk.js';
import { Mkfs } from '../../tools/mkfs.js';
import { Mount } from '../../tools/mount.js';
import { Parted } from '../../tools/parted.js';
import { Sha256sum } from '../../tools/sha256sum.js';
import { Swap } from '../../tools/swap.js';
import { Sysctl } from '../../tools/sysctl.js';
import {
  checkDataMount,
  checkFstab,
  checkReadBack,
  checkRootMount,
  checkRootSpace,
  checkSwapPolicy,
  fstabProblems,
  parseSwapPolicy,
  pickDataDisk,
} from './checks.js';

/** The platform's Disk feature (QEMU hot-plug, Azure attach), used when no blank disk is attached. */
interface DiskFeature extends Feature {
  add(sizeGiB: number, node?: unknown): Promise<{ id: string; device: string }>;
  remove(id: string, node?: unknown): Promise<void>;
}

async function blankDisk(ctx: CaseContext, node: Node): Promise<{ device: string; cleanup?: () => Promise<void> }> {
  const lsblk = ctx.tool(Lsblk, node);
  const preferred = typeof ctx.variables.data_disk === 'string' ? ctx.variables.data_disk : undefined;
  const devices = await lsblk.list();
  const disk = ctx.environment.feature<DiskFeature>('Disk');
  if (!preferred && disk && (await lsblk.unusedDisks(true)).length === 0) {
    const added = await disk.add(1, 0);
    ctx.log.info(`no blank disk on ${node.name}: attached ${added.device} through the platform's Disk feature`);
    return { device: added.device, cleanup: () => disk.remove(added.id, 0) };
  }
  return { device: pickDataDisk(node.name, devices, preferred).path };
}

/**
 * Filesystems and disks of an image. Variables: `swap_policy` (any | required | forbidden),
 * `root_max_use_percent` (95), `data_disk` (a device to use instead of the first blank one),
 * `data_fs` (ext4 | xfs), `data_mib` (64).
 */
export default defineSuite({
  name: 'storage',
  area: 'storage',
  category: 'functional',
  description: 'root filesystem, fstab, swap policy, and a data disk partitioned, formatted, written and read back',
  tags: ['storage', 'disk'],
  owner: 'lisa-ts',
  requirement: { supportedOs: ['linux'] },
  cases: [
    {
      name: 'root_filesystem',
      priority: 0,
      timeoutMs: 300_000,
      description: 'the root filesystem is mounted read-write, of a known type, with space left',
      async run(ctx) {
        const mounts = await ctx.tool(Mount).list();
        // The last mount on / wins (an initramfs root may still be listed underneath).
        checkRootMount(ctx.node.name, mounts.filter((m) => m.target === '/').pop());
        const df = await ctx.tool(Df).forPath('/');
        checkRootSpace(ctx.node.name, df, Number(ctx.variables.root_max_use_percent ?? 95));
        if (df) ctx.metric('root_free', Math.round(df.availBytes / 1048576), 'MiB');
      },
    },
    {
      name: 'fstab_resolvable',
      priority: 1,
      timeoutMs: 300_000,
      description: 'every fstab entry names an existing device and mount point, and mandatory ones are mounted',
      async run(ctx) {
        const node = ctx.node;
        const entries = await ctx.tool(Fstab, node).read();
        if (entries.length === 0) ctx.log.info(`${node.name} has an empty or no /etc/fstab`);
        const paths = entries
          .flatMap((e) => [e.spec, ...(isSwapEntry(e) ? [] : [e.file])])
          .filter((p) => p.startsWith('/'));
        const problems = fstabProblems(
          entries,
          await ctx.tool(Blkid, node).list(),
          await ctx.tool(Fstab, node).existing(paths),
          await ctx.tool(Mount, node).list(),
          await ctx.tool(Swap, node).list(),
        );
        checkFstab(node.name, problems);
      },
    },
    {
      name: 'swap_policy',
      priority: 2,
      timeoutMs: 300_000,
      description: 'active swap is reported and matches swap_policy',
      async run(ctx) {
        const areas = await ctx.tool(Swap).list();
        const total = areas.reduce((s, a) => s + a.sizeBytes, 0);
        ctx.log.info(
          `swap on ${ctx.node.name}: ${areas.map((a) => `${a.path} ${a.type} ${a.sizeBytes}`).join('; ') || 'none'}`,
        );
        ctx.metric('swap_total', Math.round(total / 1048576), 'MiB');
        checkSwapPolicy(ctx.node.name, parseSwapPolicy(ctx.variables.swap_policy), areas);
      },
    },
    {
      name: 'data_disk_io',
      priority: 1,
      timeoutMs: 1_800_000,
      description: 'a blank data disk is partitioned (gpt), formatted, mounted, written and read back unchanged',
      requirement: { minDataDisks: 1 },
      async run(ctx) {
        const node = ctx.node;
        const fstype = ctx.variables.data_fs === 'xfs' ? 'xfs' : 'ext4';
        const { device, cleanup } = await blankDisk(ctx, node);
        const target = `/mnt/lisa-data-${process.pid}-${Date.now() % 100000}`;
        const mount = ctx.tool(Mount, node);
        let mounted = false;
        try {
          const partition = await ctx.tool(Parted, node).partitionWhole(device, 'gpt', fstype);
          await ctx.tool(Mkfs, node).format(partition, fstype, 'lisadata');
          await mount.mount(partition, target);
          mounted = true;
          checkDataMount(node.name, partition, target, await ctx.tool(Findmnt, node).at(target), fstype);
          const file = `${target}/lisa-data.bin`;
          const stats = await ctx
            .tool(Dd, node)
            .writeRandom(file, Number(ctx.variables.data_mib ?? 64), { sudo: true });
          if (stats) ctx.metric('data_disk_write', Math.round((stats.rate / 1048576) * 10) / 10, 'MiB/s');
          const sha = ctx.tool(Sha256sum, node);
          const written = await sha.sum(file, { sudo: true });
          // Unmount and remount so the read comes from the disk, not the page cache.
          await mount.unmount(target);
          mounted = false;
          await ctx.tool(Sysctl, node).write('vm.drop_caches', 3);
          await mount.mount(partition, target);
          mounted = true;
          checkReadBack(node.name, file, written, await sha.sum(file, { sudo: true }));
        } finally {
          if (mounted) await mount.unmount(target).catch((e) => ctx.log.warn(`unmount ${target}: ${String(e)}`));
          await node.execute(`rmdir ${target}`, { sudo: true, noErrorLog: true });
          await ctx
            .tool(Parted, node)
            .wipe(device)
            .catch((e) => ctx.log.warn(`wipe ${device}: ${String(e)}`));
          if (cleanup) await cleanup().catch((e) => ctx.log.warn(`detach ${device}: ${String(e)}`));
        }
      },
    },
  ],
});
