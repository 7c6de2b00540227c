/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- ARM bodies are arbitrary JSON that this test endpoint stores and echoes, as ARM does. */
import { guestShape, IMAGE_VERSIONS, SIZES, skuList, usageList } from './catalog.js';
import type { GuestRequest, RunningGuest } from './guests.js';
import { armFail, ok, type Reply } from './http.js';
import { addressOfNic, privateAddressOfNic } from './network.js';
import { privateMac } from '../../../src/platform/qemu/args.js';
import { freeLoopbackPort, releasePort } from '../../../src/platform/qemu/ports.js';
import type { Ctx } from './resources.js';
import type { GroupState, VmState } from './store.js';
import { checkImageReference, imageRoutes } from './images.js';
import { resizeVm, vmSizes } from './resize.js';
import { updateVm, vmAction, vmRoute } from './vm-actions.js';

export interface GuestBackend {
  start(r: GuestRequest, signal: AbortSignal): Promise<RunningGuest>;
  /** Where the guest of request `id` writes its serial console (kept after a failed boot). */
  serialLogPath?(id: string): string;
}

export interface ComputeOptions {
  backend: GuestBackend;
  coresLimit: number;
  restricted: Set<string>;
  faults: ComputeFaults;
}

/** Compute-level faults a test sets on the endpoint and may change while a run waits. */
export interface ComputeFaults {
  /** vCPUs held by someone else in every location: quota "in use" until the test frees it. */
  reservedCores: number;
  /** `location/size` (lower case) answering a VM create with 409 SkuNotAvailable (no capacity now). */
  unavailable: Set<string>;
  /**
   * What the next VM creates do instead of provisioning: `panic` boots the guest, crashes its kernel
   * (the panic goes to the serial console) and fails with OSProvisioningTimedOut; `hang` never ends.
   */
  provisioning: ('panic' | 'hang')[];
}

/** A VM boot in flight, so a group delete can stop it. */
export interface Booting {
  abort: AbortController;
  done: Promise<void>;
}
export const booting = new Map<VmState, Booting>();

function vmBody(c: Ctx, g: GroupState, vm: VmState, expand: boolean): unknown {
  const props = { ...vm.body.properties, provisioningState: vm.provisioning, vmId: vm.body.vmId };
  if (props.osProfile) props.osProfile = { ...props.osProfile, adminPassword: undefined };
  if (expand) {
    props.instanceView = {
      computerName: props.osProfile?.computerName,
      osName: 'debian',
      statuses: [
        {
          code: `ProvisioningState/${vm.provisioning.toLowerCase()}`,
          level: vm.provisioning === 'Failed' ? 'Error' : 'Info',
          displayStatus: `Provisioning ${vm.provisioning.toLowerCase()}`,
        },
        ...(vm.power === 'starting'
          ? []
          : [{ code: `PowerState/${vm.power}`, level: 'Info', displayStatus: `VM ${vm.power}` }]),
      ],
    };
  }
  return {
    id: `/subscriptions/${c.sub}/resourceGroups/${g.name}/providers/Microsoft.Compute/virtualMachines/${vm.name}`,
    name: vm.name,
    type: 'Microsoft.Compute/virtualMachines',
    location: vm.body.location,
    tags: vm.body.tags,
    properties: props,
  };
}

function cores(vm: VmState): number {
  return SIZES.find((s) => s.name === vm.body.properties?.hardwareProfile?.vmSize)?.cores ?? 0;
}

export function usedCores(c: Ctx, location: string): { total: number; family: Map<string, number> } {
  const family = new Map<string, number>();
  let total = 0;
  for (const g of c.store.groups.values())
    for (const vm of g.vms.values()) {
      if (vm.body.location !== location || vm.power === 'deallocated') continue;
      total += cores(vm);
      const f = SIZES.find((s) => s.name === vm.body.properties?.hardwareProfile?.vmSize)?.family ?? '';
      family.set(f, (family.get(f) ?? 0) + cores(vm));
    }
  return { total, family };
}

/** SKUs, usages, marketplace image versions, and VM create/get. */
export async function compute(c: Ctx, o: ComputeOptions): Promise<Reply | undefined> {
  const p = c.path;
  if (c.method === 'GET' && /^\/subscriptions\/[^/]+\/providers\/microsoft\.compute\/skus$/i.test(p)) {
    const loc = /location eq '([^']+)'/.exec(c.url.searchParams.get('$filter') ?? '')?.[1] ?? 'westus3';
    return ok(skuList(loc, o.restricted));
  }
  let m = /^\/subscriptions\/[^/]+\/providers\/microsoft\.compute\/locations\/([^/]+)\/usages$/i.exec(p);
  if (m && c.method === 'GET') {
    const used = usedCores(c, m[1]!);
    return ok(usageList(used.total + o.faults.reservedCores, o.coresLimit, used.family));
  }
  m =
    /^\/subscriptions\/[^/]+\/providers\/microsoft\.compute\/locations\/([^/]+)\/publishers\/([^/]+)\/artifacttypes\/vmimage\/offers\/([^/]+)\/skus\/([^/]+)\/versions$/i.exec(
      p,
    );
  if (m && c.method === 'GET') {
    const [, loc, pub, offer, sku] = m;
    return ok(
      IMAGE_VERSIONS.map((v) => ({
        location: loc,
        name: v,
        id: `/Subscriptions/${c.sub}/Providers/Microsoft.Compute/Locations/${loc}/Publishers/${pub}/ArtifactTypes/VMImage/Offers/${offer}/Skus/${sku}/Versions/${v}`,
      })),
    );
  }
  m = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.compute\/virtualmachines$/i.exec(p);
  if (m && c.method === 'GET') {
    const g = c.store.group(decodeURIComponent(m[1]!));
    if (!g) return armFail(404, 'ResourceGroupNotFound', `Resource group '${m[1]}' could not be found.`);
    return ok({ value: [...g.vms.values()].map((vm) => vmBody(c, g, vm, false)) });
  }
  const image = imageRoutes(c);
  if (image) return image;
  const action = vmRoute(c);
  if (action && !('g' in action)) return action;
  if (action && c.method === 'POST') return vmAction(c, action.vm, action.action!);
  if (action && c.method === 'GET' && /^vmsizes$/i.test(action.action!)) return vmSizes(action.vm, o.restricted);
  m =
    /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.compute\/virtualmachines\/([^/]+)$/i.exec(
      p,
    );
  if (!m) return undefined;
  const g = c.store.group(decodeURIComponent(m[1]!));
  if (!g) return armFail(404, 'ResourceGroupNotFound', `Resource group '${m[1]}' could not be found.`);
  const name = decodeURIComponent(m[2]!);
  const vm = g.vms.get(name.toLowerCase());
  if (c.method === 'GET') {
    if (!vm)
      return armFail(
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.Compute/virtualMachines/${name}' under resource group '${g.name}' was not found.`,
      );
    return ok(vmBody(c, g, vm, /instanceview/i.test(c.url.searchParams.get('$expand') ?? '')));
  }
  if (c.method === 'PUT' && !vm) return await createVm(c, g, name, o);
  const limits = {
    restricted: o.restricted,
    coresLimit: o.coresLimit,
    usedCores: (l: string) => usedCores(c, l).total + o.faults.reservedCores,
  };
  const render = () => vmBody(c, g, vm!, false);
  if (c.method === 'PUT' && vm) return updateVm(c, g, vm, render, (size) => resizeVm(c, g, vm, size, limits, render));
  if (c.method === 'PATCH' && vm) {
    if (vm.busy || vm.provisioning === 'Creating')
      return armFail(
        409,
        'AnotherOperationInProgress',
        `Operation on VM '${vm.name}' is not allowed since another operation is in progress.`,
      );
    const size: string | undefined = c.body?.properties?.hardwareProfile?.vmSize;
    if (size && size.toLowerCase() !== String(vm.body.properties?.hardwareProfile?.vmSize).toLowerCase())
      return resizeVm(c, g, vm, size, limits, render);
    return armFail(400, 'InvalidParameter', 'This test endpoint PATCHes only hardwareProfile.vmSize.');
  }
  return undefined;
}

let vnetSeed = 0;

/** The group's virtual network: one QEMU multicast group, so its VMs reach each other privately. */
async function groupVnet(g: GroupState): Promise<NonNullable<GroupState['vnet']>> {
  if (!g.vnet) {
    const port = await freeLoopbackPort();
    const seed = (vnetSeed = (vnetSeed % 250) + 1);
    g.vnet = { mcast: `230.78.${process.pid % 250}.${seed}:${port}`, port, seed, nics: 0 };
  }
  return g.vnet;
}

/** Gives back the port of a deleted group's virtual network. */
export function releaseGroupVnet(g: GroupState): void {
  if (g.vnet) releasePort(g.vnet.port);
}

async function createVm(c: Ctx, g: GroupState, name: string, o: ComputeOptions): Promise<Reply> {
  // The only wait, first: the checks and the record below happen without yielding, as one write.
  const vnet = await groupVnet(g);
  if (g.deleting) return armFail(409, 'ResourceGroupBeingDeleted', `The resource group '${g.name}' is being deleted.`);
  const props = c.body?.properties ?? {};
  const size: string = props.hardwareProfile?.vmSize ?? '';
  const location: string = c.body?.location ?? g.location;
  const shape = guestShape(size);
  if (!shape || o.restricted.has(size))
    return armFail(
      409,
      'SkuNotAvailable',
      `The requested VM size '${size}' is currently not available in location '${location}'. Please try another size or deploy to a different location or different zone.`,
    );
  if (o.faults.unavailable.has(`${location}/${size}`.toLowerCase()))
    return armFail(
      409,
      'SkuNotAvailable',
      `The requested VM size '${size}' is currently not available in location '${location}'. Please try another size or deploy to a different location or different zone.`,
    );
  const used = usedCores(c, location).total + o.faults.reservedCores;
  if (used + shape.cores > o.coresLimit)
    return armFail(
      409,
      'OperationNotAllowed',
      `Operation could not be completed as it results in exceeding approved Total Regional Cores quota. Location: ${location}, Current Limit: ${o.coresLimit}, Current Usage: ${used}, Additional Required: ${shape.cores}.`,
    );
  const badImage = checkImageReference(c, props.storageProfile?.imageReference, location);
  if (badImage) return badImage;
  const nicId: string | undefined = props.networkProfile?.networkInterfaces?.[0]?.id;
  const address = nicId ? addressOfNic(g.resources, nicId) : undefined;
  if (!address) return armFail(400, 'InvalidParameter', 'The VM needs a network interface with a public IP address.');
  const privateIp = nicId ? privateAddressOfNic(g.resources, nicId) : undefined;
  const keys: string[] = (props.osProfile?.linuxConfiguration?.ssh?.publicKeys ?? []).map((k: any) =>
    String(k.keyData),
  );
  const vm: VmState = {
    name,
    group: g.name,
    body: { ...c.body, vmId: crypto.randomUUID() },
    power: 'starting',
    provisioning: 'Creating',
    address,
    serialLog: o.backend.serialLogPath?.(`${g.name}-${name}`),
  };
  g.vms.set(name.toLowerCase(), vm);
  const op = c.store.startOperation();
  const abort = new AbortController();
  const fault = o.faults.provisioning.shift();
  const request: GuestRequest = {
    id: `${g.name}-${name}`,
    ...shape,
    adminUsername: props.osProfile?.adminUsername ?? 'azureuser',
    publicKeys: keys,
    address,
    privateNet: privateIp
      ? { mcast: vnet.mcast, mac: privateMac(vnet.seed, ++vnet.nics), ip: privateIp, prefix: 24 }
      : undefined,
  };
  const boot =
    fault === 'hang'
      ? new Promise<never>((_, reject) =>
          abort.signal.addEventListener('abort', () => reject(new Error('deleted while provisioning'))),
        )
      : o.backend.start(request, abort.signal);
  const done = boot
    .then(
      async (guest) => {
        if (abort.signal.aborted) return guest.stop();
        vm.guest = guest;
        vm.power = 'running';
        if (fault === 'panic') {
          await guest.crashKernel();
          vm.provisioning = 'Failed';
          c.store.finish(op, {
            code: 'OSProvisioningTimedOut',
            message: `OS Provisioning for VM '${name}' did not finish in the allotted time. The VM may still finish provisioning successfully. Please check provisioning state later.`,
          });
          return;
        }
        vm.provisioning = 'Succeeded';
        c.store.finish(op);
      },
      (e: Error) => {
        vm.provisioning = 'Failed';
        vm.power = 'stopped';
        c.store.finish(op, {
          code: 'OSProvisioningInternalError',
          message: `OS Provisioning failed for VM '${name}': ${e.message.split('\n')[0]}`,
        });
      },
    )
    .finally(() => booting.delete(vm));
  booting.set(vm, { abort, done });
  const asyncOp = `${c.base}/subscriptions/${c.sub}/providers/Microsoft.Compute/locations/${location}/operations/${op.id}?api-version=2024-07-01`;
  return ok(vmBody(c, g, vm, false), 201, { 'azure-asyncoperation': asyncOp, 'retry-after': '1' });
}

/** Stops every VM of a group (aborting boots in flight): a group delete's work. */
export async function stopGroupVms(g: GroupState): Promise<void> {
  await Promise.all(
    [...g.vms.values()].map(async (vm) => {
      vm.provisioning = 'Deleting';
      const b = booting.get(vm);
      if (b) {
        b.abort.abort();
        await b.done.catch(() => {});
      }
      await vm.guest?.stop();
      vm.guest = undefined;
    }),
  );
}
