import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Logger, MemorySink } from '../../../src/logging/logger.js';
import { SecretMasker } from '../../../src/logging/secrets.js';
import { LocalNode } from '../../../src/node/local-node.js';
import { Kselftest } from '../../../tools/kselftest.js';
import { Ltp } from '../../../tools/ltp.js';

/**
 * The LTP and kselftest wrappers end to end on stand-in trees: a runltp that runs each runtest
 * line and writes ltp-pan's `-p` results table, and a run_kselftest.sh that prints KTAP. Real LTP
 * cannot be installed here (not packaged); this proves selection, invocation and parsing.
 */
const node = new LocalNode({ log: new Logger('local', [new MemorySink()], new SecretMasker()) });
const dir = mkdtempSync(join(tmpdir(), 'lisa-upstream-'));
after(async () => {
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

const RUNLTP = `#!/bin/sh
while [ $# -gt 0 ]; do case "$1" in -f) F=$2; shift;; -l) L=$2; shift;; esac; shift; done
root=$(cd "$(dirname "$0")" && pwd)
{
  echo "Testcase                                           Result     Exit Value"
  echo "--------                                           ------     ----------"
  for f in $(echo "$F" | tr , ' '); do
    while read -r name cmd; do
      case "$name" in ''|'#'*) continue;; esac
      sh -c "$cmd" >/dev/null 2>&1; rc=$?
      case $rc in 0) r=PASS;; 32) r=CONF;; *) r=FAIL;; esac
      printf '%-50s %-10s %s\\n' "$name" "$r" "$rc"
    done < "$root/runtest/$f"
  done
  echo "Total Tests: 0"
} > "$L"
exit 1
`;

const RUN_KSELFTEST = `#!/bin/sh
if [ "$1" = -l ]; then echo timers:posix_timers; echo timers:rtcpie; exit 0; fi
echo "TAP version 13"; echo "1..2"
echo "# selftests: timers: posix_timers"; echo "# ok 1 check_itimer"
echo "ok 1 selftests: timers: posix_timers"
echo "ok 2 selftests: timers: rtcpie # SKIP"
`;

test(
  'LTP: a test selection is cut from the runtest files, run, and parsed',
  { skip: process.platform !== 'linux' },
  async () => {
    const root = join(dir, 'ltp');
    mkdirSync(join(root, 'runtest'), { recursive: true });
    writeFileSync(join(root, 'runltp'), RUNLTP, { mode: 0o755 });
    writeFileSync(
      join(root, 'runtest', 'syscalls'),
      '#DESCRIPTION:syscalls\nfork01 true\nmadvise06 false\nfanotify10 exit 32\nslow01 sleep 60\n',
    );
    const ltp = new Ltp(node);
    ltp.root = root;
    assert.equal(await ltp.exists(), true);
    const run = await ltp.runTests({ tests: ['fork01', 'madvise06', 'fanotify10'] });
    assert.deepEqual(
      run.results.map((r) => [r.name, r.status]),
      [
        ['fork01', 'PASS'],
        ['madvise06', 'FAIL'],
        ['fanotify10', 'CONF'],
      ],
    );
    const whole = await ltp.runTests({ runtestFiles: ['syscalls'], timeoutMs: 2_000 });
    assert.equal(whole.timedOut, true);
    assert.deepEqual(
      whole.results.map((r) => r.name),
      ['fork01', 'madvise06', 'fanotify10'],
    );
  },
);

test('kselftest: listing and a run parsed from TAP', { skip: process.platform !== 'linux' }, async () => {
  const root = join(dir, 'kselftest');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'run_kselftest.sh'), RUN_KSELFTEST, { mode: 0o755 });
  const ks = new Kselftest(node);
  ks.root = root;
  assert.deepEqual(await ks.list(), ['timers:posix_timers', 'timers:rtcpie']);
  const results = await ks.runTests({ tests: ['timers'] });
  assert.deepEqual(
    results.map((r) => [r.name, r.status]),
    [
      ['timers:posix_timers', 'pass'],
      ['timers:rtcpie', 'skip'],
    ],
  );
});
