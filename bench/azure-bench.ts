// Azure platform benchmark against the loopback ARM endpoint (real SDK, real guests):
// 1. deploy-to-first-command through the platform, next to the same guest booted by the endpoint's
//    own backend directly (same image, same warm snapshot): the ratio is what ARM, the SDK and the
//    platform add.
// 2. N environments (default 50) deployed in parallel by `lisa run` (concurrency N, one trivial case
//    each) with sshd-backed VMs: wall time and the harness process's peak RSS.
//   node dist/bench/azure-bench.js [--environments N] [--rounds R] [--no-guest]
// Rounds alternate the two sides and the medians are compared: this host's noise is larger than the effect.
import { spawn } from 'node:child_process';
import ssh2 from 'ssh2';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Logger } from '../src/logging/logger.js';
import { SecretMasker } from '../src/logging/secrets.js';
import { AzurePlatform } from '../src/platform/azure/platform.js';
import type { PlatformContext } from '../src/platform/types.js';
import { allocateAddress, QemuGuestBackend, releaseAddress } from '../test/helpers/arm-endpoint/guests.js';
import { startArmEndpoint, type ArmEndpoint } from '../test/helpers/arm-endpoint/server.js';
import { SshdGuestBackend } from '../test/helpers/arm-endpoint/sshd-backend.js';
import { ensureRunKey } from '../src/platform/qemu/keys.js';
import { privateMac } from '../src/platform/qemu/args.js';
import { freeLoopbackPort, releasePort } from '../src/platform/qemu/ports.js';

export interface AzureBenchResult {
  /** Median of the rounds, ms: the guest booted by the endpoint's backend, to SSH (user provisioned). */
  rawMs?: number;
  /** The same, plus its first command over a bare ssh2 connection as the admin user. */
  rawFirstCommandMs?: number;
  platformMs?: number;
  environments: number;
  parallelMs: number;
  harnessPeakRssMiB: number;
  cases: { passed: number; total: number };
}

const CACHE = process.env.LISA_TEST_IMAGE_CACHE ?? '/var/tmp/lisa-test-images';
const quiet = new Logger('bench', [], new SecretMasker());
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function platformFor(ep: ArmEndpoint, root: string): AzurePlatform {
  return new AzurePlatform({
    type: 'azure',
    keepEnvironment: 'no',
    baseDir: root,
    requirement: { core_count: { min: 2 } },
    options: {
      subscription_id: ep.subscriptionId,
      credential: { type: 'secret', tenant_id: ep.tenantId, client_id: ep.clientId, client_secret: ep.clientSecret },
      cloud: { arm_endpoint: ep.armEndpoint, authority_host: ep.authorityHost, ca_file: ep.caFile },
    },
  });
}

/** Deploy to first command: endpoint backend by itself vs the whole platform, interleaved. */
async function guestRatio(root: string, rounds: number, log: (l: string) => void): Promise<[number, number, number]> {
  const backend = new QemuGuestBackend(join(root, 'ep'), CACHE);
  const ep = await startArmEndpoint({ dir: join(root, 'ep'), backend });
  const masker = new SecretMasker();
  const ctx: PlatformContext = {
    runDir: join(root, 'run'),
    log: quiet,
    masker,
    signal: new AbortController().signal,
    environmentConfig: undefined,
  };
  const platform = platformFor(ep, root);
  const key = await ensureRunKey(join(root, 'rawkey'));
  const raw: number[] = [];
  const rawFirst: number[] = [];
  const full: number[] = [];
  try {
    await platform.prepare(ctx);
    // The same guest the platform's VM gets: same shape, and a NIC on a VNet (a multicast socket)
    // like the endpoint gives every VM, so both sides boot from the same warm snapshot.
    const direct = async (i: number) => {
      const address = await allocateAddress();
      const port = await freeLoopbackPort();
      const privateNet = { mcast: `230.79.${process.pid % 250}.${i + 1}:${port}`, mac: privateMac(200, i + 1) };
      const t = performance.now();
      const g = await backend.start(
        {
          id: `raw${i}`,
          cores: 2,
          memoryMiB: 1024,
          adminUsername: 'lisatest',
          publicKeys: [key.publicKey],
          address,
          privateNet: { ...privateNet, ip: '10.0.0.4', prefix: 24 },
        },
        new AbortController().signal,
      );
      const ms = performance.now() - t;
      await bareFirstCommand(address, key.privateKeyFile);
      const first = performance.now() - t;
      await g.stop();
      releaseAddress(address);
      releasePort(port);
      return [ms, first] as const;
    };
    const viaPlatform = async () => {
      const t = performance.now();
      const env = await platform.deploy({ nodes: 1 }, ctx);
      await env!.nodes[0]!.execute('true', { expectedExitCode: 0 });
      const ms = performance.now() - t;
      await platform.release(env!, ctx, { failed: false });
      return ms;
    };
    // Builds (or finds) the image and the warm snapshot, and loads the SDK's code paths once, so
    // that no measured round pays for them.
    log(
      `azure bench: warm-up boot ${(await direct(0))[0].toFixed(0)} ms, platform ${(await viaPlatform()).toFixed(0)} ms`,
    );
    for (let i = 1; i <= rounds; i++) {
      const [boot, first] = await direct(i);
      raw.push(boot);
      rawFirst.push(first);
      full.push(await viaPlatform());
      log(
        `azure bench: round ${i}: endpoint alone ${boot.toFixed(0)} ms (first command ${first.toFixed(0)} ms), platform ${full.at(-1)!.toFixed(0)} ms`,
      );
    }
  } finally {
    await platform.dispose(ctx);
    await ep.close();
  }
  return [median(raw), median(rawFirst), median(full)];
}

/** Connects as the admin user with a bare ssh2 client and runs `true`: the guest's own first-login cost. */
async function bareFirstCommand(address: string, keyFile: string): Promise<void> {
  const client = new ssh2.Client();
  await new Promise<void>((resolve, reject) => {
    client.on('ready', () =>
      client.exec('true', (err, ch) => {
        if (err) return reject(err);
        ch.on('close', () => resolve());
        ch.resume();
        ch.stderr.resume();
      }),
    );
    client.on('error', reject);
    client.connect({
      host: address,
      port: 22,
      username: 'lisatest',
      privateKey: readFileSync(keyFile),
      readyTimeout: 60_000,
    });
  }).finally(() => client.end());
}

const SUITE = (n: number) => `import { defineSuite } from 'lisa-ts';
export default defineSuite({
  name: 'scale',
  area: 'scale',
  description: 'one trivial case per environment',
  cases: Array.from({ length: ${n} }, (_, i) => ({
    name: 'echo_' + i,
    async run(ctx) {
      await ctx.node.execute('true', { expectedExitCode: 0 });
    },
  })),
});
`;

/** `lisa run` deploying N environments at once on sshd-backed VMs; its RSS sampled from /proc. */
async function parallelScale(
  root: string,
  n: number,
  cli: string,
): Promise<Omit<AzureBenchResult, 'rawMs' | 'rawFirstCommandMs' | 'platformMs'>> {
  const backend = new SshdGuestBackend();
  const ep = await startArmEndpoint({ dir: join(root, 'scale-ep'), backend, coresLimit: 10_000 });
  try {
    // The sshd fixture's user is the VMs' admin: learn it from one throwaway start.
    const probeAddress = await allocateAddress();
    const probe = await backend.start({
      id: 'probe',
      cores: 2,
      memoryMiB: 1024,
      adminUsername: '',
      publicKeys: [],
      address: probeAddress,
    });
    await probe.stop();
    releaseAddress(probeAddress);
    const dir = join(root, 'scale');
    mkdirSync(join(dir, 'suites'), { recursive: true });
    writeFileSync(join(dir, 'suites', 'scale.ts'), SUITE(n));
    writeFileSync(
      join(dir, 'runbook.yml'),
      `name: azure-scale
log_path: ${join(dir, 'runs')}
concurrency: ${n}
extension:
  - ${join(dir, 'suites')}
platform:
  - type: azure
    azure:
      subscription_id: ${ep.subscriptionId}
      admin_username: ${backend.username}
      credential: {type: secret, tenant_id: ${ep.tenantId}, client_id: ${ep.clientId}, client_secret: ${ep.clientSecret}}
      cloud: {arm_endpoint: ${ep.armEndpoint}, authority_host: ${ep.authorityHost}, ca_file: ${ep.caFile}}
testcase:
  - criteria: {area: scale}
notifier:
  - type: json
`,
    );
    const t = performance.now();
    const child = spawn(process.execPath, [cli, 'run', join(dir, 'runbook.yml')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    let peakKiB = 0;
    const sampler = setInterval(() => {
      try {
        const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
        peakKiB = Math.max(peakKiB, kb);
      } catch {
        // exited
      }
    }, 100);
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    clearInterval(sampler);
    const parallelMs = performance.now() - t;
    const [runName] = readdirSync(join(dir, 'runs')).filter((d) => !d.startsWith('.') && d !== 'latest');
    const ends = readFileSync(join(dir, 'runs', runName!, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; status?: string })
      .filter((e) => e.type === 'case.end');
    if (code !== 0) process.stderr.write(`azure bench: lisa run exited ${code}:\n${out.slice(-2000)}\n`);
    return {
      environments: n,
      parallelMs,
      harnessPeakRssMiB: peakKiB / 1024,
      cases: { passed: ends.filter((e) => e.status === 'PASSED').length, total: ends.length },
    };
  } finally {
    await backend.stopAll();
    await ep.close();
  }
}

export async function benchAzure(o: {
  environments?: number;
  guest?: boolean;
  rounds?: number;
  cli: string;
  log?: (l: string) => void;
}): Promise<AzureBenchResult> {
  const root = mkdtempSync(join(tmpdir(), 'lisa-azure-bench-'));
  const log = o.log ?? (() => {});
  const [rawMs, rawFirstCommandMs, platformMs] =
    o.guest === false ? [undefined, undefined, undefined] : await guestRatio(root, o.rounds ?? 5, log);
  const scale = await parallelScale(root, o.environments ?? 50, o.cli);
  return { rawMs, rawFirstCommandMs, platformMs, ...scale };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const r = await benchAzure({
    environments: Number(args[args.indexOf('--environments') + 1]) || 50,
    rounds: Number(args[args.indexOf('--rounds') + 1]) || undefined,
    guest: !args.includes('--no-guest'),
    cli: fileURLToPath(new URL('../src/cli/main.js', import.meta.url)),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  console.log(JSON.stringify(r, null, 2));
}
