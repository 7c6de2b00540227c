import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import ssh2 from 'ssh2';
import { HostKeyMismatchError, SshAuthError } from '../../src/node/ssh-errors.js';
import { NodeUnreachableError } from '../../src/node/types.js';
import { freePort } from '../helpers/ssh-proc.js';
import { sshNodeFor } from '../helpers/ssh-node.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { ed25519KeyPair } from '../helpers/ssh-keys.js';

describe('SshNode: authentication, host keys and connecting', () => {
  let sshd: Sshd;
  before(async () => {
    sshd = await startSshd();
  });
  after(async () => {
    await sshd?.stop();
  });

  it('authenticates with a key file, a key buffer and a password', async () => {
    const variants = [
      {},
      { privateKeyFile: undefined, privateKey: readFileSync(sshd.privateKeyFile) },
      { privateKeyFile: undefined, password: sshd.password },
    ];
    for (const connection of variants) {
      const t = sshNodeFor(sshd, connection);
      assert.equal((await t.node.execute('id -un')).stdout, `${sshd.username}\n`);
      await t.node.close();
    }
  });

  it('authenticates through ssh-agent', async () => {
    const { spawn, execFileSync } = await import('node:child_process');
    const sock = `${sshd.dir}/agent.sock`;
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    const saved = process.env.SSH_AUTH_SOCK;
    try {
      for (let i = 0; i < 100 && !(await import('node:fs')).existsSync(sock); i++)
        await new Promise((r) => setTimeout(r, 20));
      execFileSync('ssh-add', ['-q', sshd.privateKeyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      process.env.SSH_AUTH_SOCK = sock;
      const t = sshNodeFor(sshd, { privateKeyFile: undefined, useAgent: true });
      assert.equal((await t.node.execute('echo via-agent')).stdout, 'via-agent\n');
      await t.node.close();
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
      agent.kill();
    }
  });

  it('a wrong key fails at once with a clear authentication error', async () => {
    const other = ed25519KeyPair().private;
    const t = sshNodeFor(sshd, { privateKeyFile: undefined, privateKey: other });
    const started = performance.now();
    await assert.rejects(t.node.execute('true'), (e: unknown) => {
      assert.ok(e instanceof SshAuthError);
      assert.ok(e instanceof NodeUnreachableError);
      assert.match(
        e.message,
        /node testnode is unreachable: authentication failed for lisatest@127\.0\.0\.1:\d+ \(tried publickey\)/,
      );
      return true;
    });
    // Not retried until the connect deadline.
    assert.ok(performance.now() - started < 5000);
  });

  it('a wrong password fails with a clear error and never appears in the log', async () => {
    const t = sshNodeFor(sshd, { privateKeyFile: undefined, password: 'not-the-password' });
    await assert.rejects(t.node.execute('true'), /authentication failed .*\(tried password\)/);
    assert.doesNotMatch(t.lines.join('\n'), /not-the-password/);
  });

  it('an unusable key fails at once instead of being retried', async () => {
    const t = sshNodeFor(sshd, { privateKeyFile: undefined, privateKey: 'not a key' });
    const started = performance.now();
    await assert.rejects(
      t.node.execute('true'),
      /authentication failed .*unusable credentials: Cannot parse privateKey/,
    );
    assert.ok(performance.now() - started < 2000);
  });

  it('a missing key file is reported by name', async () => {
    const t = sshNodeFor(sshd, { privateKeyFile: '/nonexistent/id_rsa' });
    await assert.rejects(t.node.execute('true'), /cannot read private key file \/nonexistent\/id_rsa/);
  });

  it('records the host key on first connect and rejects a different one', async () => {
    const t = sshNodeFor(sshd);
    assert.equal(t.node.hostKey, undefined);
    await t.node.execute('true');
    assert.equal(t.node.hostKey, sshd.hostKey);
    await t.node.close();

    const good = sshNodeFor(sshd, { hostKey: sshd.hostKey });
    assert.equal((await good.node.execute('echo ok')).stdout, 'ok\n');
    await good.node.close();

    const wrongKey = ssh2.utils.parseKey(ed25519KeyPair().public);
    if (wrongKey instanceof Error) throw wrongKey;
    const bad = sshNodeFor(sshd, { hostKey: wrongKey.getPublicSSH().toString('base64') });
    await assert.rejects(bad.node.execute('true'), (e: unknown) => {
      assert.ok(e instanceof HostKeyMismatchError);
      assert.match(e.message, /host key mismatch at lisatest@127\.0\.0\.1:\d+: expected .* but the server presented/);
      return true;
    });
  });

  it('gives up at the connect deadline and says how often it tried', async () => {
    // Nothing listens on a fresh free port.
    const t = sshNodeFor(sshd, { port: await freePort() }, { connectTimeoutMs: 1500 });
    await assert.rejects(
      t.node.execute('true'),
      /cannot connect to lisatest@127\.0\.0\.1:\d+ within \d+ s \(\d+ attempts\): .*ECONNREFUSED/,
    );
  });

  it('connects once a late server comes up (slirp-style early refusals)', async () => {
    const late = await startSshd();
    const t = sshNodeFor(late, {}, { connectTimeoutMs: 15_000 });
    const restarting = late.restart({ downMs: 1500 });
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    assert.equal((await t.node.execute('echo up')).stdout, 'up\n');
    assert.ok(performance.now() - started > 1000);
    await restarting;
    await t.node.close();
    await late.stop();
  });

  it('a handshake that never completes is retried, then reported', async () => {
    // A TCP listener that accepts and says nothing: what slirp hostfwd does before the guest is up.
    const net = await import('node:net');
    const port = await freePort();
    const sockets: import('node:net').Socket[] = [];
    const mute = net.createServer((s) => sockets.push(s)).listen(port, '127.0.0.1');
    try {
      const t = sshNodeFor(sshd, { port }, { connectTimeoutMs: 2500 });
      await assert.rejects(
        t.node.execute('true'),
        /cannot connect .* within \d+ s .*(Timed out while waiting for handshake|no SSH answer within)/,
      );
    } finally {
      sockets.forEach((s) => s.destroy());
      mute.close();
    }
  });
});
