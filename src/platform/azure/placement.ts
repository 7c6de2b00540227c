import type { ResourceSku } from '@azure/arm-compute';
import type { Requirement } from '../../testing/types.js';
import type { AzureClients } from './clients.js';
import { withArmRetry } from './errors.js';
import type { AzureOptions } from './options.js';
import { quotaVerdict, readUsages, type Usage } from './quota.js';
import { chooseSizes, sizesIn, type VmSizeInfo } from './sizes.js';

/** One place a deploy can try: a location and a VM size offered there. */
export interface Candidate {
  location: string;
  size: VmSizeInfo;
}

export interface Placement {
  candidates: Candidate[];
}

/** Where an environment can go: each location's SKU list and quota limits, read once per run. */
export class Placer {
  private readonly skus = new Map<string, Promise<ResourceSku[]>>();
  private readonly limits = new Map<string, Promise<Usage[]>>();

  constructor(
    private readonly clients: AzureClients,
    private readonly o: Pick<AzureOptions, 'locations' | 'vmSizes' | 'minCores' | 'minMemoryMiB'>,
  ) {}

  /** The location's SKU list (read once per run; the Resize feature uses it too). */
  skusOf(location: string): Promise<ResourceSku[]> {
    let p = this.skus.get(location);
    if (!p) {
      p = withArmRetry(`listing VM sizes in ${location}`, async () => {
        const out: ResourceSku[] = [];
        for await (const s of this.clients.compute.resourceSkus.list({ filter: `location eq '${location}'` }))
          out.push(s);
        return out;
      });
      p.catch(() => this.skus.delete(location));
      this.skus.set(location, p);
    }
    return p;
  }

  /**
   * Every (location, size) that fits the requirement, in the order tried: locations as the runbook
   * lists them, sizes smallest first (or as listed). Sizes whose quota limit is below what the
   * environment needs are dropped here, since no wait can help them.
   */
  async place(req: Requirement): Promise<Placement | { unmet: string }> {
    const need = {
      cores: Math.max(req.minCores ?? 0, this.o.minCores, 1),
      memoryMiB: Math.max(req.minMemoryMiB ?? 0, this.o.minMemoryMiB),
      dataDisks: req.minDataDisks ?? 0,
      nics: 1,
    };
    const nodes = req.nodes ?? 1;
    const candidates: Candidate[] = [];
    let unmet = '';
    for (const location of this.o.locations) {
      const r = chooseSizes(sizesIn(await this.skusOf(location), location), need, this.o.vmSizes);
      if (!('sizes' in r)) {
        unmet ||= `${r.unmet} in ${location}`;
        continue;
      }
      const usages = await this.limitsOf(location);
      for (const size of r.sizes) {
        const q = quotaVerdict(usages, size.family, size.cores * nodes);
        if (!q.ok && q.kind === 'limit') unmet ||= `quota for ${size.name} in ${location} (${q.reason})`;
        else candidates.push({ location, size });
      }
    }
    return candidates.length ? { candidates } : { unmet };
  }

  /** Quota limits change rarely (a support request), so one read per location serves every match. */
  private limitsOf(location: string): Promise<Usage[]> {
    let p = this.limits.get(location);
    if (!p) {
      p = readUsages(this.clients, location).then((u) => u.map((x) => ({ ...x, current: 0 })));
      p.catch(() => this.limits.delete(location));
      this.limits.set(location, p);
    }
    return p;
  }
}
