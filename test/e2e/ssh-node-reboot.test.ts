import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { NodeUnreachableError } from '../../src/node/types.js';
import { processesMatching, sshNodeFor } from '../helpers/ssh-node.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

describe('SshNode: lost connections and reboots', () => {
  let sshd: Sshd;
  before(async () => {
    sshd = await startSshd();
  });
  after(async () => {
    await sshd?.stop();
  });

  it('a command in flight when the connection drops rejects clearly; the next one reconnects', async () => {
    const t = sshNodeFor(sshd);
    await t.node.execute('true');
    const started = performance.now();
    const pending = t.node.execute('sleep 95; echo never');
    // Settles while kill() restarts sshd; keep the rejection handled.
    const settled = pending.then(
      () => assert.fail('should have rejected'),
      (e: unknown) => ({ error: e, ms: performance.now() - started }),
    );
    await new Promise((r) => setTimeout(r, 300));
    await sshd.kill();
    const { error, ms } = await settled;
    assert.ok(ms < 3000, `rejected after ${ms} ms`);
    await assert.rejects(Promise.reject(error), (e: unknown) => {
      assert.ok(e instanceof NodeUnreachableError);
      assert.match(e.message, /connection to lisatest@127\.0\.0\.1:\d+ was lost while a command was running/);
      return true;
    });
    assert.equal((await t.node.execute('echo again')).stdout, 'again\n');
    assert.equal(t.lines.filter((l) => l.includes('ssh connected')).length, 2);
    await t.node.close();
  });

  it('a hung node (no TCP reset) is detected by keepalives instead of hanging forever', async () => {
    const t = sshNodeFor(sshd, {}, { keepaliveIntervalMs: 300, connectTimeoutMs: 2000 });
    await t.node.execute('true');
    const started = performance.now();
    const pending = t.node.execute('sleep 36.5');
    const settled = pending.then(
      () => assert.fail('should have rejected'),
      (e: unknown) => e as Error,
    );
    await new Promise((r) => setTimeout(r, 200));
    sshd.freeze();
    try {
      const error = await settled;
      assert.match(error.message, /was lost while a command was running/);
      assert.ok(performance.now() - started < 5000);
      assert.equal(await t.node.isAlive(1500), false);
    } finally {
      sshd.thaw();
    }
    assert.equal((await t.node.execute('echo thawed')).stdout, 'thawed\n');
    // The command outlived its connection (nothing could kill it): clean it up by pid.
    const left = (await processesMatching(t.node, 'sleep 36.5')).map((l) => l.trim().split(/\s+/)[0]);
    if (left.length) await t.node.execute(`kill -9 ${left.join(' ')}`);
    await t.node.close();
  });

  it('an abort also ends a command still waiting to connect', async () => {
    const { freePort } = await import('../helpers/ssh-proc.js');
    const t = sshNodeFor(sshd, { port: await freePort() }, { connectTimeoutMs: 60_000 });
    const started = performance.now();
    await assert.rejects(t.node.execute('true', { signal: AbortSignal.timeout(500) }), { name: 'TimeoutError' });
    assert.ok(performance.now() - started < 3000);
    // close() also stops the connect still retrying in the background.
    await t.node.close();
  });

  it('an idle connection that died is replaced transparently', async () => {
    const t = sshNodeFor(sshd);
    await t.node.execute('true');
    await sshd.kill();
    assert.equal((await t.node.execute('echo fine')).stdout, 'fine\n');
    assert.equal(await t.node.isAlive(), true);
    await t.node.close();
  });

  it('reboot() waits for the node to come back with a new boot id', async () => {
    const t = sshNodeFor(sshd);
    const before = readFileSync(sshd.bootIdFile, 'utf8');
    const started = performance.now();
    await t.node.reboot({ timeoutMs: 30_000 });
    const after = readFileSync(sshd.bootIdFile, 'utf8');
    assert.notEqual(after, before);
    assert.equal((await t.node.execute(sshd.bootIdCommand)).stdout, after);
    assert.match(t.lines.join('\n'), /is back after \d+ s/);
    console.log(`simulated reboot round trip: ${Math.round(performance.now() - started)} ms`);
    await t.node.close();
  });

  it('reboot() fails when the boot id never changes', async () => {
    const t = sshNodeFor(sshd, {}, { rebootCommand: 'true' });
    await assert.rejects(
      t.node.reboot({ timeoutMs: 3000 }),
      /reboot of testnode not confirmed within 3 s: the boot id never changed/,
    );
    await t.node.close();
  });
});
