// The results side at scale, for `npm run bench`: the real CLI in its own process (so its peak RSS
// is the harness alone) running N trivial cases on one loopback sshd node with every file report on.
//   node dist/bench/results-bench.js [--cases N]   (N: the large run, default 10000)
// 1. Per-case overhead at N against the same at N/10 (target within 1.2x): flat per-case cost.
//    Overhead is the run's own duration (run.end, so node start-up and suite loading are out)
//    minus a bare ssh2 loop of the same N commands, per case.
// 2. Peak RSS of the N-case run (target <= 300 MB).
// 3. N/10 cases with the database notifier on vs off (ratio).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliPath, readyPlatformYaml, type SshTarget } from '../test/helpers/cli.js';
import { startSshd } from '../test/helpers/sshd.js';
import { bareSsh2Loop } from './ssh-bare.js';

const FILE_REPORTS = ['console', 'json', 'junit', 'html'];

// Loaded before the CLI in the child: its peak RSS, read as the process exits (after every report).
const RSS_PROBE =
  "data:text/javascript,import{writeFileSync}from'node:fs';" +
  "process.on('exit',()=>writeFileSync(process.env.LISA_BENCH_RSS_FILE,String(process.resourceUsage().maxRSS)))";

interface CliRun {
  /** The run's own duration, from its run.end event. */
  runMs: number;
  peakRssMiB: number;
  consoleLines: number;
}

function writeBench(dir: string, target: SshTarget, count: number, notifiers: string[]): string {
  writeFileSync(
    join(dir, 'trivial.mjs'),
    `export default { name: 'bench', area: 'bench', cases: Array.from({ length: ${count} }, (_, i) => ({
      name: 'c' + String(i).padStart(5, '0'),
      async run(ctx) { const r = await ctx.node.execute('true'); if (r.exitCode !== 0) throw new Error('exit ' + r.exitCode); },
    })) };\n`,
  );
  const file = join(dir, 'runbook.yml');
  writeFileSync(
    file,
    `name: bench\nlog_path: ${join(dir, 'runs')}\nextension:\n  - ${dir}\n${readyPlatformYaml([target])}` +
      `testcase:\n  - criteria:\n      area: bench\nnotifier:\n${notifiers.map((n) => `  - type: ${n}`).join('\n')}\n`,
  );
  return file;
}

/** `lisa run` of `count` trivial cases in a child process; stdout is a pipe (CI log mode). */
export async function runCliCases(target: SshTarget, count: number, notifiers = FILE_REPORTS): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-rbench-'));
  try {
    const runbook = writeBench(dir, target, count, notifiers);
    const rssFile = join(dir, 'rss');
    let lines = 0;
    let stderr = '';
    const code = await new Promise<number | null>((res, rej) => {
      const child = spawn(process.execPath, ['--import', RSS_PROBE, cliPath, 'run', runbook], {
        env: { ...process.env, NO_COLOR: '1', LISA_BENCH_RSS_FILE: rssFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (d: Buffer) => {
        for (const b of d) if (b === 10) lines++;
      });
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', rej);
      child.on('close', res);
    });
    if (code !== 0) throw new Error(`bench run exited ${code}: ${stderr.slice(-2000)}`);
    const runDir = join(dir, 'runs', readdirSync(join(dir, 'runs')).find((d) => !d.includes('.'))!);
    const events = readFileSync(join(runDir, 'events.jsonl'), 'utf8').trimEnd().split('\n');
    const end = JSON.parse(events.at(-1)!) as { type: string; durationMs: number; summary: { passed: number } };
    if (end.type !== 'run.end' || end.summary.passed !== count)
      throw new Error(`bench run: ${end.summary?.passed} of ${count} cases passed (see ${runDir})`);
    const peakRssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
    return { runMs: end.durationMs, peakRssMiB, consoleLines: lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ResultsBench {
  small: number;
  large: number;
  bareSmallMs: number;
  bareLargeMs: number;
  smallRun: CliRun;
  largeRun: CliRun;
  dbOffMs: number;
  dbOnMs: number;
}

export async function benchResults(large = 10_000, log: (l: string) => void = () => {}): Promise<ResultsBench> {
  const small = Math.max(1, Math.round(large / 10));
  const sshd = await startSshd();
  try {
    const target: SshTarget = {
      host: sshd.host,
      port: sshd.port,
      username: sshd.username,
      privateKeyFile: sshd.privateKeyFile,
    };
    await bareSsh2Loop(sshd.connection(), 50);
    await runCliCases(target, 50);
    log(`results bench: ${small} cases`);
    const bareSmallMs = await bareSsh2Loop(sshd.connection(), small);
    const smallRun = await runCliCases(target, small);
    log(`results bench: ${large} cases`);
    const bareLargeMs = await bareSsh2Loop(sshd.connection(), large);
    const largeRun = await runCliCases(target, large);
    log(`results bench: ${small} cases, database notifier off and on`);
    // Alternated, medians of three: the effect is small next to this machine's noise.
    const off: number[] = [];
    const on: number[] = [];
    for (let i = 0; i < 3; i++) {
      off.push((await runCliCases(target, small, ['console'])).runMs);
      on.push((await runCliCases(target, small, ['console', 'database'])).runMs);
    }
    return {
      small,
      large,
      bareSmallMs,
      bareLargeMs,
      smallRun,
      largeRun,
      dbOffMs: median(off),
      dbOnMs: median(on),
    };
  } finally {
    await sshd.stop();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function printResultsBench(r: ResultsBench): void {
  const per = (run: CliRun, bare: number, n: number) => Math.max(0, run.runMs - bare) / n;
  const overheadSmall = per(r.smallRun, r.bareSmallMs, r.small);
  const overheadLarge = per(r.largeRun, r.bareLargeMs, r.large);
  const ms = (x: number) => `${x.toFixed(3)} ms/case`;
  console.log(`\nResults at scale (lisa run in its own process, 1 loopback node, reports: ${FILE_REPORTS.join(', ')})`);
  console.log(
    `  ${r.small} cases: run ${(r.smallRun.runMs / 1000).toFixed(2)} s, bare ssh2 ${(r.bareSmallMs / 1000).toFixed(2)} s, overhead ${ms(overheadSmall)}, peak RSS ${r.smallRun.peakRssMiB.toFixed(0)} MiB`,
  );
  console.log(
    `  ${r.large} cases: run ${(r.largeRun.runMs / 1000).toFixed(2)} s, bare ssh2 ${(r.bareLargeMs / 1000).toFixed(2)} s, overhead ${ms(overheadLarge)}, peak RSS ${r.largeRun.peakRssMiB.toFixed(0)} MiB (target <= 300)`,
  );
  console.log(
    `  per-case cost ${r.large} / ${r.small}: ${(r.largeRun.runMs / r.large / (r.smallRun.runMs / r.small)).toFixed(2)} (whole case)`,
  );
  console.log(
    `  per-case overhead ${r.large} / ${r.small}: ${(overheadLarge / Math.max(overheadSmall, 1e-9)).toFixed(2)} (target <= 1.2)`,
  );
  console.log(`  console lines at ${r.large} cases (not a terminal): ${r.largeRun.consoleLines}`);
  console.log(
    `  ${r.small} cases, database notifier on / off: ${(r.dbOnMs / r.dbOffMs).toFixed(2)} (${(r.dbOnMs / 1000).toFixed(2)} s vs ${(r.dbOffMs / 1000).toFixed(2)} s)`,
  );
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const n = Number(args[args.indexOf('--cases') + 1]) || 10_000;
  printResultsBench(await benchResults(n, (l) => process.stderr.write(`${l}\n`)));
}
