import type { DataDisk, VirtualMachine } from '@azure/arm-compute';
import type { Logger } from '../../logging/logger.js';
import type { SshNode } from '../../node/ssh-node.js';
import type { NodeCapability } from '../../node/types.js';
import type { AttachedDisk, NodeRef } from '../qemu/features.js';
import type { Feature } from '../types.js';
import type { AzureClients } from './clients.js';
import type { DeployedVm } from './deploy.js';
import { vmAddresses } from './addresses.js';
import { withArmRetry, type RetryOptions } from './errors.js';

/** One VM of an environment with the node that reaches it. */
export interface AzureMachine {
  vm: DeployedVm;
  node: SshNode;
  capability: NodeCapability;
  /** Set while StartStop has it deallocated, so health checks do not call it a crash. */
  stoppedOnPurpose?: boolean;
}

export interface FeatureContext {
  clients: AzureClients;
  group: string;
  machines: AzureMachine[];
  log: Logger;
  signal: () => AbortSignal;
  /** Time for SSH to answer again after a start or restart. */
  bootTimeoutMs: number;
}

const LRO = { updateIntervalInMs: 1_000 };

export function pickMachine(c: FeatureContext, ref: NodeRef): AzureMachine {
  const m =
    typeof ref === 'string' ? c.machines.find((x) => x.node.name === ref || x.vm.name === ref) : c.machines[ref ?? 0];
  if (!m)
    throw new Error(
      `no node ${String(ref)} in this environment (nodes: ${c.machines.map((x) => x.node.name).join(', ')})`,
    );
  return m;
}

function retry(c: FeatureContext): RetryOptions {
  return {
    signal: c.signal(),
    onRetry: (i, n, ms) => c.log.warn(`azure: ${i.code ?? 'transient error'} (${i.message}); retry ${n} in ${ms} ms`),
  };
}

export async function waitSsh(c: FeatureContext, m: AzureMachine, what: string): Promise<void> {
  await m.node.close();
  if (!(await m.node.isAlive(c.bootTimeoutMs)))
    throw new Error(`azure: ${m.vm.name} did not answer over SSH within ${c.bootTimeoutMs / 1000} s after ${what}`);
}

/**
 * Power control through ARM: stop deallocates (the VM stops costing and loses its host), start
 * boots it again, restart resets it. The Node objects stay valid: after a start the public address
 * is read again (a dynamic IP can change) and the node reconnects to it.
 */
export class AzureStartStop implements Feature {
  readonly name = 'StartStop';
  constructor(private readonly c: FeatureContext) {}

  /** Deallocates the VM; `graceful: false` powers it off without a guest shutdown first. */
  async stop(node?: NodeRef, options: { graceful?: boolean } = {}): Promise<void> {
    const m = pickMachine(this.c, node);
    const vms = this.c.clients.compute.virtualMachines;
    const o = { abortSignal: this.c.signal(), ...LRO };
    m.stoppedOnPurpose = true;
    await m.node.close();
    if (options.graceful === false)
      await withArmRetry(
        `powering off ${m.vm.name}`,
        () => vms.beginPowerOffAndWait(this.c.group, m.vm.name, { ...o, skipShutdown: true }),
        retry(this.c),
      );
    await withArmRetry(
      `deallocating ${m.vm.name}`,
      () => vms.beginDeallocateAndWait(this.c.group, m.vm.name, o),
      retry(this.c),
    );
  }

  async start(node?: NodeRef): Promise<void> {
    const m = pickMachine(this.c, node);
    const { compute } = this.c.clients;
    await withArmRetry(
      `starting ${m.vm.name}`,
      () =>
        compute.virtualMachines.beginStartAndWait(this.c.group, m.vm.name, { abortSignal: this.c.signal(), ...LRO }),
      retry(this.c),
    );
    const vm = await compute.virtualMachines.get(this.c.group, m.vm.name, { abortSignal: this.c.signal() });
    const { address } = await vmAddresses(this.c.clients, vm, this.c.signal());
    if (address && address !== m.vm.address) {
      this.c.log.info(`azure: ${m.vm.name} has a new public address after start: ${address} (was ${m.vm.address})`);
      m.vm.address = address;
      if (m.node.connectionInfo.address !== m.vm.privateAddress) m.node.connectionInfo.address = address;
    }
    await waitSsh(this.c, m, 'start');
    m.stoppedOnPurpose = false;
  }

  async restart(node?: NodeRef): Promise<void> {
    const m = pickMachine(this.c, node);
    await m.node.close();
    await withArmRetry(
      `restarting ${m.vm.name}`,
      () =>
        this.c.clients.compute.virtualMachines.beginRestartAndWait(this.c.group, m.vm.name, {
          abortSignal: this.c.signal(),
          ...LRO,
        }),
      retry(this.c),
    );
    await waitSsh(this.c, m, 'restart');
  }
}

/** Block devices the guest has now, to tell which one a new data disk is (real Azure adds a LUN link too). */
const LIST = `ls /sys/block | grep -Ev '^(loop|ram|dm-|sr|zram|nbd|md)' | tr '\\n' ' '`;

/**
 * Managed data disks added to and removed from a running VM by updating it through ARM (conflicts
 * retried). The guest device is found by its LUN link when the image has Azure's udev rules,
 * otherwise as the block device that appeared.
 */
export class AzureDisk implements Feature {
  readonly name = 'Disk';
  private readonly disks = new Map<AzureMachine, (AttachedDisk & { lun: number })[]>();
  private queue = new Map<AzureMachine, Promise<unknown>>();

  constructor(private readonly c: FeatureContext) {}

  /** One VM update at a time per VM: ARM refuses concurrent writes anyway. */
  private serial<T>(m: AzureMachine, fn: () => Promise<T>): Promise<T> {
    const run = (this.queue.get(m) ?? Promise.resolve()).then(fn, fn);
    this.queue.set(
      m,
      run.catch(() => {}),
    );
    return run;
  }

  private async update(m: AzureMachine, what: string, change: (disks: DataDisk[]) => DataDisk[]): Promise<void> {
    const vms = this.c.clients.compute.virtualMachines;
    await withArmRetry(
      what,
      async () => {
        const vm: VirtualMachine = await vms.get(this.c.group, m.vm.name, { abortSignal: this.c.signal() });
        const storageProfile = { ...vm.storageProfile, dataDisks: change(vm.storageProfile?.dataDisks ?? []) };
        await vms.beginCreateOrUpdateAndWait(
          this.c.group,
          m.vm.name,
          { ...vm, storageProfile },
          {
            abortSignal: this.c.signal(),
            ...LRO,
          },
        );
      },
      retry(this.c),
    );
  }

  async add(sizeGiB: number, node?: NodeRef): Promise<AttachedDisk> {
    const m = pickMachine(this.c, node);
    return this.serial(m, async () => {
      const before = (await m.node.execute(LIST, { timeoutMs: 30_000 })).stdout.trim();
      let lun = 0;
      await this.update(m, `attaching a ${sizeGiB} GiB data disk to ${m.vm.name}`, (disks) => {
        const used = new Set(disks.map((d) => d.lun));
        while (used.has(lun)) lun++;
        return [
          ...disks,
          {
            lun,
            name: `${m.vm.name}-data-${lun}`,
            createOption: 'Empty',
            diskSizeGB: sizeGiB,
            managedDisk: { storageAccountType: 'Standard_LRS' },
            deleteOption: 'Delete',
          },
        ];
      });
      const device = await this.waitDevice(m, lun, before);
      const disk = { id: `lun${lun}`, serial: `${m.vm.name}-data-${lun}`, sizeGiB, device, lun };
      this.disks.set(m, [...(this.disks.get(m) ?? []), disk]);
      m.capability.dataDisks++;
      return { id: disk.id, serial: disk.serial, sizeGiB, device };
    });
  }

  private async waitDevice(m: AzureMachine, lun: number, before: string): Promise<string> {
    const script = [
      `before=' ${before} '`,
      'for i in $(seq 600); do',
      `  l=/dev/disk/azure/scsi1/lun${lun}; [ -e $l ] && exec readlink -f $l`,
      `  for n in $(${LIST}); do case "$before" in *" $n "*) ;; *) echo /dev/$n; exit 0 ;; esac; done`,
      '  sleep 0.1',
      'done; exit 1',
    ].join('\n');
    const r = await m.node.execute(script, { timeoutMs: 90_000 });
    if (r.exitCode !== 0) throw new Error(`azure: data disk LUN ${lun} did not appear in ${m.vm.name} within 60 s`);
    return r.stdout.trim();
  }

  async remove(id: string, node?: NodeRef): Promise<void> {
    const m = pickMachine(this.c, node);
    return this.serial(m, async () => {
      const list = this.disks.get(m) ?? [];
      const disk = list.find((d) => d.id === id);
      if (!disk)
        throw new Error(`no data disk ${id} on ${m.node.name} (has ${list.map((d) => d.id).join(', ') || 'none'})`);
      await this.update(m, `detaching data disk LUN ${disk.lun} from ${m.vm.name}`, (disks) =>
        disks.filter((d) => d.lun !== disk.lun),
      );
      const dev = disk.device.replace(/^\/dev\//, '');
      const r = await m.node.execute(
        `for i in $(seq 600); do [ -e /sys/block/${dev} ] || exit 0; sleep 0.1; done; exit 1`,
        { timeoutMs: 90_000 },
      );
      if (r.exitCode !== 0)
        throw new Error(`azure: ${disk.device} was still present in ${m.vm.name} 60 s after detach`);
      this.disks.set(
        m,
        list.filter((d) => d !== disk),
      );
      m.capability.dataDisks--;
    });
  }

  list(node?: NodeRef): { id: string; serial: string; sizeGiB: number }[] {
    return (this.disks.get(pickMachine(this.c, node)) ?? []).map(({ id, serial, sizeGiB }) => ({
      id,
      serial,
      sizeGiB,
    }));
  }
}
