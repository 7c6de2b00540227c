import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunEventOf } from '../../src/results/events.js';
import { onlyRunDir, readEvents, repoRoot, runCli, tempDir, writeRunbook } from '../helpers/cli.js';

// kernel_installer failures on a local node (nothing is installed: both stop before dpkg could).
test('a kernel_installer failure names its step and fails only the cases it guards; exit 1', () => {
  const dir = tempDir('lisa-kinst-');
  writeFileSync(join(dir, 'broken.deb'), 'this is not a Debian archive\n');
  const file = writeRunbook(
    dir,
    'runbook.yml',
    `name: kinst
log_path: ${join(dir, 'runs')}
extension:
  - ${join(repoRoot, 'test/fixtures/suites/transformers')}
platform:
  - type: ready
environment:
  environments:
    - nodes:
        - type: local
variable:
  - name: deb
    value: missing.deb
combinator:
  type: batch
  items:
    - { deb: missing.deb }
    - { deb: broken.deb }
transformer:
  - type: kernel_installer
    files: [$(deb)]
testcase:
  - criteria:
      name: smoke.reachable
`,
  );
  const r = runCli(['run', file]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const events = readEvents(onlyRunDir(join(dir, 'runs')));
  const ends = events.filter((e): e is RunEventOf<'case.end'> => e.type === 'case.end');
  assert.equal(ends.length, 2);
  assert.match(
    ends[0]!.message,
    /^transformer "kernel_installer" \(kernel_installer, environment_connected\) failed: upload: no such file: .*missing\.deb/,
  );
  assert.match(
    ends[1]!.message,
    /failed: not installed: `env DEBIAN_FRONTEND=noninteractive dpkg -i \/tmp\/lisa-kernel\/broken\.deb` exited with \d+/,
  );
  assert.ok(ends.every((e) => e.status === 'FAILED' && e.logPath?.includes('/transformers/')));
});
