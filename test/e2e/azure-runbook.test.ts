// `lisa run runbooks/azure.yml` against the loopback ARM endpoint: two environments at once (the
// network suite's two-node cases need one of two nodes), the built-in suites on real guests, and a
// user's own TypeScript cases: a data disk added, used and removed while the VM runs (Disk) and a
// deallocate/start (StartStop).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { endpointState, endpointVariables, startTestArmEndpoint, type EndpointState } from '../helpers/azure.js';
import { onlyRunDir, readEvents, repoRoot, startCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { qemuPidsMatching } from '../helpers/qemu.js';

const POWER_SUITE = `import { defineSuite } from 'lisa-ts';

interface StartStop {
  name: string;
  stop(node?: number): Promise<void>;
  start(node?: number): Promise<void>;
}

interface Disk {
  name: string;
  add(sizeGiB: number, node?: number): Promise<{ id: string; device: string }>;
  remove(id: string, node?: number): Promise<void>;
}

export default defineSuite({
  name: 'azure_power',
  area: 'azure_power',
  description: 'a user case driving the platform StartStop feature',
  cases: [
    {
      name: 'deallocate_start',
      priority: 1,
      requirement: { features: ['StartStop'] },
      async run(ctx) {
        const power = ctx.environment.feature<StartStop>('StartStop')!;
        const before = (await ctx.node.readFile('/proc/sys/kernel/random/boot_id')).trim();
        await power.stop(0);
        await power.start(0);
        const after = (await ctx.node.readFile('/proc/sys/kernel/random/boot_id')).trim();
        if (after === before) throw new Error('boot id unchanged after deallocate and start');
        ctx.log.info('deallocated and started: new boot ' + after);
      },
    },
    {
      name: 'data_disk_hotplug',
      priority: 1,
      requirement: { features: ['Disk'] },
      async run(ctx) {
        const disk = ctx.environment.feature<Disk>('Disk')!;
        const added = await disk.add(1, 0);
        const dev = added.device;
        const script = [
          'set -e',
          \`sudo -n mkfs.ext4 -q -F \${dev}\`,
          'sudo -n mkdir -p /mnt/lisa-data',
          \`sudo -n mount \${dev} /mnt/lisa-data\`,
          'head -c 4194304 /dev/urandom | sudo -n tee /mnt/lisa-data/blob >/dev/null',
          'a=$(sudo -n sha256sum /mnt/lisa-data/blob | cut -d" " -f1)',
          'sudo -n umount /mnt/lisa-data',
          \`sudo -n mount \${dev} /mnt/lisa-data\`,
          'b=$(sudo -n sha256sum /mnt/lisa-data/blob | cut -d" " -f1)',
          'sudo -n umount /mnt/lisa-data',
          '[ "$a" = "$b" ]',
        ].join('\\n');
        await ctx.node.execute(script, { expectedExitCode: 0 });
        await disk.remove(added.id, 0);
        const gone = await ctx.node.execute(\`test -e \${dev}\`);
        if (gone.exitCode === 0) throw new Error(dev + ' is still there after the disk was removed');
      },
    },
  ],
});
`;

describe('lisa run runbooks/azure.yml (loopback ARM endpoint)', { timeout: 45 * 60_000 }, () => {
  let ep: Awaited<ReturnType<typeof startTestArmEndpoint>>;
  let result: { code: number | null; stdout: string; stderr: string };
  let events: RunEvent[];
  let runDir: string;
  let end: EndpointState;
  let peak = { groups: 0, vms: 0, twoNode: false };

  before(async () => {
    ep = await startTestArmEndpoint();
    const dir = tempDir('lisa-az-runbook-');
    mkdirSync(join(dir, 'suites'));
    writeFileSync(join(dir, 'suites', 'power.ts'), POWER_SUITE);
    const file = writeRunbook(
      dir,
      'nightly.yml',
      `include:
  - path: ${join(repoRoot, 'runbooks/azure.yml')}
log_path: ${join(dir, 'runs')}
extension:
  - ${join(dir, 'suites')}
testcase:
  - criteria:
      area: azure_power
`,
    );
    const v = (k: string, val: string) => ['-v', `${k}:${val}`];
    const cli = startCli([
      'run',
      file,
      ...endpointVariables(ep),
      // The endpoint's guests have no internet: no public name resolves, and data_disk_io cannot
      // install parted with apt; data_disk_hotplug above attaches, uses and detaches a disk instead.
      ...v('exclude_cases', '^(dns_resolution|data_disk_io)$'),
    ]);
    let done = false;
    const watch = (async () => {
      while (!done) {
        const s = await endpointState(ep);
        const byGroup = new Map<string, number>();
        for (const vm of s.vms) byGroup.set(vm.group, (byGroup.get(vm.group) ?? 0) + 1);
        peak = {
          groups: Math.max(peak.groups, s.resourceGroups.length),
          vms: Math.max(peak.vms, s.vms.length),
          twoNode: peak.twoNode || [...byGroup.values()].some((n) => n >= 2),
        };
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    result = await cli.done;
    done = true;
    await watch;
    if (!existsSync(join(dir, 'runs'))) throw new Error(`no run directory: ${result.stdout}\n${result.stderr}`);
    runDir = onlyRunDir(join(dir, 'runs'));
    events = readEvents(runDir);
    end = await endpointState(ep);
  });

  after(() => ep?.close());

  it('passes every selected case of smoke, provisioning, storage and network, and the StartStop case', () => {
    const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end' && !e.willRetry);
    const summary = ends.map((e) => `${e.case.caseId} ${e.status} ${e.message ?? ''}`).join('\n');
    process.stderr.write(`# cases:\n${summary.replace(/^/gm, '#   ')}\n`);
    assert.equal(result.code, 0, `${summary}\n${result.stderr.slice(-3000)}`);
    for (const e of ends) assert.equal(e.status, 'PASSED', `${e.case.caseId}: ${e.message}`);
    const ids = new Set(ends.map((e) => e.case.caseId));
    for (const id of [
      'smoke.reachable',
      'provisioning.boot_clean',
      'storage.root_filesystem',
      'azure_power.data_disk_hotplug',
      'network.peer_reachable',
      'azure_power.deallocate_start',
    ])
      assert.ok(ids.has(id), `${id} ran (ran: ${[...ids].join(', ')})`);
    assert.ok(!ids.has('network.dns_resolution'), 'excluded by the exclude_cases variable');
    assert.ok(!ids.has('storage.data_disk_io'), 'excluded by the exclude_cases variable');
  });

  it('ran two environments at once, one of them with two nodes', () => {
    assert.ok(peak.groups >= 2, `at most ${peak.groups} resource groups at once`);
    assert.ok(peak.twoNode, 'a two-node environment was deployed');
    const begins = events.filter((e): e is RunEventOf<'env.begin'> => e.type === 'env.begin');
    assert.ok(
      begins.some((b) => b.nodes.length === 2),
      JSON.stringify(begins.map((b) => b.nodes.length)),
    );
  });

  it('attached and detached a data disk through VM updates while the VM ran', () => {
    const updates = end.requests.filter((r) => r.method === 'PUT' && /virtualMachines\/[^/?]+\?/i.test(r.path));
    const deploys = events.filter((e) => e.type === 'env.begin').length;
    assert.ok(updates.length >= deploys + 2, `VM PUTs: ${updates.length} for ${deploys} environments`);
    const power = end.requests.filter((r) => r.method === 'POST' && /\/(deallocate|start)\?/.test(r.path));
    assert.deepEqual(
      power.map((r) => /\/(deallocate|start)\?/.exec(r.path)![1]),
      ['deallocate', 'start'],
    );
  });

  it('saved every VM serial log in the run directory', () => {
    const envDirs = readdirSync(join(runDir, 'azure')).filter((d) => /^azure\d+$/.test(d));
    const logs = envDirs.flatMap((d) => readdirSync(join(runDir, 'azure', d)).map((f) => join(runDir, 'azure', d, f)));
    const vms = events
      .filter((e): e is RunEventOf<'env.begin'> => e.type === 'env.begin')
      .reduce((n, e) => n + e.nodes.length, 0);
    assert.equal(logs.filter((f) => f.endsWith('.serial.log')).length, vms, logs.join('\n'));
    // Guests restored from the endpoint's warm snapshot log only what came after the restore.
    process.stderr.write(
      `# serial logs: ${logs.map((f) => `${f.slice(runDir.length + 1)} ${readFileSync(f).length} B`).join(', ')}\n`,
    );
    assert.ok(logs.every((f) => existsSync(f)));
  });

  it('leaves 0 resource groups and 0 QEMU processes', async () => {
    assert.deepEqual(end.resourceGroups, []);
    assert.deepEqual(await qemuPidsMatching(ep.dir), []);
  });
});
