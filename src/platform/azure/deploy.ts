import type { VirtualMachine } from '@azure/arm-compute';
import type { Logger } from '../../logging/logger.js';
import type { AzureClients } from './clients.js';
import { armError, withArmRetry } from './errors.js';
import { imageReference, managedImageFromVhd, type ImageSource } from './image-source.js';

export interface VmPlan {
  group: string;
  location: string;
  size: string;
  image: ImageSource;
  subscription: string;
  vhdGeneration: 'V1' | 'V2';
  nodes: number;
  adminUsername: string;
  publicKey: string;
  tags: Record<string, string>;
  provisionTimeoutMs: number;
}

export interface DeployedVm {
  name: string;
  address: string;
  privateAddress?: string;
}

/** Raised when a VM failed to provision; the platform collects its serial log before giving up. */
export class ProvisioningError extends Error {
  constructor(
    message: string,
    readonly vmName: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

const LRO = { updateIntervalInMs: 1_000 };

/**
 * The NSG allowing SSH and the VNet (whose subnet uses it), while every node's public IP is made
 * at the same time; then per node a NIC and the VM, nodes in parallel.
 */
export async function deployVms(c: AzureClients, p: VmPlan, log: Logger, signal: AbortSignal): Promise<DeployedVm[]> {
  const o = { abortSignal: signal, ...LRO };
  const retry = {
    signal,
    onRetry: (i: { code?: string; message: string }, n: number, ms: number) =>
      log.warn(`azure: ${i.code ?? 'transient error'} (${i.message}); retry ${n} in ${ms} ms`),
  };
  const { group, location, tags } = p;
  const network = (async () => {
    const nsg = await withArmRetry(
      'creating the network security group',
      () =>
        c.network.networkSecurityGroups.beginCreateOrUpdateAndWait(
          group,
          'lisa-nsg',
          {
            location,
            tags,
            securityRules: [
              {
                name: 'ssh',
                protocol: 'Tcp',
                access: 'Allow',
                direction: 'Inbound',
                priority: 100,
                sourceAddressPrefix: '*',
                sourcePortRange: '*',
                destinationAddressPrefix: '*',
                destinationPortRange: '22',
              },
            ],
          },
          o,
        ),
      retry,
    );
    const vnet = await withArmRetry(
      'creating the virtual network',
      () =>
        c.network.virtualNetworks.beginCreateOrUpdateAndWait(
          group,
          'lisa-vnet',
          {
            location,
            tags,
            addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
            subnets: [{ name: 'default', addressPrefix: '10.0.0.0/24', networkSecurityGroup: { id: nsg.id } }],
          },
          o,
        ),
      retry,
    );
    return { nsg, vnet };
  })();
  const publicIp = (name: string) =>
    withArmRetry(
      `creating the public IP of ${name}`,
      () =>
        c.network.publicIPAddresses.beginCreateOrUpdateAndWait(
          group,
          `${name}-ip`,
          {
            location,
            tags,
            publicIPAllocationMethod: 'Static',
            sku: { name: 'Standard' },
          },
          o,
        ),
      retry,
    );
  // A VHD becomes a managed image in the group first (LISA's template does the same); VMs boot from it.
  const vhd = p.image.kind === 'vhd' ? p.image : undefined;
  const managedImage = vhd
    ? withArmRetry(
        'creating the managed image from the VHD',
        () =>
          c.compute.images.beginCreateOrUpdateAndWait(
            group,
            'lisa-vhd-image',
            { ...managedImageFromVhd(vhd, location, p.vhdGeneration), tags },
            o,
          ),
        retry,
      )
    : Promise.resolve(undefined);
  const one = async (i: number): Promise<DeployedVm> => {
    const name = `node-${i}`;
    const [ip, { nsg, vnet }, image] = await Promise.all([publicIp(name), network, managedImage]);
    const subnetId = vnet.subnets?.[0]?.id;
    const nic = await withArmRetry(
      `creating the NIC of ${name}`,
      () =>
        c.network.networkInterfaces.beginCreateOrUpdateAndWait(
          group,
          `${name}-nic`,
          {
            location,
            tags,
            networkSecurityGroup: { id: nsg.id },
            ipConfigurations: [{ name: 'ipconfig1', subnet: { id: subnetId }, publicIPAddress: { id: ip.id } }],
          },
          o,
        ),
      retry,
    );
    const vm: VirtualMachine = {
      location,
      tags,
      hardwareProfile: { vmSize: p.size },
      storageProfile: {
        imageReference: imageReference(p.image, p.subscription, image?.id),
        osDisk: {
          createOption: 'FromImage',
          name: `${name}-osdisk`,
          managedDisk: { storageAccountType: 'Standard_LRS' },
          deleteOption: 'Delete',
        },
      },
      osProfile: {
        computerName: name,
        adminUsername: p.adminUsername,
        linuxConfiguration: {
          disablePasswordAuthentication: true,
          ssh: { publicKeys: [{ path: `/home/${p.adminUsername}/.ssh/authorized_keys`, keyData: p.publicKey }] },
        },
      },
      networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
      diagnosticsProfile: { bootDiagnostics: { enabled: true } },
    };
    // Given up after the timeout: the SDK stops polling too.
    const giveUp = new AbortController();
    const vmOptions = { ...o, abortSignal: AbortSignal.any([signal, giveUp.signal]) };
    try {
      await withTimeout(
        withArmRetry(
          `creating VM ${name}`,
          () => c.compute.virtualMachines.createOrUpdate(group, name, vm, vmOptions),
          retry,
        ),
        p.provisionTimeoutMs,
        `VM ${name} did not finish provisioning within ${p.provisionTimeoutMs / 1000} s`,
      ).catch((e: unknown) => {
        giveUp.abort();
        throw e;
      });
    } catch (e) {
      throw new ProvisioningError((e as Error).message, name, (e as { code?: string }).code ?? armError(e).code);
    }
    // A static IP and the NIC's private IP are assigned when they are created; read again only if not.
    const [address, privateAddress] = await Promise.all([
      ip.ipAddress ??
        c.network.publicIPAddresses.get(group, `${name}-ip`, { abortSignal: signal }).then((a) => a.ipAddress),
      nic.ipConfigurations?.[0]?.privateIPAddress ??
        c.network.networkInterfaces
          .get(group, `${name}-nic`, { abortSignal: signal })
          .then((n) => n.ipConfigurations?.[0]?.privateIPAddress),
    ]);
    if (!address) throw new Error(`azure: VM ${name} has no public IP address`);
    return { name, address, privateAddress };
  };
  const settled = await Promise.allSettled(Array.from({ length: p.nodes }, (_, i) => one(i)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<DeployedVm>).value);
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
  ]);
}
