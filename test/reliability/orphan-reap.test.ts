/**
 * A run killed with SIGKILL leaves its case's commands running on the node. `lisa reap` and the
 * next run on the same environment kill them; a run that is still alive is never touched. Against
 * a real OpenSSH sshd on loopback.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readyPlatformYaml, runCli, startCli, tempDir } from '../helpers/cli.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { killQuietly, waitFor } from '../helpers/wait.js';

let node: Sshd;
let dir: string;
/** A sleep no other test runs: the case's remote command. */
const HOLD = 'sleep 317';

before(async () => {
  node = await startSshd();
  dir = tempDir('lisa-orphans-');
  mkdirSync(join(dir, 'suite'));
  writeFileSync(
    join(dir, 'suite', 'hold.mjs'),
    `import { defineSuite } from 'lisa-ts';
export default defineSuite({
  name: 'orphan',
  area: 'orphan',
  cases: [
    { name: 'hold', tags: ['hold'], timeoutMs: 600000, async run(ctx) { await ctx.node.execute('${HOLD}; echo never'); } },
    { name: 'quick', tags: ['quick'], async run(ctx) { await ctx.node.execute('true'); } },
  ],
});
`,
  );
});
after(async () => {
  for (const pid of holders()) killQuietly(pid);
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
});

function runbook(name: string, tag: string): string {
  writeFileSync(
    join(dir, `${name}.yml`),
    `name: ${name}
log_path: ${join(dir, 'runs')}
extension: [./suite]
${readyPlatformYaml([node])}testcase:
  - criteria:
      tags: ${tag}
`,
  );
  return `${name}.yml`;
}

/** The pids of the case's remote command (the shell running `sleep 317; ...`) and its sleep. */
function holders(): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.includes(HOLD))) out.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return out;
}

/** Starts a run whose case holds `sleep 317` on the node; resolves once it runs there. */
async function holdingRun(name: string) {
  const cli = startCli(['run', runbook(name, 'hold')], { cwd: dir });
  await waitFor(() => holders().length > 0, 60_000, 'the case to start its remote command');
  return cli;
}

test('lisa reap leaves a live run alone, and kills what a SIGKILLed run left on the node', async (t) => {
  const cli = await holdingRun('held');
  const running = holders();
  // While the owner lives its commands are not orphans.
  const early = runCli(['reap', runbook('reaper', 'quick')], { cwd: dir, timeoutMs: 60_000 });
  assert.equal(early.code, 0, early.stderr);
  assert.match(early.stdout, /env1\/node1: nothing left running/);
  assert.deepEqual(holders(), running, 'the live run kept its commands');

  cli.child.kill('SIGKILL');
  await cli.done;
  await new Promise((r) => setTimeout(r, 300));
  const left = holders();
  // Any lisa that connects to a node on this machine now (another test file running alongside)
  // sweeps these too: that is the same mechanism, so the outcome below holds either way.
  if (left.length === 0) t.diagnostic('the orphans were reaped by a concurrent run before lisa reap');

  const r = runCli(['reap', 'reaper.yml'], { cwd: dir, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /env1\/node1: (killed \d+|nothing left running)/);
  assert.match(r.stdout, /^reap: \d+ process\(es\) left by killed runs killed on 1 node\(s\)$/m);
  await waitFor(() => holders().length === 0, 5000, 'the orphans to die');
  const killed = /killed ([\d ]+)\n/.exec(r.stdout)?.[1]?.trim().split(' ').map(Number);
  if (killed)
    assert.ok(
      left.every((p) => killed.includes(p)),
      `reap killed ${killed.join(' ')}; left: ${left.join(' ')}`,
    );
});

test('the next run on the same environment kills what a SIGKILLed run left there', async (t) => {
  const cli = await holdingRun('held2');
  cli.child.kill('SIGKILL');
  await cli.done;
  await new Promise((r) => setTimeout(r, 300));
  const left = holders();
  const r = runCli(['run', runbook('next', 'quick')], { cwd: dir, timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  await waitFor(() => holders().length === 0, 5000, 'the orphans to die');
  const runs = readdirSync(join(dir, 'runs')).filter((d) => d.endsWith('-next'));
  const nodeLogs = join(dir, 'runs', runs[0]!, 'nodes');
  const logged = readdirSync(nodeLogs)
    .map((f) => readFileSync(join(nodeLogs, f), 'utf8'))
    .join('');
  // As above, a run of another test file may have swept them first; then this run found none.
  if (/left by a killed lisa run/.test(logged))
    assert.match(logged, /killed \d+ process\(es\) left by a killed lisa run/);
  else t.diagnostic(`orphans just before the next run: ${left.length}; a concurrent run reaped them`);
});
