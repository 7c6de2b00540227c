import type { ResourceSku, VirtualMachine } from '@azure/arm-compute';
import { join } from 'node:path';
import { FileSink } from '../../logging/logger.js';
import { SshNode } from '../../node/ssh-node.js';
import type { Requirement } from '../../testing/types.js';
import type { Match, PlatformContext } from '../types.js';
import { vmAddresses } from './addresses.js';
import type { AzureClients } from './clients.js';
import type { DeployedVm } from './deploy.js';
import { AzureEnvironment } from './environment.js';
import { armError, withArmRetry } from './errors.js';
import type { AzureOptions } from './options.js';
import { AzureSerialConsole } from './serial-console.js';
import { sizesIn, type VmSizeInfo } from './sizes.js';

interface FoundVm {
  vm: DeployedVm;
  adminUsername: string;
  size: VmSizeInfo;
  image: string;
}

/** What a VM was made from, for reports: marketplace URN, or the gallery / image id. */
function imageOf(vm: VirtualMachine): string {
  const r = vm.storageProfile?.imageReference;
  if (!r) return 'unknown image';
  if (r.publisher) return `${r.publisher} ${r.offer} ${r.sku} ${r.exactVersion ?? r.version}`;
  return r.communityGalleryImageId ?? r.sharedGalleryImageId ?? r.id ?? 'unknown image';
}

/**
 * `resource_group_name` with `deploy: false` (LISA's key): the VMs already in the group are one
 * environment, leased to one case at a time. Nothing is created in the group and nothing of it is
 * deleted: not on release, not at the end, not on Ctrl-C, and `lisa reap` leaves it alone too.
 */
export class ExistingGroup {
  private found: FoundVm[] = [];
  private leased = false;
  private counter = 0;

  constructor(
    private readonly clients: AzureClients,
    private readonly o: AzureOptions,
    private readonly skus: (location: string) => Promise<ResourceSku[]>,
    private readonly ca: string | undefined,
  ) {}

  get group(): string {
    return this.o.resourceGroupName!;
  }

  /** Lists the group's VMs once, at prepare: a missing or empty group stops the run with one line. */
  async load(ctx: PlatformContext): Promise<void> {
    const where = `resource group ${this.group} (resource_group_name, deploy: false)`;
    const vms = await withArmRetry(
      `listing the VMs of ${where}`,
      async () => {
        const out: VirtualMachine[] = [];
        for await (const vm of this.clients.compute.virtualMachines.list(this.group, { abortSignal: ctx.signal }))
          out.push(vm);
        return out;
      },
      { signal: ctx.signal },
    );
    if (!vms.length) throw new Error(`azure: ${where} has no VMs; deploy: false runs on the VMs already there`);
    this.found = await Promise.all(
      vms
        .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
        .map(async (vm) => {
          const name = vm.name ?? '';
          const { address, privateAddress } = await vmAddresses(this.clients, vm, ctx.signal).catch((e: unknown) => {
            throw new Error(`azure: cannot read the addresses of VM ${name} in ${this.group}: ${armError(e).message}`);
          });
          const reach = this.o.usePublicAddress ? address : (privateAddress ?? address);
          if (!reach) throw new Error(`azure: VM ${name} in ${this.group} has no public IP address`);
          const sizeName = vm.hardwareProfile?.vmSize ?? '';
          const size = sizesIn(await this.skus(vm.location), vm.location).find(
            (s) => s.name.toLowerCase() === sizeName.toLowerCase(),
          ) ?? {
            name: sizeName,
            family: '',
            cores: 0,
            memoryMiB: 0,
            maxDataDisks: 0,
            maxNics: 1,
            architecture: 'x64',
            generations: [],
          };
          return {
            vm: { name, address: address ?? reach, privateAddress },
            adminUsername: vm.osProfile?.adminUsername ?? this.o.adminUsername,
            size,
            image: imageOf(vm),
          };
        }),
    );
    ctx.log.info(
      `azure: using ${this.found.length} existing VM(s) of ${this.group}: ` +
        this.found.map((f) => `${f.vm.name} (${f.size.name}) ${f.vm.address}`).join(', '),
    );
  }

  /** The group's VMs can serve a case when there are enough of them and the smallest is big enough. */
  match(req: Requirement): Match {
    const nodes = req.nodes ?? 1;
    if (nodes > this.found.length)
      return { ok: false, unmet: `${nodes} nodes (resource group ${this.group} has ${this.found.length} VMs)` };
    const use = this.found.slice(0, nodes);
    const cores = Math.max(req.minCores ?? 0, this.o.minCores);
    const small = use.find((f) => f.size.cores < cores);
    if (small) return { ok: false, unmet: `${cores} cores (${small.vm.name} in ${this.group} is ${small.size.name})` };
    const memory = Math.max(req.minMemoryMiB ?? 0, this.o.minMemoryMiB);
    const tight = use.find((f) => f.size.memoryMiB < memory);
    if (tight)
      return { ok: false, unmet: `${memory} MiB memory (${tight.vm.name} in ${this.group} is ${tight.size.name})` };
    return { ok: true };
  }

  /** The environment of the group's first `nodes` VMs, or undefined while a case has it. */
  lease(req: Requirement, ctx: PlatformContext, privateKeyFile: string): AzureEnvironment | undefined {
    if (this.leased) return undefined;
    this.leased = true;
    const id = `azure-existing${++this.counter}`;
    const use = this.found.slice(0, req.nodes ?? 1);
    const nodes = use.map(
      (f) =>
        new SshNode({
          name: `${this.group}-${f.vm.name}`,
          log: ctx.log.child(
            `${this.group}-${f.vm.name}`,
            [new FileSink(join(ctx.runDir, 'nodes', `${id}-${f.vm.name}.log`))],
            {
              quiet: true,
            },
          ),
          masker: ctx.masker,
          connectTimeoutMs: 180_000,
          connection: {
            address: this.o.usePublicAddress ? f.vm.address : (f.vm.privateAddress ?? f.vm.address),
            port: 22,
            username: f.adminUsername,
            privateKeyFile,
            ...(ctx.jumpHosts?.length ? { jumpHosts: ctx.jumpHosts } : {}),
          },
        }),
    );
    const serial = new AzureSerialConsole(
      this.clients,
      use.map((f) => ({
        name: `${this.group}-${f.vm.name}`,
        group: this.group,
        vm: f.vm.name,
        file: join(ctx.runDir, 'azure', id, `${f.vm.name}.serial.log`),
      })),
      this.ca,
      ctx.log,
    );
    // Copies: a StartStop or Resize in one case must not leak its view of the VM into the next lease.
    const vms = use.map((f) => ({ ...f.vm }));
    const env = new AzureEnvironment(
      id,
      this.group,
      false,
      vms,
      nodes,
      use[0]!.size,
      serial,
      { clients: this.clients, log: ctx.log, bootTimeoutMs: 300_000, skus: this.skus },
      use[0]!.image,
    );
    env.signal = ctx.signal;
    return env;
  }

  /** Back to the pool; the VMs stay as they are (addresses refreshed, in case a case moved them). */
  giveBack(env: AzureEnvironment): void {
    for (const vm of env.vms) {
      const f = this.found.find((x) => x.vm.name === vm.name);
      if (f) f.vm = { ...vm };
    }
    this.leased = false;
  }
}
