import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { test } from 'node:test';
import { Logger, MemorySink } from '../../../src/logging/logger.js';
import { SecretMasker } from '../../../src/logging/secrets.js';
import { SshNode } from '../../../src/node/ssh-node.js';

test('a port that answers like an HTTP server fails at once as "not an SSH server", without retries', async () => {
  const sockets: Socket[] = [];
  const server = createServer((sock) => {
    sockets.push(sock);
    sock.on('data', () => sock.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    sock.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const masker = new SecretMasker();
  const node = new SshNode({
    name: 'web',
    connection: { address: '127.0.0.1', port, username: 'u', password: 'not-used-pw' },
    log: new Logger('web', [new MemorySink()], masker),
    masker,
    connectTimeoutMs: 30_000,
  });
  try {
    await assert.rejects(node.execute('true'), (e: Error) => {
      assert.match(e.message, /u@127\.0\.0\.1:\d+ is not an SSH server: it answered "HTTP\/1\.1 400 Bad Request"/);
      return true;
    });
    assert.equal(sockets.length, 1, 'connected once, not retried');
  } finally {
    await node.close();
    server.close();
  }
});
