// A resource group delete that never finishes, injected by the loopback ARM endpoint, through the
// real CLI: the run waits only `delete_timeout`, exits with its cases' code, names the group as
// still deleting in the summary and the ledger; `lisa reap` is bounded the same way while the fault
// holds, and deletes the group once it is cleared: then 0 groups and 0 QEMU processes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import { Ledger } from '../../src/platform/azure/ledger.js';
import { azureRunbookYaml, endpointState, startTestArmEndpoint } from '../helpers/azure.js';
import { onlyRunDir, readEvents, startCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { qemuPidsMatching } from '../helpers/qemu.js';

describe('azure: a delete that never finishes (loopback ARM endpoint)', { timeout: 20 * 60_000 }, () => {
  let ep: Awaited<ReturnType<typeof startTestArmEndpoint>>;
  before(async () => (ep = await startTestArmEndpoint()));
  after(() => ep?.close());

  it('the run waits delete_timeout, reports the group still deleting; reap finishes it once ARM does', async () => {
    const dir = tempDir('lisa-az-stuck-');
    const runRoot = join(dir, 'runs');
    const file = writeRunbook(
      dir,
      'azure.yml',
      azureRunbookYaml(ep, { runRoot, testcase: '^smoke\\.reachable$', extra: '      delete_timeout: 10' }),
    );
    ep.groupFaults.stuckDelete = true;
    const r = await startCli(['run', file]).done;
    const runDir = onlyRunDir(runRoot);
    const events = readEvents(runDir);
    const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
    assert.equal(ends.length, 1, r.stdout + r.stderr);
    assert.equal(ends[0]!.status, 'PASSED', ends[0]!.message);
    assert.equal(r.code, 0, 'a passing run exits 0 although its group is still deleting');

    // Bounded: from the end of the case to the end of the run is about delete_timeout, no more.
    const caseEnd = Date.parse(ends[0]!.time);
    const runEnd = Date.parse(events.find((e) => e.type === 'run.end')!.time);
    assert.ok(runEnd - caseEnd >= 8_000, `waited ${runEnd - caseEnd} ms for the delete`);
    assert.ok(runEnd - caseEnd < 40_000, `waited ${runEnd - caseEnd} ms: more than the bound`);

    const s = await endpointState(ep);
    assert.equal(s.resourceGroups.length, 1, 'the group is still there, deleting');
    const group = s.resourceGroups[0]!.name;
    assert.match(
      r.stdout,
      new RegExp(`STILL DELETING azure resource group ${group} - .*\`lisa reap\` deletes it later`),
    );
    const left = events.find((e): e is RunEventOf<'platform.leftover'> => e.type === 'platform.leftover');
    assert.deepEqual(
      left?.resources.map((x) => [x.name, x.state]),
      [[group, 'still-deleting']],
    );
    const entry = Ledger.forUser()
      .read()
      .find((e) => e.group === group && e.endpoint === ep.armEndpoint);
    assert.equal(entry?.state, 'still-deleting');

    // While ARM still does not finish, reap is bounded too and says so (exit 1).
    const stuck = await startCli(['reap', file]).done;
    assert.equal(stuck.code, 1, stuck.stdout + stuck.stderr);
    assert.match(stuck.stdout, new RegExp(`still deleting ${group}`));
    assert.match(stuck.stdout, /0 deleted, 0 left alone, 1 still deleting/);

    ep.groupFaults.stuckDelete = false;
    const reap = await startCli(['reap', file]).done;
    assert.equal(reap.code, 0, reap.stdout + reap.stderr);
    assert.match(reap.stdout, new RegExp(`deleted ${group}`));
    assert.match(reap.stdout, /1 deleted/);
    assert.deepEqual((await endpointState(ep)).resourceGroups, []);
    assert.deepEqual(await qemuPidsMatching(ep.dir), []);
    assert.equal(
      Ledger.forUser()
        .read()
        .find((e) => e.group === group && e.endpoint === ep.armEndpoint)?.state,
      'deleted',
    );
  });
});
