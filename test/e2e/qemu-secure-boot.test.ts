import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, runCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { TEST_IMAGE_CACHE } from '../helpers/qemu.js';

/**
 * The set-up of runbooks/qemu-secure-boot.yml through the CLI: OVMF boots the signed UKI with Secure Boot
 * enforcing and a swtpm TPM; the hardened suite's promises pass, and a promise the image does
 * not keep (FIPS) fails naming each missing piece.
 */
describe('lisa run runbooks/qemu-secure-boot.yml', { timeout: 40 * 60_000 }, () => {
  let ends: Map<string, RunEventOf<'case.end'>>;
  let out: string;
  let runDir: string;

  before(() => {
    const dir = tempDir('lisa-secboot-');
    const file = writeRunbook(
      dir,
      'runbook.yml',
      `name: secboot
log_path: ${join(dir, 'runs')}
variable:
  - name: image_claims
    value: [secure_boot, tpm, uki, fips]
  - name: secure_boot_keys
    value: SnakeOil
platform:
  - type: qemu
    qemu:
      image: builtin:debian-12
      profile: secure_boot
      cache_dir: ${TEST_IMAGE_CACHE}
      # OVMF under TCG adds a minute to the boot, more on a loaded CI machine.
      boot_timeout: 900
testcase:
  - criteria:
      name: ^smoke\\.(reachable|os_facts)$|^hygiene\\.no_failed_units$|^hardened\\.(secure_boot|tpm|uki|fips)$
concurrency: 1
`,
    );
    const result = runCli(['run', file], { timeoutMs: 35 * 60_000 });
    out = `exit ${result.code}\n${result.stdout}\n${result.stderr}`;
    runDir = onlyRunDir(join(dir, 'runs'));
    const events: RunEvent[] = readEvents(runDir);
    ends = new Map(
      events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end').map((e) => [e.case.caseId, e]),
    );
  });

  it('no unit failed at boot (measured boot phases need the TSS libraries in the guest)', () => {
    const e = ends.get('hygiene.no_failed_units');
    assert.equal(e?.status, 'PASSED', `${e?.message}\n${out}`);
  });

  it('Secure Boot enforcing with the snakeoil key in db, a TPM 2.0 with measured boot, a UKI', () => {
    for (const id of ['smoke.reachable', 'smoke.os_facts', 'hardened.secure_boot', 'hardened.tpm', 'hardened.uki']) {
      const e = ends.get(id);
      assert.ok(e, `no result for ${id}: ${out}`);
      assert.equal(e.status, 'PASSED', `${id}: ${e.message}\n${out}`);
    }
  });

  it('a promise the image does not keep fails naming what is missing', () => {
    const fips = ends.get('hardened.fips');
    assert.equal(fips?.status, 'FAILED', out);
    assert.match(fips.message, /fips=1 is not on the kernel command line/);
  });

  it('the kernel said so on the serial console: booted through the stub under Secure Boot', () => {
    const qemuDir = join(runDir, 'qemu');
    const env = readdirSync(qemuDir).find((d) => d.startsWith('qemu'))!;
    const serial = readFileSync(join(qemuDir, env, 'node0', 'serial.log'), 'utf8');
    assert.match(serial, /secureboot: Secure boot enabled/);
    assert.match(serial, /Kernel is locked down from EFI Secure Boot/);
  });
});
