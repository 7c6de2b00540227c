import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { describe, it } from 'node:test';
import { ntpReply, startNtpServer } from '../../../src/platform/qemu/ntp.js';

function clientRequest(): Buffer {
  const b = Buffer.alloc(48);
  b[0] = (4 << 3) | 3; // v4 client
  b.writeUInt32BE(0xdeadbeef, 40);
  b.writeUInt32BE(0x12345678, 44);
  return b;
}

describe('NTP server for guests', () => {
  it('answers a client request with mode 4, the origin timestamp echoed and the host time', () => {
    const now = Date.UTC(2026, 10, 22, 8, 0, 0, 500);
    const r = ntpReply(clientRequest(), now, now)!;
    assert.equal(r[0]! & 7, 4);
    assert.equal((r[0]! >> 3) & 7, 4);
    assert.equal(r[1], 2);
    assert.equal(r.readUInt32BE(24), 0xdeadbeef);
    assert.equal(r.readUInt32BE(40) - 2_208_988_800, Math.floor(now / 1000));
    assert.ok(Math.abs(r.readUInt32BE(44) / 2 ** 32 - 0.5) < 1e-6);
    assert.equal(ntpReply(Buffer.alloc(48, 0x1c), now, now), undefined, 'server packets are ignored');
  });

  it('serves over UDP on loopback', async () => {
    const server = await startNtpServer();
    const sock = createSocket('udp4');
    try {
      const reply = await new Promise<Buffer>((resolve) => {
        sock.once('message', (m) => resolve(m));
        sock.send(clientRequest(), server.port, '127.0.0.1');
      });
      const t = reply.readUInt32BE(40) - 2_208_988_800;
      assert.ok(Math.abs(t - Date.now() / 1000) < 5);
    } finally {
      sock.close();
      server.close();
    }
  });
});
