// `lisa run runbooks/azure-existing.yml` (resource_group_name + deploy: false) against the loopback ARM
// endpoint: the test creates a group with a VM through the endpoint's own ARM API, lisa runs the
// smoke suite on that VM, and the group and the VM (the same QEMU process) are still there after.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { seedGroupWithVm } from '../helpers/arm-endpoint/seed.js';
import { endpointState, endpointVariables, startTestArmEndpoint, type EndpointState } from '../helpers/azure.js';
import { onlyRunDir, readEvents, repoRoot, startCli, tempDir } from '../helpers/cli.js';
import { qemuPidsMatching } from '../helpers/qemu.js';

const GROUP = 'team-images-rg';

describe(
  'lisa run on an existing resource group, deploy: false (loopback ARM endpoint)',
  { timeout: 30 * 60_000 },
  () => {
    let ep: Awaited<ReturnType<typeof startTestArmEndpoint>>;
    let result: { code: number | null; stdout: string; stderr: string };
    let events: RunEvent[];
    let seeded: EndpointState;
    let end: EndpointState;

    before(async () => {
      ep = await startTestArmEndpoint();
      const dir = tempDir('lisa-az-existing-');
      const key = join(dir, 'id_ed25519');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'existing', '-f', key]);
      const publicKey = execFileSync('cat', [`${key}.pub`])
        .toString()
        .trim();
      await seedGroupWithVm(ep, { group: GROUP, vm: 'builder', adminUsername: 'azureuser', publicKey });
      seeded = await endpointState(ep);
      const v = (k: string, val: string) => ['-v', `${k}:${val}`];
      const cli = startCli([
        'run',
        join(repoRoot, 'runbooks/azure-existing.yml'),
        '--log-path',
        join(dir, 'runs'),
        ...endpointVariables(ep),
        ...v('resource_group_name', GROUP),
        ...v('admin_private_key_file', key),
      ]);
      result = await cli.done;
      if (!existsSync(join(dir, 'runs'))) throw new Error(`no run directory: ${result.stdout}\n${result.stderr}`);
      events = readEvents(onlyRunDir(join(dir, 'runs')));
      end = await endpointState(ep);
    });

    after(async () => {
      await ep?.close();
      assert.deepEqual(await qemuPidsMatching(ep.dir), [], 'closing the endpoint stops the seeded VM');
    });

    it('runs the smoke suite on the VM that was already there', () => {
      const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end' && !e.willRetry);
      const summary = ends.map((e) => `${e.case.caseId} ${e.status} ${e.message ?? ''}`).join('\n');
      assert.equal(result.code, 0, `${summary}\n${result.stderr.slice(-3000)}`);
      assert.ok(ends.length > 0 && ends.every((e) => e.status === 'PASSED'), summary);
      assert.ok(
        ends.some((e) => e.case.caseId === 'smoke.reachable'),
        summary,
      );
      const begins = events.filter((e): e is RunEventOf<'env.begin'> => e.type === 'env.begin');
      assert.ok(begins.length > 0);
    });

    it('creates and deletes nothing: the group and the same VM process are still there', () => {
      assert.deepEqual(
        end.resourceGroups.map((g) => g.name),
        [GROUP],
      );
      assert.equal(end.vms.length, 1);
      assert.equal(end.vms[0]!.name, 'builder');
      assert.equal(end.vms[0]!.power, 'running');
      assert.ok(end.vms[0]!.pid && end.vms[0]!.pid === seeded.vms[0]!.pid, 'the VM was not restarted or recreated');
      const writes = end.requests
        .slice(seeded.requests.length)
        .filter(
          (r) => ['PUT', 'PATCH', 'DELETE', 'POST'].includes(r.method) && !/retrieveBootDiagnosticsData/i.test(r.path),
        );
      assert.deepEqual(writes, [], 'lisa sent no PUT, PATCH, DELETE or power action');
    });
  },
);
