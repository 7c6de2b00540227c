import type { Node, NodeCapability } from '../../node/types.js';
import type { Environment, Feature } from '../types.js';
import type { DeployedVm } from './deploy.js';

export const AZURE_FEATURES: readonly string[] = [];

/** One resource group's VMs, reached over SSH at their public addresses. */
export class AzureEnvironment implements Environment {
  readonly platform = 'azure';
  readonly features = AZURE_FEATURES;
  readonly capabilities: NodeCapability[];
  broken?: string;
  private readonly featureMap = new Map<string, Feature>();

  constructor(
    readonly id: string,
    /** The resource group holding everything of this environment. */
    readonly group: string,
    /** False for a group the runbook named: it is never deleted. */
    readonly ownsGroup: boolean,
    readonly vms: DeployedVm[],
    readonly nodes: readonly Node[],
    size: { name: string; cores: number; memoryMiB: number; maxDataDisks: number },
  ) {
    this.capabilities = vms.map(() => ({
      cores: size.cores,
      memoryMiB: size.memoryMiB,
      dataDisks: 0,
      features: [...AZURE_FEATURES],
    }));
  }

  feature<T extends Feature>(name: string): T | undefined {
    return this.featureMap.get(name) as T | undefined;
  }
}
