/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- ARM bodies are arbitrary JSON that this test endpoint stores and echoes, as ARM does. */
/**
 * Image sources beyond the marketplace: galleries in the subscription, community galleries and
 * managed images made from VHD blobs. Every one boots the project's Debian guest; what is checked
 * is the shape of the reference, as ARM checks it, with ARM's error codes.
 */
import { armFail, ok, type Reply } from './http.js';
import type { Ctx } from './resources.js';

/** Galleries the subscription holds (resource group, gallery, image definition, versions). */
export const GALLERIES = [
  { group: 'lisa-images', name: 'lisa_gallery', images: { 'debian-12': ['1.0.0', '1.1.0', '1.2.0'] } },
];
/** Community galleries, by public name, in every location. */
export const COMMUNITY = [{ name: 'lisa-community-5f2a9c', images: { 'debian-12': ['2025.1.0', '2025.2.0'] } }];

const galleryVersions = (name: string, image: string): string[] | undefined =>
  (GALLERIES.find((g) => g.name.toLowerCase() === name.toLowerCase())?.images as Record<string, string[]>)?.[image];
const communityVersions = (name: string, image: string): string[] | undefined =>
  (COMMUNITY.find((g) => g.name.toLowerCase() === name.toLowerCase())?.images as Record<string, string[]>)?.[image];

/** Gallery, community gallery and managed image routes. */
export function imageRoutes(c: Ctx): Reply | undefined {
  const p = c.path;
  if (c.method === 'GET' && /^\/subscriptions\/[^/]+\/providers\/microsoft\.compute\/galleries$/i.test(p))
    return ok({
      value: GALLERIES.map((g) => ({
        id: `/subscriptions/${c.sub}/resourceGroups/${g.group}/providers/Microsoft.Compute/galleries/${g.name}`,
        name: g.name,
        type: 'Microsoft.Compute/galleries',
        location: 'westus3',
        properties: { provisioningState: 'Succeeded', identifier: { uniqueName: `${c.sub}-${g.name.toUpperCase()}` } },
      })),
    });
  let m =
    /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.compute\/galleries\/([^/]+)\/images\/([^/]+)\/versions$/i.exec(
      p,
    );
  if (m && c.method === 'GET') {
    const [, group, gallery, image] = m as unknown as [string, string, string, string];
    const g = GALLERIES.find(
      (x) => x.group.toLowerCase() === group.toLowerCase() && x.name.toLowerCase() === gallery.toLowerCase(),
    );
    const versions = g && galleryVersions(gallery, image);
    if (!versions)
      return armFail(
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.Compute/galleries/${gallery}/images/${image}' under resource group '${group}' was not found.`,
      );
    return ok({
      value: versions.map((v) => ({
        id: `/subscriptions/${c.sub}/resourceGroups/${g.group}/providers/Microsoft.Compute/galleries/${g.name}/images/${image}/versions/${v}`,
        name: v,
        location: 'westus3',
        properties: { provisioningState: 'Succeeded', publishingProfile: { excludeFromLatest: false } },
      })),
    });
  }
  m =
    /^\/subscriptions\/[^/]+\/providers\/microsoft\.compute\/locations\/([^/]+)\/communitygalleries\/([^/]+)\/images\/([^/]+)\/versions$/i.exec(
      p,
    );
  if (m && c.method === 'GET') {
    const [, location, gallery, image] = m as unknown as [string, string, string, string];
    const versions = communityVersions(gallery, image);
    if (!versions)
      return armFail(
        404,
        'GalleryImageNotFound',
        `The gallery image /CommunityGalleries/${gallery}/Images/${image} is not available in ${location} region.`,
      );
    return ok({
      value: versions.map((v) => ({
        name: v,
        location,
        type: 'Microsoft.Compute/Locations/CommunityGalleryImageVersions',
        identifier: { uniqueId: `/CommunityGalleries/${gallery}/Images/${image}/Versions/${v}` },
        properties: { excludeFromLatest: false },
      })),
    });
  }
  m = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.compute\/images\/([^/]+)$/i.exec(p);
  if (m) {
    const g = c.store.group(decodeURIComponent(m[1]!));
    if (!g) return armFail(404, 'ResourceGroupNotFound', `Resource group '${m[1]}' could not be found.`);
    const id = `/subscriptions/${c.sub}/resourceGroups/${g.name}/providers/Microsoft.Compute/images/${m[2]}`;
    if (c.method === 'GET') {
      const found = g.resources.get(id.toLowerCase());
      return found ? ok(found) : armFail(404, 'NotFound', `The Image '${m[2]}' cannot be found.`);
    }
    if (c.method !== 'PUT') return undefined;
    const osDisk = c.body?.properties?.storageProfile?.osDisk ?? {};
    const blob: string = osDisk.blobUri ?? '';
    if (!/^https:\/\/[a-z0-9]{3,24}\.blob\.[^/]+\/[^/]+\/.+\.vhd(\?.*)?$/i.test(blob))
      return armFail(400, 'InvalidParameter', `The value of parameter storageProfile.osDisk.blobUri is invalid.`);
    if (osDisk.osType !== 'Linux' && osDisk.osType !== 'Windows')
      return armFail(400, 'InvalidParameter', "Required parameter 'osDisk.osType' is missing (null).");
    const body = {
      id,
      name: m[2],
      type: 'Microsoft.Compute/images',
      location: c.body?.location ?? g.location,
      tags: c.body?.tags,
      properties: { ...c.body?.properties, provisioningState: 'Succeeded' },
    };
    const existed = g.resources.has(id.toLowerCase());
    g.resources.set(id.toLowerCase(), body);
    return ok(body, existed ? 200 : 201);
  }
  return undefined;
}

/**
 * The VM create's `imageReference`, checked as ARM does: exactly one kind of reference, IDs of the
 * documented shapes, and the image present. Undefined when it is fine; else ARM's error reply.
 */
export function checkImageReference(c: Ctx, ref: any, location: string): Reply | undefined {
  const kinds = [
    ref?.publisher || ref?.offer || ref?.sku ? 'marketplace' : undefined,
    ref?.id ? 'id' : undefined,
    ref?.sharedGalleryImageId ? 'sharedGalleryImageId' : undefined,
    ref?.communityGalleryImageId ? 'communityGalleryImageId' : undefined,
  ].filter(Boolean);
  if (kinds.length !== 1)
    return armFail(
      400,
      'InvalidParameter',
      kinds.length
        ? `Only one of publisher/offer/sku/version, id, sharedGalleryImageId or communityGalleryImageId may be set in imageReference (got ${kinds.join(', ')}).`
        : "Required parameter 'imageReference' is missing (null).",
    );
  const invalid = (param: string) =>
    armFail(400, 'InvalidParameter', `The value of parameter imageReference.${param} is invalid.`);
  if (ref.id) {
    const gal =
      /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/galleries\/([^/]+)\/images\/([^/]+)\/versions\/([^/]+)$/i.exec(
        ref.id,
      );
    const img =
      /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/images\/([^/]+)$/i.exec(
        ref.id,
      );
    if (gal) {
      const [, , group, gallery, image, version] = gal as unknown as string[];
      const g = GALLERIES.find(
        (x) => x.group.toLowerCase() === group!.toLowerCase() && x.name.toLowerCase() === gallery!.toLowerCase(),
      );
      if (!g || !galleryVersions(gallery!, image!)?.includes(version!))
        return armFail(
          404,
          'GalleryImageNotFound',
          `The gallery image ${ref.id} is not available in ${location} region.`,
        );
      return undefined;
    }
    if (img) {
      const g = c.store.group(img[2]!);
      if (!g?.resources.has(String(ref.id).toLowerCase()))
        return armFail(404, 'NotFound', `The Image '${ref.id}' cannot be found in '${location}' region.`);
      return undefined;
    }
    return invalid('id');
  }
  if (ref.sharedGalleryImageId) {
    if (!/^\/SharedGalleries\/[^/]+\/Images\/[^/]+\/Versions\/[^/]+$/i.test(ref.sharedGalleryImageId))
      return invalid('sharedGalleryImageId');
    // No gallery is shared directly with the endpoint's subscription.
    return armFail(
      404,
      'GalleryImageNotFound',
      `The gallery image ${ref.sharedGalleryImageId} is not available in ${location} region.`,
    );
  }
  if (ref.communityGalleryImageId) {
    const cm = /^\/CommunityGalleries\/([^/]+)\/Images\/([^/]+)\/Versions\/([^/]+)$/i.exec(ref.communityGalleryImageId);
    if (!cm) return invalid('communityGalleryImageId');
    const versions = communityVersions(cm[1]!, cm[2]!);
    if (!versions || !(cm[3]!.toLowerCase() === 'latest' || versions.includes(cm[3]!)))
      return armFail(
        404,
        'GalleryImageNotFound',
        `The gallery image ${ref.communityGalleryImageId} is not available in ${location} region.`,
      );
    return undefined;
  }
  if (!ref.publisher || !ref.offer || !ref.sku || !ref.version)
    return armFail(
      400,
      'InvalidParameter',
      'The value of parameter imageReference is invalid: publisher, offer, sku and version are required.',
    );
  return undefined;
}
