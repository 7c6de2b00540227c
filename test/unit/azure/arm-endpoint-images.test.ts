// The loopback ARM endpoint's checks on a VM's imageReference: the shapes and error codes ARM uses,
// so a platform that sends a malformed reference fails here as it would on Azure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkImageReference } from '../../helpers/arm-endpoint/images.js';
import type { Ctx } from '../../helpers/arm-endpoint/resources.js';
import { ArmStore } from '../../helpers/arm-endpoint/store.js';

const SUB = '00000000-0000-4000-8000-0000000000a1';
const ctx = { store: new ArmStore(), sub: SUB } as unknown as Ctx;
const code = (ref: unknown) => {
  const r = checkImageReference(ctx, ref, 'westus3') as
    | { status: number; body: { error: { code: string; message: string } } }
    | undefined;
  return r && `${r.status} ${r.body.error.code}: ${r.body.error.message}`;
};
const gallery = (v: string) =>
  `/subscriptions/${SUB}/resourceGroups/lisa-images/providers/Microsoft.Compute/galleries/lisa_gallery/images/debian-12/versions/${v}`;

describe('arm-endpoint imageReference checks', () => {
  it('accepts each documented shape that names a known image', () => {
    assert.equal(code({ publisher: 'p', offer: 'o', sku: 's', version: '1.0.0' }), undefined);
    assert.equal(code({ id: gallery('1.2.0') }), undefined);
    assert.equal(
      code({ communityGalleryImageId: '/CommunityGalleries/lisa-community-5f2a9c/Images/debian-12/Versions/2025.2.0' }),
      undefined,
    );
  });

  it('rejects malformed references with 400 InvalidParameter naming the field', () => {
    assert.equal(
      code({ id: '/galleries/lisa_gallery/images/debian-12' }),
      '400 InvalidParameter: The value of parameter imageReference.id is invalid.',
    );
    assert.match(
      code({ communityGalleryImageId: 'lisa-community-5f2a9c/debian-12/1.0.0' })!,
      /^400 InvalidParameter: .*imageReference\.communityGalleryImageId is invalid/,
    );
    assert.match(
      code({ sharedGalleryImageId: '/SharedGalleries/x/Images/y' })!,
      /^400 InvalidParameter: .*sharedGalleryImageId is invalid/,
    );
    assert.match(
      code({ id: gallery('1.2.0'), publisher: 'p', offer: 'o', sku: 's' })!,
      /^400 InvalidParameter: Only one of .*marketplace, id/,
    );
    assert.match(code(undefined)!, /^400 InvalidParameter: Required parameter 'imageReference' is missing/);
    assert.match(
      code({ publisher: 'p', offer: 'o' })!,
      /^400 InvalidParameter: .*publisher, offer, sku and version are required/,
    );
  });

  it('answers an unknown image with 404', () => {
    assert.match(code({ id: gallery('9.9.9') })!, /^404 GalleryImageNotFound: /);
    assert.match(
      code({ communityGalleryImageId: '/CommunityGalleries/nope/Images/debian-12/Versions/1.0.0' })!,
      /^404 GalleryImageNotFound/,
    );
    assert.match(
      code({ id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/images/missing` })!,
      /^404 NotFound: The Image/,
    );
  });
});
