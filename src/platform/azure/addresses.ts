import type { VirtualMachine } from '@azure/arm-compute';
import type { AzureClients } from './clients.js';

/** `.../resourceGroups/<rg>/providers/<ns>/<type>/<name>` → its group and name. */
export function parseResourceId(id: string): { group: string; name: string } | undefined {
  const m = /\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)$/i.exec(id);
  return m ? { group: decodeURIComponent(m[1]!), name: decodeURIComponent(m[2]!) } : undefined;
}

/**
 * A VM's addresses as ARM has them now: its primary NIC's private IP and that NIC's public IP.
 * Read through the NIC rather than by name, so VMs that lisa did not create work too.
 */
export async function vmAddresses(
  c: AzureClients,
  vm: VirtualMachine,
  signal?: AbortSignal,
): Promise<{ address?: string; privateAddress?: string }> {
  const refs = vm.networkProfile?.networkInterfaces ?? [];
  const nicRef = refs.find((n) => n.primary) ?? refs[0];
  const nicId = parseResourceId(nicRef?.id ?? '');
  if (!nicId) return {};
  const nic = await c.network.networkInterfaces.get(nicId.group, nicId.name, { abortSignal: signal });
  const ipc = nic.ipConfigurations?.find((i) => i.primary) ?? nic.ipConfigurations?.[0];
  const pipId = parseResourceId(ipc?.publicIPAddress?.id ?? '');
  const pip = pipId
    ? await c.network.publicIPAddresses.get(pipId.group, pipId.name, { abortSignal: signal })
    : undefined;
  return { address: pip?.ipAddress, privateAddress: ipc?.privateIPAddress };
}
