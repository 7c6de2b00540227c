import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { armError, withArmRetry } from '../../../src/platform/azure/errors.js';
import { compareVersions } from '../../../src/platform/azure/image.js';
import { parseDuration } from '../../../src/platform/azure/reap.js';
import { chooseSizes, sizesIn } from '../../../src/platform/azure/sizes.js';

const sku = (name: string, cores: number, gb: number, restricted = false) => ({
  resourceType: 'virtualMachines',
  name,
  family: 'f',
  locations: ['westus3'],
  capabilities: [
    { name: 'vCPUs', value: String(cores) },
    { name: 'MemoryGB', value: String(gb) },
    { name: 'MaxDataDiskCount', value: '4' },
  ],
  restrictions: restricted ? [{ type: 'Location', reasonCode: 'NotAvailableForSubscription' }] : [],
});
const skus = [
  sku('Standard_D4s_v5', 4, 16),
  sku('Standard_B2s', 2, 4),
  sku('Standard_B1s', 1, 1),
  sku('Standard_D2s_v5', 2, 8, true),
] as never[];

describe('azure VM size choice', () => {
  it('drops restricted sizes and sorts smallest sufficient first', () => {
    const r = chooseSizes(sizesIn(skus, 'WestUS3'), { cores: 2, memoryMiB: 0, dataDisks: 0, nics: 1 }, []);
    assert.ok('sizes' in r);
    assert.deepEqual(
      r.sizes.map((s) => s.name),
      ['Standard_B2s', 'Standard_D4s_v5'],
    );
  });
  it('names the unmet item and the closest size when nothing fits', () => {
    const r = chooseSizes(sizesIn(skus, 'westus3'), { cores: 8, memoryMiB: 0, dataDisks: 0, nics: 1 }, []);
    assert.deepEqual(r, { unmet: '8 cores (closest size Standard_D4s_v5: 4 cores, 16384 MiB)' });
  });
  it('keeps the runbook order of vm_size and says which ones are not offered', () => {
    const avail = sizesIn(skus, 'westus3');
    const need = { cores: 1, memoryMiB: 0, dataDisks: 0, nics: 1 };
    const r = chooseSizes(avail, need, ['Standard_D4s_v5', 'Standard_B1s']);
    assert.ok('sizes' in r);
    assert.deepEqual(
      r.sizes.map((s) => s.name),
      ['Standard_D4s_v5', 'Standard_B1s'],
    );
    assert.deepEqual(chooseSizes(avail, need, ['Standard_D2s_v5']), {
      unmet: 'vm_size Standard_D2s_v5 (not offered here)',
    });
  });
});

describe('azure errors', () => {
  const restError = (status: number, code: string, retryAfter?: string) =>
    Object.assign(new Error(`${code} message`), {
      statusCode: status,
      code,
      response: { headers: { get: (n: string) => (n === 'retry-after' ? retryAfter : undefined) } },
    });
  it('reads the code of a failed long-running operation from its message', () => {
    const info = armError(
      new Error('The long-running operation has failed. OSProvisioningTimedOut. OS Provisioning timed out'),
    );
    assert.equal(info.code, 'OSProvisioningTimedOut');
  });
  it('retries 429 without Retry-After and 409 conflicts, boundedly, then fails in one line', async () => {
    let calls = 0;
    const v = await withArmRetry(
      'x',
      async () => {
        if (++calls < 3)
          throw restError(
            calls === 1 ? 429 : 409,
            calls === 1 ? 'TooManyRequests' : 'ConflictingConcurrentWriteNotAllowed',
          );
        return 'done';
      },
      { baseMs: 1 },
    );
    assert.equal(v, 'done');
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(
      withArmRetry(
        'creating VM node-0',
        async () => {
          calls++;
          throw restError(429, 'TooManyRequests');
        },
        { baseMs: 1, attempts: 4 },
      ),
      /^Error: azure: creating VM node-0 failed \(TooManyRequests\): TooManyRequests message \[after 4 attempts\]$/,
    );
    assert.equal(calls, 4);
  });
  it('does not retry quota or SKU errors', async () => {
    let calls = 0;
    await assert.rejects(
      withArmRetry(
        'x',
        async () => {
          calls++;
          throw restError(409, 'SkuNotAvailable');
        },
        { baseMs: 1 },
      ),
      /SkuNotAvailable/,
    );
    assert.equal(calls, 1);
  });
});

describe('azure helpers', () => {
  it('orders image versions numerically', () => {
    assert.deepEqual(['1.0.9', '1.0.10', '0.9.99'].sort(compareVersions), ['0.9.99', '1.0.9', '1.0.10']);
  });
  it('parses --older-than durations', () => {
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('30m'), 1_800_000);
    assert.throws(() => parseDuration('soon'), /--older-than soon/);
  });
});
