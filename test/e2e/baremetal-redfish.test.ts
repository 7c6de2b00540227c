import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { labQemuPids, labUp, runCliAsync, type BaremetalLab } from '../helpers/baremetal-lab.js';
import { onlyRunDir, readEvents, repoRoot, tempDir, writeRunbook, type CliResult } from '../helpers/cli.js';
import { startRedfishService, type RedfishService } from '../helpers/redfish-service.js';

/**
 * runbooks/baremetal-redfish.yml through the CLI: the platform speaks Redfish over HTTPS (CA file,
 * basic auth) to a loopback service shaped like DMTF's mockups whose reset actions drive the
 * emulated server; network boot, SSH, smoke cases, console through SerialConsole.IPMI, power-off.
 */
describe('lisa run runbooks/baremetal-redfish.yml over Redfish', { timeout: 30 * 60_000 }, () => {
  let lab: BaremetalLab;
  let redfish: RedfishService;
  let result: CliResult;
  let runDir: string;
  let ends: RunEventOf<'case.end'>[];

  before(async () => {
    // This lab's firmware loads its boot script over lisa's TFTP server (the IPMI test covers HTTP).
    lab = await labUp('lisa-bmrf-', { tftp: true });
    const certDir = join(lab.dir, 'redfish');
    mkdirSync(certDir, { recursive: true });
    redfish = await startRedfishService({
      labDir: lab.dir,
      ipmiPort: lab.ipmiPort,
      user: 'lisa',
      password: lab.password,
      certDir,
    });
    const dir = tempDir('lisa-bmrf-runs-');
    const runs = join(dir, 'runs');
    const file = writeRunbook(
      dir,
      'runbook.yml',
      `include:
  - ${join(repoRoot, 'runbooks/baremetal-redfish.yml')}
log_path: ${runs}
testcase:
  - criteria:
      name: .
    select_action: exclude
  - criteria:
      name: ^smoke\\.(reachable|os_facts|command_round_trip)$
`,
    );
    const vars = lab.vars.filter(
      (v, i, a) => !v.startsWith('bmc_port:') && !(v === '-v' && a[i + 1]?.startsWith('bmc_port:')),
    );
    result = await runCliAsync([
      'run',
      file,
      ...vars,
      '-v',
      `redfish_url:${redfish.url}`,
      '-v',
      `redfish_ca:${redfish.caFile}`,
    ]);
    runDir = onlyRunDir(runs);
    const events: RunEvent[] = readEvents(runDir);
    ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
  });

  after(async () => {
    await redfish?.close();
    lab?.down();
  });

  it('passes the selected smoke cases', () => {
    assert.ok(ends.length >= 3, result.stdout);
    for (const e of ends) assert.equal(e.status, 'PASSED', `${e.case.caseId}: ${e.message}\n${result.stdout}`);
    assert.equal(result.code, 0, result.stderr);
  });

  it('drove the server with Redfish boot override and reset actions', () => {
    const seen = redfish.requests.join('\n');
    assert.match(seen, /PATCH \/redfish\/v1\/Systems\/437XR1138R2/);
    assert.match(seen, /ComputerSystem\.Reset On/);
    assert.match(seen, /ComputerSystem\.Reset ForceOff/);
    const serial = readFileSync(join(runDir, 'baremetal/server1/serial.log'), 'utf8');
    // Kernel printk lines prove the SOL capture; which is the first one caught depends on how fast
    // the emulated BMC reconnects after power-on, so "Linux version" itself is not required.
    assert.match(serial, /\[\s*\d+\.\d+\] /);
  });

  it('network-booted through TFTP: the firmware fetched its boot script over TFTP, then the kernel over HTTP', () => {
    const log = readFileSync(join(runDir, 'lisa.log'), 'utf8');
    assert.match(
      log,
      /SSH answered [\d.]+ s after power on \(network boot fetched server1\/boot\.ipxe 200 tftp, server1\/kernel 200, server1\/initrd 200\)/,
      log,
    );
  });

  it('leaves the server powered off and the password unseen', () => {
    assert.deepEqual(labQemuPids(lab), []);
    assert.ok(!result.stdout.includes(lab.password) && !result.stderr.includes(lab.password));
  });
});
