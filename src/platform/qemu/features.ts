import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { NodeCapability } from '../../node/types.js';
import { runCommand } from '../../process/run-command.js';
import type { Feature } from '../types.js';
import type { QemuGuest } from './guest.js';

/** Node index or name; default the first node. */
export type NodeRef = number | string | undefined;

function pick(guests: QemuGuest[], ref: NodeRef): QemuGuest {
  const g = typeof ref === 'string' ? guests.find((x) => x.init.name === ref) : guests[ref ?? 0];
  if (!g)
    throw new Error(`no node ${String(ref)} in this environment (nodes: ${guests.map((x) => x.init.name).join(', ')})`);
  return g;
}

/** Power control of the nodes, with reconnection: the Node objects stay valid across it. */
export class StartStop implements Feature {
  readonly name = 'StartStop';
  constructor(
    private readonly guests: QemuGuest[],
    private readonly signal: () => AbortSignal,
  ) {}

  /** Powers the node off (ACPI, then QMP quit); `graceful: false` pulls the plug at once. */
  async stop(node?: NodeRef, options: { graceful?: boolean } = {}): Promise<void> {
    await pick(this.guests, node).stop(options.graceful ?? true);
  }

  /** Boots a stopped node from its disk and waits for SSH. */
  async start(node?: NodeRef): Promise<void> {
    await pick(this.guests, node).start(this.signal());
  }

  /** Hard reset (QMP system_reset), then waits for SSH. */
  async restart(node?: NodeRef): Promise<void> {
    await pick(this.guests, node).reset(this.signal());
  }
}

export interface AttachedDisk {
  id: string;
  serial: string;
  sizeGiB: number;
  /** The device in the guest, e.g. /dev/vdb. */
  device: string;
}

/** Hot-plugged virtio-blk data disks (QMP blockdev-add + device_add), counted in capabilities. */
export class Disk implements Feature {
  readonly name = 'Disk';
  private counter = 0;
  constructor(
    private readonly guests: QemuGuest[],
    private readonly capabilities: NodeCapability[],
  ) {}

  async add(sizeGiB: number, node?: NodeRef): Promise<AttachedDisk> {
    const g = pick(this.guests, node);
    const qmp = g.vm?.qmp;
    if (!qmp || !g.vm?.running) throw new Error(`node ${g.init.name} is not running`);
    const id = `data${++this.counter}`;
    // virtio-blk serials are at most 20 bytes and show up as /dev/disk/by-id/virtio-<serial>.
    const serial = `lisa-${id}`;
    const file = join(g.init.dir, `${id}.qcow2`);
    await runCommand('qemu-img', ['create', '-q', '-f', 'qcow2', file, `${sizeGiB}G`]);
    await qmp.execute('blockdev-add', { driver: 'qcow2', 'node-name': id, file: { driver: 'file', filename: file } });
    try {
      await qmp.execute('device_add', { driver: 'virtio-blk-pci', id, drive: id, serial });
    } catch (e) {
      await qmp.execute('blockdev-del', { 'node-name': id }).catch(() => {});
      throw e;
    }
    g.disks.push({ id, serial, file, sizeGiB });
    this.count(g, +1);
    const device = await this.waitVisible(g, serial);
    return { id, serial, sizeGiB, device };
  }

  private async waitVisible(g: QemuGuest, serial: string): Promise<string> {
    const link = `/dev/disk/by-id/virtio-${serial}`;
    const r = await g.node!.execute(
      `for i in $(seq 300); do [ -e ${link} ] && exec readlink -f ${link}; sleep 0.1; done; exit 1`,
      {
        timeoutMs: 60_000,
      },
    );
    if (r.exitCode !== 0) throw new Error(`hot-added disk ${serial} did not appear in ${g.init.name} within 30 s`);
    return r.stdout.trim();
  }

  async remove(id: string, node?: NodeRef): Promise<void> {
    const g = pick(this.guests, node);
    const i = g.disks.findIndex((d) => d.id === id);
    if (i < 0) throw new Error(`no data disk ${id} on ${g.init.name}`);
    const qmp = g.vm!.qmp!;
    // device_del sends DEVICE_DELETED twice (virtio backend first); only the one for `id` means it is gone.
    const deleted = qmp.waitEvent('DEVICE_DELETED', (e) => e.data?.device === id, 60_000);
    await qmp.execute('device_del', { id });
    await deleted;
    await qmp.execute('blockdev-del', { 'node-name': id });
    const [d] = g.disks.splice(i, 1);
    await rm(d!.file, { force: true });
    this.count(g, -1);
  }

  list(node?: NodeRef): { id: string; serial: string; sizeGiB: number }[] {
    return pick(this.guests, node).disks.map(({ id, serial, sizeGiB }) => ({ id, serial, sizeGiB }));
  }

  private count(g: QemuGuest, delta: number): void {
    const cap = this.capabilities[this.guests.indexOf(g)];
    if (cap) cap.dataDisks += delta;
  }
}
