import { createServer } from 'node:net';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImage } from '../../../src/platform/qemu/image/build.js';
import { Logger, type LogSink } from '../../../src/logging/logger.js';
import { runCommand } from '../../../src/process/run-command.js';
import { SecretMasker } from '../../../src/logging/secrets.js';
import { chooseAccel, readAccelFacts } from '../../../src/platform/qemu/accel.js';
import { QemuGuest } from '../../../src/platform/qemu/guest.js';
import { ensureRunKey, type RunKey } from '../../../src/platform/qemu/keys.js';
import { ensureWarmTemplate, type WarmTemplate } from '../../../src/platform/qemu/warm.js';

export interface GuestRequest {
  id: string;
  cores: number;
  memoryMiB: number;
  adminUsername: string;
  publicKeys: string[];
  /** The public IP's address (allocated with the public IP resource). */
  address: string;
  /** The NIC's private address on the group's virtual network (a QEMU multicast socket). */
  privateNet?: { mcast: string; mac: string; ip: string; prefix: number };
}

/** A running "VM": its own loopback address with SSH on port 22. */
export interface RunningGuest {
  address: string;
  /** The QEMU process, or undefined while deallocated. */
  readonly pid: number | undefined;
  serialLog: string;
  /** Gone for good: QEMU killed, its disks removed. */
  stop(): Promise<void>;
  /** Deallocate: power off (ACPI, then quit), keeping the disks. */
  deallocate(): Promise<void>;
  /** Boot the kept disks again and wait for SSH. */
  start(signal: AbortSignal): Promise<void>;
  /** Hard reset, then wait for SSH. */
  restart(signal: AbortSignal): Promise<void>;
  /** Hot-plugs an empty data disk (QMP blockdev-add + device_add); re-attached on every later boot. */
  attachDisk(lun: number, sizeGiB: number): Promise<void>;
  /** Hot-unplugs it (device_del, waiting for the guest to let go) and deletes its file. */
  detachDisk(lun: number): Promise<void>;
  /** The shape of the next boot (a resize): cores and memory, applied when it starts again. */
  resize(cores: number, memoryMiB: number): void;
  /** Crashes the guest kernel (sysrq c) and waits until the panic is on the serial console. */
  crashKernel(): Promise<void>;
}

/** Addresses in use by this process; other processes are detected by trying to bind :22. */
const taken = new Set<string>();

async function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(22, address, () => s.close(() => resolve(true)));
  });
}

/** A free 127.0.0.N whose port 22 nobody listens on (needs root, as on CI). */
export async function allocateAddress(): Promise<string> {
  const start = Math.floor(Math.random() * 240);
  for (let i = 0; i < 240; i++) {
    const a = `127.0.0.${10 + ((start + i) % 240)}`;
    if (taken.has(a)) continue;
    if (await canBind(a)) {
      taken.add(a);
      return a;
    }
  }
  throw new Error('no free 127.0.N.M:22 address');
}

export function releaseAddress(a: string): void {
  taken.delete(a);
}

/**
 * Boots the project's Debian image as a QEMU guest (warm snapshot when the shape has one) with SSH
 * forwarded from `<address>:22`, then does what Azure's provisioning agent does: creates the admin
 * user with the VM's SSH keys and passwordless sudo.
 */
export class QemuGuestBackend {
  // Promises, not values: VMs of one deployment start at once and must share one key and image.
  private key: Promise<RunKey> | undefined;
  private image: ReturnType<typeof buildImage> | undefined;
  private readonly warm = new Map<string, Promise<WarmTemplate | undefined>>();
  readonly log: Logger;

  constructor(
    readonly dir: string,
    readonly cacheDir: string,
    sink?: LogSink,
  ) {
    this.log = new Logger('arm-endpoint', sink ? [sink] : [], new SecretMasker());
  }

  private async ready(): Promise<{ key: RunKey; image: Awaited<ReturnType<typeof buildImage>> }> {
    this.key ??= ensureRunKey(join(this.dir, 'key'));
    this.image ??= buildImage({ cacheDir: this.cacheDir, username: 'lisa', log: (l) => this.log.info(l) });
    return { key: await this.key, image: await this.image };
  }

  serialLogPath(id: string): string {
    return join(this.dir, 'vms', id, 'serial.log');
  }

  async start(r: GuestRequest, signal: AbortSignal): Promise<RunningGuest> {
    const { key, image } = await this.ready();
    const address = r.address;
    const dir = join(this.dir, 'vms', r.id);
    await mkdir(dir, { recursive: true });
    const accel = chooseAccel(readAccelFacts(), 'auto');
    const shape = {
      accel,
      cores: r.cores,
      memoryMiB: r.memoryMiB,
      diskFormat: 'qcow2' as const,
      kernel: image.kernel,
      initrd: image.initrd,
      fwCfg: [{ name: 'opt/lisa/authorized_keys', file: key.publicKeyFile }],
      privateNet: r.privateNet && { mcast: r.privateNet.mcast, mac: r.privateNet.mac },
    };
    const guest = new QemuGuest({
      id: r.id,
      name: r.id,
      runDir: this.dir,
      dir,
      qemuBinary: process.env.LISA_QEMU_BINARY ?? 'qemu-system-x86_64',
      log: this.log.child(r.id, [], { quiet: true }),
      spec: {
        ...shape,
        name: r.id,
        sshPort: 22,
        sshAddress: address,
        serialLog: this.serialLogPath(r.id),
        qmpSocket: join(dir, 'qmp.sock'),
      },
      base: { path: image.imagePath, format: 'qcow2' },
      username: 'lisa',
      bootUsername: 'root',
      key,
      bootTimeoutMs: 300_000,
      privateNet: r.privateNet && { ip: r.privateNet.ip, prefix: r.privateNet.prefix, mac: r.privateNet.mac },
    });
    const shapeKey = `${r.cores}-${r.memoryMiB}-${r.privateNet ? 'vnet' : 'nonet'}`;
    let warm = this.warm.get(shapeKey);
    if (!warm) {
      warm = ensureWarmTemplate({
        imagePath: image.imagePath,
        imageKey: image.key,
        qemuBinary: guest.init.qemuBinary,
        spec: shape,
        username: 'lisa',
        key,
        bootTimeoutMs: 300_000,
        log: this.log,
        signal,
        runDir: this.dir,
      }).catch((e: Error) => (this.log.warn(`no warm snapshot: ${e.message}`), undefined));
      this.warm.set(shapeKey, warm);
    }
    try {
      await guest.boot(signal, await warm);
      const ssh = await guest.waitSsh(signal, 60_000);
      try {
        const u = r.adminUsername;
        const keys = r.publicKeys.join('\n');
        const script = [
          'set -e',
          `id -u ${u} >/dev/null 2>&1 || useradd -m -s /bin/bash -G sudo ${u}`,
          `install -d -m 700 -o ${u} -g ${u} /home/${u}/.ssh`,
          `printf '%s\\n' '${keys.replace(/'/g, '')}' > /home/${u}/.ssh/authorized_keys`,
          `chown ${u}:${u} /home/${u}/.ssh/authorized_keys; chmod 600 /home/${u}/.ssh/authorized_keys`,
          `echo '${u} ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/90-azure-${u}; chmod 440 /etc/sudoers.d/90-azure-${u}`,
        ].join('\n');
        const res = await ssh.exec('bash -s', 60_000, script);
        if (res.code !== 0) throw new Error(`provisioning ${u} failed: ${res.stderr.trim()}`);
      } finally {
        ssh.close();
      }
    } catch (e) {
      await guest.dispose(false);
      throw e;
    }
    return runningGuest(guest, address);
  }
}

/** A QEMU guest seen as an Azure VM's hypervisor side: power actions and disk hot-plug through QMP. */
function runningGuest(guest: QemuGuest, address: string): RunningGuest {
  const live = () => {
    const qmp = guest.vm?.qmp;
    if (!qmp || !guest.vm?.running) throw new Error(`VM ${guest.init.name} is not running`);
    return qmp;
  };
  const diskId = (lun: number) => `lun${lun}`;
  return {
    address,
    get pid() {
      return guest.vm?.running ? guest.vm.pid : undefined;
    },
    serialLog: guest.serialLog,
    stop: () => guest.dispose(false),
    deallocate: () => guest.stop(true),
    resize(cores, memoryMiB) {
      guest.init.spec.cores = cores;
      guest.init.spec.memoryMiB = memoryMiB;
    },
    start: async (signal) => {
      await guest.start(signal);
    },
    restart: async (signal) => {
      live();
      await guest.reset(signal);
    },
    async attachDisk(lun, sizeGiB) {
      const qmp = live();
      const id = diskId(lun);
      const file = join(guest.init.dir, `${id}.qcow2`);
      await runCommand('qemu-img', ['create', '-q', '-f', 'qcow2', file, `${sizeGiB}G`]);
      await qmp.execute('blockdev-add', { driver: 'qcow2', 'node-name': id, file: { driver: 'file', filename: file } });
      const serial = `azure-lun${lun}`;
      try {
        await qmp.execute('device_add', { driver: 'virtio-blk-pci', id, drive: id, serial });
      } catch (e) {
        await qmp.execute('blockdev-del', { 'node-name': id }).catch(() => {});
        throw e;
      }
      guest.disks.push({ id, serial, file, sizeGiB });
    },
    async crashKernel() {
      const ssh = await guest.waitSsh(AbortSignal.timeout(60_000), 60_000);
      // The command never returns: the kernel dies under it.
      void ssh.exec('echo 1 > /proc/sys/kernel/sysrq; echo c > /proc/sysrq-trigger', 30_000).catch(() => {});
      try {
        for (let i = 0; i < 600; i++) {
          const text = await readFile(guest.serialLog, 'utf8').catch(() => '');
          if (/Kernel panic - not syncing/.test(text)) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`no kernel panic on the serial console of ${guest.init.name} within 60 s`);
      } finally {
        ssh.close();
      }
    },
    async detachDisk(lun) {
      const id = diskId(lun);
      const i = guest.disks.findIndex((d) => d.id === id);
      if (i < 0) return;
      if (guest.vm?.running && guest.vm.qmp) {
        const qmp = guest.vm.qmp;
        // DEVICE_DELETED comes twice (virtio backend first); only the one naming the device means it is gone.
        const deleted = qmp.waitEvent('DEVICE_DELETED', (e) => e.data?.device === id, 60_000);
        await qmp.execute('device_del', { id });
        await deleted;
        await qmp.execute('blockdev-del', { 'node-name': id });
      }
      const [d] = guest.disks.splice(i, 1);
      await rm(d!.file, { force: true });
    },
  };
}
