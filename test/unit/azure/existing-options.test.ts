import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAzureOptions } from '../../../src/platform/azure/options.js';
import type { PlatformConfig } from '../../../src/runbook/types.js';

const config = (azure: Record<string, unknown>, extra: Partial<PlatformConfig> = {}): PlatformConfig => ({
  type: 'azure',
  keepEnvironment: 'no',
  baseDir: '/tmp',
  options: { subscription_id: '00000000-0000-4000-8000-0000000000a1', ...azure },
  ...extra,
});

describe('azure resource_group_name and deploy: false', () => {
  it('deploy: false with a group and a key: no deploy, the group named', () => {
    const o = parseAzureOptions(
      config({ resource_group_name: 'team-rg', deploy: false }, { adminPrivateKeyFile: '/k/id_ed25519' }),
    );
    assert.equal(o.deploy, false);
    assert.equal(o.resourceGroupName, 'team-rg');
    // LISA runbooks write booleans as strings too.
    const s = parseAzureOptions(
      config({ resource_group_name: 'team-rg', deploy: 'false' }, { adminPrivateKeyFile: '/k' }),
    );
    assert.equal(s.deploy, false);
  });

  it('each wrong combination is one line naming the key', () => {
    assert.throws(
      () => parseAzureOptions(config({ deploy: false })),
      /^Error: runbook platform azure\.deploy: false needs resource_group_name/,
    );
    assert.throws(
      () => parseAzureOptions(config({ deploy: false, resource_group_name: 'rg' })),
      /deploy: false needs admin_private_key_file/,
    );
    assert.throws(
      () => parseAzureOptions(config({ resource_group_name: 'rg' })),
      /^Error: runbook platform azure\.resource_group_name: deploying into a named group is not supported; add deploy: false/,
    );
    // LISA passes "" for unset keys: that is no group at all.
    assert.equal(parseAzureOptions(config({ resource_group_name: '', deploy: '' })).deploy, true);
  });

  it('an image key that does not parse stops the platform with the key named', () => {
    assert.throws(
      () => parseAzureOptions(config({ community_gallery_image: 'gallery/image/1.0.0' })),
      /^Error: runbook platform azure\.community_gallery_image: "gallery\/image\/1\.0\.0" must be "location\/gallery\/definition\/version"$/,
    );
    const o = parseAzureOptions(
      config({ vhd: { vhd_path: 'https://a.blob.core.windows.net/c/d.vhd' }, hyperv_generation: 2 }),
    );
    assert.equal(o.image.kind, 'vhd');
    assert.equal(o.vhdGeneration, 'V2');
  });
});
