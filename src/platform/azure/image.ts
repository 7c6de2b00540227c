import type { ComputeManagementClient } from '@azure/arm-compute';
import { withArmRetry } from './errors.js';
import type { MarketplaceImage } from './options.js';

/** Numeric, part by part: 20240101.1 > 20231231.9, 1.10 > 1.9. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** The concrete version of a marketplace image: `latest` becomes the newest one the location lists. */
export async function resolveMarketplaceImage(
  compute: ComputeManagementClient,
  location: string,
  image: MarketplaceImage,
  signal: AbortSignal,
): Promise<MarketplaceImage> {
  if (image.version.toLowerCase() !== 'latest') return image;
  const versions = await withArmRetry(
    `listing versions of image ${image.publisher} ${image.offer} ${image.sku} in ${location}`,
    () => compute.virtualMachineImages.list(location, image.publisher, image.offer, image.sku, { abortSignal: signal }),
    { signal },
  );
  const names = versions.map((v) => v.name).filter((n): n is string => !!n);
  if (!names.length)
    throw new Error(
      `azure: marketplace image ${image.publisher} ${image.offer} ${image.sku} has no versions in ${location}`,
    );
  return { ...image, version: names.sort(compareVersions).at(-1)! };
}
