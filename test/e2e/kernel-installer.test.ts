import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, repoRoot, runCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { longTest } from '../helpers/long-tests.js';
import { TEST_IMAGE_CACHE } from '../helpers/qemu.js';

const env = { LISA_IMAGE_CACHE: TEST_IMAGE_CACHE };

/** The standard-flavour kernel package linux-image-amd64 points at, fetched on the host as a user would. */
function downloadStandardKernel(dir: string): string {
  const depends = execFileSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8' });
  const pkg = /Depends: (linux-image-[\d.]+-\d+-amd64)\b/.exec(depends)?.[1];
  assert.ok(pkg, `apt-cache depends linux-image-amd64 names no kernel:\n${depends}`);
  execFileSync('apt-get', ['download', '-q', pkg], { cwd: dir, stdio: 'ignore' });
  const deb = readdirSync(dir).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  assert.ok(deb, `apt-get download ${pkg} left no .deb in ${dir}`);
  return join(dir, deb);
}

test(
  'runbooks/kernel-install.yml: the builtin guest (cloud kernel) gets the standard flavour from a .deb, boots it, and the smoke suite passes on it; $(kernel_version) is the running release',
  { ...longTest('installs a 70 MB kernel package under TCG: 14 min on a busy 2-core host'), timeout: 3 * 3600_000 },
  () => {
    const dir = tempDir('lisa-kinst-qemu-');
    const deb = downloadStandardKernel(dir);
    const r = runCli(
      ['run', join(repoRoot, 'runbooks/kernel-install.yml'), '-v', `kernel_deb:${deb}`, '-v', 'boot_timeout:900'],
      { cwd: dir, env, timeoutMs: 3 * 3600_000 },
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const runDir = onlyRunDir(join(dir, 'runtime', 'runs'));
    const events = readEvents(runDir);
    const installed = events.find(
      (e): e is RunEventOf<'transformer.end'> =>
        e.type === 'transformer.end' && e.transformer.type === 'kernel_installer',
    );
    assert.equal(installed?.status, 'PASSED', installed?.message);
    const release = installed.outputs.kernel_version as string;
    assert.match(release, /^6\.1\.\d+-\d+-amd64$/, 'the standard flavour, not the cloud one');
    assert.match(String(installed.outputs.kernel_installer_previous_kernel_version), /-cloud-amd64$/);
    assert.match(r.stdout, new RegExp(`kernel_version=${release}`), 'the console names the installed release');
    const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
    assert.ok(
      ends.length >= 4 && ends.every((e) => e.status === 'PASSED'),
      JSON.stringify(ends.map((e) => [e.case.caseId, e.status])),
    );
    assert.ok(ends.some((e) => e.case.caseId === 'kernel.expected_kernel'));
    const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as {
      transformers: { name: string; outputs: Record<string, unknown> }[];
    };
    assert.equal(results.transformers.find((t) => t.name === 'kernel_installer')?.outputs.kernel_version, release);
  },
);

test(
  'kernel_installer with a package the repository does not have: the guarded cases fail naming it, exit 1',
  { timeout: 1800_000 },
  () => {
    const dir = tempDir('lisa-kinst-nopkg-');
    const file = writeRunbook(
      dir,
      'runbook.yml',
      `name: kinst-nopkg
log_path: ${join(dir, 'runs')}
platform:
  - type: qemu
    qemu:
      image: builtin:debian-12
      cache_dir: ${TEST_IMAGE_CACHE}
      boot_timeout: 900
transformer:
  - type: kernel_installer
    packages: [linux-image-lisa-does-not-exist]
testcase:
  - criteria:
      name: smoke.reachable
  - criteria:
      name: kernel.expected_kernel
`,
    );
    const r = runCli(['run', file], { timeoutMs: 1800_000 });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const ends = readEvents(onlyRunDir(join(dir, 'runs'))).filter(
      (e): e is RunEventOf<'case.end'> => e.type === 'case.end',
    );
    assert.equal(ends.length, 2);
    for (const e of ends) {
      assert.equal(e.status, 'FAILED');
      // The guest reached Debian's mirror (the index refresh passed); the package is what is missing.
      assert.match(
        e.message,
        /^transformer "kernel_installer" \(kernel_installer, environment_connected\) failed: not installed: apt could not install linux-image-lisa-does-not-exist on qemu\d+-node0 \(exit code 100\)[^]*Unable to locate package linux-image-lisa-does-not-exist/,
      );
    }
  },
);
