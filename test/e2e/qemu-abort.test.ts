// Ctrl-C in the middle of a deploy (the AbortSignal of PlatformContext) must leave no qemu behind.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { readVmRecords } from '../../src/platform/qemu/registry.js';
import { qemuPidsMatching, qemuTestContext, qemuTestPlatform } from '../helpers/qemu.js';

describe('qemu deploy interrupted', { timeout: 15 * 60_000 }, () => {
  const t = qemuTestContext('qemu-abort');
  const platform = qemuTestPlatform({ warm_start: false });
  after(() => platform.dispose(t.ctx));

  it('kills the booting guests and unregisters them when the run is aborted', async () => {
    await platform.prepare(t.ctx);
    const deploy = platform.deploy({ nodes: 2 }, t.ctx);
    deploy.catch(() => {});
    let pids: number[] = [];
    for (let i = 0; i < 300 && pids.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      pids = await qemuPidsMatching(t.runDir);
    }
    assert.equal(pids.length, 2, 'both guests should be booting');
    assert.equal(readVmRecords(t.runDir).length, 2, 'VMs are registered while they boot');
    await new Promise((r) => setTimeout(r, 2_000));
    const abortedAt = Date.now();
    t.abort.abort();
    await assert.rejects(deploy, /abort/i);
    assert.ok(Date.now() - abortedAt < 10_000, 'deploy must stop promptly');
    assert.deepEqual(await qemuPidsMatching(t.runDir), []);
    assert.deepEqual(readVmRecords(t.runDir), []);
  });
});
