import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { FileSink } from '../../logging/logger.js';
import { SshNode } from '../../node/ssh-node.js';
import { matchRequirement } from '../requirements.js';
import type { PlatformConfig } from '../../runbook/types.js';
import type { Requirement } from '../../testing/types.js';
import type { Environment, Match, Platform, PlatformContext } from '../types.js';
import { HYPERV_FEATURES, HypervEnvironment } from './environment.js';
import { HyperVHost } from './host.js';
import { hypervSchema, type HypervSection } from './schema.js';
import { HypervVm } from './vm.js';

/**
 * VMs on a Windows Hyper-V host, driven over SSH with PowerShell as LISA does: the image is copied
 * to the host per VM, New-VM with the image's generation, processor and memory from the
 * requirement, COM1 on a named pipe captured to the run dir, data disks hot-added, full cleanup.
 */
export class HypervPlatform implements Platform {
  readonly type = 'hyperv';
  readonly section: HypervSection;
  private readonly keep: PlatformConfig['keepEnvironment'];
  host: HyperVHost | undefined;
  private readonly live = new Set<HypervVm>();
  private readonly envs = new Map<Environment, HypervVm>();
  private counter = 0;
  private runTag = '';

  constructor(config: Partial<PlatformConfig> & { options?: Record<string, unknown> }) {
    const parsed = hypervSchema.safeParse(config.options ?? {});
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new Error(`runbook platform hyperv.${i.path.join('.')}: ${i.message}`);
    }
    const base = config.baseDir ?? process.cwd();
    const abs = (p: string | undefined) => (p && !isAbsolute(p) ? resolve(base, p) : p);
    const s = parsed.data;
    s.image = abs(s.image)!;
    s.private_key_file = abs(s.private_key_file);
    s.guest.private_key_file = abs(s.guest.private_key_file);
    this.section = s;
    this.keep = config.keepEnvironment ?? 'no';
  }

  async prepare(ctx: PlatformContext): Promise<void> {
    const s = this.section;
    ctx.masker.add(s.password);
    ctx.masker.add(s.guest.password);
    for (const [key, p] of [
      ['image', s.image],
      ['private_key_file', s.private_key_file],
      ['guest.private_key_file', s.guest.private_key_file],
    ] as const)
      if (p && !existsSync(p)) throw new Error(`runbook platform hyperv.${key}: file not found: ${p}`);
    this.host = new HyperVHost({
      host: s.host,
      port: s.port ?? 22,
      username: s.username,
      password: s.password,
      privateKeyFile: s.private_key_file,
    });
    // VM names carry the run so that parallel runs on one host never collide.
    this.runTag = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  }

  async match(req: Requirement): Promise<Match> {
    return matchRequirement(
      { ...req, minCores: undefined, minMemoryMiB: undefined, minDataDisks: undefined },
      {
        platform: 'hyperv',
        capabilities: [{ cores: 1, memoryMiB: 1, dataDisks: 0, features: [] }],
        os: [],
        features: [...HYPERV_FEATURES],
      },
    );
  }

  maxParallel(): number {
    return this.section.max_vms ?? 2;
  }

  async deploy(req: Requirement, ctx: PlatformContext): Promise<Environment | undefined> {
    const s = this.section;
    const host = this.host!;
    const n = ++this.counter;
    const name = `lisa-${this.runTag}-${n}`;
    const workDir = (s.work_dir ?? 'C:\\lisa').replace(/[\\/]+$/, '');
    const dir = `${workDir}\\${name}`;
    const ext = s.image.toLowerCase().endsWith('.vhd') ? 'vhd' : 'vhdx';
    const cores = Math.max(req.minCores ?? 0, s.cores ?? 2);
    const memoryMiB = Math.max(req.minMemoryMiB ?? 0, s.memory_mb ?? 2048);
    const localDir = join(ctx.runDir, 'hyperv', name);
    await mkdir(localDir, { recursive: true });
    const vm = new HypervVm(
      host,
      {
        name,
        dir,
        vhd: `${dir}\\${name}.${ext}`,
        generation: s.generation ?? (ext === 'vhdx' ? 2 : 1),
        memoryMiB,
        cores,
        switchName: s.switch ?? 'Default Switch',
        pipe: `${name}-com1`,
      },
      s.image,
      join(localDir, 'serial.log'),
      { ...s.guest, privateKeyFile: s.guest.private_key_file, port: s.guest.port ?? 22 },
      (s.boot_timeout ?? 600) * 1000,
      (l) => ctx.log.info(l),
    );
    this.live.add(vm);
    try {
      await vm.create(ctx.signal);
      for (let i = 0; i < (req.minDataDisks ?? 0); i++) await vm.addDisk(4);
      const node = new SshNode({
        name,
        log: ctx.log.child(name, [new FileSink(join(ctx.runDir, 'nodes', `${name}.log`))], { quiet: true }),
        masker: ctx.masker,
        connection: {
          address: vm.address!,
          port: s.guest.port ?? 22,
          username: s.guest.username,
          privateKeyFile: s.guest.private_key_file,
          password: s.guest.password,
          hostKey: vm.hostKey,
        },
      });
      const env = new HypervEnvironment(`${name}`, vm, node, cores, memoryMiB);
      env.capabilities[0]!.dataDisks = vm.disks.length;
      env.signal = ctx.signal;
      this.envs.set(env, vm);
      ctx.log.info(
        `hyperv: ${name} ready at ${vm.address} (gen ${vm.spec.generation}, ${cores} vCPU, ${memoryMiB} MiB)`,
      );
      return env;
    } catch (e) {
      await this.remove(vm, ctx);
      throw e;
    }
  }

  private async remove(vm: HypervVm, ctx: PlatformContext): Promise<void> {
    try {
      await vm.remove();
    } catch (e) {
      ctx.log.warn(`hyperv: cleanup of ${vm.name} failed: ${(e as Error).message}`);
    }
    this.live.delete(vm);
  }

  async release(env: Environment, ctx: PlatformContext, outcome: { failed: boolean }): Promise<void> {
    const vm = this.envs.get(env);
    if (!vm) return;
    this.envs.delete(env);
    await (env as HypervEnvironment).node.close().catch(() => undefined);
    const keep = this.keep === 'always' || (this.keep === 'failed' && (outcome.failed || !!env.broken));
    if (keep) {
      ctx.log.info(
        `hyperv: keeping VM ${vm.name} on ${this.section.host} (keep_environment: ${this.keep}); remove it with Remove-VM`,
      );
      this.live.delete(vm);
      return;
    }
    await this.remove(vm, ctx);
  }

  async dispose(ctx: PlatformContext): Promise<void> {
    for (const env of [...this.envs.keys()]) await this.release(env, ctx, { failed: false });
    for (const vm of [...this.live]) await this.remove(vm, ctx);
    this.host?.close();
  }
}

export function createHypervPlatform(config: PlatformConfig): Platform {
  return new HypervPlatform(config);
}
