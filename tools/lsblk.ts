import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface BlockDevice {
  name: string;
  /** `/dev/<name>`. */
  path: string;
  /** disk, part, lvm, crypt, rom, loop, raid1... */
  type: string;
  sizeBytes: number;
  fstype: string;
  mountpoint: string;
  label: string;
  uuid: string;
  partuuid: string;
  readOnly: boolean;
  removable: boolean;
  model: string;
  serial: string;
  /** Parent kernel name (the disk of a partition); empty for disks. */
  parent: string;
  children: BlockDevice[];
}

export const LSBLK_COLUMNS =
  'NAME,KNAME,PATH,TYPE,SIZE,FSTYPE,MOUNTPOINT,LABEL,UUID,PARTUUID,RO,RM,MODEL,SERIAL,PKNAME';

type RawDev = Record<string, string | number | boolean | null | RawDev[] | undefined> & { children?: RawDev[] };

const str = (v: RawDev[string]): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v).trim() : '';
// util-linux < 2.33 prints booleans and numbers as strings ("0", "1", "10737418240").
const bool = (v: unknown): boolean => v === true || v === '1' || v === 1;

function convert(d: RawDev): BlockDevice {
  const name = str(d.name);
  return {
    name,
    path: str(d.path) || `/dev/${str(d.kname) || name}`,
    type: str(d.type),
    sizeBytes: Number(d.size ?? 0) || 0,
    fstype: str(d.fstype),
    mountpoint: str(d.mountpoint),
    label: str(d.label),
    uuid: str(d.uuid),
    partuuid: str(d.partuuid),
    readOnly: bool(d.ro),
    removable: bool(d.rm),
    model: str(d.model),
    serial: str(d.serial),
    parent: str(d.pkname),
    children: (d.children ?? []).map(convert),
  };
}

/** Parses `lsblk -J -b -o <LSBLK_COLUMNS>` into a tree (disks with their partitions as children). */
export function parseLsblkJson(text: string): BlockDevice[] {
  const parsed = JSON.parse(text) as { blockdevices?: RawDev[] };
  return (parsed.blockdevices ?? []).map(convert);
}

/** Every device of the tree, depth first. */
export function flattenDevices(devices: readonly BlockDevice[]): BlockDevice[] {
  return devices.flatMap((d) => [d, ...flattenDevices(d.children)]);
}

/** True when the device or anything below it is mounted (or is swap). */
export function inUse(d: BlockDevice): boolean {
  return d.mountpoint !== '' || d.children.some(inUse);
}

/**
 * Disks that hold nothing in use: candidates for data-disk tests. Excludes zram, loop, rom and
 * read-only devices, and any disk with a mounted partition or a filesystem/partition table of its own
 * when `onlyBlank` is set.
 */
export function unusedDisks(devices: readonly BlockDevice[], onlyBlank = false): BlockDevice[] {
  return devices.filter(
    (d) =>
      d.type === 'disk' &&
      !/^(zram|loop|ram|sr|fd)/.test(d.name) &&
      !d.readOnly &&
      d.sizeBytes > 0 &&
      !inUse(d) &&
      (!onlyBlank || (d.children.length === 0 && d.fstype === '')),
  );
}

/** `lsblk`: block devices, partitions, filesystems and mount points. */
export class Lsblk extends Tool {
  readonly command = 'lsblk';
  override readonly packages: PackageNames = { default: 'util-linux' };

  async list(device = ''): Promise<BlockDevice[]> {
    const r = await this.runOk(`-J -b -o ${LSBLK_COLUMNS}${device ? ` ${device}` : ''}`, { timeoutMs: 60_000 });
    return parseLsblkJson(r.stdout);
  }

  async disks(): Promise<BlockDevice[]> {
    return (await this.list()).filter((d) => d.type === 'disk');
  }

  /** Disks with nothing mounted from them, e.g. an attached data disk. */
  async unusedDisks(onlyBlank = false): Promise<BlockDevice[]> {
    return unusedDisks(await this.list(), onlyBlank);
  }
}
