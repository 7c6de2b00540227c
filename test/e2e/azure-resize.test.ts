// `lisa run` with the built-in resize suite against the loopback ARM endpoint: a Standard_B1s VM
// (1 vCPU) is resized to the next larger size through the SDK. The endpoint runs B1s on other
// hardware than the v2/v5 sizes, so its vmSizes do not offer them while it runs and the platform must
// deallocate, PATCH hardwareProfile.vmSize, and start; the guest is relaunched with the new -smp.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { endpointState, startTestArmEndpoint, type EndpointState } from '../helpers/azure.js';
import { onlyRunDir, readEvents, startCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { AzurePlatform } from '../../src/platform/azure/index.js';
import type { Resize } from '../../src/platform/types.js';
import { qemuPidsMatching, qemuTestContext } from '../helpers/qemu.js';

/** The `-smp` and `-m` of a running QEMU process. */
function shapeOf(pid: number): { cores: number; memoryMiB: number } | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    // A guest that is exiting (a zombie) has an empty command line: no shape to read.
    if (!args.includes('-smp')) return undefined;
    const at = (flag: string) => args[args.indexOf(flag) + 1] ?? '';
    return { cores: parseInt(at('-smp'), 10), memoryMiB: parseInt(at('-m'), 10) };
  } catch {
    return undefined;
  }
}

describe('lisa run: the resize suite on azure (loopback ARM endpoint)', { timeout: 30 * 60_000 }, () => {
  let ep: Awaited<ReturnType<typeof startTestArmEndpoint>>;
  let result: { code: number | null; stdout: string; stderr: string };
  let events: RunEvent[];
  let end: EndpointState;
  const shapes: { size?: string; cores: number; memoryMiB: number }[] = [];

  before(async () => {
    ep = await startTestArmEndpoint();
    const dir = tempDir('lisa-az-resize-');
    const file = writeRunbook(
      dir,
      'resize.yml',
      `name: azure-resize
log_path: ${join(dir, 'runs')}
concurrency: 1
platform:
  - type: azure
    azure:
      subscription_id: ${ep.subscriptionId}
      location: westus3
      vm_size: Standard_B1s
      credential:
        type: secret
        tenant_id: ${ep.tenantId}
        client_id: ${ep.clientId}
        client_secret: ${ep.clientSecret}
      cloud:
        arm_endpoint: ${ep.armEndpoint}
        authority_host: ${ep.authorityHost}
        ca_file: ${ep.caFile}
testcase:
  - criteria:
      name: ^resize\\.resize_up$
`,
    );
    const cli = startCli(['run', file]);
    let done = false;
    const watch = (async () => {
      while (!done) {
        const s = await endpointState(ep);
        for (const vm of s.vms) {
          const shape = vm.pid ? shapeOf(vm.pid) : undefined;
          const last = shapes.at(-1);
          if (shape && (!last || last.cores !== shape.cores))
            shapes.push({ size: (vm as { size?: string }).size, ...shape });
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    result = await cli.done;
    done = true;
    await watch;
    if (!existsSync(join(dir, 'runs'))) throw new Error(`no run directory: ${result.stdout}\n${result.stderr}`);
    events = readEvents(onlyRunDir(join(dir, 'runs')));
    end = await endpointState(ep);
  });

  after(() => ep?.close());

  it('passes resize_up: the guest has the new core count and memory over SSH', () => {
    const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end' && !e.willRetry);
    const summary = ends.map((e) => `${e.case.caseId} ${e.status} ${e.message ?? ''}`).join('\n');
    assert.equal(result.code, 0, `${summary}\n${result.stderr.slice(-3000)}`);
    assert.deepEqual(
      ends.map((e) => [e.case.caseId, e.status]),
      [['resize.resize_up', 'PASSED']],
    );
  });

  it('relaunched the QEMU guest with 1 and then 2 vCPUs', () => {
    process.stderr.write(`# guest shapes seen: ${JSON.stringify(shapes)}\n`);
    assert.deepEqual(
      shapes.map((s) => s.cores),
      [1, 2],
    );
    assert.equal(shapes[1]!.memoryMiB, 1024);
  });

  it('went through vmSizes, deallocate, PATCH and start, in that order', () => {
    const calls = end.requests
      .filter((r) => /virtualMachines\/node-0/i.test(r.path))
      .map((r) => `${r.method} ${/virtualMachines\/node-0(\/[a-zA-Z]+)?/i.exec(r.path)![1] ?? ''}`)
      .filter((c) => /vmSizes|deallocate|start|PATCH/.test(c));
    assert.deepEqual(
      calls.filter((c, i) => c !== calls[i - 1]),
      ['GET /vmSizes', 'POST /deallocate', 'PATCH ', 'POST /start'],
    );
  });

  it('leaves 0 resource groups and 0 QEMU processes', async () => {
    assert.deepEqual(end.resourceGroups, []);
    assert.deepEqual(await qemuPidsMatching(ep.dir), []);
  });

  // The other path, in process: a size on the VM's own hardware cluster is PATCHed while it runs
  // (no deallocate), and the endpoint relaunches the guest with the new -smp.
  it('resizes a running Standard_B2ts_v2 to 4 cores in place: one PATCH, no deallocate', async () => {
    const t = qemuTestContext('azure-resize-inplace');
    const platform = new AzurePlatform({
      type: 'azure',
      keepEnvironment: 'no',
      baseDir: t.runDir,
      options: {
        subscription_id: ep.subscriptionId,
        location: 'westus3',
        vm_size: 'Standard_B2ts_v2',
        credential: { type: 'secret', tenant_id: ep.tenantId, client_id: ep.clientId, client_secret: ep.clientSecret },
        cloud: { arm_endpoint: ep.armEndpoint, authority_host: ep.authorityHost, ca_file: ep.caFile },
      },
    });
    try {
      await platform.prepare(t.ctx);
      const env = (await platform.deploy({ nodes: 1, features: ['Resize'] }, t.ctx))!;
      const before = (await endpointState(ep)).requests.length;
      const r = await env.feature<Resize>('Resize')!.resize({ cores: 4 });
      assert.deepEqual([r.oldSize, r.newSize, r.cores], ['Standard_B2ts_v2', 'Standard_D4s_v5', 4]);
      const nproc = await env.nodes[0]!.execute('nproc --all', { expectedExitCode: 0 });
      assert.equal(nproc.stdout.trim(), '4', 'the guest has 4 vCPUs');
      assert.equal(env.capabilities[0]!.cores, 4);
      assert.equal(env.vmSize, 'Standard_D4s_v5');
      const calls = (await endpointState(ep)).requests
        .slice(before)
        .filter((q) => q.method !== 'GET')
        .map((q) => `${q.method} ${/virtualMachines\/node-0(\/[a-zA-Z]+)?/i.exec(q.path)?.[1] ?? ''}`);
      assert.deepEqual(calls, ['PATCH ']);
      const [pid] = await qemuPidsMatching(ep.dir);
      assert.equal(shapeOf(pid!)?.cores, 4);
    } finally {
      await platform.dispose(t.ctx);
    }
    assert.deepEqual((await endpointState(ep)).resourceGroups, []);
    assert.deepEqual(await qemuPidsMatching(ep.dir), []);
  });
});
