import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BootServer, ipxeScript } from '../../../src/platform/baremetal/boot-server.js';
import { tempDir } from '../../helpers/cli.js';

describe('bare-metal boot server', () => {
  it('serves each machine its iPXE script and listed files only', async () => {
    const dir = tempDir('lisa-boot-');
    writeFileSync(join(dir, 'vmlinuz'), 'KERNEL');
    const s = new BootServer('127.0.0.1', 0, 'http://10.0.2.2:9999');
    s.set('server1', {
      script: ipxeScript('root=/dev/vda console=ttyS0', false),
      files: { kernel: join(dir, 'vmlinuz') },
    });
    await s.start();
    try {
      const base = `http://127.0.0.1:${s.boundPort}`;
      const script = await (await fetch(`${base}/server1/boot.ipxe`)).text();
      assert.equal(script, '#!ipxe\nkernel http://10.0.2.2:9999/server1/kernel root=/dev/vda console=ttyS0\nboot\n');
      assert.equal(await (await fetch(`${base}/server1/kernel`)).text(), 'KERNEL');
      assert.equal((await fetch(`${base}/server1/initrd`)).status, 404);
      assert.equal((await fetch(`${base}/server2/boot.ipxe`)).status, 404);
      assert.equal((await fetch(`${base}/server1/..%2F..%2Fetc%2Fpasswd`)).status, 404);
      assert.deepEqual(s.served.slice(0, 2), ['server1/boot.ipxe 200', 'server1/kernel 200']);
    } finally {
      await s.close();
    }
  });

  it('a taken port is a one-line error naming it', async () => {
    const a = new BootServer('127.0.0.1', 0);
    await a.start();
    const b = new BootServer('127.0.0.1', a.boundPort);
    await assert.rejects(
      b.start(),
      new RegExp(`boot server cannot listen on 127\\.0\\.0\\.1:${a.boundPort}: port in use`),
    );
    await a.close();
  });
});
