import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, repoRoot, runCli, startCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { qemuPidsMatching, TEST_IMAGE_CACHE } from '../helpers/qemu.js';

/**
 * The built-in suites through the real CLI on a real guest that a fixture case breaks on purpose:
 * the matching cases fail naming each defect, healthy checks still pass, and a kernel panic fails
 * the case that was running with the panic excerpt from the serial console.
 */
describe('lisa run on a deliberately broken QEMU guest', { timeout: 20 * 60_000 }, () => {
  let result: ReturnType<typeof runCli>;
  let ends: Map<string, RunEventOf<'case.end'>>;

  before(() => {
    const dir = tempDir('lisa-broken-');
    const file = writeRunbook(
      dir,
      'runbook.yml',
      `name: broken-guest
log_path: ${join(dir, 'runs')}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/broken-guest')}
platform:
  - type: qemu
    qemu:
      cache_dir: ${TEST_IMAGE_CACHE}
      cores: 2
testcase:
  - criteria:
      name: ^breakit\\.|^smoke\\.reachable$|^kernel\\.sysctl_readable$|^cpu_memory\\.no_offline_cpus$|^storage\\.fstab_resolvable$|^security\\.(ssh_no_root_password_login|no_empty_passwords)$
concurrency: 1
`,
    );
    result = runCli(['run', file]);
    const events: RunEvent[] = readEvents(onlyRunDir(join(dir, 'runs')));
    ends = new Map(
      events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end').map((e) => [e.case.caseId, e]),
    );
  });

  const end = (id: string) => {
    const e = ends.get(id);
    assert.ok(e, `no result for ${id}:\n${result.stdout}\n${result.stderr}`);
    return e;
  };

  it('exits 1 and breaks the guest as planned', () => {
    assert.equal(result.code, 1, result.stderr);
    assert.equal(end('breakit.a_break_guest').status, 'PASSED', end('breakit.a_break_guest').message);
  });

  it('healthy checks still pass', () => {
    assert.equal(end('smoke.reachable').status, 'PASSED');
    assert.equal(end('kernel.sysctl_readable').status, 'PASSED', end('kernel.sysctl_readable').message);
  });

  it('each defect fails its case, named in the message', () => {
    const expect = (id: string, pattern: RegExp) => {
      assert.equal(end(id).status, 'FAILED', `${id} did not fail: ${end(id).message}`);
      assert.match(end(id).message, pattern);
    };
    expect('cpu_memory.no_offline_cpus', /cpu1/);
    expect('storage.fstab_resolvable', /0badc0de-0000-4000-8000-000000000000/);
    expect('security.ssh_no_root_password_login', /PermitRootLogin/i);
    expect('security.no_empty_passwords', /nopassuser/);
  });

  it('a kernel panic fails the running case with the excerpt from the serial console', () => {
    const panic = end('breakit.z_panic');
    assert.equal(panic.status, 'FAILED');
    assert.match(panic.message, /Kernel panic|sysrq/i);
  });
});

describe('lisa run of the smoke suite on a healthy QEMU guest, reboot included', { timeout: 20 * 60_000 }, () => {
  it('passes every case and exits 0', () => {
    const dir = tempDir('lisa-healthy-');
    const file = writeRunbook(
      dir,
      'runbook.yml',
      `name: healthy-guest
log_path: ${join(dir, 'runs')}
platform:
  - type: qemu
    qemu:
      cache_dir: ${TEST_IMAGE_CACHE}
testcase:
  - criteria:
      area: smoke
notifier:
  - type: junit
`,
    );
    const result = runCli(['run', file]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const events = readEvents(onlyRunDir(join(dir, 'runs')));
    const statuses = events
      .filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end')
      .map((e) => `${e.case.caseId} ${e.status}`)
      .sort();
    assert.deepEqual(statuses, [
      'smoke.command_round_trip PASSED',
      'smoke.os_facts PASSED',
      'smoke.reachable PASSED',
      'smoke.reboot PASSED',
    ]);
  });
});

describe('lisa run with keep_environment: always', { timeout: 10 * 60_000 }, () => {
  it('exits right after its summary and leaves the kept guest running', async () => {
    const dir = tempDir('lisa-keep-');
    const file = writeRunbook(
      dir,
      'runbook.yml',
      `name: kept
log_path: ${join(dir, 'runs')}
platform:
  - type: qemu
    keep_environment: always
    qemu:
      cache_dir: ${TEST_IMAGE_CACHE}
testcase:
  - criteria:
      name: ^smoke\\.reachable$
`,
    );
    const cli = startCli(['run', file]);
    let summaryAt = 0;
    cli.child.stdout.on('data', () => {
      if (!summaryAt && /\d+ passed/.test(cli.output().stdout)) summaryAt = Date.now();
    });
    // Without the fix lisa never exits: bound the wait instead of hanging the suite.
    const timer = setTimeout(() => cli.child.kill('SIGKILL'), 5 * 60_000);
    const result = await cli.done;
    clearTimeout(timer);
    const exitedAfterMs = Date.now() - summaryAt;
    const kept = await qemuPidsMatching(dir);
    try {
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      assert.ok(summaryAt > 0, result.stdout);
      process.stderr.write(`# exited ${exitedAfterMs} ms after the summary\n`);
      assert.ok(exitedAfterMs < 3_000, `exited ${exitedAfterMs} ms after the summary`);
      assert.equal(kept.length, 1, 'the kept guest is still running');
    } finally {
      for (const pid of kept) process.kill(pid, 'SIGKILL');
    }
  });
});
