import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, repoRoot, runCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { TEST_IMAGE_CACHE } from '../helpers/qemu.js';
import { longTest } from '../helpers/long-tests.js';

/** The CIS, hygiene and hardened suites through the CLI on the CIS-hardened qemu guest. */
function run(
  name: string,
  extra: string,
  criteria: string,
  variables = '',
): Map<string, RunEventOf<'case.end'>> & { out: string } {
  const dir = tempDir(`lisa-${name}-`);
  const file = writeRunbook(
    dir,
    'runbook.yml',
    `name: ${name}
log_path: ${join(dir, 'runs')}
${extra}
${variables}
platform:
  - type: qemu
    qemu:
      cache_dir: ${TEST_IMAGE_CACHE}
      cores: 2
      profile: cis
testcase:
  - criteria:
${criteria}
concurrency: 1
`,
  );
  // Measured on a busy 2-core TCG host: the healthy profile (boot + 34 cases) 4.6-5.7 min, the broken
  // one 4.6-4.9 min, plus 6.5 min to build the cis image the first time.
  const result = runCli(['run', file], { timeoutMs: 35 * 60_000 });
  const events: RunEvent[] = readEvents(onlyRunDir(join(dir, 'runs')));
  const ends = new Map(
    events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end').map((e) => [e.case.caseId, e]),
  ) as Map<string, RunEventOf<'case.end'>> & { out: string };
  ends.out = `exit ${result.code}\n${result.stdout}\n${result.stderr}`;
  return ends;
}

const SECTIONS = [
  'filesystem',
  'services',
  'cron',
  'network',
  'logging',
  'ssh',
  'sudo',
  'pam_password_policy',
  'kernel_hardening',
  'file_permissions',
  'users_groups',
];
const HYGIENE = [
  'no_leftover_authorized_keys',
  'no_shell_history',
  'identity_not_baked_in',
  'no_swap_on_os_disk',
  'serial_console_enabled',
  'no_failed_units',
  'package_database_clean',
  'repositories_consistent',
];

describe(
  'CIS, hygiene and journal checks on the healthy CIS-hardened guest',
  { timeout: 40 * 60_000, ...longTest('the cis image build (6.5 min) plus two CIS guest runs (about 5 min each)') },
  () => {
    let ends: ReturnType<typeof run>;
    before(() => {
      ends = run(
        'cis-healthy',
        '',
        '      area: ^(cis|hygiene|hardened)$\n  - criteria:\n      name: ^kernel\\.journal_clean$',
      );
    });
    it('every CIS section and hygiene check passes, hardened promises not claimed are skipped', () => {
      for (const id of [
        ...SECTIONS.map((s) => `cis.${s}`),
        ...HYGIENE.map((h) => `hygiene.${h}`),
        'kernel.journal_clean',
      ]) {
        const e = ends.get(id);
        assert.ok(e, `no result for ${id}: ${ends.out}`);
        assert.equal(e.status, 'PASSED', `${id}: ${e.message}`);
      }
      assert.equal(ends.get('hardened.secure_boot')?.status, 'SKIPPED');
    });
  },
);

describe(
  'CIS, hygiene and hardened checks on a guest broken on purpose',
  { timeout: 40 * 60_000, ...longTest('the cis image build (6.5 min) plus two CIS guest runs (about 5 min each)') },
  () => {
    let ends: ReturnType<typeof run>;
    before(() => {
      ends = run(
        'cis-broken',
        `extension:\n  - ${join(repoRoot, 'test/fixtures/suites/broken-cis')}`,
        '      name: ^breakcis\\.|^cis\\.|^hygiene\\.|^hardened\\.(uki|secure_boot|tpm)$',
        'variable:\n  - name: image_claims\n    value: [uki, secure_boot, tpm]',
      );
    });
    const expectFail = (id: string, ...patterns: RegExp[]) => {
      const e = ends.get(id);
      assert.ok(e, `no result for ${id}: ${ends.out}`);
      assert.equal(e.status, 'FAILED', `${id} did not fail: ${e.message}`);
      for (const p of patterns) assert.match(e.message, p);
    };
    it('breaks the guest as planned', () => {
      assert.equal(
        ends.get('breakcis.a_break_guest')?.status,
        'PASSED',
        ends.get('breakcis.a_break_guest')?.message ?? ends.out,
      );
    });
    it('each CIS section fails naming the control and the offending item', () => {
      expectFail('cis.filesystem', /CIS 1\.1\.2\.1\.4 noexec on \/tmp/);
      expectFail('cis.services', /CIS 2\.2\.4 .*package telnet is installed/);
      expectFail('cis.cron', /CIS 2\.4\.1\.2 .*\/etc\/crontab mode 0644/);
      expectFail('cis.network', /CIS 3\.3\.1 .*net\.ipv4\.ip_forward = 1/);
      expectFail('cis.logging', /CIS 6\.2\.1\.2 .*auditd\.service is active\/disabled/);
      expectFail('cis.ssh', /CIS 5\.1\.16 .*maxauthtries 10/);
      expectFail('cis.sudo', /CIS 5\.2\.3 .*logfile/);
      expectFail('cis.pam_password_policy', /CIS 5\.3\.3\.2\.2 .*minlen=8/);
      expectFail('cis.kernel_hardening', /CIS 1\.5\.1 .*randomize_va_space = 0/);
      expectFail('cis.file_permissions', /CIS 7\.1\.13 .*\/usr\/local\/bin\/rootme/, /CIS 7\.1\.12 .*\/opt\/orphan/);
      expectFail('cis.users_groups', /CIS 5\.4\.2\.1 .*toor/);
    });
    it('each hygiene check fails naming the leftover', () => {
      expectFail(
        'hygiene.no_leftover_authorized_keys',
        /\/root\/\.ssh\/authorized_keys: ssh-ed25519 leftover@imagebuild/,
      );
      expectFail('hygiene.no_shell_history', /\/root\/\.bash_history/);
      expectFail('hygiene.identity_not_baked_in', /ssh_host_ed25519_key \(modified 2001-01-01/);
      expectFail('hygiene.no_swap_on_os_disk', /\/swapfile \(file\)/);
      expectFail('hygiene.no_failed_units', /lisa-broken\.service/);
      expectFail('hygiene.package_database_clean', /telnet/);
      expectFail('hygiene.repositories_consistent', /sid/, /127\.0\.0\.1:9/);
      assert.equal(ends.get('hygiene.serial_console_enabled')?.status, 'PASSED');
    });
    it('the Secure Boot, TPM and UKI promises fail on the BIOS guest naming what is missing', () => {
      expectFail('hardened.uki', /booted through BIOS/);
      expectFail('hardened.secure_boot', /booted through BIOS/);
      expectFail('hardened.tpm', /no TPM device/);
    });
  },
);
