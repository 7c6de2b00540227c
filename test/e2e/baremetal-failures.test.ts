import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { labQemuPids, labUp, runCliAsync, type BaremetalLab } from '../helpers/baremetal-lab.js';
import { onlyRunDir, readEvents, repoRoot, startCli, tempDir, writeRunbook } from '../helpers/cli.js';

function caseEnds(runs: string): RunEventOf<'case.end'>[] {
  const events: RunEvent[] = readEvents(onlyRunDir(runs));
  return events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
}

/** A BMC that rejects the login and a server that never answers SSH: clear failures, run goes on. */
describe('bare-metal failures through the CLI', { timeout: 15 * 60_000 }, () => {
  let lab: BaremetalLab;
  before(async () => (lab = await labUp('lisa-bmfail-')));
  after(() => lab?.down());

  const runbook = (dir: string, extra: string) =>
    writeRunbook(
      dir,
      'runbook.yml',
      `include:
  - ${join(repoRoot, 'runbooks/baremetal.yml')}
log_path: ${join(dir, 'runs')}
testcase:
  - criteria:
      name: .
    select_action: exclude
  - criteria:
      name: ^smoke\\.(reachable|os_facts)$
${extra}`,
    );

  it('a wrong BMC password fails the cases with one line naming machine, BMC and the login', async () => {
    const dir = tempDir('lisa-bm-badpw-');
    const vars = lab.vars.map((v) => (v.startsWith('s:bmc_password:') ? 's:bmc_password:not-the-password' : v));
    const r = await runCliAsync(['run', runbook(dir, ''), ...vars]);
    assert.equal(r.code, 1, r.stderr);
    const ends = caseEnds(join(dir, 'runs'));
    assert.ok(ends.length >= 2, `${ends.length} results`);
    for (const e of ends) {
      assert.equal(e.status, 'FAILED');
      assert.match(
        e.message,
        new RegExp(`machine server1: BMC ipmi 127\\.0\\.0\\.1:${lab.ipmiPort}: login rejected for user lisa`),
      );
      assert.ok(!e.message.includes('\n'), e.message);
    }
    assert.ok(!r.stdout.includes('not-the-password') && !r.stderr.includes('not-the-password'));
    assert.deepEqual(labQemuPids(lab), []);
  });

  it('a server that never answers SSH fails naming the stage, and is powered off', async () => {
    const dir = tempDir('lisa-bm-nossh-');
    // SSH is expected on a port nothing listens on; the server boots but "never answers".
    const vars = lab.vars.map((v) => (v.startsWith('ssh_port:') ? 'ssh_port:9' : v));
    const file = runbook(dir, '');
    const r = await runCliAsync(['run', file, ...vars, '-v', 'boot_timeout:20']);
    assert.equal(r.code, 1, r.stderr);
    const ends = caseEnds(join(dir, 'runs'));
    assert.ok(ends.length >= 1);
    assert.match(
      ends[0]!.message,
      /machine server1: SSH on 127\.0\.0\.1:9 did not answer within 20 s; stage: (network boot|OS boot)/,
    );
    assert.deepEqual(labQemuPids(lab), []);
  });

  it('Ctrl-C during power-on exits 130 and leaves the server powered off', async () => {
    const dir = tempDir('lisa-bm-int-');
    const run = startCli(['run', runbook(dir, ''), ...lab.vars]);
    const deadline = Date.now() + 120_000;
    while (labQemuPids(lab).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok(labQemuPids(lab).length > 0, `the server never powered on:\n${run.output().stderr}`);
    run.child.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    assert.deepEqual(labQemuPids(lab), []);
    assert.equal(existsSync(join(lab.dir, 'leases/server1.lease')), false);
  });
});
