import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { processesMatching, sshNodeFor } from '../helpers/ssh-node.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

describe('SshNode: passwordless sudo', () => {
  let sshd: Sshd;
  before(async () => {
    sshd = await startSshd();
  });
  after(async () => {
    await sshd?.stop();
  });

  it('runs as root with env, cwd and stdin', async () => {
    const t = sshNodeFor(sshd);
    const r = await t.node.execute('id -u; pwd; echo "$X"; cat', {
      sudo: true,
      cwd: '/tmp',
      env: { X: 'kept' },
      input: 'in',
    });
    assert.equal(r.stdout, '0\n/tmp\nkept\nin');
    await t.node.close();
  });

  it('a timeout kills a root process tree through sudo', async () => {
    const t = sshNodeFor(sshd);
    const r = await t.node.execute('sleep 93.25 & sleep 93.5', { sudo: true, timeoutMs: 500 });
    assert.equal(r.timedOut, true);
    assert.deepEqual(await processesMatching(t.node, 'sleep 93.25'), []);
    assert.deepEqual(await processesMatching(t.node, 'sleep 93.5'), []);
    await t.node.close();
  });
});

describe('SshNode: sudo that needs a password', () => {
  let sshd: Sshd;
  before(async () => {
    sshd = await startSshd({ sudoNeedsPassword: true });
  });
  after(async () => {
    await sshd?.stop();
  });

  it('feeds the password on stdin, passes input after it, and never logs it', async () => {
    const t = sshNodeFor(sshd, { sudoPassword: sshd.password });
    const r = await t.node.execute('id -u; cat', { sudo: true, input: 'payload', expectedExitCode: 0 });
    assert.equal(r.stdout, '0\npayload');
    // Twice: cached sudo credentials must not change how the password is fed.
    assert.equal((await t.node.execute('id -u', { sudo: true })).stdout, '0\n');
    const log = t.lines.join('\n');
    assert.doesNotMatch(log, new RegExp(sshd.password));
    assert.doesNotMatch(log, /\*\*\*\*\*\*/, 'the password must not even reach the masker');
    await t.node.close();
  });

  it('uses the login password for sudo when no sudoPassword is given', async () => {
    const t = sshNodeFor(sshd, { privateKeyFile: undefined, password: sshd.password });
    assert.equal((await t.node.execute('id -u', { sudo: true })).stdout, '0\n');
    await t.node.close();
  });

  it('without a password, sudo -n fails instead of hanging on a prompt', async () => {
    const t = sshNodeFor(sshd);
    const r = await t.node.execute('id -u', { sudo: true, timeoutMs: 10_000 });
    assert.equal(r.timedOut, false);
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr, /password is required/);
    await t.node.close();
  });

  it('a wrong sudo password fails cleanly', async () => {
    const t = sshNodeFor(sshd, { sudoPassword: 'wrong-password' });
    const r = await t.node.execute('id -u', { sudo: true, timeoutMs: 15_000 });
    assert.equal(r.timedOut, false);
    assert.notEqual(r.exitCode, 0);
    assert.equal(r.stdout, '');
    await t.node.close();
  });

  it('a timeout kills a root process started with a password', async () => {
    const t = sshNodeFor(sshd, { sudoPassword: sshd.password });
    const r = await t.node.execute('sleep 94.25 & sleep 94.5', { sudo: true, timeoutMs: 800 });
    assert.equal(r.timedOut, true);
    assert.deepEqual(await processesMatching(t.node, 'sleep 94.25'), []);
    assert.deepEqual(await processesMatching(t.node, 'sleep 94.5'), []);
    await t.node.close();
  });
});
