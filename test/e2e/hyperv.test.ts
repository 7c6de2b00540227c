import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { buildImage } from '../../src/platform/qemu/index.js';
import { freeLoopbackPort } from '../../src/platform/qemu/ports.js';
import { allText, runCliAsync } from '../helpers/baremetal-lab.js';
import { onlyRunDir, readEvents, repoRoot, tempDir, writeRunbook, type CliResult } from '../helpers/cli.js';
import { startHypervTestHost, type HypervTestHost } from '../helpers/hyperv/host.js';
import { TEST_IMAGE_CACHE } from '../helpers/qemu.js';

/**
 * runbooks/hyperv.yml through the CLI against the loopback Hyper-V stand-in: the image is copied
 * as a VHDX over SFTP, New-VM..Start-VM run as PowerShell over SSH, the guest (QEMU) answers SSH
 * at the adapter's address, a data disk is hot-added for the storage case, and everything is removed.
 */
describe('lisa run runbooks/hyperv.yml against the test host', { timeout: 30 * 60_000 }, () => {
  let host: HypervTestHost;
  let result: CliResult;
  let runDir: string;
  let ends: RunEventOf<'case.end'>[];

  before(async () => {
    const image = await buildImage({ cacheDir: TEST_IMAGE_CACHE });
    const dir = tempDir('lisa-hv-');
    const vhdx = join(dir, 'image.vhdx');
    execFileSync('qemu-img', ['convert', '-O', 'vhdx', image.imagePath, vhdx]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'guest_key')]);
    const guestPort = await freeLoopbackPort();
    host = await startHypervTestHost({
      root: join(dir, 'host'),
      kernel: image.kernel,
      initrd: image.initrd,
      publicKeyFile: join(dir, 'guest_key.pub'),
      guestSshPort: guestPort,
    });
    const runs = join(dir, 'runs');
    const file = writeRunbook(
      dir,
      'runbook.yml',
      `include:
  - ${join(repoRoot, 'runbooks/hyperv.yml')}
log_path: ${runs}
testcase:
  - criteria:
      name: .
    select_action: exclude
  - criteria:
      name: ^smoke\\.(reachable|os_facts|command_round_trip)$|^storage\\.(root_filesystem|fstab_resolvable|data_disk_io)$
`,
    );
    result = await runCliAsync([
      'run',
      file,
      ...['-v', `host_port:${host.port}`, '-v', `s:host_password:${host.password}`, '-v', `image:${vhdx}`],
      ...['-v', `guest_key:${join(dir, 'guest_key')}`, '-v', `guest_port:${guestPort}`],
    ]);
    runDir = onlyRunDir(runs);
    const events: RunEvent[] = readEvents(runDir);
    ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
  });

  after(async () => host?.close());

  it('passes smoke and storage, hot-adding a data disk', () => {
    assert.ok(ends.length >= 6, result.stdout + result.stderr);
    // data_disk_io installs parted with apt, which needs a mirror the offline guest cannot reach;
    // what this test proves there is the hot-add (Add-VMHardDiskDrive on the running VM).
    for (const e of ends.filter((x) => x.case.caseId !== 'storage.data_disk_io'))
      assert.equal(e.status, 'PASSED', `${e.case.caseId}: ${e.message}\n${result.stdout}`);
    assert.ok(host.scripts.some((s) => s.includes('Add-VMHardDiskDrive -VMName')));
    assert.match(
      readFileSync(join(runDir, 'lisa.log'), 'utf8'),
      /attached \/dev\/vd[b-z] through the platform's Disk feature/,
    );
  });

  it('leaves nothing behind on the host', () => {
    assert.equal(host.vms.size, 0);
    assert.deepEqual(
      host.files().filter((f) => !/\/C\/lisa$/.test(f)),
      [],
    );
    assert.ok(host.scripts.some((s) => s.includes('Remove-VM -Name')));
  });

  it('never shows the host password', () => {
    assert.ok(!result.stdout.includes(host.password) && !result.stderr.includes(host.password));
    for (const f of allText(runDir)) assert.ok(!f.text.includes(host.password), `password in ${f.file}`);
  });
});
