// Capacity and provisioning faults injected by the loopback ARM endpoint, through the real CLI: each
// must end in the reaction a user needs and leave no resource group and no QEMU process behind.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import { azureRunbookYaml, endpointState, startTestArmEndpoint, waitForState } from '../helpers/azure.js';
import { onlyRunDir, readEvents, startCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { qemuPidsMatching } from '../helpers/qemu.js';

describe('azure faults (loopback ARM endpoint)', { timeout: 30 * 60_000 }, () => {
  let ep: Awaited<ReturnType<typeof startTestArmEndpoint>>;
  // A regional quota of 3 vCPUs: one 2-vCPU VM fits, two do not.
  before(async () => (ep = await startTestArmEndpoint({ coresLimit: 3 })));
  after(() => ep?.close());

  const run = (name: string, o: Omit<Parameters<typeof azureRunbookYaml>[1], 'runRoot'>) => {
    const dir = tempDir(`lisa-az-${name}-`);
    const runRoot = join(dir, 'runs');
    const cli = startCli(['run', writeRunbook(dir, 'azure.yml', azureRunbookYaml(ep, { runRoot, ...o }))]);
    return {
      cli,
      async done() {
        const r = await cli.done;
        const ends = readEvents(onlyRunDir(runRoot)).filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
        return { ...r, ends, runDir: onlyRunDir(runRoot) };
      },
    };
  };
  const clean = async () => {
    assert.deepEqual((await endpointState(ep)).resourceGroups, []);
    assert.deepEqual(await qemuPidsMatching(ep.dir), []);
  };
  const vmPuts = async (from: number) =>
    (await endpointState(ep)).requests
      .slice(from)
      .filter((q) => q.method === 'PUT' && /virtualMachines\/[^/?]+\?/i.test(q.path));

  it('a quota limit below the need skips the case, naming the quota', async () => {
    const r = await run('quota-limit', { testcase: '^network\\.peer_reachable$' }).done();
    assert.equal(r.ends.length, 1, r.stdout + r.stderr);
    assert.equal(r.ends[0]!.status, 'SKIPPED');
    assert.match(
      r.ends[0]!.message ?? '',
      /quota for Standard_B2ts_v2 in westus3 \(standardBsv2Family vCPU quota is 3, 4 needed\)/,
    );
    await clean();
  });

  it('waits for quota in use, then tries locations and sizes in order past SkuNotAvailable', async () => {
    const before = (await endpointState(ep)).requests.length;
    ep.computeFaults.reservedCores = 3;
    for (const s of ['standard_b2ts_v2', 'standard_b2ls_v2']) ep.computeFaults.unavailable.add(`eastus2/${s}`);
    const job = run('capacity', {
      location: '[eastus2, westus3]',
      extra: '      vm_size: [Standard_B2ts_v2, Standard_B2ls_v2]\n      wait_resource_timeout: 5',
      testcase: '^smoke\\.reachable$',
    });
    // Two rounds of usage reads in each location: the deploy is waiting, not failing.
    const s = await waitForState(
      ep,
      (x) => x.requests.slice(before).filter((q) => /\/usages\?/.test(q.path)).length >= 10,
      120_000,
    );
    assert.equal((await vmPuts(before)).length, 0, 'nothing is created while the quota is in use');
    assert.deepEqual(s.resourceGroups, []);
    ep.computeFaults.reservedCores = 0;
    const r = await job.done();
    ep.computeFaults.unavailable.clear();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.ends[0]!.status, 'PASSED');
    const log = readFileSync(join(r.runDir, 'lisa.log'), 'utf8');
    assert.match(
      log,
      /deploy waits for resources \(azure: no capacity for azure1: Standard_B2ts_v2 in eastus2: regional vCPU quota: 3 of 3 in use/,
    );
    assert.match(log, /SkuNotAvailable for Standard_B2ts_v2 in eastus2; trying the next size or location/);
    assert.match(log, /SkuNotAvailable for Standard_B2ls_v2 in eastus2; trying the next size or location/);
    assert.match(log, /azure\d+ ready in .*westus3, Standard_B2ts_v2/);
    assert.deepEqual(
      (await vmPuts(before)).map((q) => q.status),
      [409, 409, 201],
    );
    await clean();
  });

  it('a VM whose kernel panics while provisioning fails its cases with the panic; its serial log is kept', async () => {
    ep.computeFaults.provisioning.push('panic');
    const r = await run('panic', { testcase: '^smoke\\.reachable$' }).done();
    assert.equal(r.code, 1);
    assert.equal(r.ends[0]!.status, 'FAILED');
    const msg = r.ends[0]!.message ?? '';
    assert.match(msg, /VM node-0 failed to provision \(OSProvisioningTimedOut\)/);
    assert.match(msg, /kernel panic on its serial console:\n[\s\S]*Kernel panic - not syncing/);
    const serial = join(r.runDir, 'azure', 'azure1', 'node-0.serial.log');
    assert.ok(existsSync(serial), serial);
    assert.match(readFileSync(serial, 'utf8'), /Kernel panic - not syncing/);
    await clean();
  });

  it('a VM that never finishes provisioning is given up after provision_timeout; nothing is left', async () => {
    ep.computeFaults.provisioning.push('hang');
    const t0 = Date.now();
    const r = await run('hang', { testcase: '^smoke\\.reachable$', extra: '      provision_timeout: 10' }).done();
    assert.equal(r.ends[0]!.status, 'FAILED');
    assert.match(r.ends[0]!.message ?? '', /VM node-0 did not finish provisioning within 10 s/);
    assert.ok(Date.now() - t0 < 120_000, 'the timeout bounds the deploy');
    await clean();
  });
});
