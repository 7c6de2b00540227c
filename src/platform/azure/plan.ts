import type { AzureClients } from './clients.js';
import { withArmRetry } from './errors.js';
import type { MarketplaceImage } from './options.js';
import type { VmSizeInfo } from './sizes.js';

export interface PlanItem {
  location: string;
  sizes: VmSizeInfo[];
  image: MarketplaceImage;
  nodes: number;
}

/** Free cores of the size's family and of the region, from the location's usages. */
export async function quotaFor(c: AzureClients, location: string, family: string): Promise<string> {
  const usages = await withArmRetry(`reading quota in ${location}`, async () => {
    const out: { name: string; current: number; limit: number }[] = [];
    for await (const u of c.compute.usage.list(location))
      out.push({ name: u.name?.value ?? '', current: u.currentValue ?? 0, limit: u.limit ?? 0 });
    return out;
  });
  const show = (name: string): string | undefined => {
    const u = usages.find((x) => x.name.toLowerCase() === name.toLowerCase());
    return u ? `${name} ${u.current}/${u.limit} used` : undefined;
  };
  return [show(family), show('cores')].filter(Boolean).join(', ') || 'no quota information';
}

/** What a deploy would do, one line per environment shape: dry_run's output. */
export async function printPlan(c: AzureClients, p: PlanItem): Promise<void> {
  const size = p.sizes[0]!;
  const quota = await quotaFor(c, p.location, size.family);
  const img = `${p.image.publisher} ${p.image.offer} ${p.image.sku} ${p.image.version}`;
  process.stdout.write(
    `azure plan: ${p.nodes} node(s) in ${p.location}, size ${size.name} (${size.cores} cores, ${size.memoryMiB} MiB), ` +
      `image ${img}, quota: ${quota}\n`,
  );
}
