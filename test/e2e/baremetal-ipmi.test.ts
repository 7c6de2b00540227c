import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { allText, labQemuPids, labUp, runCliAsync, type BaremetalLab } from '../helpers/baremetal-lab.js';
import { onlyRunDir, readEvents, repoRoot, tempDir, writeRunbook, type CliResult } from '../helpers/cli.js';

/**
 * runbooks/baremetal.yml through the real CLI against the emulated server of
 * scripts/baremetal-lab.sh: real IPMI (ipmitool lanplus to ipmi_sim), network boot from lisa's
 * boot server, SSH, the smoke suite, a kernel panic caught on the SOL console, power-off.
 */
describe('lisa run runbooks/baremetal.yml over IPMI', { timeout: 30 * 60_000 }, () => {
  let lab: BaremetalLab;
  let result: CliResult;
  let runDir: string;
  let ends: Map<string, RunEventOf<'case.end'>>;

  before(async () => {
    lab = await labUp();
    const dir = tempDir('lisa-bm-runs-');
    const runs = join(dir, 'runs');
    // The shipped runbook as is, plus the crash fixture suite selected after the smoke suite.
    const file = writeRunbook(
      dir,
      'runbook.yml',
      `include:
  - ${join(repoRoot, 'runbooks/baremetal.yml')}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/baremetal-panic')}
log_path: ${runs}
testcase:
  - criteria:
      area: smoke|crash
  # A TCG reboot (firmware + PXE again) takes minutes on a busy CI host; the reboot case ran by hand.
  - criteria:
      name: ^smoke\\.reboot$
    select_action: exclude
`,
    );
    result = await runCliAsync(['run', file, ...lab.vars]);
    runDir = onlyRunDir(runs);
    const events: RunEvent[] = readEvents(runDir);
    ends = new Map(
      events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end').map((e) => [e.case.caseId, e]),
    );
  });

  after(() => lab?.down());

  const end = (id: string) => {
    const e = ends.get(id);
    assert.ok(e, `no result for ${id}:\n${result.stdout}\n${result.stderr}`);
    return e;
  };

  it('passes the smoke suite on the network-booted server', () => {
    for (const id of ['smoke.reachable', 'smoke.os_facts', 'smoke.command_round_trip'])
      assert.equal(end(id).status, 'PASSED', `${id}: ${end(id).message}\n${result.stdout}`);
    const log = readFileSync(join(runDir, 'lisa.log'), 'utf8');
    assert.match(log, /server1: powered on \(next boot pxe\)/);
    // The firmware really network-booted from lisa's boot server (not the lab's disk-boot path).
    assert.match(
      log,
      /SSH answered [\d.]+ s after power on \(network boot fetched server1\/boot\.ipxe 200, server1\/kernel 200, server1\/initrd 200\)/,
    );
  });

  it('catches the kernel panic on the SOL console and fails that case', () => {
    const panic = end('zz_crash.kernel_panic');
    assert.equal(panic.status, 'FAILED');
    assert.match(panic.message, /Kernel panic|sysrq/i);
    const serial = readFileSync(join(runDir, 'baremetal/server1/serial.log'), 'utf8');
    // Kernel printk lines prove the SOL capture; how early it catches the boot depends on how fast
    // the emulated BMC reconnects after power-on, so "Linux version" itself is not required.
    assert.match(serial, /\[\s*\d+\.\d+\] /);
    assert.match(serial, /Kernel panic - not syncing/);
    assert.equal(result.code, 1, result.stderr);
  });

  it('powers the server off at the end: no QEMU process, no lease left', () => {
    assert.deepEqual(labQemuPids(lab), []);
    assert.equal(existsSync(join(lab.dir, 'leases/server1.lease')), false);
  });

  it('never shows the BMC password', () => {
    assert.ok(!result.stdout.includes(lab.password) && !result.stderr.includes(lab.password));
    for (const f of allText(runDir)) assert.ok(!f.text.includes(lab.password), `password in ${f.file}`);
  });
});
