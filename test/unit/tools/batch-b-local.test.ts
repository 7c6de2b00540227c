import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Logger, MemorySink } from '../../../src/logging/logger.js';
import { SecretMasker } from '../../../src/logging/secrets.js';
import { LocalNode } from '../../../src/node/local-node.js';
import { ToolNotAvailableError, type Tool, type ToolClass } from '../../../src/tool/tool.js';
import { Accounts } from '../../../tools/accounts.js';
import { AppArmor } from '../../../tools/apparmor.js';
import { DnsLookup } from '../../../tools/dns.js';
import { Ethtool } from '../../../tools/ethtool.js';
import { Fio } from '../../../tools/fio.js';
import { FipsMode } from '../../../tools/fips.js';
import { Ip } from '../../../tools/ip.js';
import { Iperf3 } from '../../../tools/iperf3.js';
import { Kselftest } from '../../../tools/kselftest.js';
import { LoginDefs } from '../../../tools/login-defs.js';
import { Ltp } from '../../../tools/ltp.js';
import { Ping } from '../../../tools/ping.js';
import { ResolvConfFile } from '../../../tools/resolv-conf.js';
import { SecureBoot } from '../../../tools/secure-boot.js';
import { Selinux } from '../../../tools/selinux.js';
import { ShellHistory } from '../../../tools/shell-history.js';
import { Ss } from '../../../tools/ss.js';
import { SshHostKeys } from '../../../tools/ssh-host-keys.js';
import { SshdConfig } from '../../../tools/sshd-config.js';
import { StressNg } from '../../../tools/stress-ng.js';
import { WorldWritable } from '../../../tools/world-writable.js';
import { WriteProbe } from '../../../tools/write-probe.js';

/**
 * Batch B tools against the machine running the tests through the real LocalNode: the commands
 * run and their live output parses. Missing commands are skipped, never installed; runs are short.
 */
const node = new LocalNode({ log: new Logger('local', [new MemorySink()], new SecretMasker()) });
after(() => node.close());
const linux = process.platform === 'linux';

async function usable<T extends Tool>(t: { skip(m: string): void }, cls: ToolClass<T>): Promise<T | undefined> {
  const tool = new cls(node);
  if (await tool.exists()) return tool;
  t.skip(`${tool.command} is not installed here`);
  return undefined;
}

test('ip: loopback and a route table', { skip: !linux }, async (t) => {
  const ip = await usable(t, Ip);
  if (!ip) return;
  const ifs = await ip.addresses();
  assert.ok(ifs.some((i) => i.name === 'lo' && i.addresses.some((a) => a.address === '127.0.0.1')));
  assert.ok(Array.isArray(await ip.routes()));
});

test('ethtool: driver of a non-loopback NIC', { skip: !linux }, async (t) => {
  const ethtool = await usable(t, Ethtool);
  const ip = new Ip(node);
  if (!ethtool || !(await ip.exists())) return;
  const nic = (await ip.addresses()).find((i) => i.linkType === 'ether' && i.state === 'UP');
  if (!nic) return t.skip('no ethernet NIC that is up');
  assert.ok((await ethtool.driverInfo(nic.name)).driver.length > 0);
});

test('ping, ss and iperf3 over loopback', { skip: !linux }, async (t) => {
  const ping = await usable(t, Ping);
  if (ping) {
    const r = await ping.ping('127.0.0.1', { count: 2 });
    assert.equal(r.received, 2, JSON.stringify(r));
  }
  const iperf3 = await usable(t, Iperf3);
  if (!iperf3) return;
  const port = 5300 + (process.pid % 500);
  await iperf3.startServer(port);
  try {
    const ss = new Ss(node);
    if (await ss.exists()) assert.ok(await ss.isListening(port), `iperf3 server not listening on ${port}`);
    const r = await iperf3.client('127.0.0.1', { port, seconds: 1 });
    assert.ok(r.receivedBitsPerSecond > 0);
  } finally {
    await iperf3.stopServer(port);
  }
});

test('name resolution and resolv.conf', { skip: !linux }, async () => {
  const r = await new DnsLookup(node).lookup('localhost');
  assert.ok(r.addresses.includes('127.0.0.1') || r.addresses.includes('::1'), JSON.stringify(r));
  assert.ok(Array.isArray((await new ResolvConfFile(node).read()).nameservers));
});

test('security facts read without installing anything', { skip: !linux }, async () => {
  const selinux = await new Selinux(node).status();
  assert.ok(['enforcing', 'permissive', 'disabled'].includes(selinux.mode));
  assert.equal(typeof (await new AppArmor(node).status()).enabled, 'boolean');
  assert.equal(typeof (await new FipsMode(node).state()).cmdlineFips, 'boolean');
  assert.equal(typeof (await new SecureBoot(node).state()).efi, 'boolean');
  assert.deepEqual(await new WriteProbe(node).probe('/tmp'), { writable: true });
  assert.ok(Array.isArray(await new LoginDefs(node).umaskSettings()));
  assert.ok(Array.isArray(await new ShellHistory(node).leftovers()));
});

test('accounts, sshd and host keys', { skip: !linux || process.getuid?.() !== 0 }, async (t) => {
  const accounts = new Accounts(node);
  const passwd = await accounts.passwd();
  assert.equal(passwd.find((p) => p.user === 'root')?.uid, 0);
  const shadow = await accounts.shadow();
  assert.ok(shadow.some((s) => s.user === 'root'));
  assert.ok(shadow.every((s) => ['empty', 'locked', 'hash'].includes(s.password)));
  const sshd = await usable(t, SshdConfig);
  if (!sshd) return;
  assert.ok((await sshd.effective()).port);
  assert.ok(Array.isArray(await new SshHostKeys(node).fingerprints()));
});

test('world-writable scan of a small tree', { skip: !linux }, async () => {
  assert.ok(Array.isArray(await new WorldWritable(node).scan(['/usr/local'])));
});

test('fio and stress-ng short runs', { skip: !linux }, async (t) => {
  const fio = await usable(t, Fio);
  if (fio) {
    const file = `/tmp/lisa-fio-test-${process.pid}`;
    try {
      const [job] = await fio.runJob({
        filename: file,
        rw: 'randrw',
        size: '8M',
        runtimeS: 1,
        direct: false,
        ioengine: 'psync',
      });
      assert.ok(job!.read.iops > 0 && job!.write.iops > 0);
    } finally {
      await node.execute(`rm -f ${file}`);
    }
  }
  const stress = await usable(t, StressNg);
  if (stress) {
    const r = await stress.stress({ cpu: 1 }, { timeoutS: 1 });
    assert.equal(r.exitCode, 0, r.failures.join('\n'));
    assert.equal(r.metrics[0]?.stressor, 'cpu');
  }
});

test('LTP and kselftest: absent trees are reported, not installed', { skip: !linux }, async () => {
  const ltp = new Ltp(node);
  ltp.root = '/nonexistent/ltp';
  await assert.rejects(ltp.runTests({ tests: ['fork01'] }), ToolNotAvailableError);
  const ks = new Kselftest(node);
  ks.root = '/nonexistent/kselftest';
  await assert.rejects(ks.runTests(), /no kselftest install at \/nonexistent\/kselftest/);
});
