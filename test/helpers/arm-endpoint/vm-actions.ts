/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- ARM bodies are arbitrary JSON that this test endpoint stores and echoes, as ARM does. */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { armFail, ok, type Reply } from './http.js';
import type { Ctx } from './resources.js';
import type { GroupState, VmState } from './store.js';

/** SAS signatures handed out by retrieveBootDiagnosticsData, so the blob route can check them. */
const sas = new Map<string, VmState>();

const VM_PATH =
  /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.compute\/virtualmachines\/([^/]+)(?:\/([a-z]+))?$/i;

function lroHeaders(c: Ctx, location: string, id: string): Record<string, string> {
  const url = `${c.base}/subscriptions/${c.sub}/providers/Microsoft.Compute/locations/${location}/operations/${id}?api-version=2024-07-01`;
  return { 'azure-asyncoperation': url, location: url, 'retry-after': '1' };
}

/** Runs `work` as an ARM long-running operation: 202 (or `status`) now, the operation record later. */
export function longRunning(
  c: Ctx,
  vm: VmState,
  work: () => Promise<void>,
  status = 202,
  body?: unknown,
  headers: { location?: boolean } = {},
): Reply {
  const op = c.store.startOperation();
  vm.busy = true;
  void work()
    .then(
      () => c.store.finish(op),
      (e: Error) => c.store.finish(op, { code: 'InternalExecutionError', message: e.message.split('\n')[0]! }),
    )
    .finally(() => (vm.busy = false));
  const h = lroHeaders(c, vm.body.location ?? 'westus3', op.id);
  if (headers.location === false) delete h.location;
  return ok(body, status, h);
}

const busy = (vm: VmState): Reply =>
  armFail(
    409,
    'AnotherOperationInProgress',
    `Operation on VM '${vm.name}' is not allowed since another operation is in progress.`,
  );

/** Data disks by LUN, as a VM body lists them (a disk marked toBeDetached is on its way out). */
function lunsOf(body: any): Map<number, number> {
  const disks: any[] = body?.properties?.storageProfile?.dataDisks ?? [];
  return new Map(disks.filter((d) => !d.toBeDetached).map((d) => [Number(d.lun), Number(d.diskSizeGB ?? 1)]));
}

/**
 * A PUT on an existing VM: a changed `dataDisks` list becomes QMP hot-plug and unplug on the running
 * guest; a new size is a resize (resize.ts).
 */
export function updateVm(
  c: Ctx,
  g: GroupState,
  vm: VmState,
  render: () => unknown,
  resize: (newSize: string) => Reply,
): Reply {
  if (vm.busy || vm.provisioning === 'Creating') return busy(vm);
  const next: any = c.body ?? {};
  const oldSize = vm.body.properties?.hardwareProfile?.vmSize;
  const newSize = next.properties?.hardwareProfile?.vmSize ?? oldSize;
  const resized = String(newSize).toLowerCase() !== String(oldSize).toLowerCase();
  const before = lunsOf(vm.body);
  const after = lunsOf(next);
  const added = [...after].filter(([lun]) => !before.has(lun));
  const removed = [...before.keys()].filter((lun) => !after.has(lun));
  if (resized && (added.length || removed.length))
    return armFail(
      409,
      'OperationNotAllowed',
      'This test endpoint changes the size or the data disks of a VM, not both at once.',
    );
  if (resized) return resize(String(newSize));
  if ((added.length || removed.length) && !vm.guest?.pid)
    return armFail(409, 'OperationNotAllowed', `VM '${vm.name}' is not running; this endpoint hot-plugs disks only.`);
  const disks = (next.properties?.storageProfile?.dataDisks ?? [])
    .filter((d: any) => !d.toBeDetached)
    .map((d: any) => ({
      ...d,
      createOption: 'Attach',
      managedDisk: {
        ...d.managedDisk,
        id: `/subscriptions/${c.sub}/resourceGroups/${g.name}/providers/Microsoft.Compute/disks/${d.name ?? `${vm.name}-lun${d.lun}`}`,
      },
    }));
  vm.body = {
    ...vm.body,
    properties: {
      ...vm.body.properties,
      storageProfile: { ...vm.body.properties?.storageProfile, dataDisks: disks },
    },
  };
  vm.provisioning = 'Updating';
  const guest = vm.guest!;
  return longRunning(
    c,
    vm,
    async () => {
      try {
        for (const lun of removed) await guest.detachDisk(lun);
        for (const [lun, size] of added) await guest.attachDisk(lun, size);
      } finally {
        vm.provisioning = 'Succeeded';
      }
    },
    200,
    render(),
  );
}

/** POST deallocate / powerOff / start / restart / retrieveBootDiagnosticsData on a VM. */
export function vmAction(c: Ctx, vm: VmState, action: string): Reply | undefined {
  const a = action.toLowerCase();
  if (a === 'retrievebootdiagnosticsdata') {
    const sig = randomUUID();
    sas.set(sig, vm);
    const blob = `${c.base}/bootdiagnostics-${vm.group.toLowerCase()}/${vm.name}.serialconsole.log`;
    return ok({
      consoleScreenshotBlobUri: `${blob.replace(/serialconsole\.log$/, 'screenshot.bmp')}?sv=2024-08-04&sr=b&sp=r&sig=${sig}`,
      serialConsoleLogBlobUri: `${blob}?sv=2024-08-04&sr=b&sp=r&sig=${sig}`,
    });
  }
  if (!['deallocate', 'poweroff', 'start', 'restart'].includes(a)) return undefined;
  if (vm.busy || vm.provisioning === 'Creating') return busy(vm);
  const guest = vm.guest;
  if (!guest) return armFail(409, 'OperationNotAllowed', `VM '${vm.name}' has no guest (provisioning failed).`);
  const signal = new AbortController().signal;
  switch (a) {
    case 'deallocate':
    case 'poweroff':
      return longRunning(c, vm, async () => {
        vm.power = 'stopping';
        await guest.deallocate();
        vm.power = a === 'deallocate' ? 'deallocated' : 'stopped';
      });
    case 'start':
      if (vm.power === 'running') return longRunning(c, vm, () => Promise.resolve());
      return longRunning(c, vm, async () => {
        vm.power = 'starting';
        await guest.start(signal);
        vm.power = 'running';
      });
    default:
      if (vm.power !== 'running') return armFail(409, 'OperationNotAllowed', `VM '${vm.name}' is not running.`);
      return longRunning(c, vm, async () => {
        await guest.restart(signal);
      });
  }
}

/** The VM routes this file answers, or undefined. */
export function vmRoute(c: Ctx): { g: GroupState; vm: VmState; action?: string } | Reply | undefined {
  const m = VM_PATH.exec(c.path);
  if (!m || !m[3]) return undefined;
  const g = c.store.group(decodeURIComponent(m[1]!));
  if (!g) return armFail(404, 'ResourceGroupNotFound', `Resource group '${m[1]}' could not be found.`);
  const vm = g.vms.get(decodeURIComponent(m[2]!).toLowerCase());
  if (!vm)
    return armFail(404, 'ResourceNotFound', `The Resource 'Microsoft.Compute/virtualMachines/${m[2]}' was not found.`);
  return { g, vm, action: m[3] };
}

/**
 * The boot diagnostics blob: the guest's serial log, for whoever holds the SAS signature handed
 * out with it (as a storage account serves it, without a bearer token).
 */
export async function bootDiagnosticsBlob(method: string, url: URL): Promise<Reply | undefined> {
  if (!/^\/bootdiagnostics-/.test(url.pathname) || (method !== 'GET' && method !== 'HEAD')) return undefined;
  const vm = sas.get(url.searchParams.get('sig') ?? '');
  if (!vm || !url.pathname.endsWith(`/${vm.name}.serialconsole.log`))
    return {
      status: 403,
      headers: { 'x-ms-error-code': 'AuthenticationFailed', 'content-type': 'application/xml' },
      raw: '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Signature did not match.</Message></Error>',
    };
  const text = vm.serialLog ? await readFile(vm.serialLog).catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
  return {
    status: 200,
    headers: {
      'content-type': 'text/plain',
      'x-ms-blob-type': 'AppendBlob',
      'x-ms-version': '2024-08-04',
      'last-modified': new Date().toUTCString(),
      etag: `"0x${text.length.toString(16)}"`,
      'accept-ranges': 'bytes',
    },
    raw: method === 'HEAD' ? undefined : text,
    contentLength: text.length,
  };
}
