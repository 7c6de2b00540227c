import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { FileSink } from '../../logging/logger.js';
import { SshNode } from '../../node/ssh-node.js';
import type { NodeCapability } from '../../node/types.js';
import { matchRequirement } from '../requirements.js';
import type { PlatformConfig } from '../../runbook/types.js';
import type { Requirement } from '../../testing/types.js';
import type { Environment, Match, Platform, PlatformContext } from '../types.js';
import type { Bmc } from './bmc.js';
import { BootServer, ipxeScript } from './boot-server.js';
import { BAREMETAL_FEATURES, BaremetalEnvironment } from './environment.js';
import { IpmiBmc } from './ipmi.js';
import { acquireLease, type Lease } from './lease.js';
import { Machine } from './machine.js';
import { RedfishBmc } from './redfish.js';
import { baremetalSchema, type BaremetalSection, type MachineConfig } from './schema.js';

interface Slot {
  machine: Machine;
  capability: NodeCapability;
  busy: boolean;
  lease?: Lease;
  env?: BaremetalEnvironment;
}

/**
 * Physical servers listed in the runbook, driven through their BMCs (IPMI or Redfish): leased one
 * environment at a time with a lock file other runs respect, network-booted from lisa's own HTTP
 * boot server or booted from disk, watched on the serial console, powered off afterwards.
 */
export class BaremetalPlatform implements Platform {
  readonly type = 'baremetal';
  readonly section: BaremetalSection;
  private readonly keep: PlatformConfig['keepEnvironment'];
  private slots: Slot[] = [];
  private bootServer: BootServer | undefined;
  private counter = 0;

  constructor(config: Partial<PlatformConfig> & { options?: Record<string, unknown> }) {
    const parsed = baremetalSchema.safeParse(config.options ?? {});
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new Error(`runbook platform baremetal.${i.path.join('.')}: ${i.message}`);
    }
    const base = config.baseDir ?? process.cwd();
    const abs = (p: string | undefined): string | undefined => (p && !isAbsolute(p) ? resolve(base, p) : p);
    for (const m of parsed.data.machines) {
      if (m.boot.pxe) {
        m.boot.pxe.kernel = abs(m.boot.pxe.kernel);
        m.boot.pxe.initrd = abs(m.boot.pxe.initrd);
        m.boot.pxe.ipxe_script = abs(m.boot.pxe.ipxe_script);
      }
      m.ssh.private_key_file = abs(m.ssh.private_key_file);
      if (m.bmc.redfish) m.bmc.redfish.ca_file = abs(m.bmc.redfish.ca_file);
    }
    if (parsed.data.boot_server) parsed.data.boot_server.ipxe_dir = abs(parsed.data.boot_server.ipxe_dir);
    this.section = parsed.data;
    this.keep = config.keepEnvironment ?? 'no';
  }

  async prepare(ctx: PlatformContext): Promise<void> {
    const names = new Set<string>();
    for (const m of this.section.machines) {
      if (names.has(m.name)) throw new Error(`runbook platform baremetal.machines: machine ${m.name} is listed twice`);
      names.add(m.name);
      ctx.masker.add(m.bmc.ipmi?.password ?? m.bmc.redfish?.password);
      ctx.masker.add(m.ssh.password);
      const files: [string, string | undefined][] = [
        ['boot.pxe.kernel', m.boot.pxe?.kernel],
        ['boot.pxe.initrd', m.boot.pxe?.initrd],
        ['boot.pxe.ipxe_script', m.boot.pxe?.ipxe_script],
        ['ssh.private_key_file', m.ssh.private_key_file],
        ['bmc.redfish.ca_file', m.bmc.redfish?.ca_file],
      ];
      for (const [key, path] of files)
        if (path && !existsSync(path))
          throw new Error(`runbook platform baremetal machine ${m.name}: ${key}: file not found: ${path}`);
    }
    if (this.section.machines.some((m) => m.boot.pxe)) await this.startBootServer(ctx);
    const log = (l: string): void => ctx.log.info(l);
    this.slots = this.section.machines.map((m) => ({
      machine: new Machine(m, this.bmcOf(m), this.bootServer, log),
      capability: {
        cores: m.capabilities?.cores ?? 1,
        memoryMiB: m.capabilities?.memory_mb ?? 1024,
        dataDisks: m.capabilities?.data_disks ?? 0,
        features: [...BAREMETAL_FEATURES, ...(m.capabilities?.features ?? [])],
      },
      busy: false,
    }));
  }

  private bmcOf(m: MachineConfig): Bmc {
    if (m.bmc.ipmi) return new IpmiBmc(m.name, m.bmc.ipmi);
    return new RedfishBmc(m.name, m.bmc.redfish!);
  }

  private async startBootServer(ctx: PlatformContext): Promise<void> {
    const s = this.section.boot_server ?? {};
    const tftp = s.tftp_port === undefined ? undefined : { port: s.tftp_port, ipxeDir: s.ipxe_dir ?? '/usr/lib/ipxe' };
    const server = new BootServer(s.listen ?? '0.0.0.0', s.port ?? 8642, s.url, tftp);
    for (const m of this.section.machines) {
      const pxe = m.boot.pxe;
      if (!pxe) continue;
      const files: Record<string, string> = {};
      if (pxe.kernel) files.kernel = pxe.kernel;
      if (pxe.initrd) files.initrd = pxe.initrd;
      const custom = pxe.ipxe_script;
      const script = custom ? () => readFileSync(custom, 'utf8') : ipxeScript(pxe.cmdline ?? '', !!pxe.initrd);
      server.set(m.name, { script, files });
    }
    await server.start();
    this.bootServer = server;
    ctx.log.info(
      `baremetal: boot server on ${s.listen ?? '0.0.0.0'}:${server.boundPort}, machines fetch ${server.baseUrl}/<machine>/boot.ipxe` +
        (tftp ? `; TFTP on ${s.listen ?? '0.0.0.0'}:${server.tftpPort}/udp serves <machine>/boot.ipxe and iPXE` : ''),
    );
  }

  private facts(slot: Slot) {
    return { platform: 'baremetal', capabilities: [slot.capability], os: [], features: slot.capability.features };
  }

  async match(req: Requirement): Promise<Match> {
    let first: Match = { ok: false, unmet: 'a machine' };
    for (const s of this.slots) {
      const m = matchRequirement(req, this.facts(s));
      if (m.ok) return m;
      if (first.ok === false && first.unmet === 'a machine') first = m;
    }
    return first;
  }

  maxParallel(): number {
    return Math.max(1, this.slots.length);
  }

  async deploy(req: Requirement, ctx: PlatformContext): Promise<Environment | undefined> {
    const slot = this.slots.find((s) => !s.busy && matchRequirement(req, this.facts(s)).ok);
    if (!slot) return undefined;
    slot.busy = true;
    const m = slot.machine;
    const id = `${m.name}-${++this.counter}`;
    try {
      const lockDir = this.section.lock_dir ?? join(tmpdir(), 'lisa-baremetal');
      slot.lease = await acquireLease(lockDir, m.name, ctx.runDir, {
        waitMs: (this.section.lease_timeout ?? 0) * 1000,
        signal: ctx.signal,
      });
      const dir = join(ctx.runDir, 'baremetal', m.name);
      await mkdir(dir, { recursive: true });
      await m.captureConsole(join(dir, 'serial.log'));
      await m.powerUp(ctx.signal);
      const node = new SshNode({
        name: m.name,
        log: ctx.log.child(m.name, [new FileSink(join(ctx.runDir, 'nodes', `${m.name}.log`))], { quiet: true }),
        masker: ctx.masker,
        connection: {
          address: m.sshAddress.host,
          port: m.sshAddress.port,
          username: m.config.ssh.username,
          privateKeyFile: m.config.ssh.private_key_file,
          password: m.config.ssh.password,
          hostKey: m.hostKey,
        },
      });
      const env = new BaremetalEnvironment(id, m, node, slot.capability, join(dir, 'serial.log'));
      env.signal = ctx.signal;
      slot.env = env;
      return env;
    } catch (e) {
      await this.free(slot, ctx, false);
      throw e;
    }
  }

  /** Powers the machine off (unless kept), stops the console, gives the lease back. */
  private async free(slot: Slot, ctx: PlatformContext, keep: boolean): Promise<void> {
    const m = slot.machine;
    await slot.env?.node.close().catch(() => undefined);
    if (slot.lease && !keep) {
      // A fresh signal: on Ctrl-C the run's signal is aborted, and the power-off must still happen.
      await m.powerDown().catch((e: Error) => ctx.log.warn(`${m.name}: power off failed: ${e.message}`));
    }
    await m.console?.stop();
    m.console = undefined;
    await slot.lease?.release();
    slot.lease = undefined;
    slot.env = undefined;
    slot.busy = false;
  }

  async release(env: Environment, ctx: PlatformContext, outcome: { failed: boolean }): Promise<void> {
    const slot = this.slots.find((s) => s.env === env);
    if (!slot) return;
    const keep = this.keep === 'always' || (this.keep === 'failed' && (outcome.failed || !!env.broken));
    if (keep) {
      const a = slot.machine.sshAddress;
      ctx.log.info(
        `baremetal: keeping ${slot.machine.name} powered on (keep_environment: ${this.keep}); ssh -p ${a.port} ${slot.machine.config.ssh.username}@${a.host}`,
      );
    }
    await this.free(slot, ctx, keep);
  }

  async dispose(ctx: PlatformContext): Promise<void> {
    for (const s of this.slots) if (s.busy) await this.free(s, ctx, false);
    await this.bootServer?.close();
    this.bootServer = undefined;
  }
}
