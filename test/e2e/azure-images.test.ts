// `lisa run runbooks/azure-images.yml` against the loopback ARM endpoint: one run, three sub-runs
// (a batch combinator), one VM each from a shared gallery, a community gallery and a VHD blob. The
// endpoint checks each imageReference as ARM does and boots the project's Debian guest for all.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { endpointState, endpointVariables, startTestArmEndpoint, type EndpointState } from '../helpers/azure.js';
import { readEvents, repoRoot, startCli, tempDir } from '../helpers/cli.js';
import { qemuPidsMatching } from '../helpers/qemu.js';

const SIG = 'lisa-example-signature';

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesBelow(p) : [p];
  });
}

describe(
  'lisa run: shared gallery, community gallery and VHD images (loopback ARM endpoint)',
  { timeout: 30 * 60_000 },
  () => {
    let ep: Awaited<ReturnType<typeof startTestArmEndpoint>>;
    let result: { code: number | null; stdout: string; stderr: string };
    const events: RunEvent[] = [];
    let runRoot: string;
    let end: EndpointState;
    const refs: unknown[] = [];
    const images: unknown[] = [];

    before(async () => {
      ep = await startTestArmEndpoint();
      runRoot = join(tempDir('lisa-az-images-'), 'runs');
      const cli = startCli([
        'run',
        join(repoRoot, 'runbooks/azure-images.yml'),
        '--log-path',
        runRoot,
        ...endpointVariables(ep),
      ]);
      let done = false;
      const seen = new Set<string>();
      const watch = (async () => {
        while (!done) {
          // The endpoint runs in this process: read the VM bodies ARM stored while they exist.
          for (const g of ep.store.groups.values()) {
            for (const vm of g.vms.values()) {
              const key = String((vm.body as { vmId?: string }).vmId);
              if (seen.has(key)) continue;
              seen.add(key);
              refs.push(
                (vm.body as { properties?: { storageProfile?: { imageReference?: unknown } } }).properties
                  ?.storageProfile?.imageReference,
              );
            }
            for (const r of g.resources.values())
              if (/Microsoft\.Compute\/images/i.test(String(r.type)) && !images.includes(r)) images.push(r);
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      result = await cli.done;
      done = true;
      await watch;
      if (!existsSync(runRoot)) throw new Error(`no run directory: ${result.stdout}\n${result.stderr}`);
      for (const d of readdirSync(runRoot))
        if (existsSync(join(runRoot, d, 'events.jsonl'))) events.push(...readEvents(join(runRoot, d)));
      end = await endpointState(ep);
    });

    after(() => ep?.close());

    it('passes the smoke cases once per image kind', () => {
      const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end' && !e.willRetry);
      const summary = ends.map((e) => `${e.case.caseId} ${e.status} ${e.message ?? ''}`).join('\n');
      assert.equal(result.code, 0, `${summary}\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-3000)}`);
      assert.equal(ends.filter((e) => e.case.caseId === 'smoke.reachable' && e.status === 'PASSED').length, 3, summary);
      assert.ok(
        ends.every((e) => e.status === 'PASSED'),
        summary,
      );
    });

    it('sent each image kind in its REST API shape, with latest resolved', () => {
      const sub = ep.subscriptionId;
      assert.deepEqual(refs, [
        {
          id: `/subscriptions/${sub}/resourceGroups/lisa-images/providers/Microsoft.Compute/galleries/lisa_gallery/images/debian-12/versions/1.2.0`,
        },
        { communityGalleryImageId: '/CommunityGalleries/lisa-community-5f2a9c/Images/debian-12/Versions/2025.2.0' },
        { id: (images[0] as { id: string }).id },
      ]);
      assert.equal(images.length, 1);
      const osDisk = (images[0] as { properties: { storageProfile: { osDisk: Record<string, string> } } }).properties
        .storageProfile.osDisk;
      assert.deepEqual(
        { osType: osDisk.osType, osState: osDisk.osState, blob: osDisk.blobUri!.split('?')[0] },
        {
          osType: 'Linux',
          osState: 'Generalized',
          blob: 'https://lisaimages.blob.core.windows.net/vhds/debian-12.vhd',
        },
      );
      const lists = end.requests.map((r) => r.path);
      assert.ok(
        lists.some((p) => /\/providers\/Microsoft\.Compute\/galleries\?/i.test(p)),
        'the gallery group was looked up',
      );
      assert.ok(lists.some((p) => /communityGalleries\/lisa-community-5f2a9c\/images\/debian-12\/versions\?/i.test(p)));
    });

    it("never prints the VHD's SAS signature", () => {
      assert.ok(!(result.stdout + result.stderr).includes(SIG));
      for (const f of filesBelow(runRoot)) {
        if (/\.(db|sqlite)$/.test(f)) continue;
        assert.ok(!readFileSync(f, 'utf8').includes(SIG), `${f} holds the SAS signature`);
      }
    });

    it('leaves 0 resource groups and 0 QEMU processes', async () => {
      assert.deepEqual(end.resourceGroups, []);
      assert.deepEqual(await qemuPidsMatching(ep.dir), []);
    });
  },
);
