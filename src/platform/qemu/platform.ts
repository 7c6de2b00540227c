import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FileSink } from '../../logging/logger.js';
import { buildImage } from './image/build.js';
import { hasCommand } from '../../process/run-command.js';
import { SshNode } from '../../node/ssh-node.js';
import type { PlatformConfig } from '../../runbook/types.js';
import type { OsInfo } from '../../os/types.js';
import type { Requirement } from '../../testing/types.js';
import { matchRequirement } from '../requirements.js';
import type { Environment, Match, Platform, PlatformContext } from '../types.js';
import { chooseAccel, readAccelFacts, type AccelChoice } from './accel.js';
import { CIS_APPEND } from './image/cis-hardening.js';
import { DEFAULT_APPEND, privateMac } from './args.js';
import { parseQemuOptions, type QemuOptions } from './config.js';
import type { QemuSection } from './schema.js';
import { QEMU_FEATURES, QemuEnvironment } from './environment.js';
import type { Disk } from './features.js';
import { QemuGuest } from './guest.js';
import { ensureRunKey, type RunKey } from './keys.js';
import { freeLoopbackPort, releasePort } from './ports.js';
import { reapStaleVms } from './registry.js';
import { startNtpServer, type NtpServer } from './ntp.js';
import { makeSeedIso } from './seed.js';
import { ensureWarmTemplate, type WarmTemplate } from './warm.js';
import { nodeUefi, prepareSecureBoot, type SecureBootPlan } from './secure-boot/prepare.js';

interface BootImage {
  path: string;
  format: 'qcow2' | 'raw';
  kernel?: string;
  initrd?: string;
  append?: string;
  /** Content key of a built image; warm snapshots exist only for those. */
  key?: string;
  /** profile secure_boot: the kernel boots from a signed UKI through OVMF instead of -kernel. */
  secureBoot?: SecureBootPlan;
}

const MAX_NODES = 8;
/** What the builtin image is, for matching `supported_os` before it is booted. */
const BUILTIN_OS: OsInfo = {
  id: 'debian',
  name: 'Debian GNU/Linux 12 (bookworm)',
  version: '12',
  codename: 'bookworm',
  families: ['debian', 'linux'],
  kernel: { name: 'Linux', release: '', version: '' },
  arch: 'x86_64',
  immutable: false,
};

/**
 * Local QEMU guests: one copy-on-write overlay per node over a cached base image, user-mode
 * networking with an SSH port forward, a multicast private network per environment, and warm
 * starts from a saved post-boot state.
 */
export class QemuPlatform implements Platform {
  readonly type = 'qemu';
  readonly options: QemuOptions;
  accel: AccelChoice | undefined;
  image: BootImage | undefined;
  private key: RunKey | undefined;
  private ntp: NtpServer | undefined;
  private readonly envs = new Set<QemuEnvironment>();
  /** Every guest not yet disposed or kept, so an exiting process can kill them. */
  private readonly live = new Set<QemuGuest>();
  private counter = 0;
  private readonly onExit = (): void => {
    for (const g of this.live) g.vm?.kill();
  };

  constructor(config: Partial<PlatformConfig<Partial<QemuSection>>>) {
    this.options = parseQemuOptions(config);
  }

  async prepare(ctx: PlatformContext): Promise<void> {
    const o = this.options;
    for (const tool of [o.qemuBinary, 'qemu-img', 'ssh-keygen']) {
      if (!(await hasCommand(tool)))
        throw new Error(
          `platform qemu needs ${tool}; run \`lisa doctor\` (apt-get install qemu-system-x86 qemu-utils openssh-client)`,
        );
    }
    const reaped = reapStaleVms(dirname(ctx.runDir));
    for (const k of reaped.killed)
      ctx.log.warn(`killed stale VM ${k.id} (pid ${k.pid}) left by a dead run in ${k.runDir}`);
    this.accel = chooseAccel(readAccelFacts(), o.accel);
    ctx.log.info(`qemu: using ${this.accel.accel.toUpperCase()} because ${this.accel.reason}`);
    if (o.image === 'builtin') {
      if (o.kernel && !existsSync(o.kernel))
        throw new Error(`runbook platform qemu.kernel: file not found: ${o.kernel}`);
      const built = await buildImage({
        cacheDir: o.cacheDir,
        username: o.username,
        ...(o.profile === 'cis' ? { hardening: 'cis' as const } : {}),
        // systemd measures boot phases into the TPM when started from a UKI; it needs the TSS libraries.
        ...(o.profile === 'secure_boot' ? { extraPackages: ['tpm2-tools'] } : {}),
        signal: ctx.signal,
        log: (l) => ctx.log.info(`image: ${l}`),
      });
      ctx.log.info(
        `qemu: ${built.cached ? 'cached' : 'built'} image ${built.imagePath} (${(built.ms / 1000).toFixed(1)} s)`,
      );
      this.image = {
        path: built.imagePath,
        format: 'qcow2',
        // qemu.kernel boots another kernel (e.g. one kernel_builder made) on the builtin disk.
        kernel: o.kernel ?? built.kernel,
        initrd: o.kernel ? o.initrd : built.initrd,
        append: o.append ?? (o.profile === 'cis' ? `${DEFAULT_APPEND} ${CIS_APPEND}` : undefined),
        key: built.key,
      };
    } else {
      for (const [k, p] of [
        ['image', o.image.disk],
        ['kernel', o.kernel],
        ['initrd', o.initrd],
      ] as const) {
        if (p && !existsSync(p)) throw new Error(`runbook platform qemu.${k}: file not found: ${p}`);
      }
      this.image = { path: o.image.disk, format: o.image.format, kernel: o.kernel, initrd: o.initrd, append: o.append };
    }
    if (o.secureBoot) {
      this.image.secureBoot = await prepareSecureBoot({
        options: o.secureBoot,
        kernel: this.image.kernel,
        initrd: this.image.initrd,
        cmdline: this.image.append ?? DEFAULT_APPEND,
        cacheDir: o.cacheDir,
        signal: ctx.signal,
        log: (l) => ctx.log.info(`secure boot: ${l}`),
      });
      ctx.log.info(`qemu: secure_boot profile, ${this.image.secureBoot.cached ? 'cached' : 'new'} signed UKI`);
    }
    this.key = await ensureRunKey(join(ctx.runDir, 'qemu', 'key'));
    this.ntp = await startNtpServer();
    process.on('exit', this.onExit);
  }

  /** Matched against the largest environment this host can give: the shared rules and wording. */
  async match(req: Requirement): Promise<Match> {
    const o = this.options;
    const nodes = Math.min(req.nodes ?? 1, MAX_NODES);
    // Guests of one environment share 80% of the host's memory; each gets at least the configured size.
    const capability = {
      cores: o.hostCores,
      memoryMiB: Math.floor((o.hostMemoryMiB * 0.8) / nodes),
      dataDisks: o.dataDisks,
      features: [...QEMU_FEATURES],
    };
    return matchRequirement(
      { ...req, minMemoryMiB: Math.max(req.minMemoryMiB ?? 0, o.memoryMiB) },
      {
        platform: 'qemu',
        capabilities: Array.from({ length: MAX_NODES }, () => capability),
        // A user's own image can be anything: only the builtin one is known to be Debian 12.
        os: o.image === 'builtin' ? Array.from({ length: MAX_NODES }, () => BUILTIN_OS) : [],
        features: QEMU_FEATURES,
      },
    );
  }

  /**
   * TCG guests are CPU-bound (a 2-vCPU guest keeps a host core busy while it works), so more
   * environments than half the cores only makes each slower; the runbook's `concurrency` overrides.
   */
  maxParallel(): number {
    const cores = this.options.hostCores;
    return this.accel?.accel === 'kvm' ? Math.max(1, cores) : Math.max(1, Math.floor(cores / 2));
  }

  async deploy(req: Requirement, ctx: PlatformContext): Promise<Environment | undefined> {
    if (!this.image || !this.key || !this.accel) throw new Error('platform qemu: deploy() before prepare()');
    const o = this.options;
    const nodes = req.nodes ?? 1;
    const cores = Math.min(o.hostCores, Math.max(req.minCores ?? 0, o.cores ?? 2));
    const memoryMiB = Math.max(req.minMemoryMiB ?? 0, o.memoryMiB);
    const id = `qemu${++this.counter}`;
    const envDir = join(ctx.runDir, 'qemu', id);
    const seed = Math.floor(Math.random() * 250) + 1;
    const mcastPort = await freeLoopbackPort();
    const mcast = `230.77.${seed}.${(this.counter % 250) + 1}:${mcastPort}`;
    const guests: QemuGuest[] = [];
    for (let i = 0; i < nodes; i++) {
      const name = `${id}-node${i}`;
      const dir = join(envDir, `node${i}`);
      await mkdir(dir, { recursive: true });
      const mac = privateMac(seed, i + 1);
      const sshPort = await freeLoopbackPort();
      const seedIso =
        o.image === 'builtin'
          ? undefined
          : await makeSeedIso(dir, { hostname: name, username: o.username, publicKey: this.key.publicKey });
      const g = new QemuGuest({
        id: name,
        name,
        runDir: ctx.runDir,
        dir,
        qemuBinary: o.qemuBinary,
        log: ctx.log.child(name, [new FileSink(join(ctx.runDir, 'nodes', `${name}.log`))], { quiet: true }),
        spec: {
          name,
          accel: this.accel,
          cores,
          memoryMiB,
          diskFormat: 'qcow2',
          ...(this.image.secureBoot
            ? { uefi: await nodeUefi(this.image.secureBoot, dir) }
            : { kernel: this.image.kernel, initrd: this.image.initrd, append: this.image.append }),
          sshPort,
          privateNet: o.privateNetwork ? { mcast, mac } : undefined,
          serialLog: join(dir, 'serial.log'),
          qmpSocket: join(dir, 'qmp.sock'),
          fwCfg: [{ name: 'opt/lisa/authorized_keys', file: this.key.publicKeyFile }],
          seedIso,
        },
        base: { path: this.image.path, format: this.image.format },
        username: o.username,
        bootUsername: this.bootUsername(),
        key: this.key,
        bootTimeoutMs: o.bootTimeoutMs,
        privateNet: o.privateNetwork ? { ip: `192.168.77.${10 + i}`, prefix: 24, mac } : undefined,
        ntpPort: this.ntp?.port,
      });
      guests.push(g);
      this.live.add(g);
    }
    const onAbort = (): void => guests.forEach((g) => g.vm?.kill());
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const started = Date.now();
    try {
      const warm = await this.warmTemplate(guests[0]!, ctx);
      // allSettled: a failed node must not leave a sibling still booting after the cleanup below.
      const boots = await Promise.allSettled(guests.map((g) => g.boot(ctx.signal, warm)));
      const failed = boots.find((b): b is PromiseRejectedResult => b.status === 'rejected');
      if (failed) throw failed.reason;
      if (ctx.signal.aborted) throw new Error('deploy aborted');
      const env = new QemuEnvironment(id, envDir, guests, cores, memoryMiB);
      env.signal = ctx.signal;
      for (const [i, g] of guests.entries()) {
        g.node = new SshNode({
          name: g.init.name,
          log: g.init.log,
          masker: ctx.masker,
          connectTimeoutMs: o.bootTimeoutMs,
          connection: {
            address: '127.0.0.1',
            port: g.sshPort,
            username: o.username,
            privateKeyFile: this.key.privateKeyFile,
            hostKey: g.hostKey,
          },
        });
        for (let d = 0; d < Math.max(o.dataDisks, req.minDataDisks ?? 0); d++)
          await env.feature<Disk>('Disk')!.add(4, i);
      }
      this.envs.add(env);
      const modes = guests.map((g) => g.bootMode).join(', ');
      ctx.log.info(
        `qemu: ${id} ready (${nodes} node(s), ${cores} vCPU, ${memoryMiB} MiB, ${modes}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      return env;
    } catch (e) {
      await Promise.all(guests.map((g) => g.dispose(false)));
      guests.forEach((g) => this.live.delete(g));
      throw e;
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      releasePort(mcastPort);
    }
  }

  /** The built-in guest takes root's key for first contact (no sudo); the cis profile refuses root. */
  private bootUsername(): string | undefined {
    return this.options.image === 'builtin' && this.options.profile !== 'cis' ? 'root' : undefined;
  }

  /** The warm snapshot for this guest shape, or undefined (cold boot) when not possible. */
  private async warmTemplate(first: QemuGuest, ctx: PlatformContext): Promise<WarmTemplate | undefined> {
    // A warm clone would share one firmware variable store and TPM state: secure_boot boots cold.
    if (!this.options.warmStart || !this.image?.key || this.image.secureBoot) return undefined;
    const { name: _n, sshPort: _p, serialLog: _s, qmpSocket: _q, ...shape } = first.init.spec;
    try {
      return await ensureWarmTemplate({
        imagePath: this.image.path,
        imageKey: this.image.key,
        qemuBinary: this.options.qemuBinary,
        spec: shape,
        username: this.options.username,
        bootUsername: this.bootUsername(),
        key: this.key!,
        bootTimeoutMs: this.options.bootTimeoutMs,
        log: ctx.log,
        signal: ctx.signal,
        runDir: ctx.runDir,
      });
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      ctx.log.warn(`qemu: no warm snapshot (${(e as Error).message}); booting cold`);
      return undefined;
    }
  }

  async release(env: Environment, ctx: PlatformContext, outcome: { failed: boolean }): Promise<void> {
    const e = env as QemuEnvironment;
    this.envs.delete(e);
    const mode = this.options.keepEnvironment;
    const keep = mode === 'always' || (mode === 'failed' && (outcome.failed || !!e.broken));
    if (keep) {
      for (const g of e.guests) {
        await g.node?.close().catch(() => {});
        g.vm?.markKept();
        this.live.delete(g);
      }
      ctx.log.info(
        `qemu: keeping ${e.id} (keep_environment: ${mode}); stop it with kill <pid>:\n${e.describe(this.key!.privateKeyFile)}`,
      );
      return;
    }
    await Promise.all(e.guests.map((g) => g.dispose(false)));
    e.guests.forEach((g) => this.live.delete(g));
  }

  async dispose(ctx: PlatformContext): Promise<void> {
    for (const env of [...this.envs]) await this.release(env, ctx, { failed: false });
    await Promise.all([...this.live].map((g) => g.dispose(false)));
    this.live.clear();
    process.off('exit', this.onExit);
    this.ntp?.close();
    this.ntp = undefined;
  }
}
