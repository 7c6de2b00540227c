/**
 * File-system faults on report and log paths. `lisa check` names the runbook key and location for
 * a read-only directory, a file where a directory belongs and a directory where a file belongs; a
 * disk that fills during the run gives one line per file naming it, whole records in events.jsonl,
 * and exit 1 even though every case passed (its results were not all saved).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { onlyRunDir, runCli, tempDir } from '../helpers/cli.js';

/** Mounts a tmpfs (root only); the reason it cannot when it cannot. */
function mountTmpfs(dir: string, options: string): string | undefined {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() !== 0) return 'needs root to mount a small tmpfs';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return `cannot mount a tmpfs here: ${(e as Error).message.split('\n')[0]}`;
  }
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    // Not mounted (the mount was skipped).
  }
}

const root = tempDir('lisa-fs-faults-');
const readOnly = join(root, 'ro');
const full = join(root, 'full');
let noReadOnly: string | undefined;
let noFull: string | undefined;

before(() => {
  noReadOnly = mountTmpfs(readOnly, 'ro,size=16k');
  noFull = mountTmpfs(full, 'size=64k');
});
after(() => {
  unmount(readOnly);
  unmount(full);
  rmSync(root, { recursive: true, force: true });
});

describe('lisa check: report and log paths', () => {
  it('a file where a directory belongs and a directory where a file belongs: every key, located', () => {
    writeFileSync(join(root, 'afile'), 'x');
    writeFileSync(
      join(root, 'paths.yml'),
      `name: paths
log_path: ./afile/runs
notifier:
  - type: junit
    path: ./afile/junit.xml
  - type: html
    path: ${root}
`,
    );
    const r = runCli(['check', 'paths.yml'], { cwd: root });
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /^error: paths\.yml:2:1: log_path: .*afile\/runs: .*afile is not a directory$/);
    assert.match(
      lines[1]!,
      /^paths\.yml:5:5: notifier\[0\]\.path: .*afile\/junit\.xml: cannot be written: .*afile is not a directory$/,
    );
    assert.match(lines[2]!, /^paths\.yml:7:5: notifier\[1\]\.path: .*: is a directory; give a file name$/);
    assert.doesNotMatch(r.stderr, /ENOTDIR|EEXIST|EISDIR|ENOENT/);
  });

  it('log_path and a notifier path on a read-only file system', (t) => {
    if (noReadOnly) return t.skip(noReadOnly);
    writeFileSync(
      join(root, 'ro.yml'),
      `name: ro\nlog_path: ${readOnly}/runs\nnotifier:\n  - type: json\n    path: ${readOnly}/r/results.json\n`,
    );
    const r = runCli(['check', 'ro.yml'], { cwd: root });
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(
      lines[0]!,
      /^error: ro\.yml:2:1: log_path: .*ro\/runs: cannot be created: .*ro is on a read-only file system$/,
    );
    assert.match(
      lines[1]!,
      /^ro\.yml:5:5: notifier\[0\]\.path: .*results\.json: cannot be written: .*ro is on a read-only file system$/,
    );
    assert.doesNotMatch(r.stderr, /EROFS|EACCES/);
  });
});

describe('lisa run: the disk fills during the run', () => {
  it('one line per file naming it, whole records in events.jsonl, exit 1 although every case passed', (t) => {
    if (noFull) return t.skip(noFull);
    const suite = join(root, 'suite');
    mkdirSync(suite, { recursive: true });
    writeFileSync(
      join(suite, 'fill.mjs'),
      `import { defineSuite } from 'lisa-ts';
export default defineSuite({
  name: 'fill',
  area: 'fill',
  cases: Array.from({ length: 30 }, (_, i) => ({
    name: 'c' + i,
    async run(ctx) {
      for (let j = 0; j < 20; j++) ctx.log.info('x'.repeat(200));
      await ctx.node.execute('echo hi');
    },
  })),
});
`,
    );
    writeFileSync(
      join(root, 'full.yml'),
      `name: full
log_path: ${full}
extension: [./suite]
environment:
  environments:
    - nodes:
        - type: local
testcase:
  - criteria:
      area: fill
notifier:
  - type: console
  - type: junit
  - type: json
`,
    );
    const r = runCli(['run', 'full.yml'], { cwd: root, timeoutMs: 120_000 });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /30 passed/);
    const runDir = onlyRunDir(full);
    assert.match(r.stderr, new RegExp(`cannot write ${runDir}/events\\.jsonl: no space left on the device`));
    assert.match(r.stderr, /cannot write .*(junit\.xml|results\.json): no space left on the device/);
    assert.doesNotMatch(r.stderr + r.stdout, /ENOSPC|\n\s+at /);
    // Each problem is said once, not once per case.
    for (const line of r.stderr.trimEnd().split('\n')) {
      assert.ok(r.stderr.split(line).length === 2, `said more than once: ${line}`);
    }
    const text = readFileSync(join(runDir, 'events.jsonl'), 'utf8');
    assert.ok(text === '' || text.endsWith('\n'), 'events.jsonl ends with a whole record');
    for (const line of text.split('\n').filter(Boolean)) JSON.parse(line);
  });
});
