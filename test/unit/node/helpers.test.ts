import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countDataDisks, parseCapability } from '../../../src/node/capability.js';
import { ChannelLimiter } from '../../../src/node/channel-limiter.js';
import { commandBody, shellInvocation, stdinFor } from '../../../src/node/command-line.js';
import { killTreeScript } from '../../../src/node/kill-tree.js';
import { PidMarkerFilter, PID_MARKER } from '../../../src/node/pid-marker.js';

describe('command line building', () => {
  it('exports env and changes directory before the command', () => {
    assert.equal(
      commandBody('ls; pwd', { cwd: '/a b', env: { X: "it's" } }),
      "export X='it'\\''s'\ncd '/a b' || exit 1\nls; pwd",
    );
    assert.throws(() => commandBody('x', { env: { 'A-B': '1' } }), /invalid environment variable name "A-B"/);
  });

  it('wraps for sudo without and with a password', () => {
    assert.equal(shellInvocation('id', undefined), 'sh -c id');
    assert.equal(shellInvocation('id', { kind: 'root' }), 'sh -c id');
    assert.equal(shellInvocation('id -u', { kind: 'nopasswd' }), "sudo -n -- sh -c 'id -u'");
    assert.equal(shellInvocation('id', { kind: 'password', password: 'pw' }), "sudo -k -S -p '' -- sh -c id");
    assert.equal(stdinFor({ kind: 'password', password: 'pw' }, 'data')?.toString(), 'pw\ndata');
    assert.equal(stdinFor({ kind: 'nopasswd' }, undefined), undefined);
  });

  it('builds a kill script only for sane pids', () => {
    assert.match(killTreeScript(1234), /^root=1234\n/);
    assert.throws(() => killTreeScript(1), /refusing/);
  });
});

describe('PidMarkerFilter', () => {
  it('strips the marker line, split across chunks, and keeps what follows', () => {
    const f = new PidMarkerFilter();
    assert.equal(f.push(Buffer.from(PID_MARKER.slice(0, 4))).length, 0);
    assert.equal(f.push(Buffer.from(`${PID_MARKER.slice(4)}42`)).length, 0);
    assert.equal(f.push(Buffer.from('\nhello')).toString(), 'hello');
    assert.equal(f.pid, 42);
    assert.equal(f.push(Buffer.from(' world')).toString(), ' world');
    assert.equal(f.end().length, 0);
  });

  it('passes everything through when no marker comes', () => {
    const f = new PidMarkerFilter();
    assert.equal(f.push(Buffer.from('plain')).length, 0);
    assert.equal(f.end().toString(), 'plain');
    assert.equal(f.pid, undefined);
  });
});

describe('ChannelLimiter', () => {
  it('never exceeds the limit and serves waiters in order', async () => {
    const limiter = new ChannelLimiter(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, async (_, i) => {
        const release = await limiter.acquire();
        active++;
        peak = Math.max(peak, active);
        order.push(i);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        release();
        release(); // a second release is ignored
      }),
    );
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(limiter.inUse, 0);
  });
});

describe('capability parsing', () => {
  it('reads cores, memory and data disks (minus the root disk, found through LVM)', () => {
    const lsblk = JSON.stringify({
      blockdevices: [
        {
          name: 'sda',
          type: 'disk',
          mountpoint: null,
          children: [
            { name: 'sda1', type: 'part', mountpoint: '/boot' },
            {
              name: 'sda2',
              type: 'part',
              mountpoint: null,
              children: [{ name: 'vg-root', type: 'lvm', mountpoint: '/' }],
            },
          ],
        },
        { name: 'sdb', type: 'disk', mountpoint: null },
        { name: 'nvme0n1', type: 'disk', mountpoints: [null] },
        { name: 'sr0', type: 'rom', mountpoint: null },
        { name: 'loop0', type: 'loop', mountpoint: '/snap/x' },
      ],
    });
    const cap = parseCapability(`4\n@@mem\nMemTotal:        8029180 kB\n@@lsblk\n${lsblk}\n`);
    assert.deepEqual(cap, { cores: 4, memoryMiB: 7840, dataDisks: 2, features: [] });
    assert.equal(countDataDisks('not json'), 0);
  });
});

describe('untilAborted', () => {
  it('passes values through, and on abort resolves undefined and disposes the late value', async () => {
    const { untilAborted } = await import('../../../src/node/abortable.js');
    assert.equal(await untilAborted(Promise.resolve(1), undefined, () => {}), 1);
    const ac = new AbortController();
    const disposed: number[] = [];
    let finish!: (v: number) => void;
    const pending = untilAborted(new Promise<number>((r) => (finish = r)), ac.signal, (v) => disposed.push(v));
    ac.abort();
    assert.equal(await pending, undefined);
    finish(7);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(disposed, [7]);
    // A late rejection after the abort is not an unhandled rejection.
    await untilAborted(Promise.reject(new Error('late')), AbortSignal.abort(), () => {});
  });
});
