import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Logger, MemorySink } from '../../../src/logging/logger.js';
import { SecretMasker } from '../../../src/logging/secrets.js';
import { LocalNode } from '../../../src/node/local-node.js';
import { CommandError } from '../../../src/node/types.js';

function localNode(): { node: LocalNode; lines: string[] } {
  const sink = new MemorySink();
  return { node: new LocalNode({ log: new Logger('local', [sink], new SecretMasker()) }), lines: sink.lines };
}

async function running(node: LocalNode, needle: string): Promise<string> {
  return (await node.execute(`ps -eo pid=,args= | grep -e '[${needle[0]}]${needle.slice(1)}' || true`)).stdout;
}

describe('LocalNode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-local-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs sh commands with cwd, env, stdin and logs them', async () => {
    const { node, lines } = localNode();
    assert.equal(node.kind, 'local');
    const r = await node.execute('pwd; echo "$A"; cat; echo e >&2; exit 7', {
      cwd: dir,
      env: { A: 'b c' },
      input: 'in',
    });
    assert.equal(r.stdout, `${dir}\nb c\nin`);
    assert.equal(r.stderr, 'e\n');
    assert.equal(r.exitCode, 7);
    assert.match(lines.join('\n'), /warn \[local\] \[#1\] exit 7 in \d+ ms/);
    assert.equal((await node.execute('cat; echo done', { timeoutMs: 5000 })).stdout, 'done\n');
  });

  it('throws CommandError on an unexpected exit code', async () => {
    const { node } = localNode();
    await assert.rejects(node.execute('exit 3', { expectedExitCode: 0 }), CommandError);
  });

  it('a timeout kills the whole process tree', async () => {
    const { node } = localNode();
    const r = await node.execute('sleep 97.25 & setsid sleep 97.5 & wait', { timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, -1);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await running(node, 'sleep 97.25'), '');
    assert.equal(await running(node, 'sleep 97.5'), '');
  });

  it('an abort signal kills the command and rejects', async () => {
    const { node } = localNode();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    await assert.rejects(node.execute('sleep 98.5', { signal: ac.signal }), { name: 'AbortError' });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await running(node, 'sleep 98.5'), '');
  });

  it('sudo works (as root it runs the command directly)', async () => {
    const { node } = localNode();
    const r = await node.execute('id -u', { sudo: true });
    assert.equal(r.exitCode, 0);
    if (process.getuid?.() === 0) assert.equal(r.stdout, '0\n');
  });

  it('reads, writes, copies files and reports capability', async () => {
    const { node } = localNode();
    await node.writeFile(join(dir, 'a'), 'x', 0o600);
    assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o600);
    assert.equal(await node.readFile(join(dir, 'a')), 'x');
    writeFileSync(join(dir, 'src'), 'payload');
    await node.upload(join(dir, 'src'), join(dir, 'up'));
    await node.download(join(dir, 'up'), join(dir, 'down'));
    assert.equal(readFileSync(join(dir, 'down'), 'utf8'), 'payload');
    const cap = await node.capability();
    assert.ok(cap.cores >= 1 && cap.memoryMiB > 0);
    assert.equal(await node.isAlive(), true);
    assert.ok((await node.os()).id);
  });

  it('refuses to reboot the local machine', async () => {
    const { node } = localNode();
    await assert.rejects(node.reboot(), /cannot reboot the local machine/);
  });
});
