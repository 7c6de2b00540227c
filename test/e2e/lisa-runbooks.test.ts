/**
 * LISA's own shipped runbooks (test/fixtures/lisa-runbooks, copied from microsoft/lisa) through
 * `lisa check`, with the variables LISA's documentation has users pass on the command line.
 * Runbooks for platforms lisa-ts does not have yet fail with exactly that reason.
 */
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath, repoRoot, runCli, tempDir } from '../helpers/cli.js';

const dir = join(repoRoot, 'test/fixtures/lisa-runbooks');
const key = join(tempDir('lisa-compat-'), 'id_rsa');
writeFileSync(key, 'not a real key; check only needs the file to exist\n');

const azureVars = [
  ...['service_principal_tenant_id', 'service_principal_client_id', 'service_principal_key', 'subscription_id'].flatMap(
    (v) => ['-v', `${v}:x`],
  ),
  '-v',
  `admin_private_key_file:${key}`,
];

const passes: [string, string[]][] = [
  ['examples/runbook/hello_world.yml', []],
  ['microsoft/runbook/local.yml', []],
  ['microsoft/runbook/tiers/tier.yml', []],
  ['microsoft/runbook/tiers/tier.yml', ['-v', 'tier:1']],
  ['microsoft/runbook/tiers/tier.yml', ['-v', 'tier:3']],
  ['microsoft/runbook/tiers/tier.yml', ['-v', 'tier:debug', '-v', 'case:cpu_count']],
  ['microsoft/runbook/ready.yml', ['-v', 'public_address:127.0.0.1', '-v', `admin_private_key_file:${key}`]],
  ['microsoft/runbook/superbench.yml', ['-v', 'public_address:127.0.0.1', '-v', `admin_private_key_file:${key}`]],
  ['microsoft/runbook/qemu/qemu.yml', ['-v', `admin_private_key_file:${key}`]],
  ['microsoft/runbook/azure.yml', azureVars],
  ['examples/runbook/hello_world_azure.yml', azureVars],
];

for (const [file, vars] of passes) {
  test(`LISA ${file} ${vars.join(' ')} passes lisa check`, () => {
    const r = runCli(['check', join(dir, file), ...vars]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^ok: .* is valid/);
  });
}

test('enable_tests:false drops the tier rule (enabled: false), so no rule narrows the selection', () => {
  const on = runCli(['check', join(dir, 'microsoft/runbook/local.yml')]);
  const off = runCli(['check', join(dir, 'microsoft/runbook/local.yml'), '-v', 'enable_tests:false']);
  assert.equal(off.code, 0, off.stderr);
  assert.doesNotMatch(on.stdout, / 0 selected/);
  // No rule left: like LISA with an empty testcase list, every case is selected.
  assert.match(off.stdout, /47 cases loaded, 47 selected|(\d+) cases loaded, \1 selected/);
});

test('LISA hyperv.yml: only its hyperv section (source/servers) is refused by the hyperv platform schema', () => {
  for (const [file, platform] of [['microsoft/runbook/hyperv.yml', 'hyperv']] as const) {
    const r = runCli(['check', join(dir, file)]);
    assert.equal(r.code, 2, file);
    // Every error is inside the platform's own section: LISA's keys elsewhere all load.
    for (const line of r.stderr.trim().split('\n'))
      assert.match(line, new RegExp(`platform\\[0\\]\\.${platform}`), file);
    assert.doesNotMatch(r.stderr, /unknown notifier|unknown platform/, file);
  }
});

test('hello_world_remote.yml: its placeholders are reported as the files they name', () => {
  const r = runCli(['check', join(dir, 'examples/runbook/hello_world_remote.yml')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nodes\[0\]\.private_key_file: .*<your password or private_key_file>: file not found/);
});

test('LISA command lines: lisa -r runs, list -t case -a, list of an unavailable platform exits 2, list | head is quiet', () => {
  const local = join(dir, 'microsoft/runbook/local.yml');
  const logRoot = tempDir('lisa-compat-runs-');
  const run = runCli(['-d', '-r', local, '-v', 'tier:debug', '-v', 'case:cpu_count', '-l', logRoot, '-i', 'compat1']);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(readdirSync(logRoot).some((d) => d.endsWith('-compat1')));
  const all = runCli(['list', '-t', 'case', '-a', '-r', local, '-v', 'tier:debug', '-v', 'case:cpu_count']);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /kernel\.dmesg_clean/);
  const hyperv = runCli(['list', join(dir, 'microsoft/runbook/hyperv.yml')]);
  assert.equal(hyperv.code, 2);
  assert.match(hyperv.stderr, /platform\[0\]\.hyperv/);
  const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${cliPath}" list -a "${local}" | head -1`], {
    encoding: 'utf8',
  });
  assert.equal(piped.stderr, '');
  assert.match(piped.stdout, /^CASE/);
});

test('is_case_visible through lisa run: a case sees a visible variable, not a hidden one', () => {
  const work = tempDir('lisa-compat-visible-');
  const runbook = (visible: boolean) => {
    const file = join(work, `visible-${visible}.yml`);
    writeFileSync(
      file,
      `name: visible-${visible}
log_path: ${join(work, `runs-${visible}`)}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/e2e')}
variable:
  - name: token
    value: tok-visible-42
    is_case_visible: ${visible}
  - name: other
    value: x
    is_case_visible: true
environment:
  environments:
    - nodes:
        - type: local
platform:
  - type: ready
testcase:
  - criteria:
      name: ^e2e\\.secret_echo$
`,
    );
    const r = runCli(['run', file]);
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    return r.stdout + r.stderr;
  };
  // secret_echo fails on purpose, naming ctx.variables.token.
  assert.match(runbook(true), /deliberate failure mentioning tok-visible-42/);
  assert.match(runbook(false), /expected undefined|deliberate failure mentioning undefined/);
});

test('exit_with_failed_count: true exits with the number of failed cases, as LISA; absent exits 1; false exits 0', () => {
  const work = tempDir('lisa-compat-exit-');
  const codeWith = (setting: string) => {
    const file = join(work, `exit-${setting || 'absent'}.yml`);
    writeFileSync(
      file,
      `name: exit
log_path: ${join(work, 'runs')}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/e2e')}
${setting}
environment:
  environments:
    - nodes:
        - type: local
platform:
  - type: ready
testcase:
  - criteria:
      name: ^e2e\\.(fail_message|secret_echo|pass_echo)$
`,
    );
    return runCli(['run', file]).code;
  };
  assert.equal(codeWith('exit_with_failed_count: true'), 2);
  assert.equal(codeWith(''), 1);
  assert.equal(codeWith('exit_with_failed_count: false'), 0);
});
