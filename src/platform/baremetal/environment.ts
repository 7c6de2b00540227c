import type { Node, NodeCapability } from '../../node/types.js';
import { SerialConsole } from '../qemu/serial-console.js';
import type { Environment, Feature } from '../types.js';
import type { Machine } from './machine.js';

export const BAREMETAL_FEATURES = ['SerialConsole', 'StartStop'] as const;

/** Power control through the BMC; the Node reconnects by itself once SSH is back. */
export class BmcStartStop implements Feature {
  readonly name = 'StartStop';
  constructor(
    private readonly env: BaremetalEnvironment,
    private readonly signal: () => AbortSignal,
  ) {}

  /** Powers the machine off through the BMC (there is no gentler switch on a BMC that all servers share). */
  async stop(): Promise<void> {
    await this.env.node.close().catch(() => undefined);
    await this.env.machine.powerDown(this.signal());
  }

  /** Powers it on (same boot device as the deploy) and waits for SSH. */
  async start(): Promise<void> {
    await this.env.machine.powerUp(this.signal());
  }

  /** Power cycle through the BMC, then waits for SSH. */
  async restart(): Promise<void> {
    await this.env.node.close().catch(() => undefined);
    await this.env.machine.cycle(this.signal());
  }
}

/** One leased server as an environment of one node. */
export class BaremetalEnvironment implements Environment {
  readonly platform = 'baremetal';
  readonly features: readonly string[];
  capabilities: NodeCapability[];
  broken?: string;
  signal: AbortSignal = new AbortController().signal;
  readonly serial: SerialConsole;
  private readonly featureMap: Map<string, Feature>;

  constructor(
    readonly id: string,
    readonly machine: Machine,
    readonly node: Node,
    capability: NodeCapability,
    serialLog: string,
  ) {
    this.features = [...new Set([...BAREMETAL_FEATURES, ...capability.features])];
    this.capabilities = [{ ...capability, features: [...this.features] }];
    this.serial = new SerialConsole([{ name: machine.name, serialLog }]);
    this.featureMap = new Map<string, Feature>([
      ['SerialConsole', this.serial],
      ['StartStop', new BmcStartStop(this, () => this.signal)],
    ]);
  }

  get nodes(): readonly Node[] {
    return [this.node];
  }

  feature<T extends Feature>(name: string): T | undefined {
    return this.featureMap.get(name) as T | undefined;
  }

  /** Kernel defects the console showed since the last case; a panicked server cannot go on. */
  async checkHealth(): Promise<string | undefined> {
    const panic = this.serial.checkSinceLast();
    if (!panic) return undefined;
    if (/Kernel panic/.test(panic)) this.broken ??= panic.split('\n').slice(0, 3).join(' ');
    return panic;
  }
}
