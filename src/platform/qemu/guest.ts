import { readFile, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../../logging/logger.js';
import { runCommand } from '../../process/run-command.js';
import { shellQuote } from '../../shell/quote.js';
import type { Node } from '../../node/types.js';
import type { VmSpec } from './args.js';
import { asRootCommand, hostKeyFromPub, identityScript } from './identity.js';
import type { RunKey } from './keys.js';
import { freeLoopbackPort } from './ports.js';
import { waitForSsh, type BootSsh } from './ssh-wait.js';
import { QemuVm } from './vm.js';
import type { WarmTemplate } from './warm.js';

export interface GuestInit {
  id: string;
  name: string;
  runDir: string;
  dir: string;
  qemuBinary: string;
  log: Logger;
  /** Everything but the disk and -incoming, which depend on cold or warm start. */
  spec: Omit<VmSpec, 'disk' | 'incoming'>;
  base: { path: string; format: 'qcow2' | 'raw' };
  username: string;
  /**
   * Who the platform itself logs in as at first contact: root on the builtin image (its sshd takes
   * the run key for any user, and sudo costs a second in a TCG guest), else `username` + sudo.
   */
  bootUsername?: string;
  key: RunKey;
  bootTimeoutMs: number;
  privateNet?: { ip: string; prefix: number; mac: string };
  ntpPort?: number;
}

export interface DataDisk {
  id: string;
  serial: string;
  file: string;
  sizeGiB: number;
}

/**
 * One node's VM across its life: boot (from a warm snapshot or cold), first-contact identity,
 * stop/start/reset, and hot-plugged data disks (re-attached at boot after a stop/start).
 */
export class QemuGuest {
  vm: QemuVm | undefined;
  node: Node | undefined;
  hostKey: string | undefined;
  bootMode: 'warm' | 'cold' | undefined;
  /** Set while StartStop has the node powered off, so health checks do not call it a crash. */
  stoppedOnPurpose = false;
  readonly disks: DataDisk[] = [];
  readonly overlay: string;

  constructor(readonly init: GuestInit) {
    this.overlay = join(init.dir, 'disk.qcow2');
  }

  get sshPort(): number {
    return this.init.spec.sshPort;
  }
  get serialLog(): string {
    return this.init.spec.serialLog;
  }

  /** Boots from the warm template when given, falling back to a cold boot if the restore fails. */
  async boot(signal: AbortSignal, warm?: WarmTemplate): Promise<void> {
    const started = Date.now();
    if (warm) {
      try {
        await this.warmBoot(warm, signal);
        this.bootMode = 'warm';
        this.init.log.info(
          `${this.init.name}: restored from warm snapshot, SSH ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        return;
      } catch (e) {
        if (signal.aborted) throw e;
        this.init.log.warn(`${this.init.name}: warm start failed (${(e as Error).message}); booting cold`);
        await this.kill();
      }
    }
    await this.coldBoot(signal);
    this.bootMode = 'cold';
    this.init.log.info(`${this.init.name}: cold boot, SSH ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  private async createOverlay(backing: string, format: string): Promise<void> {
    await rm(this.overlay, { force: true });
    await runCommand('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', backing, '-F', format, this.overlay]);
  }

  private async launch(signal: AbortSignal | undefined, incoming?: string): Promise<QemuVm> {
    const diskArgs = this.disks.flatMap((d) => [
      '-blockdev',
      `driver=qcow2,node-name=${d.id},file.driver=file,file.filename=${d.file}`,
      '-device',
      `virtio-blk-pci,drive=${d.id},id=${d.id},serial=${d.serial}`,
    ]);
    for (let attempt = 1; ; attempt++) {
      const spec: VmSpec = {
        ...this.init.spec,
        disk: this.overlay,
        incoming,
        extraArgs: [...(this.init.spec.extraArgs ?? []), ...diskArgs],
      };
      try {
        this.vm = await QemuVm.start({
          id: this.init.id,
          runDir: this.init.runDir,
          dir: this.init.dir,
          spec,
          qemuBinary: this.init.qemuBinary,
          log: this.init.log,
          files: [this.overlay, ...this.disks.map((d) => d.file)],
          signal,
        });
        return this.vm;
      } catch (e) {
        // The free port we picked can be taken before QEMU binds it: pick another and retry.
        if (attempt >= 3 || !/host forwarding|Address already in use/i.test((e as Error).message)) throw e;
        this.init.log.warn(`${this.init.name}: SSH port ${this.init.spec.sshPort} was taken, retrying with another`);
        this.init.spec.sshPort = await freeLoopbackPort();
      }
    }
  }

  private async coldBoot(signal: AbortSignal): Promise<void> {
    await this.createOverlay(this.init.base.path, this.init.base.format);
    await this.launch(signal);
    const ssh = await this.waitSsh(signal, this.init.bootTimeoutMs);
    await this.firstContact(ssh, false);
  }

  private async warmBoot(warm: WarmTemplate, signal: AbortSignal): Promise<void> {
    const t0 = Date.now();
    const lap = (what: string): void => this.init.log.debug(`${this.init.name}: warm ${what} at ${Date.now() - t0} ms`);
    // Made while the state loads: ssh-keygen is quick on the host but still on the critical path.
    const hostKey = newHostKey(this.init.dir);
    hostKey.catch(() => {});
    await this.createOverlay(warm.disk, 'qcow2');
    const vm = await this.launch(signal, `exec:cat ${shellQuote(warm.state)}`);
    lap('qemu started');
    await resumeIncoming(vm, 120_000);
    lap('state loaded, running');
    // A restored guest answers within seconds; a longer wait means the snapshot does not fit.
    const ssh = await this.waitSsh(signal, Math.min(this.init.bootTimeoutMs, 90_000));
    lap('ssh connected');
    await this.firstContact(ssh, true, hostKey);
    lap('identity done');
  }

  async waitSsh(signal: AbortSignal, timeoutMs: number): Promise<BootSsh> {
    const vm = this.vm!;
    try {
      return await waitForSsh(
        {
          host: this.init.spec.sshAddress,
          port: this.sshPort,
          username: this.init.bootUsername ?? this.init.username,
          privateKey: this.init.key.privateKey,
        },
        { timeoutMs, signal, stillRunning: () => (vm.running ? undefined : vm.exitDescription) },
      );
    } catch (e) {
      const tail = vm.serialTail(25);
      throw new Error(
        `${this.init.name}: ${(e as Error).message}\n--- last lines of ${this.serialLog} ---\n${tail || '(serial log is empty)'}`,
      );
    }
  }

  private async firstContact(ssh: BootSsh, warm: boolean, hostKeyPromise?: Promise<HostKeyPair>): Promise<void> {
    try {
      const hostKey = warm ? await (hostKeyPromise ?? newHostKey(this.init.dir)) : undefined;
      const script = identityScript({
        hostname: this.init.name,
        warm,
        hostKey,
        epochSeconds: Math.floor(Date.now() / 1000),
        machineId: randomUUID().replace(/-/g, ''),
        privateNet: this.init.privateNet,
        ntpPort: this.init.ntpPort,
      });
      const r = await ssh.exec(asRootCommand(this.init.bootUsername === 'root'), 120_000, script);
      this.init.log.debug(`${this.init.name}: first contact trace:\n${r.stderr.trim()}`);
      if (r.code !== 0)
        throw new Error(
          `identity setup on ${this.init.name} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(-500)}`,
        );
      this.hostKey = hostKeyFromPub(r.stdout) ?? ssh.hostKey;
    } finally {
      ssh.close();
    }
  }

  /** Hard reset (QMP system_reset) and wait until SSH answers again. */
  async reset(signal: AbortSignal): Promise<void> {
    await this.node?.close();
    await this.vm!.qmp!.execute('system_reset');
    (await this.waitSsh(signal, this.init.bootTimeoutMs)).close();
  }

  /** Power off: ACPI shutdown first (clean filesystem), then QMP quit, then SIGKILL. */
  async stop(graceful = true): Promise<void> {
    this.stoppedOnPurpose = true;
    await this.node?.close();
    const vm = this.vm;
    if (!vm) return;
    if (graceful && vm.running && vm.qmp && !vm.qmp.isClosed) {
      await vm.qmp.execute('system_powerdown').catch(() => {});
      await Promise.race([vm.exited, new Promise((r) => setTimeout(r, 60_000))]);
    }
    await vm.stop();
    vm.unregister();
  }

  /** Boots the existing overlay again (cold: a restored state would not match the disk anymore). */
  async start(signal: AbortSignal): Promise<void> {
    if (this.vm?.running) return;
    await this.launch(signal);
    this.stoppedOnPurpose = false;
    // The relaunch may have had to take another port; the node must follow it.
    const info = (this.node as { connectionInfo?: { port: number } } | undefined)?.connectionInfo;
    if (info) info.port = this.sshPort;
    (await this.waitSsh(signal, this.init.bootTimeoutMs)).close();
  }

  /** Immediate kill, for aborts and failed deploys. */
  async kill(): Promise<void> {
    this.vm?.kill();
    await this.vm?.stop(1_000);
    this.vm?.unregister();
  }

  async dispose(keepFiles: boolean): Promise<void> {
    await this.node?.close().catch(() => {});
    await this.kill();
    if (!keepFiles) {
      for (const f of [this.overlay, ...this.disks.map((d) => d.file)]) await rm(f, { force: true });
    }
  }
}

/** A host key pair for a warm clone, made on the host (ssh-keygen is slow in a TCG guest). */
type HostKeyPair = { privateKey: string; publicKey: string };

async function newHostKey(dir: string): Promise<HostKeyPair> {
  const file = join(dir, 'ssh_host_ed25519_key');
  await rm(file, { force: true });
  await rm(`${file}.pub`, { force: true });
  await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'root@lisa-guest', '-f', file]);
  const key = { privateKey: await readFile(file, 'utf8'), publicKey: await readFile(`${file}.pub`, 'utf8') };
  await rm(file, { force: true });
  return key;
}

/** After `-incoming`, the guest is paused once the state is loaded (it was saved stopped); resume it. */
export async function resumeIncoming(vm: QemuVm, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!vm.running) throw new Error(`qemu exited while loading the snapshot (${vm.exitDescription})`);
    const st = await vm.qmp!.execute<{ status: string }>('query-status');
    if (st.status === 'running') return;
    if (st.status !== 'inmigrate') {
      await vm.qmp!.execute('cont');
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`snapshot not loaded within ${timeoutMs / 1000} s`);
}
