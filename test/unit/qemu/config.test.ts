import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQemuOptions } from '../../../src/platform/qemu/config.js';
import { QemuPlatform } from '../../../src/platform/qemu/platform.js';

describe('qemu options', () => {
  it('defaults to the builtin image, auto accelerator, warm start and a private network', () => {
    const o = parseQemuOptions({ type: 'qemu', keepEnvironment: 'no', options: {} });
    assert.equal(o.image, 'builtin');
    assert.equal(o.accel, 'auto');
    assert.equal(o.warmStart, true);
    assert.equal(o.privateNetwork, true);
    assert.equal(o.memoryMiB, 1024);
    assert.equal(o.bootTimeoutMs, 300_000);
    assert.equal(o.username, 'lisa');
  });

  it('takes an existing disk image with a kernel, and names the key of a bad value', () => {
    const o = parseQemuOptions({
      type: 'qemu',
      keepEnvironment: 'failed',
      options: { image: '/img/cloud.raw', kernel: '/img/vmlinuz', boot_timeout: 60 },
    });
    assert.deepEqual(o.image, { disk: '/img/cloud.raw', format: 'raw' });
    assert.equal(o.kernel, '/img/vmlinuz');
    assert.equal(o.bootTimeoutMs, 60_000);
    assert.equal(o.keepEnvironment, 'failed');
    assert.throws(() => parseQemuOptions({ options: { memory_mb: 'lots' } }), /qemu\.memory_mb: expected a number/);
    assert.throws(() => parseQemuOptions({ options: { accel: 'hvf' } }), /qemu\.accel: expected auto, kvm or tcg/);
  });
});

describe('QemuPlatform.match', () => {
  const p = new QemuPlatform({ type: 'qemu', keepEnvironment: 'no', options: {} });
  it('accepts what the host can run and names the first unmet item otherwise', async () => {
    assert.deepEqual(
      await p.match({ nodes: 2, features: ['Disk', 'SerialConsole', 'StartStop'], supportedOs: ['debian'] }),
      { ok: true },
    );
    const cores = await p.match({ minCores: 4096 });
    assert.match(cores.ok ? '' : cores.unmet, /4096 cores \(this host has \d+\)/);
    assert.deepEqual(await p.match({ features: ['Gpu'] }), {
      ok: false,
      unmet: 'feature Gpu (qemu offers SerialConsole, StartStop, Disk)',
    });
    assert.deepEqual(await p.match({ supportedPlatforms: ['azure'] }), {
      ok: false,
      unmet: 'platform azure (this is qemu)',
    });
    assert.deepEqual(await p.match({ supportedOs: ['redhat'] }), {
      ok: false,
      unmet: 'OS redhat (the builtin qemu image is Debian 12)',
    });
    assert.equal((await p.match({ nodes: 9 })).ok, false);
  });
});
