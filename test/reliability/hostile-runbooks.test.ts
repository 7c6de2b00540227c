import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cliPath, requireBuiltCli, tempDir } from '../helpers/cli.js';
import { HOSTILE } from './hostile-runbooks.js';

const LIMIT_MS = 10_000;
const RSS_LIMIT_KB = 200 * 1024;

interface Outcome {
  code: number | null;
  stderr: string;
  ms: number;
  maxRssKb: number;
}

/** `lisa check` on the file, killed after LIMIT_MS; its peak RSS read from getrusage at exit. */
function check(dir: string, file: string): Promise<Outcome> {
  requireBuiltCli();
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'data:text/javascript,process.on("exit",()=>process._rawDebug("maxrss="+process.resourceUsage().maxRSS))',
      cliPath,
      'check',
      file,
    ],
    { cwd: dir, env: { ...process.env, NO_COLOR: '1' } },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      const rss = /maxrss=(\d+)/.exec(stderr);
      resolve({
        code,
        stderr: stderr.replace(/maxrss=\d+\n?/, ''),
        ms: Date.now() - started,
        maxRssKb: Number(rss?.[1] ?? 0),
      });
    }),
  );
}

describe('hostile runbooks: lisa check ends fast with exit 2 and a located first line', () => {
  const dir = tempDir('lisa-hostile-');
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const c of HOSTILE) {
    it(c.name, async () => {
      const file = c.make(dir);
      const r = await check(dir, file);
      assert.ok(r.ms < LIMIT_MS, `${c.name}: still running after ${LIMIT_MS} ms`);
      assert.equal(r.code, 2, r.stderr);
      const first = r.stderr.split('\n')[0] ?? '';
      assert.match(first, /^error: /, r.stderr);
      assert.match(first, c.expect);
      assert.doesNotMatch(r.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
      assert.ok(r.maxRssKb > 0 && r.maxRssKb < RSS_LIMIT_KB, `peak RSS ${r.maxRssKb} kB`);
      process.stderr.write(`# ${c.name}: ${r.ms} ms, peak RSS ${Math.round(r.maxRssKb / 1024)} MB\n`);
    });
  }
  it('a file given as the runbook itself that is a FIFO is refused, not waited on', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(dir, 'top.fifo')]);
    const r = await check(dir, 'top.fifo');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr.split('\n')[0] ?? '', /^error: top\.fifo: runbook is not a regular file/);
  });
});
