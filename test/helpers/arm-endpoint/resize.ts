/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- ARM bodies are arbitrary JSON that this test endpoint stores and echoes, as ARM does. */
import { guestShape, sizeDef, vmSizeList } from './catalog.js';
import { armFail, ok, type Reply } from './http.js';
import type { Ctx } from './resources.js';
import type { GroupState, VmState } from './store.js';
import { longRunning } from './vm-actions.js';

export interface ResizeLimits {
  restricted: Set<string>;
  coresLimit: number;
  /** vCPUs in use in the location, this VM included, plus any held by a test. */
  usedCores: (location: string) => number;
}

const running = (vm: VmState) => vm.power === 'running' || vm.power === 'starting';

/** GET `virtualMachines/{vm}/vmSizes`. */
export function vmSizes(vm: VmState, restricted: Set<string>): Reply {
  return ok(vmSizeList(vm.body.properties?.hardwareProfile?.vmSize ?? '', running(vm), restricted));
}

/**
 * A new `hardwareProfile.vmSize` (PATCH, or a PUT changing only the size). Running, the size must be
 * on the VM's hardware cluster, and the guest is relaunched with the new cores and memory (a resize
 * reboots the VM, as on Azure); deallocated, only the next start uses the new shape.
 */
export function resizeVm(
  c: Ctx,
  g: GroupState,
  vm: VmState,
  newSize: string,
  o: ResizeLimits,
  render: () => unknown,
): Reply {
  const oldSize: string = vm.body.properties?.hardwareProfile?.vmSize ?? '';
  const location: string = vm.body.location ?? g.location;
  const shape = guestShape(newSize);
  if (!shape || o.restricted.has(sizeDef(newSize)?.name ?? newSize))
    return armFail(
      409,
      'SkuNotAvailable',
      `The requested VM size '${newSize}' is currently not available in location '${location}'. Please try another size or deploy to a different location or different zone.`,
    );
  const live = running(vm);
  if (live && sizeDef(newSize)!.cluster !== sizeDef(oldSize)?.cluster) {
    const here = ((vmSizeList(oldSize, true, o.restricted) as { value: { name: string }[] }).value ?? []).map(
      (s) => s.name,
    );
    return armFail(
      409,
      'OperationNotAllowed',
      `Unable to resize the VM '${vm.name}' because the requested size ${newSize} is not available in the current hardware cluster. The available sizes in this cluster are: ${here.join(', ')}. Read more on VM resizing strategy at https://aka.ms/azure-resizevm.`,
    );
  }
  const delta = shape.cores - (guestShape(oldSize)?.cores ?? 0);
  if (live && o.usedCores(location) + delta > o.coresLimit)
    return armFail(
      409,
      'OperationNotAllowed',
      `Operation could not be completed as it results in exceeding approved Total Regional Cores quota. Location: ${location}, Current Limit: ${o.coresLimit}, Current Usage: ${o.usedCores(location)}, Additional Required: ${delta}.`,
    );
  vm.body = {
    ...vm.body,
    properties: {
      ...vm.body.properties,
      hardwareProfile: { ...vm.body.properties?.hardwareProfile, vmSize: sizeDef(newSize)!.name },
    },
  };
  vm.provisioning = 'Updating';
  const guest = vm.guest;
  return longRunning(
    c,
    vm,
    async () => {
      try {
        if (!guest) return;
        if (!live) {
          guest.resize(shape.cores, shape.memoryMiB);
          return;
        }
        vm.power = 'stopping';
        await guest.deallocate();
        guest.resize(shape.cores, shape.memoryMiB);
        vm.power = 'starting';
        await guest.start(new AbortController().signal);
        vm.power = 'running';
      } finally {
        vm.provisioning = 'Succeeded';
      }
    },
    200,
    render(),
    // ARM answers a VM PATCH with Azure-AsyncOperation only; the client then GETs the VM.
    { location: false },
  );
}
