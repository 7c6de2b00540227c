/**
 * A run killed with SIGKILL leaves its local commands (a `type: local` node's) running on this
 * machine. They are in the run's ledger of local children (src/node/local-children.ts), so
 * `lisa reap` and the next run that uses the local machine kill them; a live run's are left
 * alone, and so is a process whose pid a record names but whose start time is not the recorded one.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, startCli, tempDir } from '../helpers/cli.js';
import { killQuietly, waitFor } from '../helpers/wait.js';

let dir: string;
let stateDir: string;
/** Sleeps no other test runs: the case's local command, and an unrelated process. */
const HOLD = '331';
const UNRELATED = '332';

before(() => {
  dir = tempDir('lisa-local-reap-');
  stateDir = join(dir, 'state');
  // startCli passes this process's environment on: every lisa below keeps its ledgers here.
  process.env.LISA_STATE_DIR = stateDir;
  mkdirSync(join(dir, 'suite'));
  writeFileSync(
    join(dir, 'suite', 'hold.mjs'),
    `export default {
  name: 'localhold',
  area: 'localhold',
  cases: [
    { name: 'hold', tags: ['hold'], timeoutMs: 600000, async run(ctx) { await ctx.node.execute('sleep ${HOLD}; echo never'); } },
    { name: 'quick', tags: ['quick'], async run(ctx) { await ctx.node.execute('true'); } },
  ],
};
`,
  );
});
after(() => {
  for (const pid of sleeps(HOLD)) killQuietly(pid);
  for (const pid of sleeps(UNRELATED)) killQuietly(pid);
  delete process.env.LISA_STATE_DIR;
  rmSync(dir, { recursive: true, force: true });
});

function runbook(name: string, tag: string): string {
  writeFileSync(
    join(dir, `${name}.yml`),
    `name: ${name}
log_path: ${join(dir, 'runs')}
extension: [./suite]
platform:
  - type: ready
environment:
  environments:
    - name: here
      nodes:
        - type: local
          name: host
testcase:
  - criteria:
      tags: ${tag}
`,
  );
  return `${name}.yml`;
}

/** Pids of `sleep <arg>` processes. */
function sleeps(arg: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('sleep') && argv[1] === arg) out.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    // A zombie still answers signal 0; its state in /proc/<pid>/stat says it is dead.
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return false;
  }
}

/** A run whose case holds `sleep 331` on the local machine, SIGKILLed once the sleep runs. */
async function killedRun(name: string): Promise<number[]> {
  const cli = startCli(['run', runbook(name, 'hold')], { cwd: dir });
  await waitFor(() => sleeps(HOLD).length > 0, 60_000, 'the case to start its local command');
  const held = sleeps(HOLD);
  cli.child.kill('SIGKILL');
  await cli.done;
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(held.every(alive), 'SIGKILL of lisa leaves its local command running');
  return held;
}

test('lisa reap leaves a live run alone, and kills the local commands a SIGKILLed run left', async () => {
  const cli = startCli(['run', runbook('live', 'hold')], { cwd: dir });
  await waitFor(() => sleeps(HOLD).length > 0, 60_000, 'the case to start its local command');
  const running = sleeps(HOLD);
  const early = runCli(['reap', runbook('reaper', 'quick')], { cwd: dir, timeoutMs: 60_000 });
  assert.equal(early.code, 0, early.stderr);
  assert.match(early.stdout, /^local: nothing left running$/m);
  assert.ok(running.every(alive), 'the live run kept its command');
  cli.child.kill('SIGKILL');
  await cli.done;
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(running.every(alive), 'SIGKILL of lisa leaves its local command running');

  const r = runCli(['reap', 'reaper.yml'], { cwd: dir, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const killed = /^local: killed ([\d ]+)$/m.exec(r.stdout)?.[1]?.split(' ').map(Number) ?? [];
  assert.ok(
    running.every((p) => killed.includes(p)),
    `reap killed ${killed.join(' ')}; left: ${running.join(' ')}`,
  );
  assert.match(r.stdout, /^reap: \d+ local process\(es\) left by killed runs killed$/m);
  await waitFor(() => !running.some(alive), 5000, 'the orphans to die');
  assert.deepEqual(readdirSync(join(stateDir, 'local-children')), [], 'the dead run’s ledger is gone');
});

test('the next run that uses the local machine kills what a SIGKILLed run left there', async () => {
  const held = await killedRun('held');
  const r = runCli(['run', runbook('next', 'quick')], { cwd: dir, timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  await waitFor(() => !held.some(alive), 5000, 'the orphans to die');
  const runs = readdirSync(join(dir, 'runs')).filter((d) => d.endsWith('-next'));
  const logs = join(dir, 'runs', runs[0]!);
  const logged = spawnSync('grep', ['-rh', 'left by killed lisa runs', logs], { encoding: 'utf8' }).stdout;
  assert.match(logged, new RegExp(`killed \\d+ local process\\(es\\) left by killed lisa runs: .*\\b${held[0]}\\b`));
  // That run ended normally with nothing left: its own ledger went with it.
  assert.deepEqual(readdirSync(join(stateDir, 'local-children')), []);
});

test('a record whose pid now belongs to another process (another start time) is not acted on', async () => {
  const other = spawn('sleep', [UNRELATED], { detached: true, stdio: 'ignore' });
  other.unref();
  const pid = other.pid!;
  await waitFor(() => existsSync(`/proc/${pid}/stat`), 5000, 'the unrelated sleep');
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[19]);
  // The ledger of a lisa that is gone: a pid that has exited, in this boot and pid namespace.
  const gone = spawnSync('true').pid;
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
  const pidNs = spawnSync('readlink', ['/proc/self/ns/pid'], { encoding: 'utf8' }).stdout.replace(/\D/g, '');
  const ledgers = join(stateDir, 'local-children');
  mkdirSync(ledgers, { recursive: true });
  const file = join(ledgers, `${boot}.${pidNs}.${gone}.1.jsonl`);
  // Same pid and group, started earlier: the recorded process ended and the pid was given out again.
  writeFileSync(file, `${JSON.stringify({ pid, pgid: pid, start: String(Math.max(0, start - 5)) })}\n`);

  const r = runCli(['reap', runbook('reaper2', 'quick')], { cwd: dir, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^local: nothing left running$/m);
  assert.ok(alive(pid), 'the unrelated process was not touched');
  assert.ok(!existsSync(file), 'the dead lisa’s ledger was read and removed');
  killQuietly(pid);
});
