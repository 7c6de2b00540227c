import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { basename } from 'node:path';
import { waitForSshLogin } from '../baremetal/ssh-ready.js';
import { consolePanic, consoleSize } from '../console-log.js';
import { steps, type VmSpec } from './cmdlets.js';
import type { HyperVHost } from './host.js';

export interface GuestLogin {
  username: string;
  privateKeyFile?: string;
  password?: string;
  port: number;
}

/** One VM on the Hyper-V host, from the image copy to Remove-VM. */
export class HypervVm {
  address: string | undefined;
  hostKey: string | undefined;
  readonly disks: { id: string; path: string; sizeGiB: number }[] = [];
  private console: { stop(): void } | undefined;
  private out: WriteStream | undefined;
  private diskCounter = 0;
  created = false;

  constructor(
    private readonly host: HyperVHost,
    readonly spec: VmSpec,
    private readonly image: string,
    readonly serialLog: string,
    private readonly guest: GuestLogin,
    private readonly bootTimeoutMs: number,
    private readonly log: (line: string) => void,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** One step on the host, named with this VM so that a refused cmdlet says which VM it was for. */
  private run(step: string, script: string, signal?: AbortSignal): Promise<string> {
    return this.host.run(`${step} of ${this.name}`, script, signal);
  }

  /** Ctrl-C is honoured between steps: a half-run New-VM would leave a VM that cleanup cannot see. */
  private checkAborted(signal: AbortSignal, after: string): void {
    if (signal.aborted) throw new Error(`${this.name}: interrupted after ${after}`);
  }

  /** Copies the image, creates and starts the VM, captures COM1, and waits for SSH. */
  async create(signal: AbortSignal): Promise<void> {
    this.checkAborted(signal, 'nothing');
    this.created = true;
    await this.run('New-Item (VM directory)', steps.makeDir(this.spec.dir));
    this.checkAborted(signal, 'New-Item');
    const t = Date.now();
    await this.host.upload(this.image, this.spec.vhd, `copy image to ${this.name}`, signal);
    this.log(`${this.name}: copied ${basename(this.image)} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    this.checkAborted(signal, 'copying the image');
    await this.run('New-VM', steps.newVm(this.spec));
    this.checkAborted(signal, 'New-VM');
    await this.boot(signal);
  }

  private async boot(signal: AbortSignal): Promise<void> {
    const consoleFrom = consoleSize(this.serialLog);
    await this.run('Start-VM', steps.startVm(this.name));
    this.checkAborted(signal, 'Start-VM');
    await this.captureConsole();
    await this.waitReady(signal, consoleFrom);
  }

  private async captureConsole(): Promise<void> {
    this.console?.stop();
    this.out ??= createWriteStream(this.serialLog, { flags: 'a' });
    const out = this.out;
    this.console = await this.host.stream(`read COM1 of ${this.name}`, steps.readComPort(this.spec.pipe), (d) =>
      out.write(d),
    );
  }

  /** Address from the adapter, then SSH; a kernel panic on COM1 after `consoleFrom` ends the wait. */
  private async waitReady(signal: AbortSignal, consoleFrom: number): Promise<void> {
    const panicked = (): string | undefined => {
      const p = consolePanic(this.serialLog, consoleFrom);
      return p && `COM1 shows: ${p}`;
    };
    const deadline = Date.now() + this.bootTimeoutMs;
    let address = '';
    while (!address) {
      if (signal.aborted) throw new Error(`${this.name}: aborted while waiting for an address`);
      const panic = panicked();
      if (panic) throw new Error(`${this.name}: the kernel panicked before the VM reported an address; ${panic}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name}: no IPv4 address on its network adapter within ${this.bootTimeoutMs / 1000} s`);
      address = await this.run('Get-VMNetworkAdapter', steps.address(this.name), signal);
      if (!address) await new Promise((r) => setTimeout(r, 2_000));
    }
    this.address = address;
    const g = this.guest;
    try {
      this.hostKey = await waitForSshLogin(
        {
          host: address,
          port: g.port,
          username: g.username,
          privateKey: g.privateKeyFile ? readFileSync(g.privateKeyFile, 'utf8') : undefined,
          password: g.password,
        },
        {
          timeoutMs: Math.max(10_000, deadline - Date.now()),
          signal,
          stage: () => `VM ${this.name} booting at ${address}`,
          panicked,
        },
      );
    } catch (e) {
      throw new Error(`${this.name}: ${(e as Error).message}`);
    }
  }

  async stop(graceful: boolean): Promise<void> {
    await this.run('Stop-VM', steps.stopVm(this.name, graceful));
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.boot(signal);
  }

  async restart(signal: AbortSignal): Promise<void> {
    const consoleFrom = consoleSize(this.serialLog);
    await this.run('Restart-VM', steps.restartVm(this.name));
    this.checkAborted(signal, 'Restart-VM');
    await this.captureConsole();
    await this.waitReady(signal, consoleFrom);
  }

  async addDisk(sizeGiB: number): Promise<string> {
    const id = `data${++this.diskCounter}`;
    const path = `${this.spec.dir}\\${this.name}-${id}.vhdx`;
    await this.run('New-VHD + Add-VMHardDiskDrive', steps.addDisk(this.name, path, sizeGiB));
    this.disks.push({ id, path, sizeGiB });
    return id;
  }

  async removeDisk(id: string): Promise<void> {
    const i = this.disks.findIndex((d) => d.id === id);
    if (i < 0) throw new Error(`no data disk ${id} on ${this.name}`);
    await this.run('Remove-VMHardDiskDrive', steps.removeDisk(this.name, this.disks[i]!.path));
    this.disks.splice(i, 1);
  }

  /** Remove-VM and the VM's files; safe on a half-made VM. */
  async remove(): Promise<void> {
    this.console?.stop();
    this.console = undefined;
    if (this.created) await this.run('Remove-VM', steps.removeVm(this.name, this.spec.dir));
    this.created = false;
    await new Promise<void>((r) => (this.out ? this.out.end(() => r()) : r()));
    this.out = undefined;
  }
}
