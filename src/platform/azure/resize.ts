import type { ResourceSku } from '@azure/arm-compute';
import type { Resize, ResizeRequest, ResizeResult } from '../types.js';
import { vmAddresses } from './addresses.js';
import { withArmRetry, type RetryOptions } from './errors.js';
import { pickMachine, waitSsh, type AzureMachine, type FeatureContext } from './features.js';
import { chooseResizeTarget } from './resize-target.js';
import { sizesIn } from './sizes.js';

const LRO = { updateIntervalInMs: 1_000 };

/**
 * Changes a VM's size through ARM, as LISA's Resize does: the target comes from the location's SKU
 * list (restricted sizes left out) and the VM's `vmSizes`; the VM's `hardwareProfile.vmSize` is
 * PATCHed (`virtualMachines.update`). A size the VM's hardware cluster does not offer needs a
 * deallocate first and a start after, as Azure requires; the public address is read again after
 * (it can change), and the node reconnects.
 */
export class AzureResize implements Resize {
  readonly name = 'Resize';
  constructor(
    private readonly c: FeatureContext,
    /** The location's SKU list, read once per run by the placer. */
    private readonly skus: (location: string) => Promise<ResourceSku[]>,
    /** Called after a resize of node `index` (the environment's reported size follows node 0). */
    private readonly onResized: (index: number, size: string) => void = () => {},
  ) {}

  private retry(): RetryOptions {
    return {
      signal: this.c.signal(),
      onRetry: (i, n, ms) =>
        this.c.log.warn(`azure: ${i.code ?? 'transient error'} (${i.message}); retry ${n} in ${ms} ms`),
    };
  }

  async resize(request: ResizeRequest = {}): Promise<ResizeResult> {
    const m = pickMachine(this.c, request.node);
    const vms = this.c.clients.compute.virtualMachines;
    const signal = this.c.signal();
    const o = { abortSignal: signal, ...LRO };
    const vm = await withArmRetry(`reading VM ${m.vm.name}`, () => vms.get(this.c.group, m.vm.name, o), this.retry());
    const oldSize = vm.hardwareProfile?.vmSize ?? '';
    const location = vm.location;
    const offered = sizesIn(await this.skus(location), location);
    const current = offered.find((s) => s.name.toLowerCase() === oldSize.toLowerCase());
    if (!current)
      throw new Error(`azure: cannot resize ${m.vm.name}: its size ${oldSize} is not listed in ${location}`);
    const inCluster = await withArmRetry(
      `listing the sizes ${m.vm.name} can be resized to`,
      async () => {
        const names: string[] = [];
        for await (const s of vms.listAvailableSizes(this.c.group, m.vm.name, { abortSignal: signal }))
          if (s.name) names.push(s.name);
        return names;
      },
      this.retry(),
    );
    const choice = chooseResizeTarget(current, offered, inCluster, request);
    if ('unmet' in choice)
      throw new Error(`azure: cannot resize ${m.vm.name} (${oldSize}, ${location}): needs ${choice.unmet}`);
    const newSize = choice.size.name;
    this.c.log.info(
      `azure: resizing ${m.vm.name} from ${oldSize} to ${newSize}` +
        (choice.deallocate ? ' (not offered on its current hardware: deallocate, update, start)' : ''),
    );
    m.stoppedOnPurpose = true;
    await m.node.close();
    if (choice.deallocate)
      await withArmRetry(
        `deallocating ${m.vm.name}`,
        () => vms.beginDeallocateAndWait(this.c.group, m.vm.name, o),
        this.retry(),
      );
    await withArmRetry(
      `resizing ${m.vm.name} to ${newSize}`,
      () => vms.beginUpdateAndWait(this.c.group, m.vm.name, { hardwareProfile: { vmSize: newSize } }, o),
      this.retry(),
    );
    if (choice.deallocate)
      await withArmRetry(
        `starting ${m.vm.name}`,
        () => vms.beginStartAndWait(this.c.group, m.vm.name, o),
        this.retry(),
      );
    await this.follow(m, await vms.get(this.c.group, m.vm.name, o));
    m.capability.cores = choice.size.cores;
    m.capability.memoryMiB = choice.size.memoryMiB;
    this.onResized(this.c.machines.indexOf(m), newSize);
    await waitSsh(this.c, m, `the resize to ${newSize}`);
    m.stoppedOnPurpose = false;
    return { node: m.node.name, oldSize, newSize, cores: choice.size.cores, memoryMiB: choice.size.memoryMiB };
  }

  /** A deallocated VM may come back at another public address: the node follows it. */
  private async follow(m: AzureMachine, vm: Parameters<typeof vmAddresses>[1]): Promise<void> {
    const { address } = await vmAddresses(this.c.clients, vm, this.c.signal());
    if (!address || address === m.vm.address) return;
    this.c.log.info(`azure: ${m.vm.name} has a new public address after the resize: ${address} (was ${m.vm.address})`);
    if (m.node.connectionInfo.address === m.vm.address) m.node.connectionInfo.address = address;
    m.vm.address = address;
  }
}
