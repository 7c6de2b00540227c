import type { Node, NodeCapability } from '../../node/types.js';
import { SerialConsole } from '../qemu/serial-console.js';
import type { Environment, Feature } from '../types.js';
import type { HypervVm } from './vm.js';

export const HYPERV_FEATURES = ['SerialConsole', 'StartStop', 'Disk'] as const;

class VmStartStop implements Feature {
  readonly name = 'StartStop';
  constructor(private readonly env: HypervEnvironment) {}
  async stop(_node?: unknown, options: { graceful?: boolean } = {}): Promise<void> {
    await this.env.node.close().catch(() => undefined);
    await this.env.vm.stop(options.graceful ?? true);
  }
  async start(): Promise<void> {
    await this.env.vm.start(this.env.signal);
  }
  async restart(): Promise<void> {
    await this.env.node.close().catch(() => undefined);
    await this.env.vm.restart(this.env.signal);
  }
}

/** Data disks: New-VHD + Add-VMHardDiskDrive (SCSI, hot-added), removed with the VM or on demand. */
class VmDisk implements Feature {
  readonly name = 'Disk';
  constructor(private readonly env: HypervEnvironment) {}
  async add(sizeGiB: number): Promise<{ id: string; sizeGiB: number; device: string }> {
    const before = await this.devices();
    const id = await this.env.vm.addDisk(sizeGiB);
    this.env.capabilities[0]!.dataDisks++;
    for (let i = 0; i < 300; i++) {
      const now = await this.devices();
      const added = now.find((d) => !before.includes(d));
      if (added) return { id, sizeGiB, device: added };
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`hot-added disk ${id} did not appear in ${this.env.node.name} within 60 s`);
  }
  async remove(id: string): Promise<void> {
    await this.env.vm.removeDisk(id);
    this.env.capabilities[0]!.dataDisks--;
  }
  list(): { id: string; sizeGiB: number }[] {
    return this.env.vm.disks.map(({ id, sizeGiB }) => ({ id, sizeGiB }));
  }
  private async devices(): Promise<string[]> {
    const r = await this.env.node.execute('lsblk -dnpo NAME,TYPE | awk \'$2=="disk"{print $1}\'', {
      timeoutMs: 30_000,
    });
    return r.stdout.split('\n').filter(Boolean);
  }
}

export class HypervEnvironment implements Environment {
  readonly platform = 'hyperv';
  readonly features: readonly string[] = HYPERV_FEATURES;
  readonly capabilities: NodeCapability[];
  broken?: string;
  signal: AbortSignal = new AbortController().signal;
  readonly serial: SerialConsole;
  private readonly featureMap: Map<string, Feature>;

  constructor(
    readonly id: string,
    readonly vm: HypervVm,
    readonly node: Node,
    cores: number,
    memoryMiB: number,
  ) {
    this.capabilities = [{ cores, memoryMiB, dataDisks: 0, features: [...HYPERV_FEATURES] }];
    this.serial = new SerialConsole([{ name: vm.name, serialLog: vm.serialLog }]);
    this.featureMap = new Map<string, Feature>([
      ['SerialConsole', this.serial],
      ['StartStop', new VmStartStop(this)],
      ['Disk', new VmDisk(this)],
    ]);
  }

  get nodes(): readonly Node[] {
    return [this.node];
  }

  feature<T extends Feature>(name: string): T | undefined {
    return this.featureMap.get(name) as T | undefined;
  }

  async checkHealth(): Promise<string | undefined> {
    const panic = this.serial.checkSinceLast();
    if (panic && /Kernel panic/.test(panic)) this.broken ??= panic.split('\n').slice(0, 3).join(' ');
    return panic;
  }
}
