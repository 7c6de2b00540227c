import type { ResourceSku } from '@azure/arm-compute';
import type { SshNode } from '../../node/ssh-node.js';
import type { Node, NodeCapability } from '../../node/types.js';
import type { Environment, Feature } from '../types.js';
import type { DeployedVm } from './deploy.js';
import { AzureDisk, AzureStartStop, type AzureMachine, type FeatureContext } from './features.js';
import { AzureResize } from './resize.js';
import type { AzureSerialConsole } from './serial-console.js';

export const AZURE_FEATURES: readonly string[] = ['SerialConsole', 'StartStop', 'Disk', 'Resize'];

/** One resource group's VMs, reached over SSH at their public addresses. */
export class AzureEnvironment implements Environment {
  readonly platform = 'azure';
  readonly features = AZURE_FEATURES;
  readonly capabilities: NodeCapability[];
  readonly nodes: readonly Node[];
  readonly machines: AzureMachine[];
  /** Node 0's size; a resize changes it. */
  vmSize: string;
  broken?: string;
  /** The case's signal while one runs; features stop waiting when it fires. */
  signal: AbortSignal = new AbortController().signal;
  private readonly featureMap: Map<string, Feature>;

  constructor(
    readonly id: string,
    /** The resource group holding everything of this environment. */
    readonly group: string,
    /** False for a group the runbook named: it is never deleted. */
    readonly ownsGroup: boolean,
    readonly vms: DeployedVm[],
    nodes: SshNode[],
    size: { name: string; cores: number; memoryMiB: number },
    readonly serial: AzureSerialConsole,
    ctx: Omit<FeatureContext, 'machines' | 'signal' | 'group'> & {
      /** The location's SKU list, for Resize. */
      skus: (location: string) => Promise<ResourceSku[]>;
    },
    readonly image: string,
  ) {
    this.nodes = nodes;
    this.vmSize = size.name;
    this.capabilities = vms.map(() => ({
      cores: size.cores,
      memoryMiB: size.memoryMiB,
      dataDisks: 0,
      features: [...AZURE_FEATURES],
    }));
    this.machines = vms.map((vm, i) => ({ vm, node: nodes[i]!, capability: this.capabilities[i]! }));
    const fctx: FeatureContext = { ...ctx, group, machines: this.machines, signal: () => this.signal };
    this.featureMap = new Map<string, Feature>([
      ['SerialConsole', serial],
      ['StartStop', new AzureStartStop(fctx)],
      ['Disk', new AzureDisk(fctx)],
      ['Resize', new AzureResize(fctx, ctx.skus, (i, s) => i === 0 && (this.vmSize = s))],
    ]);
  }

  feature<T extends Feature>(name: string): T | undefined {
    return this.featureMap.get(name) as T | undefined;
  }

  /**
   * Called after every case: the serial logs are fetched again and scanned for kernel defects
   * printed since the last call. A panicked VM cannot run more cases, so the environment is broken.
   */
  async checkHealth(): Promise<string | undefined> {
    await this.serial.refresh();
    const panic = this.serial.checkSinceLast();
    if (!panic) return undefined;
    if (/Kernel panic/.test(panic)) this.broken ??= panic.split('\n').slice(0, 3).join(' ');
    return panic;
  }
}
