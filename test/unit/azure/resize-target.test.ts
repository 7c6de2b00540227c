import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseResizeTarget } from '../../../src/platform/azure/resize-target.js';
import { sizesIn, type VmSizeInfo } from '../../../src/platform/azure/sizes.js';
import { checkCoresAfterResize, checkMemoryAfterResize } from '../../../testsuites/resize/checks.js';

const sku = (
  name: string,
  cores: number,
  gb: number,
  o: { restricted?: boolean; arch?: string; gen?: string } = {},
) => ({
  resourceType: 'virtualMachines',
  name,
  family: 'f',
  locations: ['westus3'],
  capabilities: [
    { name: 'vCPUs', value: String(cores) },
    { name: 'MemoryGB', value: String(gb) },
    { name: 'CpuArchitectureType', value: o.arch ?? 'x64' },
    { name: 'HyperVGenerations', value: o.gen ?? 'V1,V2' },
  ],
  restrictions: o.restricted ? [{ type: 'Location', reasonCode: 'NotAvailableForSubscription' }] : [],
});
const offered = sizesIn(
  [
    sku('Standard_B1s', 1, 1),
    sku('Standard_B2ts_v2', 2, 1),
    sku('Standard_B2ls_v2', 2, 4),
    sku('Standard_D2s_v5', 2, 8),
    sku('Standard_D4s_v5', 4, 16),
    sku('Standard_D8s_v5', 8, 32, { restricted: true }),
    sku('Standard_D4ps_v5', 4, 16, { arch: 'Arm64' }),
    sku('Standard_D4s_v6', 4, 16, { gen: 'V2' }),
  ] as never[],
  'westus3',
);
const size = (n: string): VmSizeInfo => offered.find((s) => s.name === n)!;
const gen1 = { ...size('Standard_B1s'), generations: ['V1'] };

describe('azure resize target', () => {
  it('increase: the fewest cores above, least memory first; a size off the cluster means deallocate', () => {
    assert.deepEqual(chooseResizeTarget(size('Standard_B1s'), offered, ['Standard_B1s']), {
      size: size('Standard_B2ts_v2'),
      deallocate: true,
    });
  });

  it('among equal core counts, a size the running VM can take (its vmSizes) wins over less memory', () => {
    const r = chooseResizeTarget(size('Standard_B1s'), offered, ['standard_b1s', 'Standard_D2s_v5']);
    assert.deepEqual(r, { size: size('Standard_D2s_v5'), deallocate: false });
  });

  it('decrease: the most cores below the current count', () => {
    const r = chooseResizeTarget(
      size('Standard_D4s_v5'),
      offered,
      offered.map((s) => s.name),
    );
    assert.ok('unmet' in r, 'no larger size: D8s_v5 is restricted, D4ps_v5 is Arm64, D4s_v6 has 4 cores');
    const d = chooseResizeTarget(
      size('Standard_D4s_v5'),
      offered,
      offered.map((s) => s.name),
      { action: 'decrease' },
    );
    assert.deepEqual(d, { size: size('Standard_B2ts_v2'), deallocate: false });
  });

  it('never picks a restricted size, another architecture or a generation the VM lacks', () => {
    const r = chooseResizeTarget(gen1, offered, [], { cores: 4 });
    assert.deepEqual(r, { size: size('Standard_D4s_v5'), deallocate: true });
    const none = chooseResizeTarget(gen1, offered, [], { cores: 8 });
    assert.ok('unmet' in none);
    assert.match(none.unmet, /^a size with 8 cores \(offered: Standard_B2ls_v2 2c, .*Standard_D4s_v5 4c\)$/);
    assert.doesNotMatch(none.unmet, /D8s|D4ps|v6/);
  });

  it('a named size: found case-insensitively, or a one-line reason', () => {
    assert.deepEqual(chooseResizeTarget(size('Standard_B1s'), offered, [], { size: 'standard_d2s_v5' }), {
      size: size('Standard_D2s_v5'),
      deallocate: true,
    });
    const same = chooseResizeTarget(size('Standard_B1s'), offered, [], { size: 'Standard_B1s' });
    assert.deepEqual(same, { unmet: 'size Standard_B1s (the VM already has it)' });
    const restricted = chooseResizeTarget(size('Standard_B1s'), offered, [], { size: 'Standard_D8s_v5' });
    assert.ok('unmet' in restricted && /Standard_D8s_v5 \(not offered/.test(restricted.unmet));
  });

  it('nothing larger: names what is offered', () => {
    const top = chooseResizeTarget(
      size('Standard_D4s_v5'),
      offered.filter((s) => s.cores <= 4),
      [],
    );
    assert.ok('unmet' in top);
    assert.match(top.unmet, /^a size with more than 4 cores \(offered: /);
  });
});

describe('resize suite checks', () => {
  const result = { node: 'n0', oldSize: 'Standard_B1s', newSize: 'Standard_B2ts_v2', cores: 2, memoryMiB: 1024 };
  it('pass on the new shape and fail naming both sizes otherwise', () => {
    checkCoresAfterResize('n0', result, 1, 2);
    assert.throws(
      () => checkCoresAfterResize('n0', result, 1, 1),
      /Standard_B1s -> Standard_B2ts_v2.*2 \(Standard_B2ts_v2; 1 before\)/s,
    );
    checkMemoryAfterResize('n0', result, 960 * 1048576);
    assert.throws(() => checkMemoryAfterResize('n0', result, 512 * 1048576), /512 MiB MemTotal/);
    assert.throws(() => checkMemoryAfterResize('n0', result, 4096 * 1048576), /between 819 and 1024 MiB/);
  });
});
