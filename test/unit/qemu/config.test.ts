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
  });

  it('checks a hand-built config with the runbook schema: one set of rules', () => {
    // The schema's rule for memory_mb is a positive integer (the old hand check wanted >= 128).
    assert.equal(parseQemuOptions({ options: { memory_mb: 64 } }).memoryMiB, 64);
    assert.throws(() => parseQemuOptions({ options: { memory_mb: 0 } }), /memory_mb/);
    assert.throws(() => parseQemuOptions({ options: { memory_mb: 'lots' as never } }), /memory_mb/);
    assert.throws(() => parseQemuOptions({ options: { accel: 'hvf' as never } }), /accel/);
  });

  it('resolves relative paths against the runbook that declared the platform', () => {
    const o = parseQemuOptions({
      baseDir: '/lab/runbooks',
      options: { image: 'disks/x.qcow2', kernel: '../k/vmlinuz' },
    });
    assert.deepEqual(o.image, { disk: '/lab/runbooks/disks/x.qcow2', format: 'qcow2' });
    assert.equal(o.kernel, '/lab/k/vmlinuz');
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
    assert.match(cores.ok ? '' : cores.unmet, /^4096 cores \(has \d+\)$/);
    assert.deepEqual(await p.match({ features: ['Gpu'] }), {
      ok: false,
      unmet: 'feature Gpu (platform qemu offers SerialConsole, StartStop, Disk)',
    });
    assert.deepEqual(await p.match({ supportedPlatforms: ['azure'] }), {
      ok: false,
      unmet: 'platform azure (environment is qemu)',
    });
    assert.deepEqual(await p.match({ supportedOs: ['redhat'] }), {
      ok: false,
      unmet: 'OS redhat (node runs Debian GNU/Linux 12 (bookworm))',
    });
    assert.deepEqual(await p.match({ nodes: 9 }), { ok: false, unmet: '9 nodes (environment has 8)' });
    const memory = await p.match({ nodes: 8, minMemoryMiB: 1 << 30 });
    assert.match(memory.ok ? '' : memory.unmet, /^1073741824 MiB memory on node 1 \(has \d+\)$/);
  });
});
