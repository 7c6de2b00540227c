import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Logger, MemorySink } from '../../../src/logging/logger.js';
import { SecretMasker } from '../../../src/logging/secrets.js';
import { LocalNode } from '../../../src/node/local-node.js';
import type { Tool, ToolClass } from '../../../src/tool/tool.js';
import { Cmdline } from '../../../tools/cmdline.js';
import { Df } from '../../../tools/df.js';
import { Dmesg } from '../../../tools/dmesg.js';
import { Findmnt } from '../../../tools/findmnt.js';
import { Free } from '../../../tools/free.js';
import { Fstab } from '../../../tools/fstab.js';
import { HugePages } from '../../../tools/hugepages.js';
import { Lsblk } from '../../../tools/lsblk.js';
import { Lscpu } from '../../../tools/lscpu.js';
import { Lsmod } from '../../../tools/lsmod.js';
import { Meminfo } from '../../../tools/meminfo.js';
import { Mount } from '../../../tools/mount.js';
import { Nproc } from '../../../tools/nproc.js';
import { Swap } from '../../../tools/swap.js';
import { Sysctl } from '../../../tools/sysctl.js';
import { Uname } from '../../../tools/uname.js';

/**
 * The read-only tools against the machine running the tests, through the real LocalNode: proves
 * the commands run and their output parses on a live Linux system. Tools whose command is missing
 * here are skipped rather than installed.
 */
const node = new LocalNode({ log: new Logger('local', [new MemorySink()], new SecretMasker()) });
after(() => node.close());

async function usable<T extends Tool>(t: { skip(m: string): void }, cls: ToolClass<T>): Promise<T | undefined> {
  const tool = new cls(node);
  if (await tool.exists()) return tool;
  t.skip(`${tool.command} is not installed here`);
  return undefined;
}

const linux = process.platform === 'linux';

test('cpu and memory tools agree with each other', { skip: !linux }, async (t) => {
  const n = await new Nproc(node).count();
  assert.ok(n.available >= 1 && n.all >= n.available);
  const m = await new Meminfo(node).read();
  assert.ok(m.totalBytes > 64 << 20);
  const lscpu = await usable(t, Lscpu);
  if (lscpu) assert.equal((await lscpu.info()).online.length, n.all);
  const free = await usable(t, Free);
  if (free) assert.ok(Math.abs((await free.read()).mem.total - m.totalBytes) < m.totalBytes / 10);
  const h = await new HugePages(node).read();
  assert.equal(h.nrHugepages, h.total);
});

test('storage tools see the root filesystem', { skip: !linux }, async (t) => {
  const mounts = await new Mount(node).list();
  const root = mounts.filter((m) => m.target === '/').pop();
  assert.ok(root, 'a / mount');
  const fm = await usable(t, Findmnt);
  if (fm) assert.equal((await fm.forPath('/etc'))?.target, '/');
  const df = await new Df(node).forPath('/');
  assert.ok(df && df.sizeBytes > 0 && df.target === '/');
  const lsblk = await usable(t, Lsblk);
  if (lsblk) assert.ok((await lsblk.list()).length >= 0);
  assert.ok(Array.isArray(await new Fstab(node).read()));
  assert.ok(Array.isArray(await new Swap(node).list()));
});

test('kernel tools read the running kernel', { skip: !linux }, async () => {
  const u = await new Uname(node).info();
  assert.equal(u.kernelName, 'Linux');
  const c = await new Cmdline(node).read();
  assert.ok(c.raw.length > 0);
  const s = await new Sysctl(node).get('kernel.osrelease');
  assert.equal(s, u.kernelRelease);
  assert.ok(Array.isArray(await new Lsmod(node).list()));
  if (process.getuid?.() === 0) assert.ok((await new Dmesg(node).messages()).length > 0);
});
