import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, runCli, tempDir, writeRunbook } from '../helpers/cli.js';

/**
 * A source tarball with a kernel tree's top-level Makefile and Kconfig, whose bzImage target
 * succeeds or fails like a real compile: the whole kernel_builder path (tar, make, cache) runs,
 * in seconds instead of the real kernel's minutes (kernel-builder.test.ts builds that one).
 */
function fakeKernelTarball(dir: string, name: string, bzImage: string): string {
  const tree = join(dir, name, 'linux-fake');
  mkdirSync(tree, { recursive: true });
  writeFileSync(join(tree, 'Kconfig'), 'mainmenu "fake"\n');
  writeFileSync(
    join(tree, 'Makefile'),
    [
      'tinyconfig olddefconfig:',
      '\t@echo "  CONF    $@"; test -f $(O)/.config || echo CONFIG_64BIT=y > $(O)/.config',
      'bzImage:',
      '\t@echo "  CC      init/main.o"',
      ...bzImage.split('\n').map((l) => `\t${l}`),
      '',
    ].join('\n'),
  );
  const tarball = join(dir, `${name}.tar.gz`);
  execFileSync('tar', ['-czf', tarball, '-C', join(dir, name), 'linux-fake']);
  return tarball;
}

test('a kernel_builder failure (build error, missing source) fails the cases it guards naming it; the rest runs; exit 1', () => {
  const dir = tempDir('lisa-kbuild-fail-');
  fakeKernelTarball(
    dir,
    'good',
    [
      '@mkdir -p $(O)/arch/x86/boot $(O)/include/config',
      '@echo 6.1.0-fake > $(O)/include/config/kernel.release',
      '@echo MZ > $(O)/arch/x86/boot/bzImage && : > $(O)/System.map',
    ].join('\n'),
  );
  fakeKernelTarball(dir, 'broken', `@echo "init/main.c:42:1: error: expected ';' before '}' token" >&2; exit 2`);
  const file = writeRunbook(
    dir,
    'runbook.yml',
    `name: kbuild-fail
log_path: ${join(dir, 'runs')}
platform:
  - type: ready
environment:
  environments:
    - nodes:
        - type: local
combinator:
  type: batch
  items:
    - { source: good }
    - { source: broken }
    - { source: missing }
    - { source: good }
transformer:
  - type: kernel_builder
    tarball: $(source).tar.gz
    cache_dir: ${join(dir, 'kernels')}
testcase:
  - criteria:
      name: smoke.reachable
`,
  );
  const r = runCli(['run', file]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const events = readEvents(onlyRunDir(join(dir, 'runs')));
  const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
  assert.deepEqual(
    ends.map((e) => e.status),
    ['PASSED', 'FAILED', 'FAILED', 'PASSED'],
    JSON.stringify(ends.map((e) => e.message)),
  );
  assert.match(
    ends[1]!.message,
    /^transformer "kernel_builder" \(kernel_builder, expanded\) failed: build: `make O=\S+ -j\d+ bzImage` exited with 2; last lines:\n[^]*init\/main\.c:42:1: error: expected ';'/,
  );
  assert.match(ends[1]!.logPath ?? '', /\/transformers\/expanded-source=broken-kernel_builder\.log$/);
  assert.match(ends[2]!.message, /failed: source: no such tarball: \S+missing\.tar\.gz/);
  const built = events.filter(
    (e): e is RunEventOf<'transformer.end'> => e.type === 'transformer.end' && e.status === 'PASSED',
  );
  // The same source and config again: the second good combination takes the cached build.
  assert.deepEqual(
    built.map((e) => [e.outputs.kernel_builder_kernel_version, e.outputs.kernel_builder_cached]),
    [
      ['6.1.0-fake', false],
      ['6.1.0-fake', true],
    ],
  );
  assert.equal(built[0]!.outputs.kernel_builder_kernel, built[1]!.outputs.kernel_builder_kernel);
  assert.match(r.stdout, /FAILED +transformer kernel_builder \(kernel_builder, expanded, source=broken\)/);
});
