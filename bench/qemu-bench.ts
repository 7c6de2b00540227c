// QEMU platform benchmark: platform deploys next to the same image booted by hand in the same
// run (cold and warm), 1 vs 4 environments in parallel, and `lisa run` start to first case.
//   node --import tsx bench/qemu-bench.ts [--skip-run] [--cache-dir DIR] [--parallel N (default 4)]
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Logger } from '../src/logging/logger.js';
import { SecretMasker } from '../src/logging/secrets.js';
import { runCommand } from '../src/process/run-command.js';
import { runRunbook } from '../src/orchestrator/run.js';
import { QemuPlatform } from '../src/platform/qemu/platform.js';
import { resumeIncoming } from '../src/platform/qemu/guest.js';
import { ensureRunKey } from '../src/platform/qemu/keys.js';
import { freeLoopbackPort } from '../src/platform/qemu/ports.js';
import { waitForSsh } from '../src/platform/qemu/ssh-wait.js';
import { QemuVm } from '../src/platform/qemu/vm.js';
import type { PlatformContext } from '../src/platform/types.js';
import { loadRunbook } from '../src/runbook/load.js';

export interface QemuBenchResult {
  rawColdMs: number;
  platformColdMs: number;
  rawWarmMs: number;
  platformWarmMs: number;
  parallel1Ms: number;
  /** `parallel` environments (default 4) deployed at once. */
  parallelNMs: number;
  parallel: number;
  runToFirstCaseMs?: number;
}

const quiet = new Logger('bench', [], new SecretMasker());

function context(root: string): PlatformContext {
  const masker = new SecretMasker();
  return {
    runDir: join(root, `run-${Date.now()}`),
    log: quiet,
    masker,
    signal: new AbortController().signal,
    environmentConfig: undefined,
  };
}

/** Boots the platform's own image by hand (same args, no platform code around it) until SSH answers. */
async function rawBoot(p: QemuPlatform, root: string, warm?: { state: string; disk: string }): Promise<number> {
  const dir = mkdtempSync(join(root, 'raw-'));
  const key = await ensureRunKey(join(root, 'rawkey'));
  const disk = join(dir, 'disk.qcow2');
  // By hand needs an overlay too (the base must stay clean), so it is inside the timed part.
  const started = performance.now();
  await runCommand('qemu-img', [
    'create',
    '-q',
    '-f',
    'qcow2',
    '-b',
    warm ? warm.disk : p.image!.path,
    '-F',
    'qcow2',
    disk,
  ]);
  const port = await freeLoopbackPort();
  const vm = await QemuVm.start({
    id: 'raw',
    runDir: dir,
    dir,
    qemuBinary: p.options.qemuBinary,
    log: quiet,
    files: [],
    spec: {
      name: 'raw',
      accel: p.accel!,
      cores: p.options.cores ?? 2,
      memoryMiB: p.options.memoryMiB,
      disk,
      kernel: p.image!.kernel,
      initrd: p.image!.initrd,
      sshPort: port,
      privateNet: { mcast: `230.77.250.1:${await freeLoopbackPort()}`, mac: '52:54:00:77:fa:01' },
      serialLog: join(dir, 'serial.log'),
      qmpSocket: join(dir, 'qmp.sock'),
      fwCfg: [{ name: 'opt/lisa/authorized_keys', file: key.publicKeyFile }],
      incoming: warm ? `exec:cat '${warm.state}'` : undefined,
    },
  });
  try {
    if (warm) await resumeIncoming(vm, 120_000);
    const ssh = await waitForSsh(
      { port, username: p.options.username, privateKey: key.privateKey },
      { timeoutMs: 600_000, stillRunning: () => undefined },
    );
    await ssh.exec('true');
    ssh.close();
    return performance.now() - started;
  } finally {
    await vm.stop(2_000);
  }
}

async function timedDeploy(p: QemuPlatform, ctx: PlatformContext, envs: number): Promise<number> {
  const started = performance.now();
  const list = await Promise.all(Array.from({ length: envs }, () => p.deploy({ nodes: 1 }, ctx)));
  const ms = performance.now() - started;
  await Promise.all(list.map((e) => p.release(e!, ctx, { failed: false })));
  return ms;
}

/** `lisa run` of one trivial case on a warm qemu guest: run start to `case.begin`. */
async function runToFirstCase(root: string, cacheDir: string): Promise<number> {
  const dir = mkdtempSync(join(root, 'run-'));
  mkdirSync(join(dir, 'suite'));
  writeFileSync(
    join(dir, 'suite', 'one.mjs'),
    "export default { name: 'qb', area: 'qemubench', cases: [{ name: 'one', async run(ctx) { await ctx.node.execute('true'); } }] };\n",
  );
  writeFileSync(
    join(dir, 'runbook.yml'),
    `name: qemu-bench\nlog_path: ${join(dir, 'runs')}\nextension:\n  - ${join(dir, 'suite')}\nplatform:\n  - type: qemu\n    qemu:\n      cache_dir: ${cacheDir}\ntestcase:\n  - criteria:\n      area: qemubench\nnotifier:\n  - type: console\n`,
  );
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const rb = await loadRunbook(join(dir, 'runbook.yml'), { env: {} });
  const started = Date.now();
  const result = await runRunbook(rb, { debug: false, out: sink, err: sink, signal: new AbortController().signal });
  const events = readFileSync(join(result.runDir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; time: string });
  const begin = events.find((e) => e.type === 'case.begin');
  if (!begin) throw new Error(`no case started (see ${result.runDir})`);
  return Date.parse(begin.time) - started;
}

export async function benchQemu(
  options: { cacheDir?: string; skipRun?: boolean; parallel?: number; log?: (l: string) => void } = {},
): Promise<QemuBenchResult> {
  const parallel = options.parallel ?? 4;
  const say = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const root = mkdtempSync(join(tmpdir(), 'lisa-qemu-bench-'));
  const cacheDir = options.cacheDir ?? process.env.LISA_TEST_IMAGE_CACHE ?? '/var/tmp/lisa-test-images';
  const cold = new QemuPlatform({
    type: 'qemu',
    keepEnvironment: 'no',
    options: { cache_dir: cacheDir, warm_start: false },
  });
  const warm = new QemuPlatform({ type: 'qemu', keepEnvironment: 'no', options: { cache_dir: cacheDir } });
  const cctx = context(root);
  const wctx = context(root);
  await cold.prepare(cctx);
  await warm.prepare(wctx);
  // Makes the warm snapshot if missing, so later figures measure restores only.
  await timedDeploy(warm, wctx, 1);
  const r: Partial<QemuBenchResult> = {};
  r.rawColdMs = await rawBoot(cold, root);
  say(`raw cold boot to SSH: ${(r.rawColdMs / 1000).toFixed(1)} s`);
  r.platformColdMs = await timedDeploy(cold, cctx, 1);
  say(`platform cold deploy: ${(r.platformColdMs / 1000).toFixed(1)} s`);
  const tplDir = join(
    join(warm.image!.path, '..'),
    `warm-${warm.accel!.accel}-${warm.options.cores ?? 2}c-${warm.options.memoryMiB}m`,
  );
  r.rawWarmMs = await rawBoot(warm, root, { state: join(tplDir, 'state'), disk: join(tplDir, 'disk.qcow2') });
  say(`raw warm restore to SSH: ${(r.rawWarmMs / 1000).toFixed(1)} s`);
  r.platformWarmMs = r.parallel1Ms = await timedDeploy(warm, wctx, 1);
  say(`platform warm deploy: ${(r.platformWarmMs / 1000).toFixed(1)} s`);
  r.parallel = parallel;
  r.parallelNMs = await timedDeploy(warm, wctx, parallel);
  say(`${parallel} warm environments in parallel: ${(r.parallelNMs / 1000).toFixed(1)} s`);
  if (!options.skipRun) {
    r.runToFirstCaseMs = await runToFirstCase(root, cacheDir);
    say(`lisa run start to first case (warm): ${(r.runToFirstCaseMs / 1000).toFixed(1)} s`);
  }
  await cold.dispose(cctx);
  await warm.dispose(wctx);
  return r as QemuBenchResult;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--cache-dir');
  const j = args.indexOf('--parallel');
  const r = await benchQemu({
    skipRun: args.includes('--skip-run'),
    cacheDir: i >= 0 ? args[i + 1] : undefined,
    parallel: j >= 0 ? Number(args[j + 1]) : undefined,
  });
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  process.stdout.write(
    `${JSON.stringify(r)}\ncold ratio platform/raw ${ratio(r.platformColdMs, r.rawColdMs)} (target <= 1.2)\n` +
      `warm ratio platform/raw ${ratio(r.platformWarmMs, r.rawWarmMs)}; warm deploy ${(r.platformWarmMs / 1000).toFixed(1)} s (target <= 4 s)\n` +
      `1 vs ${r.parallel} environments: ${(r.parallel1Ms / 1000).toFixed(1)} s vs ${(r.parallelNMs / 1000).toFixed(1)} s\n`,
  );
}
