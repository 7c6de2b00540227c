import type { ComputeManagementClient } from '@azure/arm-compute';
import { withArmRetry } from './errors.js';
import type { ImageSource } from './image-source.js';

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

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function newest(names: (string | undefined)[], what: string): string {
  const list = names.filter((n): n is string => !!n);
  if (!list.length) throw new Error(`azure: ${what} has no versions`);
  return list.sort(compareVersions).at(-1)!;
}

/**
 * The image concretely: `latest` becomes the newest version the location (marketplace), the gallery
 * (shared) or the community gallery lists, and a shared gallery without `resource_group_name` gets the
 * group found by listing the subscription's galleries, as LISA does. A VHD needs nothing resolved.
 */
export async function resolveImage(
  compute: ComputeManagementClient,
  location: string,
  image: ImageSource,
  signal: AbortSignal,
): Promise<ImageSource> {
  const o = { abortSignal: signal };
  switch (image.kind) {
    case 'marketplace': {
      if (image.version.toLowerCase() !== 'latest') return image;
      const what = `marketplace image ${image.publisher} ${image.offer} ${image.sku} in ${location}`;
      const versions = await withArmRetry(
        `listing versions of ${what}`,
        () => compute.virtualMachineImages.list(location, image.publisher, image.offer, image.sku, o),
        { signal },
      );
      return {
        ...image,
        version: newest(
          versions.map((v) => v.name),
          what,
        ),
      };
    }
    case 'shared_gallery': {
      let resourceGroup = image.resourceGroup;
      if (!resourceGroup) {
        const galleries = await withArmRetry('listing the image galleries', () => collect(compute.galleries.list(o)), {
          signal,
        });
        const g = galleries.find((x) => x.name?.toLowerCase() === image.gallery.toLowerCase());
        resourceGroup = /\/resourceGroups\/([^/]+)\//i.exec(g?.id ?? '')?.[1];
        if (!resourceGroup)
          throw new Error(
            `azure: shared_gallery: no gallery ${image.gallery} in the subscription (give resource_group_name, or subscription/resource_group/gallery/definition/version)`,
          );
      }
      if (image.version !== 'latest') return { ...image, resourceGroup };
      const what = `gallery image ${image.gallery}/${image.definition}`;
      const versions = await withArmRetry(
        `listing versions of ${what}`,
        () =>
          collect(compute.galleryImageVersions.listByGalleryImage(resourceGroup, image.gallery, image.definition, o)),
        { signal },
      );
      // Versions flagged excludeFromLatest are not what `latest` means on Azure either.
      const eligible = versions.filter((v) => !v.publishingProfile?.excludeFromLatest).map((v) => v.name);
      return { ...image, resourceGroup, version: newest(eligible, what) };
    }
    case 'community_gallery': {
      const where = image.location ?? location;
      if (image.version !== 'latest') return { ...image, location: where };
      const what = `community gallery image ${image.gallery}/${image.definition} in ${where}`;
      const versions = await withArmRetry(
        `listing versions of ${what}`,
        () => collect(compute.communityGalleryImageVersions.list(where, image.gallery, image.definition, o)),
        { signal },
      );
      const eligible = versions.filter((v) => !v.excludeFromLatest).map((v) => v.name);
      return { ...image, location: where, version: newest(eligible, what) };
    }
    default:
      return image;
  }
}
