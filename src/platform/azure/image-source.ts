import type { Image, ImageReference } from '@azure/arm-compute';

/**
 * Where a VM's OS disk comes from: LISA's four image keys. Parsed from the runbook here; the
 * concrete version of `latest` is resolved against the location in image.ts.
 */
export type ImageSource =
  | { kind: 'marketplace'; publisher: string; offer: string; sku: string; version: string }
  | {
      kind: 'shared_gallery';
      /** Default: the run's subscription. */
      subscriptionId?: string;
      /** Default: found by listing the subscription's galleries. */
      resourceGroup?: string;
      gallery: string;
      definition: string;
      version: string;
    }
  /** A gallery shared directly with this subscription or tenant: `/SharedGalleries/<unique>/Images/<i>/Versions/<v>`. */
  | { kind: 'direct_shared_gallery'; gallery: string; definition: string; version: string }
  | { kind: 'community_gallery'; location?: string; gallery: string; definition: string; version: string }
  | { kind: 'vhd'; vhdPath: string; vmgsPath?: string };

export type ImageKey = 'marketplace_image' | 'marketplace' | 'shared_gallery' | 'community_gallery_image' | 'vhd';

const bad = (key: string, why: string): never => {
  throw new Error(`runbook platform azure.${key}: ${why}`);
};
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
/** Azure resource names: no slashes, spaces or control characters. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const VERSION = /^(latest|\d+\.\d+\.\d+)$/i;

function named(key: string, what: string, v: unknown): string {
  const s = text(v) ?? bad(key, `${what} is required`);
  if (!NAME.test(s)) bad(key, `${what} "${s}" is not a valid Azure name`);
  return s;
}

function galleryVersion(key: string, v: unknown): string {
  const s = text(v) ?? bad(key, 'image_version is required (a version like 1.2.3, or latest)');
  if (!VERSION.test(s)) bad(key, `image_version "${s}" must be major.minor.patch or latest`);
  return s.toLowerCase() === 'latest' ? 'latest' : s;
}

function fields(key: string, v: unknown, allowed: string[]): Record<string, unknown> {
  const o = v as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !allowed.includes(k));
  if (unknown) bad(key, `unknown key ${unknown} (known: ${allowed.join(', ')})`);
  return o;
}

export function parseMarketplace(key: string, v: unknown): ImageSource {
  if (v && typeof v === 'object') {
    const o = fields(key, v, ['publisher', 'offer', 'sku', 'version']);
    const p = (k: string) => text(o[k]) ?? bad(key, `${k} is required`);
    return {
      kind: 'marketplace',
      publisher: p('publisher'),
      offer: p('offer'),
      sku: p('sku'),
      version: text(o.version) ?? 'latest',
    };
  }
  const s = text(v) ?? bad(key, 'is empty');
  const parts = s.split(/[\s:]+/);
  if (parts.length !== 4) bad(key, `"${s}" must be "publisher offer sku version" (version may be latest)`);
  const [publisher, offer, sku, version] = parts as [string, string, string, string];
  return { kind: 'marketplace', publisher, offer, sku, version };
}

/**
 * LISA's forms: `gallery/definition/version`, `subscription/resource_group/gallery/definition/version`,
 * or `{subscription_id, resource_group_name, image_gallery, image_definition, image_version}`; also a
 * directly shared gallery's `/SharedGalleries/<unique>/Images/<definition>/Versions/<version>`.
 */
export function parseSharedGallery(v: unknown): ImageSource {
  const key = 'shared_gallery';
  let o: Record<string, unknown>;
  if (v && typeof v === 'object') {
    o = fields(key, v, [
      'subscription_id',
      'resource_group_name',
      'image_gallery',
      'image_definition',
      'image_version',
    ]);
  } else {
    const s = text(v) ?? bad(key, 'is empty');
    const direct = /^\/SharedGalleries\/([^/]+)\/Images\/([^/]+)\/Versions\/([^/]+)$/i.exec(s);
    if (direct)
      return {
        kind: 'direct_shared_gallery',
        gallery: named(key, 'the gallery', direct[1]),
        definition: named(key, 'the image', direct[2]),
        version: galleryVersion(key, direct[3]),
      };
    const p = s.split(/\/+/).filter(Boolean);
    if (p.length === 3) o = { image_gallery: p[0], image_definition: p[1], image_version: p[2] };
    else if (p.length === 5)
      o = {
        subscription_id: p[0],
        resource_group_name: p[1],
        image_gallery: p[2],
        image_definition: p[3],
        image_version: p[4],
      };
    else
      return bad(
        key,
        `"${s}" must be "gallery/definition/version" or "subscription/resource_group/gallery/definition/version"`,
      );
  }
  const sub = text(o.subscription_id);
  if (sub && !/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(sub))
    bad(key, `subscription_id "${sub}" is not a subscription id (a GUID)`);
  const rg = text(o.resource_group_name);
  if (rg && !/^[-\w.()]{1,90}$/.test(rg)) bad(key, `resource_group_name "${rg}" is not a valid resource group name`);
  return {
    kind: 'shared_gallery',
    ...(sub ? { subscriptionId: sub } : {}),
    ...(rg ? { resourceGroup: rg } : {}),
    gallery: named(key, 'image_gallery', o.image_gallery),
    definition: named(key, 'image_definition', o.image_definition),
    version: galleryVersion(key, o.image_version),
  };
}

/** `location/gallery/definition/version` or `{image_gallery, image_definition, image_version, location}`. */
export function parseCommunityGallery(v: unknown): ImageSource {
  const key = 'community_gallery_image';
  let o: Record<string, unknown>;
  if (v && typeof v === 'object')
    o = fields(key, v, ['image_gallery', 'image_definition', 'image_version', 'location']);
  else {
    const s = text(v) ?? bad(key, 'is empty');
    const p = s.split(/\/+/).filter(Boolean);
    if (p.length !== 4) return bad(key, `"${s}" must be "location/gallery/definition/version"`);
    o = { location: p[0], image_gallery: p[1], image_definition: p[2], image_version: p[3] };
  }
  const location = text(o.location);
  if (location && !/^[a-z0-9]+$/i.test(location)) bad(key, `location "${location}" is not an Azure region name`);
  return {
    kind: 'community_gallery',
    ...(location ? { location: location.toLowerCase() } : {}),
    gallery: named(key, 'image_gallery', o.image_gallery),
    definition: named(key, 'image_definition', o.image_definition),
    version: galleryVersion(key, o.image_version),
  };
}

/** A page-blob URL (`https://<account>.blob.<suffix>/<container>/<name>.vhd`, SAS allowed) or `{vhd_path, vmgs_path}`. */
export function parseVhd(v: unknown): ImageSource {
  const key = 'vhd';
  let path: string;
  let vmgs: string | undefined;
  if (v && typeof v === 'object') {
    const o = fields(key, v, ['vhd_path', 'vmgs_path']);
    path = text(o.vhd_path) ?? bad(key, 'vhd_path is required');
    vmgs = text(o.vmgs_path);
  } else path = text(v) ?? bad(key, 'is empty');
  const check = (what: string, url: string) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return bad(key, `${what} is not a URL (a blob URL like https://account.blob.core.windows.net/vhds/image.vhd)`);
    }
    if (u.protocol !== 'https:') bad(key, `${what} must be an https blob URL`);
    if (u.pathname.split('/').filter(Boolean).length < 2) bad(key, `${what} must name a container and a blob`);
  };
  check('vhd_path', path);
  if (!/\.vhd$/i.test(new URL(path).pathname)) bad(key, 'vhd_path must be a .vhd blob (Azure boots fixed-size VHDs)');
  if (vmgs) {
    check('vmgs_path', vmgs);
    bad(key, 'vmgs_path (a confidential VM guest state blob) is not supported yet; give vhd_path only');
  }
  return { kind: 'vhd', vhdPath: path, ...(vmgs ? { vmgsPath: vmgs } : {}) };
}

/** The one image key the runbook gives, parsed; two image keys at once is an error, none the default. */
export function parseImageSource(given: Partial<Record<ImageKey, unknown>>, fallback: string): ImageSource {
  const set = (Object.keys(given) as ImageKey[]).filter((k) => {
    const v = given[k];
    return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
  });
  const distinct = set.filter((k) => !(k === 'marketplace' && set.includes('marketplace_image')));
  if (distinct.length > 1) bad(distinct[1]!, `only one image key may be given (also ${distinct[0]})`);
  const key = distinct[0];
  switch (key) {
    case undefined:
      return parseMarketplace('marketplace_image', fallback);
    case 'shared_gallery':
      return parseSharedGallery(given.shared_gallery);
    case 'community_gallery_image':
      return parseCommunityGallery(given.community_gallery_image);
    case 'vhd':
      return parseVhd(given.vhd);
    default:
      return parseMarketplace(key, given[key]);
  }
}

/** For reports and logs: LISA's image name, with a VHD's SAS query left out. */
export function imageName(s: ImageSource): string {
  switch (s.kind) {
    case 'marketplace':
      return `${s.publisher} ${s.offer} ${s.sku} ${s.version}`;
    case 'shared_gallery':
      return [s.subscriptionId, s.resourceGroup, s.gallery, s.definition, s.version].filter(Boolean).join('/');
    case 'direct_shared_gallery':
      return sharedGalleryImageId(s);
    case 'community_gallery':
      return [s.location, s.gallery, s.definition, s.version].filter(Boolean).join('/');
    case 'vhd':
      return s.vhdPath.split('?')[0]!;
  }
}

const sharedGalleryImageId = (s: { gallery: string; definition: string; version: string }) =>
  `/SharedGalleries/${s.gallery}/Images/${s.definition}/Versions/${s.version}`;

/** A gallery image version's resource id, as `imageReference.id` takes it. */
export function galleryImageVersionId(
  s: Extract<ImageSource, { kind: 'shared_gallery' }>,
  subscription: string,
): string {
  return (
    `/subscriptions/${s.subscriptionId ?? subscription}/resourceGroups/${s.resourceGroup}` +
    `/providers/Microsoft.Compute/galleries/${s.gallery}/images/${s.definition}/versions/${s.version}`
  );
}

/**
 * The VM's `storageProfile.imageReference` for a resolved source, in the REST API's shapes:
 * marketplace by publisher/offer/sku/version; a gallery in a subscription by `id`; a directly shared
 * gallery by `sharedGalleryImageId`; a community gallery by `communityGalleryImageId`; a VHD by the
 * `id` of the managed image made from it (`managedImageId`), as LISA's template does.
 */
export function imageReference(s: ImageSource, subscription: string, managedImageId?: string): ImageReference {
  switch (s.kind) {
    case 'marketplace':
      return { publisher: s.publisher, offer: s.offer, sku: s.sku, version: s.version };
    case 'shared_gallery':
      if (!s.resourceGroup) throw new Error(`azure: shared gallery ${s.gallery}: its resource group was not resolved`);
      return { id: galleryImageVersionId(s, subscription) };
    case 'direct_shared_gallery':
      return { sharedGalleryImageId: sharedGalleryImageId(s) };
    case 'community_gallery':
      return {
        communityGalleryImageId: `/CommunityGalleries/${s.gallery}/Images/${s.definition}/Versions/${s.version}`,
      };
    case 'vhd':
      if (!managedImageId) throw new Error('azure: vhd: the managed image was not created');
      return { id: managedImageId };
  }
}

/** The managed image a VHD becomes (`Microsoft.Compute/images`): a generalized Linux OS disk from the blob. */
export function managedImageFromVhd(
  s: Extract<ImageSource, { kind: 'vhd' }>,
  location: string,
  generation: 'V1' | 'V2',
): Image {
  return {
    location,
    hyperVGeneration: generation,
    storageProfile: {
      osDisk: { osType: 'Linux', osState: 'Generalized', blobUri: s.vhdPath, storageAccountType: 'Standard_LRS' },
    },
  };
}
