import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { buildImage } from '../../src/platform/qemu/index.js';
import { runCliAsync } from '../helpers/baremetal-lab.js';
import { onlyRunDir, readEvents, repoRoot, startCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { startHypervTestHost, type HostOptions, type HypervTestHost } from '../helpers/hyperv/host.js';
import { TEST_IMAGE_CACHE } from '../helpers/qemu.js';

/**
 * The Hyper-V platform when the host says no, and on Ctrl-C, through the CLI against the loopback
 * stand-in host. The "image" is a small blank VHDX: only the last case boots a kernel, one that
 * panics at once.
 */
describe('Hyper-V failures through the CLI', { timeout: 5 * 60_000 }, () => {
  let host: HypervTestHost | undefined;
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  async function setUp(options: Partial<HostOptions>) {
    const dir = tempDir('lisa-hvfail-');
    const vhdx = join(dir, 'image.vhdx');
    execFileSync('qemu-img', ['create', '-q', '-f', 'vhdx', vhdx, '64M']);
    // The guest never gets as far as SSH in these tests: placeholder key files.
    writeFileSync(join(dir, 'guest_key'), 'not a key\n');
    writeFileSync(join(dir, 'guest_key.pub'), 'not a key\n');
    host = await startHypervTestHost({
      root: join(dir, 'host'),
      kernel: join(dir, 'no-kernel'),
      initrd: join(dir, 'no-initrd'),
      publicKeyFile: join(dir, 'guest_key.pub'),
      guestSshPort: 9,
      ...options,
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
      name: ^smoke\\.(reachable|os_facts)$
`,
    );
    const args = [
      'run',
      file,
      ...['-v', `host_port:${host.port}`, '-v', `s:host_password:${host.password}`, '-v', `image:${vhdx}`],
      ...['-v', `guest_key:${join(dir, 'guest_key')}`, '-v', 'guest_port:9'],
    ];
    return { args, runs, host, dir };
  }

  /** Nothing of the run is left on the host: no VM, no file below C:\lisa. */
  function assertHostClean(h: HypervTestHost): void {
    assert.equal(h.vms.size, 0, [...h.vms.keys()].join(', '));
    assert.deepEqual(
      h.files().filter((f) => !/\/C\/lisa$/.test(f)),
      [],
    );
  }

  it('a host that refuses New-VM fails the cases naming the host, the VM and the step; the run ends', async () => {
    const { args, runs, host: h } = await setUp({ refuse: ['New-VM'] });
    const r = await runCliAsync(args, 4 * 60_000);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const events: RunEvent[] = readEvents(onlyRunDir(runs));
    const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
    assert.equal(ends.length, 2, r.stdout);
    for (const e of ends) {
      assert.equal(e.status, 'FAILED');
      assert.match(
        e.message,
        /Hyper-V host 127\.0\.0\.1: New-VM of lisa-[a-z0-9]+-\d+ failed: New-VM : You do not have the required permission to complete this task\.$/,
      );
      assert.ok(!e.message.includes('\n'), e.message);
    }
    assert.ok(events.some((e) => e.type === 'run.end'));
    // The half-made VM's directory and copied image were removed.
    assert.ok(h.scripts.some((s) => s.includes('Remove-Item -Recurse -Force')));
    assertHostClean(h);
    assert.ok(!r.stdout.includes(h.password) && !r.stderr.includes(h.password));
  });

  it('Ctrl-C during New-VM exits 130 and the VM is removed from the host', async () => {
    // New-VM takes 4 s here, as on a real host; Ctrl-C lands in the middle of it.
    const { args, host: h } = await setUp({ slow: { 'New-VM': 4_000 } });
    const run = startCli(args);
    const deadline = Date.now() + 120_000;
    while (!h.scripts.some((s) => s.includes('New-VM -Name')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(
      h.scripts.some((s) => s.includes('New-VM -Name')),
      `New-VM never sent:\n${run.output().stdout}${run.output().stderr}`,
    );
    run.child.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.code, 130, r.stdout + r.stderr);
    // The VM New-VM made was seen by cleanup and removed, with its files.
    assert.ok(h.scripts.some((s) => s.includes('Remove-VM -Name')));
    assert.ok(!h.scripts.some((s) => s.includes('Start-VM')), 'no VM is started after Ctrl-C');
    assertHostClean(h);
  });

  it('a VM whose kernel panics during boot fails at once with the console line, not after boot_timeout', async () => {
    const image = await buildImage({ cacheDir: TEST_IMAGE_CACHE });
    // No initramfs init and no root device: the kernel panics a few seconds in.
    const {
      args,
      runs,
      host: h,
    } = await setUp({
      kernel: image.kernel,
      initrd: image.initrd,
      append: 'console=ttyS0,115200 no_timer_check rdinit=/no-such-init root=/dev/no-such-disk panic=0',
    });
    const started = Date.now();
    const r = await runCliAsync(args, 4 * 60_000);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    // boot_timeout is 600 s; the panic is seen on COM1 long before.
    assert.ok(Date.now() - started < 200_000, `took ${Math.round((Date.now() - started) / 1000)} s`);
    const events: RunEvent[] = readEvents(onlyRunDir(runs));
    const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
    assert.ok(ends.length >= 1);
    for (const e of ends)
      assert.match(
        e.message,
        /^environment deploy failed: lisa-[a-z0-9]+-\d+: the kernel panicked (\d+ s into the boot, before SSH answered on [\d.:]+|before the VM reported an address); COM1 shows: Kernel panic - not syncing: VFS: Unable to mount root fs/,
      );
    assertHostClean(h);
  });
});
