// The azure platform's features on one real guest behind the loopback ARM endpoint, in process:
// one deployment shared by the cases, in order, to keep TCG boots few.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AzurePlatform } from '../../src/platform/azure/index.js';
import type { AzureEnvironment } from '../../src/platform/azure/environment.js';
import type { AzureSerialConsole } from '../../src/platform/azure/serial-console.js';
import type { Disk, StartStop } from '../../src/platform/qemu/index.js';
import { endpointState, startTestArmEndpoint } from '../helpers/azure.js';
import { longTest } from '../helpers/long-tests.js';
import { qemuPidsMatching, qemuTestContext } from '../helpers/qemu.js';

// In CI the runbook e2e (azure-runbook.test.ts) proves Disk, StartStop and SerialConsole; this one
// adds restart, PIDs and per-step details at the cost of three more cold TCG boots.
describe(
  'azure features on a real guest (loopback ARM endpoint)',
  {
    timeout: 20 * 60_000,
    ...longTest('three cold TCG boots (deallocate/start, restart); azure-runbook.test.ts covers the features in CI'),
  },
  () => {
    const t = qemuTestContext('azure-features');
    let ep: Awaited<ReturnType<typeof startTestArmEndpoint>>;
    let platform: AzurePlatform;
    let env: AzureEnvironment;
    const pidOf = async () => (await endpointState(ep)).vms.map((v) => v.pid);

    before(async () => {
      ep = await startTestArmEndpoint();
      platform = new AzurePlatform({
        type: 'azure',
        keepEnvironment: 'no',
        baseDir: t.runDir,
        requirement: { core_count: { min: 2 } },
        options: {
          subscription_id: ep.subscriptionId,
          location: 'westus3',
          credential: {
            type: 'secret',
            tenant_id: ep.tenantId,
            client_id: ep.clientId,
            client_secret: ep.clientSecret,
          },
          cloud: { arm_endpoint: ep.armEndpoint, authority_host: ep.authorityHost, ca_file: ep.caFile },
        },
      });
      await platform.prepare(t.ctx);
      env = (await platform.deploy({ nodes: 1 }, t.ctx)) as AzureEnvironment;
    });

    after(async () => {
      await platform?.dispose(t.ctx);
      const s = ep && (await endpointState(ep));
      await ep?.close();
      assert.deepEqual(s?.resourceGroups, [], 'dispose deletes the group');
      assert.deepEqual(await qemuPidsMatching(ep.dir), []);
    });

    it('offers the qemu platform feature names', () => {
      assert.deepEqual([...env.features].sort(), ['Disk', 'Resize', 'SerialConsole', 'StartStop']);
    });

    it('saves the boot diagnostics serial log in the run directory and finds a kernel defect in it', async () => {
      const serial = env.feature<AzureSerialConsole>('SerialConsole')!;
      const [file] = serial.logFiles();
      // The endpoint restores guests from a warm snapshot, so this log starts after the boot.
      assert.ok(file!.startsWith(t.runDir) && existsSync(file!), file);
      await env.nodes[0]!.execute('echo lisa-serial-marker-42 | sudo -n tee /dev/ttyS0 >/dev/null', {
        expectedExitCode: 0,
      });
      assert.equal(await env.checkHealth(), undefined);
      assert.match(serial.read(0), /lisa-serial-marker-42/);
      assert.match(readFileSync(file!, 'utf8'), /lisa-serial-marker-42/);
      await env.nodes[0]!.execute("echo '<2>BUG: lisa-e2e defect marker' | sudo -n tee /dev/kmsg >/dev/null", {
        expectedExitCode: 0,
      });
      assert.match((await env.checkHealth()) ?? '', /BUG: lisa-e2e defect marker/);
      assert.equal(env.broken, undefined, 'a BUG line fails the case but leaves the VM usable');
      assert.equal(await env.checkHealth(), undefined, 'each defect is reported once');
      const blob = (await endpointState(ep)).requests.filter((r) => /serialconsole\.log/.test(r.path));
      assert.ok(blob.length > 0 && blob.every((r) => r.status === 200), JSON.stringify(blob));
    });

    it('attaches a managed data disk to the running VM; the guest sees it, then it goes away', async () => {
      const disk = env.feature<Disk>('Disk')!;
      const added = await disk.add(1);
      assert.match(added.device, /^\/dev\/vd[b-z]$/);
      assert.equal(env.capabilities[0]!.dataDisks, 1);
      const size = await env.nodes[0]!.execute(`lsblk -bdno SIZE ${added.device}`, { expectedExitCode: 0 });
      assert.equal(Number(size.stdout.trim()), 1024 ** 3);
      const updates = (await endpointState(ep)).requests.filter(
        (r) => r.method === 'PUT' && /virtualMachines\/node-0/i.test(r.path),
      );
      assert.equal(updates.length, 2, 'the create and one update');
      await disk.remove(added.id);
      assert.equal(env.capabilities[0]!.dataDisks, 0);
      const gone = await env.nodes[0]!.execute(`test -e ${added.device}`);
      assert.notEqual(gone.exitCode, 0);
    });

    it('deallocates and starts the VM; the node reconnects with a new boot', async () => {
      const ss = env.feature<StartStop>('StartStop')!;
      const node = env.nodes[0]!;
      const boot = (await node.readFile('/proc/sys/kernel/random/boot_id')).trim();
      const [pid] = await pidOf();
      let t0 = Date.now();
      const took = (what: string) => {
        process.stderr.write(`# ${what} took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
        t0 = Date.now();
      };
      await ss.stop();
      took('deallocate');
      const s = await endpointState(ep);
      assert.equal(s.vms[0]!.power, 'deallocated');
      assert.equal(s.vms[0]!.pid, undefined);
      assert.deepEqual(await qemuPidsMatching(ep.dir), [], 'deallocated: no QEMU process');
      await ss.start();
      took('start');
      const serial = env.feature<AzureSerialConsole>('SerialConsole')!;
      await serial.refresh();
      assert.match(serial.read(0), /Linux version/, 'a cold boot is logged');
      const [pid2] = await pidOf();
      assert.ok(pid2 && pid2 !== pid);
      assert.notEqual((await node.readFile('/proc/sys/kernel/random/boot_id')).trim(), boot);
      const booted = (await node.readFile('/proc/sys/kernel/random/boot_id')).trim();
      await ss.restart();
      took('restart');
      assert.notEqual((await node.readFile('/proc/sys/kernel/random/boot_id')).trim(), booted);
    });
  },
);
