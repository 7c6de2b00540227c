import type { NodeCapability } from './types.js';

/** One round trip for everything capability() needs; sections are split on marker lines. */
export const CAPABILITY_SCRIPT = [
  'nproc 2>/dev/null || getconf _NPROCESSORS_ONLN',
  'echo @@mem',
  'grep MemTotal /proc/meminfo',
  'echo @@lsblk',
  'lsblk -J -o NAME,TYPE,MOUNTPOINT 2>/dev/null',
].join('; ');

interface BlockDevice {
  name?: string;
  type?: string;
  mountpoint?: string | null;
  mountpoints?: Array<string | null>;
  children?: BlockDevice[];
}

export function parseCapability(stdout: string): NodeCapability {
  const [cpuPart = '', rest = ''] = stdout.split('@@mem\n');
  const [memPart = '', lsblkPart = ''] = rest.split('@@lsblk\n');
  const cores = Number.parseInt(cpuPart.trim(), 10);
  const kb = /MemTotal:\s+(\d+)\s*kB/.exec(memPart);
  return {
    cores: Number.isFinite(cores) ? cores : 0,
    memoryMiB: kb ? Math.floor(Number(kb[1]) / 1024) : 0,
    dataDisks: countDataDisks(lsblkPart),
    features: [],
  };
}

/** Whole disks minus the one holding `/` (found anywhere below it: partition, LVM, crypt). */
export function countDataDisks(lsblkJson: string): number {
  let devices: BlockDevice[];
  try {
    devices = (JSON.parse(lsblkJson) as { blockdevices?: BlockDevice[] }).blockdevices ?? [];
  } catch {
    return 0;
  }
  return devices.filter((d) => d.type === 'disk' && !holdsRoot(d)).length;
}

function holdsRoot(d: BlockDevice): boolean {
  if (d.mountpoint === '/' || d.mountpoints?.includes('/')) return true;
  return (d.children ?? []).some(holdsRoot);
}
