import type { ResourceSku } from '@azure/arm-compute';

export interface VmSizeInfo {
  name: string;
  family: string;
  cores: number;
  memoryMiB: number;
  maxDataDisks: number;
  maxNics: number;
  architecture: string;
  generations: string[];
}

export interface SizeNeed {
  cores: number;
  memoryMiB: number;
  dataDisks: number;
  nics: number;
  architecture?: string;
}

const cap = (s: ResourceSku, name: string): string | undefined => s.capabilities?.find((c) => c.name === name)?.value;

/** VM sizes offered in `location`, minus those restricted there for this subscription. */
export function sizesIn(skus: ResourceSku[], location: string): VmSizeInfo[] {
  const loc = location.toLowerCase();
  return skus
    .filter((s) => s.resourceType === 'virtualMachines')
    .filter((s) => (s.locations ?? []).some((l) => l.toLowerCase() === loc))
    .filter((s) => !(s.restrictions ?? []).some((r) => r.type === 'Location' && r.reasonCode))
    .map((s) => ({
      name: s.name ?? '',
      family: s.family ?? '',
      cores: Number(cap(s, 'vCPUs') ?? 0),
      memoryMiB: Math.round(Number(cap(s, 'MemoryGB') ?? 0) * 1024),
      maxDataDisks: Number(cap(s, 'MaxDataDiskCount') ?? 0),
      maxNics: Number(cap(s, 'MaxNetworkInterfaces') ?? 1),
      architecture: cap(s, 'CpuArchitectureType') ?? 'x64',
      generations: (cap(s, 'HyperVGenerations') ?? 'V1').split(','),
    }));
}

function unmetBy(size: VmSizeInfo, need: SizeNeed): string | undefined {
  if (size.cores < need.cores) return `${need.cores} cores`;
  if (size.memoryMiB < need.memoryMiB) return `${need.memoryMiB} MiB memory`;
  if (size.maxDataDisks < need.dataDisks) return `${need.dataDisks} data disks`;
  if (size.maxNics < need.nics) return `${need.nics} NICs`;
  if (need.architecture && size.architecture.toLowerCase() !== need.architecture.toLowerCase())
    return `architecture ${need.architecture}`;
  return undefined;
}

/**
 * Sizes that meet the need, smallest first (cores, then memory). With `wanted` sizes, only those,
 * in the runbook's order. When nothing fits, the reason names the first unmet item of the closest size.
 */
export function chooseSizes(
  available: VmSizeInfo[],
  need: SizeNeed,
  wanted: string[],
): { sizes: VmSizeInfo[] } | { unmet: string } {
  const pool = wanted.length
    ? wanted.map((w) => available.find((a) => a.name.toLowerCase() === w.toLowerCase()))
    : [...available].sort((a, b) => a.cores - b.cores || a.memoryMiB - b.memoryMiB || a.name.localeCompare(b.name));
  const missing = wanted.filter((_, i) => !pool[i]);
  const known = pool.filter((p): p is VmSizeInfo => !!p);
  const fit = known.filter((s) => !unmetBy(s, need));
  if (fit.length) return { sizes: fit };
  if (!known.length)
    return {
      unmet: missing.length ? `vm_size ${missing.join(', ')} (not offered here)` : 'any VM size (none offered)',
    };
  const closest = [...known].sort(
    (a, b) => Math.abs(a.cores - need.cores) - Math.abs(b.cores - need.cores) || b.memoryMiB - a.memoryMiB,
  )[0]!;
  return {
    unmet: `${unmetBy(closest, need)} (closest size ${closest.name}: ${closest.cores} cores, ${closest.memoryMiB} MiB)`,
  };
}
