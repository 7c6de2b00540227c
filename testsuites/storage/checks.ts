import { expectNone, expectTrue, fail } from '../../src/testing/assert.js';
import { resolveSpec, type BlkidEntry } from '../../tools/blkid.js';
import type { DfEntry } from '../../tools/df.js';
import type { MountEntry } from '../../tools/findmnt.js';
import { isOptional, isSwapEntry, VIRTUAL_FS, type FstabEntry } from '../../tools/fstab.js';
import { type BlockDevice, unusedDisks } from '../../tools/lsblk.js';
import type { SwapArea } from '../../tools/swap.js';

/** Filesystems a root may have; overlay and tmpfs cover live and container-style images. */
export const ROOT_FILESYSTEMS = ['ext4', 'xfs', 'btrfs', 'ext3', 'f2fs', 'zfs', 'overlay', 'tmpfs', 'ufs'];

/**
 * The root filesystem is mounted, read-write, and of a known type. A root that has been remounted
 * read-only after errors (errors=remount-ro) is the typical defect this catches.
 */
export function checkRootMount(
  nodeName: string,
  root: MountEntry | undefined,
  allowed: readonly string[] = ROOT_FILESYSTEMS,
): void {
  if (!root) fail(`root filesystem of ${nodeName}`, 'a filesystem mounted on /', 'nothing mounted on /');
  expectTrue(
    `mount options of / on ${nodeName}`,
    root.options.includes('rw') && !root.options.includes('ro'),
    'rw',
    `${root.options.join(',')} (${root.source}, ${root.fstype})`,
  );
  expectTrue(
    `filesystem type of / on ${nodeName}`,
    allowed.includes(root.fstype),
    `one of ${allowed.join(', ')}`,
    `${root.fstype} on ${root.source}`,
  );
}

/** The root filesystem has room left: a full root breaks logins, package installs and journald. */
export function checkRootSpace(nodeName: string, df: DfEntry | undefined, maxUsePercent = 95): void {
  if (!df) fail(`usage of / on ${nodeName}`, 'df output for /', 'none');
  expectTrue(
    `usage of / on ${nodeName}`,
    df.usePercent <= maxUsePercent,
    `at most ${maxUsePercent}% used`,
    `${df.usePercent}% used (${Math.round(df.availBytes / 1048576)} MiB free of ${Math.round(df.sizeBytes / 1048576)} MiB)`,
  );
}

/**
 * Problems in fstab, one string each: a block-device spec that names nothing (UUID=, LABEL=,
 * PARTUUID= or a /dev path that does not exist), a mount point or swap file that does not exist,
 * and a mandatory entry that is not mounted. Entries marked nofail or noauto may be absent.
 */
export function fstabProblems(
  entries: readonly FstabEntry[],
  devices: readonly BlkidEntry[],
  existing: ReadonlySet<string>,
  mounts: readonly MountEntry[],
  swaps: readonly SwapArea[] = [],
): string[] {
  const problems: string[] = [];
  for (const e of entries) {
    const where = `line ${e.line}: ${e.spec} ${e.file}`;
    if (VIRTUAL_FS.has(e.vfstype) || VIRTUAL_FS.has(e.spec)) continue;
    const optional = isOptional(e);
    const tagged = /^(UUID|LABEL|PARTUUID|PARTLABEL)=/.test(e.spec);
    const resolvable = tagged
      ? resolveSpec(e.spec, devices) !== undefined
      : !e.spec.startsWith('/') || existing.has(e.spec);
    if (!resolvable && !optional) problems.push(`${where}: ${e.spec} does not exist`);
    if (isSwapEntry(e)) {
      const active = swaps.some(
        (s) => s.path === e.spec || (resolvable && tagged && s.path === resolveSpec(e.spec, devices)?.device),
      );
      if (resolvable && !active && !optional) problems.push(`${where}: swap is not active`);
      continue;
    }
    if (!existing.has(e.file) && !optional) problems.push(`${where}: mount point ${e.file} does not exist`);
    else if (!optional && !e.options.includes('noauto') && !mounts.some((m) => m.target === e.file)) {
      problems.push(`${where}: not mounted`);
    }
  }
  return problems;
}

export function checkFstab(nodeName: string, problems: readonly string[]): void {
  expectNone(`fstab entries of ${nodeName} that do not resolve`, problems, String, 10);
}

export type SwapPolicy = 'any' | 'required' | 'forbidden';

export function parseSwapPolicy(v: unknown): SwapPolicy {
  const s = v ?? 'any';
  if (s === 'any' || s === 'required' || s === 'forbidden') return s;
  fail('variable swap_policy', 'any, required or forbidden', JSON.stringify(s));
}

/**
 * Swap matches the image's policy: `required` (at least one active area), `forbidden` (none, the
 * usual rule for cloud images whose agent creates swap on the resource disk), or `any`.
 */
export function checkSwapPolicy(nodeName: string, policy: SwapPolicy, areas: readonly SwapArea[]): void {
  const found = areas.length
    ? areas.map((a) => `${a.path} (${a.type}, ${Math.round(a.sizeBytes / 1048576)} MiB)`).join('; ')
    : 'no swap';
  if (policy === 'required')
    expectTrue(`swap on ${nodeName}`, areas.length > 0, 'at least one active swap area (swap_policy=required)', found);
  if (policy === 'forbidden')
    expectTrue(`swap on ${nodeName}`, areas.length === 0, 'no active swap (swap_policy=forbidden)', found);
}

/**
 * The disk to partition: the one named by `preferred`, or the first blank, unused data disk.
 * Never a disk with a mounted filesystem: that would destroy the system under test.
 */
export function pickDataDisk(nodeName: string, devices: readonly BlockDevice[], preferred?: string): BlockDevice {
  const candidates = unusedDisks(devices, true);
  const summary = devices
    .map(
      (d) =>
        `${d.name} ${d.type} ${Math.round(d.sizeBytes / 1048576)}MiB${d.mountpoint ? ` on ${d.mountpoint}` : ''}${d.children.length ? ` (${d.children.length} partitions)` : ''}${d.fstype ? ` ${d.fstype}` : ''}`,
    )
    .join('; ');
  if (preferred) {
    const d = devices.find((x) => x.path === preferred || x.name === preferred);
    if (!d) fail(`data disk ${preferred} on ${nodeName}`, 'the disk named by data_disk', summary || 'no block devices');
    expectTrue(
      `data disk ${preferred} on ${nodeName}`,
      candidates.includes(d),
      'a blank disk with nothing mounted',
      summary,
    );
    return d;
  }
  const d = candidates[0];
  if (!d)
    fail(
      `blank data disk on ${nodeName}`,
      'at least one unused disk without partitions or filesystem',
      summary || 'no block devices',
    );
  return d;
}

/** The freshly made filesystem is mounted where it was asked, read-write, from the new partition. */
export function checkDataMount(
  nodeName: string,
  partition: string,
  target: string,
  mount: MountEntry | undefined,
  fstype: string,
): void {
  if (!mount) fail(`mount of ${partition} on ${nodeName}`, `${partition} on ${target}`, 'not mounted');
  expectTrue(
    `mount of ${partition} on ${nodeName}`,
    mount.source === partition && mount.fstype === fstype && mount.options.includes('rw'),
    `${partition} ${fstype} rw on ${target}`,
    `${mount.source} ${mount.fstype} ${mount.options.join(',')} on ${mount.target}`,
  );
}

/** The data read back after dropping the page cache is what was written. */
export function checkReadBack(nodeName: string, file: string, written: string, read: string): void {
  expectTrue(
    `content of ${file} on ${nodeName} read back from disk`,
    written === read,
    `sha256 ${written}`,
    `sha256 ${read}`,
  );
}
