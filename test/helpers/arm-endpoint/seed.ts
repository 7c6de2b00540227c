/**
 * Creates resources on the endpoint through its own ARM API, with wire-format bodies as a portal
 * or template would send them, not through lisa: for tests of `deploy: false` that need a group
 * and VMs to exist before lisa starts.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { ArmEndpoint } from './server.js';

export interface SeedVm {
  group: string;
  vm: string;
  location?: string;
  size?: string;
  adminUsername: string;
  publicKey: string;
}

/** One ARM call with a token the endpoint issued; throws on an error status. */
export async function armCall(ep: ArmEndpoint, method: string, path: string, body?: unknown): Promise<unknown> {
  const url = new URL(`${ep.armEndpoint}${path}${path.includes('?') ? '&' : '?'}api-version=2024-07-01`);
  const text = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: readFileSync(ep.caFile),
        headers: { authorization: `Bearer ${ep.tokens.issue()}`, 'content-type': 'application/json' },
      },
      (res) => {
        let t = '';
        res.on('data', (d: Buffer) => (t += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: t }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
  if (text.status >= 400) throw new Error(`${method} ${path}: ${text.status} ${text.text}`);
  return text.text ? (JSON.parse(text.text) as unknown) : undefined;
}

/** A group with one VM (public IP, NIC, VM) booted and provisioned; resolves once it is Succeeded. */
export async function seedGroupWithVm(ep: ArmEndpoint, s: SeedVm): Promise<void> {
  const location = s.location ?? 'westus3';
  const sub = `/subscriptions/${ep.subscriptionId}`;
  const rg = `${sub}/resourceGroups/${s.group}`;
  const net = `${rg}/providers/Microsoft.Network`;
  await armCall(ep, 'PUT', rg, { location, tags: { owner: 'someone-else' } });
  await armCall(ep, 'PUT', `${net}/publicIPAddresses/${s.vm}-pip`, {
    location,
    sku: { name: 'Standard' },
    properties: { publicIPAllocationMethod: 'Static' },
  });
  await armCall(ep, 'PUT', `${net}/networkInterfaces/${s.vm}-nic`, {
    location,
    properties: {
      ipConfigurations: [
        { name: 'ipconfig1', properties: { publicIPAddress: { id: `${net}/publicIPAddresses/${s.vm}-pip` } } },
      ],
    },
  });
  const vmPath = `${rg}/providers/Microsoft.Compute/virtualMachines/${s.vm}`;
  await armCall(ep, 'PUT', vmPath, {
    location,
    properties: {
      hardwareProfile: { vmSize: s.size ?? 'Standard_B2ts_v2' },
      storageProfile: {
        imageReference: { publisher: 'Debian', offer: 'debian-12', sku: '12-gen2', version: 'latest' },
        osDisk: { createOption: 'FromImage' },
      },
      osProfile: {
        computerName: s.vm,
        adminUsername: s.adminUsername,
        linuxConfiguration: {
          disablePasswordAuthentication: true,
          ssh: { publicKeys: [{ path: `/home/${s.adminUsername}/.ssh/authorized_keys`, keyData: s.publicKey }] },
        },
      },
      networkProfile: { networkInterfaces: [{ id: `${net}/networkInterfaces/${s.vm}-nic` }] },
      diagnosticsProfile: { bootDiagnostics: { enabled: true } },
    },
  });
  for (;;) {
    const vm = (await armCall(ep, 'GET', vmPath)) as { properties: { provisioningState: string } };
    if (vm.properties.provisioningState === 'Succeeded') return;
    if (vm.properties.provisioningState === 'Failed') throw new Error(`seeded VM ${s.vm} failed to provision`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
