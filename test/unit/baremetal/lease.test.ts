import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { acquireLease, LeaseBusyError } from '../../../src/platform/baremetal/lease.js';
import { tempDir } from '../../helpers/cli.js';

describe('bare-metal machine leases', () => {
  it('a second lease of the same machine fails naming the holder, and succeeds once released', async () => {
    const dir = tempDir('lisa-lease-');
    const a = await acquireLease(dir, 'server1', '/runs/a');
    await assert.rejects(acquireLease(dir, 'server1', '/runs/b'), (e: Error) => {
      assert.ok(e instanceof LeaseBusyError);
      assert.match(
        e.message,
        new RegExp(`machine server1 is leased by another run \\(pid ${process.pid} on .*run /runs/a\\)`),
      );
      return true;
    });
    const other = await acquireLease(dir, 'server2', '/runs/b');
    await a.release();
    const b = await acquireLease(dir, 'server1', '/runs/b');
    await b.release();
    await other.release();
  });

  it('is respected by another process, and waited for up to the lease timeout', async () => {
    const dir = tempDir('lisa-lease-');
    const lease = await acquireLease(dir, 'm', '/runs/a');
    // The other run is a real second process trying the same lock.
    const mod = new URL('../../../src/platform/baremetal/lease.js', import.meta.url).href;
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { acquireLease } = await import(${JSON.stringify(mod)});
         const t = Date.now(); console.log('start');
         const l = await acquireLease(${JSON.stringify(dir)}, 'm', '/runs/child', { waitMs: 20000 });
         console.log('got', Date.now() - t); await l.release();`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // Node starts slowly on a busy host: wait until the child is at the lock, then a second more.
    while (!out.includes('start')) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(!out.includes('got'), 'the child must still be waiting');
    await lease.release();
    await new Promise((r) => child.on('close', r));
    const waited = Number(/got (\d+)/.exec(out)?.[1]);
    assert.ok(waited >= 1000, out);
  });

  it('takes over the lease of a process that died', async () => {
    const dir = tempDir('lisa-lease-');
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('close', r));
    writeFileSync(
      join(dir, 'server1.lease'),
      JSON.stringify({ pid: dead.pid, host: hostname(), runDir: '/runs/dead', since: new Date().toISOString() }),
    );
    const l = await acquireLease(dir, 'server1', '/runs/new');
    await l.release();
    assert.equal(existsSync(join(dir, 'server1.lease')), false);
  });
});
