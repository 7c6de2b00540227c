import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  imageName,
  imageReference,
  managedImageFromVhd,
  parseCommunityGallery,
  parseImageSource,
  parseSharedGallery,
  parseVhd,
} from '../../../src/platform/azure/image-source.js';

const SUB = '00000000-0000-4000-8000-0000000000a1';
const oneLine = (re: RegExp) => (e: unknown) => {
  const m = (e as Error).message;
  assert.ok(!m.includes('\n'), m);
  assert.match(m, re);
  return true;
};

describe('azure image sources: parsing LISA keys', () => {
  it('shared_gallery: LISA string forms and mapping', () => {
    assert.deepEqual(parseSharedGallery('lisa_gallery/debian-12/1.2.0'), {
      kind: 'shared_gallery',
      gallery: 'lisa_gallery',
      definition: 'debian-12',
      version: '1.2.0',
    });
    assert.deepEqual(parseSharedGallery(`${SUB}/lisa-images/lisa_gallery/debian-12/latest`), {
      kind: 'shared_gallery',
      subscriptionId: SUB,
      resourceGroup: 'lisa-images',
      gallery: 'lisa_gallery',
      definition: 'debian-12',
      version: 'latest',
    });
    assert.deepEqual(
      parseSharedGallery({
        image_gallery: 'g',
        image_definition: 'd',
        image_version: 'Latest',
        resource_group_name: 'rg',
      }),
      { kind: 'shared_gallery', resourceGroup: 'rg', gallery: 'g', definition: 'd', version: 'latest' },
    );
    assert.deepEqual(parseSharedGallery('/SharedGalleries/abc-GALLERY/Images/debian/Versions/1.0.0'), {
      kind: 'direct_shared_gallery',
      gallery: 'abc-GALLERY',
      definition: 'debian',
      version: '1.0.0',
    });
  });

  it('shared_gallery: bad values give one line naming the key', () => {
    assert.throws(() => parseSharedGallery('g/d'), oneLine(/^runbook platform azure\.shared_gallery: "g\/d" must be/));
    assert.throws(() => parseSharedGallery('g/d/1.2'), oneLine(/shared_gallery: image_version "1\.2" must be major/));
    assert.throws(
      () => parseSharedGallery('not-a-guid/rg/g/d/1.0.0'),
      oneLine(/shared_gallery: subscription_id "not-a-guid"/),
    );
    assert.throws(
      () => parseSharedGallery({ image_gallery: 'g', image_definition: 'd' }),
      oneLine(/shared_gallery: image_version is required/),
    );
    assert.throws(() => parseSharedGallery({ gallery: 'g' }), oneLine(/shared_gallery: unknown key gallery \(known: /));
    assert.throws(() => parseSharedGallery('g w/d/1.0.0'), oneLine(/image_gallery "g w" is not a valid Azure name/));
  });

  it('community_gallery_image: location/gallery/definition/version or the mapping', () => {
    assert.deepEqual(parseCommunityGallery('WestUS3/lisa-community-5f2a9c/debian-12/2025.2.0'), {
      kind: 'community_gallery',
      location: 'westus3',
      gallery: 'lisa-community-5f2a9c',
      definition: 'debian-12',
      version: '2025.2.0',
    });
    assert.deepEqual(parseCommunityGallery({ image_gallery: 'c', image_definition: 'd', image_version: 'latest' }), {
      kind: 'community_gallery',
      gallery: 'c',
      definition: 'd',
      version: 'latest',
    });
    assert.throws(
      () => parseCommunityGallery('c/d/1.0.0'),
      oneLine(/^runbook platform azure\.community_gallery_image: "c\/d\/1\.0\.0" must be "location/),
    );
    assert.throws(
      () => parseCommunityGallery('west us/c/d/1.0.0'),
      oneLine(/location "west us" is not an Azure region/),
    );
  });

  it('vhd: a string or {vhd_path}; must be an https .vhd blob; vmgs_path is refused for now', () => {
    const url = 'https://lisaimages.blob.core.windows.net/vhds/debian-12.vhd?sv=2024&sig=abc';
    assert.deepEqual(parseVhd(url), { kind: 'vhd', vhdPath: url });
    assert.deepEqual(parseVhd({ vhd_path: url }), { kind: 'vhd', vhdPath: url });
    assert.throws(() => parseVhd('debian.vhd'), oneLine(/^runbook platform azure\.vhd: vhd_path is not a URL/));
    assert.throws(() => parseVhd('http://a.blob.core.windows.net/c/x.vhd'), oneLine(/vhd: vhd_path must be an https/));
    assert.throws(() => parseVhd('https://a.blob.core.windows.net/x.vhd'), oneLine(/must name a container and a blob/));
    assert.throws(() => parseVhd('https://a.blob.core.windows.net/c/x.qcow2'), oneLine(/must be a \.vhd blob/));
    assert.throws(() => parseVhd({ vhd_path: url, vmgs_path: url }), oneLine(/vmgs_path .* not supported yet/));
  });

  it('one image key at a time; none means the default marketplace image', () => {
    assert.deepEqual(parseImageSource({ marketplace_image: '', vhd: '' }, 'canonical ubuntu server latest'), {
      kind: 'marketplace',
      publisher: 'canonical',
      offer: 'ubuntu',
      sku: 'server',
      version: 'latest',
    });
    assert.throws(
      () => parseImageSource({ marketplace_image: 'a b c d', shared_gallery: 'g/d/1.0.0' }, 'x'),
      oneLine(/^runbook platform azure\.shared_gallery: only one image key may be given \(also marketplace_image\)$/),
    );
    assert.throws(
      () => parseImageSource({ marketplace: 'a b c' }, 'x'),
      oneLine(/^runbook platform azure\.marketplace: "a b c" must be/),
    );
    assert.deepEqual(parseImageSource({ marketplace: { publisher: 'p', offer: 'o', sku: 's' } }, 'x'), {
      kind: 'marketplace',
      publisher: 'p',
      offer: 'o',
      sku: 's',
      version: 'latest',
    });
  });
});

describe('azure image sources: REST API shapes', () => {
  it('maps each kind to its imageReference field', () => {
    const shared = { ...parseSharedGallery('lisa_gallery/debian-12/1.2.0'), resourceGroup: 'lisa-images' };
    assert.deepEqual(imageReference(shared, SUB), {
      id: `/subscriptions/${SUB}/resourceGroups/lisa-images/providers/Microsoft.Compute/galleries/lisa_gallery/images/debian-12/versions/1.2.0`,
    });
    assert.throws(() => imageReference(parseSharedGallery('g/d/1.0.0'), SUB), /resource group was not resolved/);
    assert.deepEqual(imageReference(parseSharedGallery('/SharedGalleries/u/Images/d/Versions/1.0.0'), SUB), {
      sharedGalleryImageId: '/SharedGalleries/u/Images/d/Versions/1.0.0',
    });
    assert.deepEqual(imageReference(parseCommunityGallery('westus3/c/d/2025.2.0'), SUB), {
      communityGalleryImageId: '/CommunityGalleries/c/Images/d/Versions/2025.2.0',
    });
    const vhd = parseVhd('https://acct.blob.core.windows.net/vhds/d.vhd?sig=secret');
    assert.deepEqual(
      imageReference(vhd, SUB, '/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/images/i'),
      {
        id: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/images/i',
      },
    );
    assert.equal(imageName(vhd), 'https://acct.blob.core.windows.net/vhds/d.vhd', 'no SAS in reports');
    assert.deepEqual(managedImageFromVhd(vhd as never, 'westus3', 'V2'), {
      location: 'westus3',
      hyperVGeneration: 'V2',
      storageProfile: {
        osDisk: {
          osType: 'Linux',
          osState: 'Generalized',
          blobUri: 'https://acct.blob.core.windows.net/vhds/d.vhd?sig=secret',
          storageAccountType: 'Standard_LRS',
        },
      },
    });
  });
});
