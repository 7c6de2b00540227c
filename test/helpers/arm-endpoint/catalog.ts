/** What the endpoint offers: VM sizes (real Azure names and shapes), quota, marketplace image versions. */

export interface SizeDef {
  name: string;
  family: string;
  cores: number;
  memoryGB: number;
  maxDataDisks: number;
  maxNics: number;
  /**
   * The hardware a VM of this size runs on: a running VM can be resized only to sizes of its own
   * cluster (its `vmSizes`); any other size needs a deallocate first, as on Azure.
   */
  cluster: 'b-v1' | 'v5';
}

/** Small real sizes; a 2-vCPU 1 GiB size matches the qemu platform's default guest (shared warm snapshot). */
export const SIZES: SizeDef[] = [
  {
    name: 'Standard_B1s',
    family: 'standardBSFamily',
    cores: 1,
    memoryGB: 1,
    maxDataDisks: 2,
    maxNics: 2,
    cluster: 'b-v1',
  },
  {
    name: 'Standard_B2ts_v2',
    family: 'standardBsv2Family',
    cores: 2,
    memoryGB: 1,
    maxDataDisks: 4,
    maxNics: 2,
    cluster: 'v5',
  },
  {
    name: 'Standard_B2ls_v2',
    family: 'standardBsv2Family',
    cores: 2,
    memoryGB: 4,
    maxDataDisks: 4,
    maxNics: 2,
    cluster: 'v5',
  },
  {
    name: 'Standard_D2s_v5',
    family: 'standardDSv5Family',
    cores: 2,
    memoryGB: 8,
    maxDataDisks: 4,
    maxNics: 2,
    cluster: 'v5',
  },
  {
    name: 'Standard_D4s_v5',
    family: 'standardDSv5Family',
    cores: 4,
    memoryGB: 16,
    maxDataDisks: 8,
    maxNics: 2,
    cluster: 'v5',
  },
];

/** Guest memory for a size: the real figure, capped so that a 2-core host can run several. */
export function guestShape(size: string): { cores: number; memoryMiB: number } | undefined {
  const s = SIZES.find((x) => x.name.toLowerCase() === size.toLowerCase());
  return s && { cores: s.cores, memoryMiB: Math.min(s.memoryGB * 1024, 1024) };
}

export function skuList(location: string, restricted: Set<string>): unknown {
  return {
    value: SIZES.map((s) => ({
      resourceType: 'virtualMachines',
      name: s.name,
      tier: 'Standard',
      size: s.name.replace(/^Standard_/, ''),
      family: s.family,
      locations: [location],
      locationInfo: [{ location, zones: [], zoneDetails: [] }],
      capabilities: [
        { name: 'vCPUs', value: String(s.cores) },
        { name: 'MemoryGB', value: String(s.memoryGB) },
        { name: 'MaxDataDiskCount', value: String(s.maxDataDisks) },
        { name: 'MaxNetworkInterfaces', value: String(s.maxNics) },
        { name: 'HyperVGenerations', value: 'V1,V2' },
        { name: 'CpuArchitectureType', value: 'x64' },
        { name: 'PremiumIO', value: 'True' },
        { name: 'AcceleratedNetworkingEnabled', value: 'True' },
      ],
      restrictions: restricted.has(s.name)
        ? [
            {
              type: 'Location',
              values: [location],
              restrictionInfo: { locations: [location] },
              reasonCode: 'NotAvailableForSubscription',
            },
          ]
        : [],
    })),
  };
}

export function usageList(coresUsed: number, coresLimit: number, familyUsed: Map<string, number>): unknown {
  const families = [...new Set(SIZES.map((s) => s.family))];
  return {
    value: [
      {
        unit: 'Count',
        currentValue: coresUsed,
        limit: coresLimit,
        name: { value: 'cores', localizedValue: 'Total Regional vCPUs' },
      },
      ...families.map((f) => ({
        unit: 'Count',
        currentValue: familyUsed.get(f) ?? 0,
        limit: coresLimit,
        name: { value: f, localizedValue: f },
      })),
    ],
  };
}

/** Every marketplace image exists (it boots the project's Debian guest) in these versions. */
export const IMAGE_VERSIONS = ['1.0.20250101', '1.0.20251115', '1.0.20251201'];

export function sizeDef(name: string): SizeDef | undefined {
  return SIZES.find((x) => x.name.toLowerCase() === name.toLowerCase());
}

/**
 * `virtualMachines/{vm}/vmSizes`: what the VM can be resized to. Running, that is the sizes of its
 * hardware cluster; deallocated, every size of the region. Restricted sizes are never listed.
 */
export function vmSizeList(current: string, running: boolean, restricted: Set<string>): unknown {
  const cluster = sizeDef(current)?.cluster;
  return {
    value: SIZES.filter((s) => !restricted.has(s.name) && (!running || s.cluster === cluster)).map((s) => ({
      name: s.name,
      numberOfCores: s.cores,
      osDiskSizeInMB: 1047552,
      resourceDiskSizeInMB: s.cores * 8192,
      memoryInMB: s.memoryGB * 1024,
      maxDataDiskCount: s.maxDataDisks,
    })),
  };
}
