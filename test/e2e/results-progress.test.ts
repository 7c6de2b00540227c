import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliPath, readyPlatformYaml, requireBuiltCli, runCli, tempDir, writeRunbook } from '../helpers/cli.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

const PASSING = 40;

/** 40 cases that pass, two that fail (one mid-run), one that skips; each takes a moment on the node. */
function writeSuite(dir: string): void {
  writeFileSync(
    join(dir, 'progress.mjs'),
    `export default { name: 'progress', area: 'progress', cases: [
      ...Array.from({ length: ${PASSING} }, (_, i) => ({
        name: 'ok_' + String(i).padStart(2, '0'),
        async run(ctx) { await ctx.node.execute('sleep 0.05'); },
      })),
      { name: 'broken_mount', async run(ctx) {
          await ctx.node.execute('sleep 0.05');
          throw new Error('mount of /data failed: wrong fs type');
      } },
      { name: 'no_disk', run(ctx) { ctx.skip('no data disk on this node'); } },
      { name: 'zz_late_failure', async run() { throw new Error('late failure, second line\\nwith detail'); } },
    ] };\n`,
  );
}

/**
 * What a terminal shows after the bytes: enough of a VT100 for what lisa sends (text, CR, LF,
 * colours, cursor to the start of a previous line, clear to the end of line or screen).
 */
function screen(bytes: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;

  const tokens = bytes.split(/(\u001b\[[0-9;?]*[A-Za-z]|\r|\n)/);
  for (const t of tokens) {
    if (!t) continue;
    if (t === '\r') col = 0;
    else if (t === '\n') {
      row++;
      lines[row] ??= '';
    } else if (t.startsWith('\u001b[')) {
      const n = Number(t.slice(2, -1) || '1');
      const cmd = t.at(-1);
      if (cmd === 'F') {
        row = Math.max(0, row - n);
        col = 0;
      } else if (cmd === 'J') {
        lines[row] = lines[row]!.slice(0, col);
        lines.length = row + 1;
      } else if (cmd === 'K') lines[row] = lines[row]!.slice(0, col);
    } else {
      const l = (lines[row] ?? '').padEnd(col);
      lines[row] = l.slice(0, col) + t + l.slice(col + t.length);
      col += t.length;
    }
  }
  return lines.map((l) => l.trimEnd());
}

describe('console progress: a live status block on a terminal, every case in a CI log', () => {
  let node: Sshd;
  let dir: string;
  let runbook: string;

  before(async () => {
    requireBuiltCli();
    node = await startSshd();
    dir = tempDir();
    writeSuite(dir);
    runbook = writeRunbook(
      dir,
      'runbook.yml',
      `name: progress\nlog_path: ${join(dir, 'runs')}\nextension:\n  - ${dir}\n${readyPlatformYaml([node])}` +
        `testcase:\n  - criteria:\n      area: progress\n`,
    );
  });
  after(async () => {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('on a pseudo-terminal: status block with counts and the running case, failures as they happen, no line per passed case', () => {
    // util-linux `script` gives the CLI a real pty; its size is set so lines have a known width.
    const command = `stty cols 100 rows 40; exec ${process.execPath} ${cliPath} run ${runbook}`;
    const r = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, TERM: 'xterm-256color', NO_COLOR: '' },
      timeout: 300_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.equal(r.status, 1, `two cases fail: ${r.stdout}${r.stderr}`);
    const raw = r.stdout;

    const plain = raw.replace(/\u001b\[[0-9;]*m/g, '');
    assert.match(raw, /\u001b\[32m/, 'colour on a terminal');
    assert.match(plain, /\d+\/43 done/, 'done/total in the status block');
    assert.match(plain, /env1: running progress\.ok_\d\d \(/, 'the environment and the case it runs');
    assert.match(plain, /\d+ passed, 1 failed, 1 skipped · \d/, 'counts while running');
    assert.match(plain, /· ETA \d/, 'an ETA once cases have finished');

    // The first failure is printed when it happens, while later cases are still to run.
    const failedAt = plain.indexOf('FAILED    progress.broken_mount');
    assert.ok(failedAt > 0, plain);
    assert.match(plain.slice(failedAt), /\d+\/43 done/, 'the status block continues after the failure line');

    const shown = screen(raw).map((l) => l.replace(/\u001b\[[0-9;]*m/g, ''));
    assert.equal(shown.filter((l) => /^PASSED /.test(l)).length, 0, 'passed cases are counted, not listed');
    assert.ok(shown.length < 30, `a short screen, not a line per case:\n${shown.join('\n')}`);
    assert.ok(!shown.some((l) => / done/.test(l)), `the status block is gone at the end:\n${shown.join('\n')}`);
    assert.ok(
      shown.some((l) => l.startsWith('FAILED    progress.broken_mount ') && l.includes('mount of /data failed')),
    );
    assert.ok(shown.some((l) => l.startsWith('FAILED    progress.zz_late_failure ')));
    const summary = shown.findIndex((l) => l.startsWith('FAILED: 43 cases'));
    assert.ok(summary > 0, shown.join('\n'));
    assert.match(shown[summary]!, /40 passed, 2 failed, 1 skipped, 0 attempted\)/);
    assert.match(shown.slice(summary).join('\n'), /Failures \(2\):\n {2}FAILED progress\.broken_mount/);
  });

  test('not a terminal (a CI log): one line per case, no cursor movement', () => {
    const r = runCli(['run', runbook]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines.filter((l) => l.startsWith('PASSED    progress.ok_')).length, PASSING);
    assert.ok(lines.some((l) => l.startsWith('SKIPPED   progress.no_disk ') && l.includes('no data disk')));
    assert.equal(lines.filter((l) => l.startsWith('FAILED    progress.')).length, 2);
    assert.doesNotMatch(r.stdout, /\u001b/, 'plain text');
    assert.doesNotMatch(r.stdout, / done/);
  });
});
