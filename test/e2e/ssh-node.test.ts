import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CommandError } from '../../src/node/types.js';
import { processesMatching, sshNodeFor, type TestNode } from '../helpers/ssh-node.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

describe('SshNode: commands over a real loopback sshd', () => {
  let sshd: Sshd;
  let t: TestNode;
  before(async () => {
    sshd = await startSshd();
    t = sshNodeFor(sshd);
  });
  after(async () => {
    await t?.node.close();
    await sshd?.stop();
  });

  it('runs a command and returns stdout, stderr, exit code and duration', async () => {
    const r = await t.node.execute('echo out; echo err >&2; id -un; exit 3');
    assert.equal(r.stdout, `out\n${sshd.username}\n`);
    assert.equal(r.stderr, 'err\n');
    assert.equal(r.exitCode, 3);
    assert.equal(r.timedOut, false);
    assert.ok(r.durationMs >= 0);
  });

  it('logs every command with exit code, duration and output; failures at warn', async () => {
    await t.node.execute('echo logged-output');
    await t.node.execute('exit 4');
    await t.node.execute('exit 5', { noErrorLog: true });
    const text = t.lines.join('\n');
    assert.match(text, /debug \[testnode\] \[#\d+\] \$ echo logged-output/);
    assert.match(text, /debug \[testnode\] \[#\d+\] exit 0 in \d+ ms\nstdout:\nlogged-output/);
    assert.match(text, /warn \[testnode\] \[#\d+\] exit 4 in \d+ ms/);
    assert.doesNotMatch(text, /warn .*exit 5/);
  });

  it('honours cwd, env and stdin input', async () => {
    const r = await t.node.execute('pwd; echo "$A|$B"; cat', {
      cwd: '/tmp',
      env: { A: "it's", B: 'two words' },
      input: 'from stdin',
    });
    assert.equal(r.stdout, "/tmp\nit's|two words\nfrom stdin");
    // Without input, stdin is at EOF: a reader returns at once instead of hanging.
    const empty = await t.node.execute('cat; echo done', { timeoutMs: 5000 });
    assert.equal(empty.timedOut, false);
    assert.equal(empty.stdout, 'done\n');
  });

  it('throws CommandError on an unexpected exit code and accepts listed ones', async () => {
    await assert.rejects(t.node.execute('echo boom >&2; exit 2', { expectedExitCode: 0 }), (e: unknown) => {
      assert.ok(e instanceof CommandError);
      assert.match(e.message, /exited with 2, expected 0: echo boom/);
      assert.match(e.message, /boom$/);
      return true;
    });
    const r = await t.node.execute('exit 2', { expectedExitCode: [0, 2] });
    assert.equal(r.exitCode, 2);
  });

  it('keeps binary-safe, large output intact', async () => {
    const r = await t.node.execute('head -c 3000000 /dev/zero | tr "\\0" x');
    assert.equal(r.stdout.length, 3_000_000);
  });

  it('runs many commands at once on channels of one connection', async () => {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => t.node.execute(`sleep 0.3; echo ${i}`)));
    const elapsed = performance.now() - started;
    results.forEach((r, i) => assert.equal(r.stdout, `${i}\n`));
    // 24 x 0.3 s in 8 lanes is 0.9 s; sequential would be 7.2 s.
    assert.ok(elapsed < 4000, `took ${elapsed} ms`);
    assert.equal(t.lines.filter((l) => l.includes('ssh connected')).length, 1);
  });

  it('a timeout kills the remote process tree and reports timedOut', async () => {
    const started = performance.now();
    // setsid: a child in a session of its own, out of reach of a process-group kill.
    const r = await t.node.execute('sleep 91.25 & setsid sleep 91.75 & sleep 91.5; echo never', { timeoutMs: 500 });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, -1);
    assert.equal(r.stdout, '');
    assert.ok(performance.now() - started < 5000);
    assert.deepEqual(await processesMatching(t.node, 'sleep 91.25'), []);
    assert.deepEqual(await processesMatching(t.node, 'sleep 91.5'), []);
    assert.deepEqual(await processesMatching(t.node, 'sleep 91.75'), []);
    await assert.rejects(t.node.execute('sleep 5', { timeoutMs: 200, expectedExitCode: 0 }), /timed out/);
  });

  it('an abort signal kills the remote process and rejects with the reason', async () => {
    const ac = new AbortController();
    const pending = t.node.execute('sleep 92.5', { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('case cancelled')), 300);
    await assert.rejects(pending, /case cancelled/);
    assert.deepEqual(await processesMatching(t.node, 'sleep 92.5'), []);
    await assert.rejects(t.node.execute('true', { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });

  it('reads, writes, uploads and downloads files over SFTP', async () => {
    const local = mkdtempSync('/tmp/lisa-files-');
    const remote = (await t.node.execute('mktemp -d /tmp/lisa-remote-XXXXXX', { expectedExitCode: 0 })).stdout.trim();

    await t.node.writeFile(`${remote}/a.txt`, 'héllo\n', 0o640);
    assert.equal(await t.node.readFile(`${remote}/a.txt`), 'héllo\n');
    assert.equal((await t.node.execute(`stat -c %a ${remote}/a.txt`)).stdout.trim(), '640');

    const big = Buffer.alloc(2_000_000, 7);
    writeFileSync(join(local, 'up.bin'), big);
    await t.node.upload(join(local, 'up.bin'), `${remote}/up.bin`);
    await t.node.download(`${remote}/up.bin`, join(local, 'down.bin'));
    assert.ok(readFileSync(join(local, 'down.bin')).equals(big));
    await assert.rejects(t.node.readFile(`${remote}/missing`), /sftp read .*missing: No such file/);
    await t.node.execute(`rm -rf ${remote}`);
    rmSync(local, { recursive: true, force: true });
  });

  it('reports capability in one round trip, os() once, and isAlive', async () => {
    const cap = await t.node.capability();
    assert.ok(cap.cores >= 1);
    assert.ok(cap.memoryMiB > 100);
    assert.ok(cap.dataDisks >= 0);
    assert.deepEqual(cap.features, []);
    const os = await t.node.os();
    assert.ok(os.id.length > 0);
    assert.equal(await t.node.os(), os);
    assert.equal(await t.node.isAlive(), true);
  });
});

describe('SshNode: channel limit', () => {
  it('queues beyond the server MaxSessions instead of failing', async () => {
    const sshd = await startSshd({ maxSessions: 3 });
    const t = sshNodeFor(sshd, {}, { maxChannels: 3 });
    try {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => t.node.execute(`sleep 0.1; echo ${i}`)));
      results.forEach((r, i) => assert.equal(r.stdout, `${i}\n`));
    } finally {
      await t.node.close();
      await sshd.stop();
    }
  });
});

describe('SshNode: servers without SFTP', () => {
  it('reads, writes, uploads and downloads through cat instead', async () => {
    const sshd = await startSshd({ noSftp: true });
    const t = sshNodeFor(sshd);
    const local = mkdtempSync('/tmp/lisa-files-');
    try {
      const remote = (await t.node.execute('mktemp -d /tmp/lisa-remote-XXXXXX')).stdout.trim();
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      writeFileSync(`${local}/bin`, bytes);
      await t.node.upload(`${local}/bin`, `${remote}/bin`);
      await t.node.download(`${remote}/bin`, `${local}/back`);
      assert.ok(readFileSync(`${local}/back`).equals(bytes));
      await t.node.writeFile(`${remote}/t`, 'text', 0o600);
      assert.equal(await t.node.readFile(`${remote}/t`), 'text');
      assert.equal((await t.node.execute(`stat -c %a ${remote}/t`)).stdout, '600\n');
      await assert.rejects(t.node.readFile(`${remote}/missing`), /No such file/);
      assert.match(t.lines.join('\n'), /no SFTP on testnode .*files go through cat/);
      assert.doesNotMatch(t.lines.join('\n'), /\u0001\u0002\u0003/, 'binary output stays out of the log');
      await t.node.execute(`rm -rf ${remote}`);
    } finally {
      rmSync(local, { recursive: true, force: true });
      await t.node.close();
      await sshd.stop();
    }
  });
});
