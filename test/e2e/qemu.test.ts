// End to end on real TCG guests: build (or reuse) the image, deploy, and exercise every feature.
// One platform and one single-node environment are shared by the cases, in order, to keep boots few.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Disk, QemuEnvironment, SerialConsole, StartStop } from '../../src/platform/qemu/index.js';
import { readVmRecords } from '../../src/platform/qemu/registry.js';
import { qemuPidsMatching, qemuTestContext, qemuTestPlatform } from '../helpers/qemu.js';

const t = qemuTestContext('qemu-e2e');
const platform = qemuTestPlatform();
let env: QemuEnvironment;

describe('qemu platform on a real guest', { timeout: 20 * 60_000 }, () => {
  before(async () => {
    await platform.prepare(t.ctx);
    env = (await platform.deploy({ nodes: 1 }, t.ctx)) as QemuEnvironment;
  });

  after(async () => {
    await platform.dispose(t.ctx);
    assert.deepEqual(await qemuPidsMatching(t.runDir), [], 'no qemu process may survive dispose');
  });

  it('logs which accelerator it chose and why', () => {
    assert.ok(
      t.lines.some((l) => /qemu: using (TCG|KVM) because /.test(l)),
      t.lines.join('\n'),
    );
  });

  it('runs commands over SSH, with passwordless sudo, on Debian 12', async () => {
    const node = env.nodes[0]!;
    const r = await node.execute('id -un; sudo -n id -u; . /etc/os-release; echo $VERSION_ID; hostname', {
      expectedExitCode: 0,
    });
    assert.deepEqual(r.stdout.trim().split('\n'), ['lisa', '0', '12', 'qemu1-node0']);
    assert.equal(env.capabilities[0]!.cores, 2);
    assert.deepEqual([...env.features].sort(), ['Disk', 'KernelBoot', 'SerialConsole', 'StartStop']);
  });

  it('registers every VM in the run directory', () => {
    const rec = JSON.parse(readFileSync(`${t.runDir}/qemu/vms/qemu1-node0.json`, 'utf8')) as {
      pid: number;
      sshPort: number;
    };
    assert.equal(rec.pid, env.guests[0]!.vm!.pid);
    assert.equal(rec.sshPort, env.guests[0]!.sshPort);
  });

  it('captures the serial console into the run directory', async () => {
    const serial = env.feature<SerialConsole>('SerialConsole')!;
    const [log] = serial.logFiles();
    assert.ok(log!.startsWith(t.runDir) && existsSync(log!));
    await env.nodes[0]!.execute('echo lisa-serial-marker-42 | sudo -n tee /dev/ttyS0 >/dev/null', {
      expectedExitCode: 0,
    });
    assert.match(serial.read(0), /lisa-serial-marker-42/);
    assert.equal(await env.checkHealth(), undefined);
  });

  it('synchronises the guest clock to the host through the platform NTP server', async () => {
    const node = env.nodes[0]!;
    let sources = '';
    for (let i = 0; i < 60 && !/^\^\*/m.test(sources); i++) {
      if (i) await new Promise((r) => setTimeout(r, 1_000));
      sources = (await node.execute('chronyc -n sources')).stdout;
    }
    assert.match(sources, /^\^\* 10\.0\.2\.2/m, sources);
    const guest = Number((await node.execute('date +%s.%N', { expectedExitCode: 0 })).stdout);
    assert.ok(Math.abs(guest - Date.now() / 1000) < 3, `guest clock ${guest} vs host ${Date.now() / 1000}`);
  });

  it('hot-adds a data disk that shows up in lsblk, and removes it', async () => {
    const disk = env.feature<Disk>('Disk')!;
    const d = await disk.add(1);
    assert.equal(env.capabilities[0]!.dataDisks, 1);
    const lsblk = await env.nodes[0]!.execute('lsblk -b -d -n -o NAME,SIZE,SERIAL', { expectedExitCode: 0 });
    assert.match(lsblk.stdout, new RegExp(`${d.device.replace('/dev/', '')}\\s+1073741824\\s+lisa-data1`));
    await disk.remove(d.id);
    assert.equal(env.capabilities[0]!.dataDisks, 0);
    const after = await env.nodes[0]!.execute('lsblk -d -n -o SERIAL', { expectedExitCode: 0 });
    assert.doesNotMatch(after.stdout, /lisa-data1/);
  });

  it('restarts the guest (QMP system_reset) and the node reconnects', async () => {
    const node = env.nodes[0]!;
    const before = (await node.execute('cat /proc/sys/kernel/random/boot_id')).stdout.trim();
    await env.feature<StartStop>('StartStop')!.restart();
    const after = (await node.execute('cat /proc/sys/kernel/random/boot_id', { expectedExitCode: 0 })).stdout.trim();
    assert.notEqual(after, before);
    assert.match(env.feature<SerialConsole>('SerialConsole')!.read(0), /Linux version/);
  });

  it('stops and starts the guest from the same disk, which is not reported as a defect', async () => {
    const ss = env.feature<StartStop>('StartStop')!;
    const node = env.nodes[0]!;
    await node.execute('echo persisted | sudo -n tee /var/tmp/lisa-mark >/dev/null && sync', { expectedExitCode: 0 });
    const stopped = Date.now();
    await ss.stop();
    process.stderr.write(`# graceful stop took ${Date.now() - stopped} ms\n`);
    assert.equal(env.guests[0]!.vm!.running, false);
    assert.equal(await env.checkHealth(), undefined);
    await ss.start();
    assert.equal((await node.execute('cat /var/tmp/lisa-mark', { expectedExitCode: 0 })).stdout.trim(), 'persisted');
    assert.equal(readVmRecords(t.runDir).find((r) => r.id === 'qemu1-node0')?.pid, env.guests[0]!.vm!.pid);
  });

  it('detects a kernel panic on the serial console and marks the environment broken', async () => {
    await env.checkHealth();
    // The connection dies with the kernel: detach the trigger and do not wait for it.
    await env.nodes[0]!.execute(
      'sudo -n sh -c \'nohup sh -c "sleep 1; echo c > /proc/sysrq-trigger" >/dev/null 2>&1 &\'',
      { timeoutMs: 20_000 },
    );
    let defect: string | undefined;
    for (let i = 0; i < 120 && !defect; i++) {
      await new Promise((r) => setTimeout(r, 500));
      defect = await env.checkHealth();
    }
    assert.ok(defect, 'no panic found on the serial console within 60 s');
    assert.match(defect, /Kernel panic - not syncing: sysrq triggered crash/);
    assert.match(defect, /qemu1-node0/);
    assert.ok(env.broken);
  });

  it('gives two nodes of one environment a private network they can ping over', async () => {
    const two = (await platform.deploy({ nodes: 2 }, t.ctx)) as QemuEnvironment;
    try {
      const [a, b] = two.nodes;
      const ip = (
        await b!.execute("ip -4 -o addr show ens8 | awk '{print $4}'", { expectedExitCode: 0 })
      ).stdout.trim();
      assert.equal(ip, '192.168.77.11/24');
      const ping = await a!.execute('ping -c 3 -W 5 192.168.77.11', { expectedExitCode: 0 });
      assert.match(ping.stdout, /3 received/);
      // Different identities even when both came from the same warm snapshot.
      const ids = await Promise.all(two.nodes.map(async (n) => (await n.execute('cat /etc/machine-id')).stdout.trim()));
      assert.notEqual(ids[0], ids[1]);
    } finally {
      await platform.release(two, t.ctx, { failed: false });
    }
  });

  it('leaves a kept environment running after release and dispose (keep_environment: always)', async () => {
    const k = qemuTestContext('qemu-keep');
    const keeper = qemuTestPlatform({}, 'always');
    await keeper.prepare(k.ctx);
    const e = (await keeper.deploy({ nodes: 1 }, k.ctx)) as QemuEnvironment;
    const pid = e.guests[0]!.vm!.pid;
    try {
      await keeper.release(e, k.ctx, { failed: false });
      await keeper.dispose(k.ctx);
      assert.deepEqual(await qemuPidsMatching(k.runDir), [pid]);
      assert.equal(readVmRecords(k.runDir)[0]?.kept, true);
      assert.ok(
        k.lines.some((l) => /keeping qemu1/.test(l) && /ssh -i /.test(l)),
        k.lines.join('\n'),
      );
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });
});
