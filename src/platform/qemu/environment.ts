import type { Node, NodeCapability } from '../../node/types.js';
import type { Environment, Feature } from '../types.js';
import { Disk, StartStop } from './features.js';
import { KernelBoot } from './kernel-boot.js';
import type { QemuGuest } from './guest.js';
import { SerialConsole } from './serial-console.js';

export const QEMU_FEATURES = ['SerialConsole', 'StartStop', 'Disk'] as const;

export class QemuEnvironment implements Environment {
  readonly platform = 'qemu';
  readonly features: readonly string[];
  readonly capabilities: NodeCapability[];
  broken?: string;
  private readonly featureMap: Map<string, Feature>;
  readonly serial: SerialConsole;
  signal: AbortSignal = new AbortController().signal;

  constructor(
    readonly id: string,
    readonly dir: string,
    readonly guests: QemuGuest[],
    cores: number,
    memoryMiB: number,
  ) {
    this.capabilities = guests.map(() => ({ cores, memoryMiB, dataDisks: 0, features: [...QEMU_FEATURES] }));
    this.serial = new SerialConsole(guests.map((g) => ({ name: g.init.name, serialLog: g.serialLog })));
    this.featureMap = new Map<string, Feature>([
      ['SerialConsole', this.serial],
      ['StartStop', new StartStop(guests, () => this.signal)],
      ['Disk', new Disk(guests, this.capabilities)],
    ]);
    // Only direct-boot guests have a boot entry lisa holds; a disk that boots itself has its own.
    const direct = guests.every((g) => g.init.spec.kernel);
    if (direct) this.featureMap.set('KernelBoot', new KernelBoot(guests, () => this.signal));
    this.features = direct ? [...QEMU_FEATURES, 'KernelBoot'] : QEMU_FEATURES;
  }

  get nodes(): readonly Node[] {
    return this.guests.map((g) => g.node!);
  }

  feature<T extends Feature>(name: string): T | undefined {
    return this.featureMap.get(name) as T | undefined;
  }

  /**
   * Called after every case: kernel defects printed on any serial console since the last call,
   * and VMs that died. A panicked guest cannot run more cases, so the environment is marked broken.
   */
  async checkHealth(): Promise<string | undefined> {
    const defects: string[] = [];
    const panic = this.serial.checkSinceLast();
    if (panic) defects.push(panic);
    for (const g of this.guests) {
      if (g.vm && !g.vm.running && !g.stoppedOnPurpose)
        defects.push(`VM of ${g.init.name} is gone (${g.vm.exitDescription})`);
    }
    if (defects.length === 0) return undefined;
    if (/Kernel panic|VM of .* is gone/.test(defects.join('\n')))
      this.broken ??= defects[0]!.split('\n').slice(0, 3).join(' ');
    return defects.join('\n');
  }

  /** How to reach each node by hand, for kept environments and logs. */
  describe(keyFile: string): string {
    return this.guests
      .map(
        (g) =>
          `${g.init.name}: ssh -i ${keyFile} -p ${g.sshPort} -o StrictHostKeyChecking=no ${g.init.username}@127.0.0.1 (pid ${g.vm?.pid}, serial ${g.serialLog})`,
      )
      .join('\n');
  }
}
