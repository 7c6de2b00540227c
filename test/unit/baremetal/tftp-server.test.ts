import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BootServer, ipxeScript } from '../../../src/platform/baremetal/boot-server.js';
import { TftpServer } from '../../../src/platform/baremetal/tftp-server.js';
import { tempDir } from '../../helpers/cli.js';

/** curl's own TFTP client (a second implementation to check ours against); resolves with its exit code. */
function curl(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) =>
    execFile('curl', ['-sS', '--max-time', '60', ...args], (e, _out, stderr) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stderr }),
    ),
  );
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function rrq(file: string, options: Record<string, string> = {}): Buffer {
  const opts = Object.entries(options).map(([k, v]) => `${k}\0${v}\0`);
  return Buffer.from(`\0\x01${file}\0octet\0${opts.join('')}`, 'latin1');
}

function ack(block: number): Buffer {
  return Buffer.from([0, 4, block >> 8, block & 0xff]);
}

/** Collects what a raw UDP client socket receives, with the sender's port (the transfer's TID). */
function rawClient(): { sock: Socket; next: (ms?: number) => Promise<{ msg: Buffer; port: number } | undefined> } {
  const sock = createSocket('udp4');
  const queue: { msg: Buffer; port: number }[] = [];
  let waiter: (() => void) | undefined;
  sock.on('message', (msg, from) => {
    queue.push({ msg, port: from.port });
    waiter?.();
  });
  const next = async (ms = 3000) => {
    if (!queue.length) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, ms);
        waiter = () => {
          clearTimeout(t);
          r();
        };
      });
      waiter = undefined;
    }
    return queue.shift();
  };
  return { sock, next };
}

describe('TFTP server (RFC 1350 + options), against curl and a raw client', () => {
  const dir = tempDir('lisa-tftp-');
  const big = randomBytes(3 * 1024 * 1024 + 77);
  // 65,536 blocks of 8 bytes and a bit: the block number wraps past 65535.
  const wrap = randomBytes(65536 * 8 + 100);
  writeFileSync(join(dir, 'vmlinuz'), big);
  writeFileSync(join(dir, 'wrap.bin'), wrap);
  writeFileSync(join(dir, 'undionly.kpxe'), 'IPXE-BIOS');
  const served: string[] = [];
  const server = new TftpServer({
    listen: '127.0.0.1',
    port: 0,
    timeoutMs: 200,
    retries: 3,
    resolve: (path) =>
      path === 'server1/boot.ipxe'
        ? { data: Buffer.from('#!ipxe\nboot\n') }
        : path === 'server1/kernel'
          ? { file: join(dir, 'vmlinuz') }
          : path === 'wrap.bin'
            ? { file: join(dir, 'wrap.bin') }
            : path === 'gone'
              ? { file: join(dir, 'deleted-after-listing') }
              : undefined,
    onServed: (path, outcome) => served.push(`${path} ${outcome}`),
  });
  let url = '';
  before(async () => {
    await server.start();
    url = `tftp://127.0.0.1:${server.boundPort}`;
  });
  after(() => server.close());

  it('serves a file whole with negotiated block sizes and without options', async () => {
    for (const extra of [[], ['--tftp-blksize', '1468'], ['--tftp-no-options']]) {
      const out = join(dir, `got-${extra.join('')}`);
      const r = await curl([...extra, '-o', out, `${url}/server1/kernel`]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(sha(readFileSync(out)), sha(big), `content differs with ${extra.join(' ') || 'defaults'}`);
    }
    const script = join(dir, 'script');
    assert.equal((await curl(['-o', script, `${url}/server1/boot.ipxe`])).code, 0);
    assert.equal(readFileSync(script, 'utf8'), '#!ipxe\nboot\n');
    assert.ok(served.includes('server1/kernel 200'), served.join('\n'));
  });

  it('wraps the block number past 65535', async () => {
    const out = join(dir, 'got-wrap');
    const r = await curl(['--tftp-blksize', '8', '-o', out, `${url}/wrap.bin`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sha(readFileSync(out)), sha(wrap));
  });

  it('answers not found and refuses writes', async () => {
    const missing = await curl(['-o', join(dir, 'x'), `${url}/server1/initrd`]);
    assert.equal(missing.code, 68, `curl: TFTP file not found expected, got ${missing.code} ${missing.stderr}`);
    assert.ok(served.includes('server1/initrd 404'));
    const gone = await curl(['-o', join(dir, 'y'), `${url}/gone`]);
    assert.equal(gone.code, 68, gone.stderr);
    writeFileSync(join(dir, 'upload'), 'x');
    const put = await curl(['-T', join(dir, 'upload'), `${url}/server1/kernel`]);
    assert.equal(put.code, 69, `curl: TFTP permission problem expected, got ${put.code} ${put.stderr}`);
    assert.equal(sha(readFileSync(join(dir, 'vmlinuz'))), sha(big));
  });

  it('retransmits a packet whose ACK is lost, ignores duplicate ACKs, rejects a stranger, gives up on a silent client', async () => {
    const { sock, next } = rawClient();
    const stranger = rawClient();
    try {
      sock.send(rrq('server1/kernel', { blksize: '1024' }), server.boundPort, '127.0.0.1');
      const oack = await next();
      assert.ok(oack, 'no OACK');
      assert.deepEqual([...oack.msg.subarray(0, 2)], [0, 6]);
      assert.match(oack.msg.toString('latin1'), /blksize\x001024\x00/);
      sock.send(ack(0), oack.port, '127.0.0.1');
      const first = await next();
      assert.deepEqual([...first!.msg.subarray(0, 4)], [0, 3, 0, 1]);
      assert.equal(first!.msg.length, 4 + 1024);
      // No ACK: the same block comes again after the timeout.
      const again = await next(1000);
      assert.ok(again, 'DATA 1 was not retransmitted');
      assert.deepEqual([...again.msg.subarray(0, 4)], [0, 3, 0, 1]);
      sock.send(ack(1), oack.port, '127.0.0.1');
      const second = await next();
      assert.deepEqual([...second!.msg.subarray(0, 4)], [0, 3, 0, 2]);
      // A late duplicate ACK 1 must not trigger another DATA 2 at once.
      sock.send(ack(1), oack.port, '127.0.0.1');
      const dup = await next(100);
      assert.equal(dup, undefined, 'a duplicate ACK was answered');
      stranger.sock.send(ack(2), oack.port, '127.0.0.1');
      const err = await stranger.next();
      assert.deepEqual([...err!.msg.subarray(0, 4)], [0, 5, 0, 5], 'unknown TID error expected');
      // Then silence: DATA 2 is retried 3 times and the transfer is dropped as a timeout.
      for (let i = 0; i < 4; i++) await next(1000);
      await new Promise((r) => setTimeout(r, 400));
      assert.ok(served.includes('server1/kernel timeout'), served.join('\n'));
    } finally {
      sock.close();
      stranger.sock.close();
    }
  });
});

describe('boot server with TFTP on', () => {
  it('serves a machine its boot script over TFTP (HTTP URLs inside) and iPXE at the root', async () => {
    const dir = tempDir('lisa-boot-tftp-');
    writeFileSync(join(dir, 'vmlinuz'), 'KERNEL');
    writeFileSync(join(dir, 'undionly.kpxe'), 'IPXE-BIOS');
    const s = new BootServer('127.0.0.1', 0, 'http://10.0.2.2:9999', { port: 0, ipxeDir: dir });
    s.set('server1', { script: ipxeScript('console=ttyS0', false), files: { kernel: join(dir, 'vmlinuz') } });
    await s.start();
    try {
      const base = `tftp://127.0.0.1:${s.tftpPort}`;
      const script = join(dir, 'got.ipxe');
      assert.equal((await curl(['-o', script, `${base}/server1/boot.ipxe`])).code, 0);
      assert.equal(
        readFileSync(script, 'utf8'),
        '#!ipxe\nkernel http://10.0.2.2:9999/server1/kernel console=ttyS0\nboot\n',
      );
      const ipxe = join(dir, 'got.kpxe');
      assert.equal((await curl(['-o', ipxe, `${base}/undionly.kpxe`])).code, 0);
      assert.equal(readFileSync(ipxe, 'utf8'), 'IPXE-BIOS');
      assert.equal((await curl(['-o', join(dir, 'n'), `${base}/ipxe.efi`])).code, 68);
      assert.equal((await curl(['-o', join(dir, 'n'), `${base}/server1/../../etc/passwd`])).code, 68);
      assert.ok(s.served.includes('server1/boot.ipxe 200 tftp'), s.served.join('\n'));
    } finally {
      await s.close();
    }
  });
});
