import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { QmpClient } from '../../../src/platform/qemu/qmp.js';

/** What the test host needs to boot the project's image as a "Hyper-V VM" under QEMU. */
export interface GuestBoot {
  kernel: string;
  initrd: string;
  publicKeyFile: string;
  guestSshPort: number;
  /** Kernel command line instead of the image's usual one (e.g. one whose boot panics). */
  append?: string;
}

/** A VM of the test host: the state Hyper-V keeps, and the QEMU process that is its guest. */
export class TestVm {
  cores = 1;
  pipe = '';
  secureBoot = true;
  proc: ChildProcess | undefined;
  qmp: QmpClient | undefined;
  readonly disks = new Map<string, string>();
  private diskN = 0;

  constructor(
    readonly name: string,
    readonly generation: number,
    readonly memoryMiB: number,
    readonly vhd: string,
    readonly dir: string,
    readonly switchName: string,
    readonly ip: string,
  ) {}

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  get serialLog(): string {
    return join(this.dir, 'com1.log');
  }

  async start(boot: GuestBoot): Promise<void> {
    if (this.running) throw new Error(`Start-VM : The virtual machine '${this.name}' is already running.`);
    if (!existsSync(this.vhd)) throw new Error(`Start-VM : The file '${this.vhd}' does not exist.`);
    const qmpPath = join(this.dir, 'qmp.sock');
    // Generation and Secure Boot are Hyper-V notions; the stand-in boots the image's kernel directly.
    this.proc = spawn(
      'qemu-system-x86_64',
      [
        '-accel',
        'tcg,thread=multi,tb-size=128',
        '-cpu',
        'max',
        '-machine',
        'pc',
        '-m',
        String(this.memoryMiB),
        '-smp',
        String(this.cores),
        '-name',
        `hyperv-test-${this.name}`,
        '-display',
        'none',
        '-nodefaults',
        '-no-user-config',
        '-drive',
        `file=${this.vhd},format=vhdx,if=virtio`,
        '-kernel',
        boot.kernel,
        '-initrd',
        boot.initrd,
        '-append',
        // no_timer_check: on a loaded TCG host the kernel's IO-APIC timer check can fail and panic at boot.
        boot.append ?? 'root=/dev/vda rw console=ttyS0,115200 no_timer_check',
        '-netdev',
        `user,id=n0,hostfwd=tcp:${this.ip}:${boot.guestSshPort}-:22`,
        '-device',
        'virtio-net-pci,netdev=n0',
        '-fw_cfg',
        `name=opt/lisa/authorized_keys,file=${boot.publicKeyFile}`,
        '-chardev',
        `file,id=ser0,path=${this.serialLog}`,
        '-serial',
        'chardev:ser0',
        '-qmp',
        `unix:${qmpPath},server=on,wait=off`,
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100 && !this.qmp; i++) {
      await new Promise((r) => setTimeout(r, 100));
      this.qmp = await QmpClient.connect(qmpPath, 2000).catch(() => undefined);
    }
    if (!this.qmp) throw new Error(`Start-VM : '${this.name}' failed to start.`);
  }

  async stop(turnOff: boolean): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((r) => this.proc!.once('exit', r));
    if (!turnOff) await this.qmp?.execute('system_powerdown').catch(() => undefined);
    const t = setTimeout(() => this.proc?.kill('SIGKILL'), turnOff ? 0 : 60_000);
    await exited;
    clearTimeout(t);
    this.qmp?.close();
    this.qmp = undefined;
  }

  async restart(): Promise<void> {
    if (!this.qmp) throw new Error(`Restart-VM : '${this.name}' is not running.`);
    await this.qmp.execute('system_reset');
  }

  async addDisk(path: string): Promise<void> {
    if (!this.qmp) throw new Error(`Add-VMHardDiskDrive : '${this.name}' is not running.`);
    const id = `scsi${++this.diskN}`;
    await this.qmp.execute('blockdev-add', {
      driver: 'vhdx',
      'node-name': id,
      file: { driver: 'file', filename: path },
    });
    await this.qmp.execute('device_add', { driver: 'virtio-blk-pci', id, drive: id });
    this.disks.set(path, id);
  }

  async removeDisk(path: string): Promise<void> {
    const id = this.disks.get(path);
    if (!id || !this.qmp) return;
    const gone = this.qmp.waitEvent('DEVICE_DELETED', (e) => e.data?.device === id, 30_000);
    await this.qmp.execute('device_del', { id });
    await gone;
    await this.qmp.execute('blockdev-del', { 'node-name': id });
    this.disks.delete(path);
  }
}
