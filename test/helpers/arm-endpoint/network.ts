/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- ARM bodies are arbitrary JSON that this test endpoint stores and echoes, as ARM does. */
import { allocateAddress, releaseAddress } from './guests.js';
import { armFail, ok, type Reply } from './http.js';
import type { Ctx } from './resources.js';

const TYPES: Record<string, string> = {
  networksecuritygroups: 'Microsoft.Network/networkSecurityGroups',
  virtualnetworks: 'Microsoft.Network/virtualNetworks',
  publicipaddresses: 'Microsoft.Network/publicIPAddresses',
  networkinterfaces: 'Microsoft.Network/networkInterfaces',
};

let nextPrivate = 4;

/** NSGs, VNets (with subnets), public IPs (each a free 127.0.0.N) and NICs: stored bodies, provisioned at once. */
export async function networkResources(c: Ctx): Promise<Reply | undefined> {
  const m = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.network\/([^/]+)\/([^/]+)$/i.exec(
    c.path,
  );
  if (!m || !TYPES[m[2]!.toLowerCase()]) return undefined;
  const [, groupName, kind, name] = m as unknown as [string, string, string, string];
  const g = c.store.group(groupName);
  if (!g) return armFail(404, 'ResourceGroupNotFound', `Resource group '${groupName}' could not be found.`);
  const type = TYPES[kind.toLowerCase()]!;
  const id = `/subscriptions/${c.sub}/resourceGroups/${g.name}/providers/${type}/${name}`;
  const existing = g.resources.get(id.toLowerCase());
  if (c.method === 'GET')
    return existing
      ? ok(existing)
      : armFail(
          404,
          'ResourceNotFound',
          `The Resource '${type}/${name}' under resource group '${g.name}' was not found.`,
        );
  if (c.method !== 'PUT') return undefined;
  if (g.deleting) return armFail(409, 'ResourceGroupBeingDeleted', `The resource group '${g.name}' is being deleted.`);
  const props = { ...(c.body?.properties ?? {}), provisioningState: 'Succeeded' };
  const kindLc = kind.toLowerCase();
  if (kindLc === 'virtualnetworks') {
    props.subnets = (props.subnets ?? []).map((s: any) => ({
      ...s,
      id: `${id}/subnets/${s.name}`,
      type: 'Microsoft.Network/virtualNetworks/subnets',
      properties: { ...(s.properties ?? {}), provisioningState: 'Succeeded' },
    }));
  }
  if (kindLc === 'publicipaddresses') {
    props.ipAddress = existing?.properties?.ipAddress ?? (await allocateAddress());
    props.publicIPAddressVersion = 'IPv4';
  }
  if (kindLc === 'networkinterfaces') {
    props.ipConfigurations = (props.ipConfigurations ?? []).map((ip: any, i: number) => ({
      ...ip,
      id: `${id}/ipConfigurations/${ip.name}`,
      properties: {
        ...(ip.properties ?? {}),
        privateIPAddress:
          existing?.properties?.ipConfigurations?.[i]?.properties?.privateIPAddress ?? `10.0.0.${nextPrivate++ % 250}`,
        privateIPAllocationMethod: 'Dynamic',
        provisioningState: 'Succeeded',
        primary: i === 0,
      },
    }));
    props.macAddress = '52-54-00-12-34-56';
  }
  const body = {
    id,
    name,
    type,
    location: c.body?.location ?? g.location,
    tags: c.body?.tags,
    sku: c.body?.sku,
    etag: `W/"${crypto.randomUUID()}"`,
    properties: props,
  };
  g.resources.set(id.toLowerCase(), body);
  return ok(body, existing ? 200 : 201);
}

/** Frees the loopback addresses a deleted group's public IPs held. */
export function releaseGroupAddresses(resources: Map<string, Record<string, any>>): void {
  for (const r of resources.values()) if (r.properties?.ipAddress) releaseAddress(r.properties.ipAddress);
}

/** The private address of a NIC (its first IP configuration), on the group's virtual network. */
export function privateAddressOfNic(resources: Map<string, Record<string, any>>, nicId: string): string | undefined {
  return resources.get(nicId.toLowerCase())?.properties?.ipConfigurations?.[0]?.properties?.privateIPAddress;
}

/** The public address of a VM: its NIC's public IP. */
export function addressOfNic(resources: Map<string, Record<string, any>>, nicId: string): string | undefined {
  const nic = resources.get(nicId.toLowerCase());
  const pipId = nic?.properties?.ipConfigurations?.[0]?.properties?.publicIPAddress?.id as string | undefined;
  return pipId ? resources.get(pipId.toLowerCase())?.properties?.ipAddress : undefined;
}
