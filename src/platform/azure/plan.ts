import type { AzureClients } from './clients.js';
import { describeQuota, readUsages } from './quota.js';
import { imageName, type ImageSource } from './image-source.js';
import type { VmSizeInfo } from './sizes.js';

export interface PlanItem {
  location: string;
  sizes: VmSizeInfo[];
  image: ImageSource;
  nodes: number;
}

/** Free cores of the size's family and of the region, from the location's usages. */
export async function quotaFor(c: AzureClients, location: string, family: string): Promise<string> {
  return describeQuota(await readUsages(c, location), family);
}

/** What a deploy would do, one line per environment shape: dry_run's output. */
export async function printPlan(c: AzureClients, p: PlanItem): Promise<void> {
  const size = p.sizes[0]!;
  const quota = await quotaFor(c, p.location, size.family);
  const img = imageName(p.image);
  process.stdout.write(
    `azure plan: ${p.nodes} node(s) in ${p.location}, size ${size.name} (${size.cores} cores, ${size.memoryMiB} MiB), ` +
      `image ${img}, quota: ${quota}\n`,
  );
}
