import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { QmpClient, QmpError, QmpFramer } from '../../../src/platform/qemu/qmp.js';

describe('QmpFramer', () => {
  it('splits CRLF-terminated JSON and keeps a partial line for the next chunk', () => {
    const f = new QmpFramer();
    assert.deepEqual(f.push('{"return": {}}\r\n{"event": "RE'), [{ return: {} }]);
    assert.deepEqual(f.push('SET"}\r\n'), [{ event: 'RESET' }]);
    assert.deepEqual(f.push('\r\n'), []);
  });
});

/** A scripted QMP server on a real unix socket, speaking the protocol as QEMU does. */
function fakeQemu(onCommand: (cmd: { execute: string; arguments?: Record<string, unknown> }, sock: Socket) => void) {
  const path = join(mkdtempSync(join(tmpdir(), 'qmp-')), 'qmp.sock');
  const server = createServer((sock) => {
    sock.write('{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}}, "capabilities": ["oob"]}}\r\n');
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const cmd = JSON.parse(line) as { execute: string };
        if (cmd.execute === 'qmp_capabilities') sock.write('{"return": {}}\r\n');
        else onCommand(cmd, sock);
      }
    });
  });
  return new Promise<{ path: string; close: () => void }>((resolve) =>
    server.listen(path, () => resolve({ path, close: () => server.close() })),
  );
}

describe('QmpClient', () => {
  it('negotiates capabilities, answers commands in order and surfaces errors', async () => {
    const srv = await fakeQemu((cmd, sock) => {
      if (cmd.execute === 'query-status') sock.write('{"return": {"status": "running", "running": true}}\r\n');
      else
        sock.write(
          `{"error": {"class": "CommandNotFound", "desc": "The command ${cmd.execute} has not been found"}}\r\n`,
        );
    });
    const c = await QmpClient.connect(srv.path);
    try {
      assert.deepEqual(c.version, { qemu: { micro: 0, minor: 2, major: 7 } });
      const [a, b] = await Promise.allSettled([c.execute('query-status'), c.execute('nope')]);
      assert.deepEqual((a as PromiseFulfilledResult<unknown>).value, { status: 'running', running: true });
      const err = (b as PromiseRejectedResult).reason as QmpError;
      assert.ok(err instanceof QmpError);
      assert.match(err.message, /nope failed: CommandNotFound/);
    } finally {
      c.close();
      srv.close();
    }
  });

  it('delivers events and waits for a matching one (DEVICE_DELETED comes twice)', async () => {
    const srv = await fakeQemu((cmd, sock) => {
      sock.write('{"return": {}}\r\n');
      sock.write('{"event": "DEVICE_DELETED", "data": {"path": "/machine/peripheral/d1/virtio-backend"}}\r\n');
      sock.write('{"event": "DEVICE_DELETED", "data": {"device": "d1", "path": "/machine/peripheral/d1"}}\r\n');
    });
    const c = await QmpClient.connect(srv.path);
    try {
      const wait = c.waitEvent('DEVICE_DELETED', (e) => e.data?.device === 'd1', 5_000);
      await c.execute('device_del', { id: 'd1' });
      assert.equal((await wait).data?.path, '/machine/peripheral/d1');
    } finally {
      c.close();
      srv.close();
    }
  });

  it('rejects pending commands when QEMU goes away', async () => {
    const srv = await fakeQemu((_cmd, sock) => sock.destroy());
    const c = await QmpClient.connect(srv.path);
    await assert.rejects(c.execute('quit'), /QMP connection closed/);
    srv.close();
  });
});
