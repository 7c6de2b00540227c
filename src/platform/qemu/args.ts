import { accelArgs, type AccelChoice } from './accel.js';
import { swtpmSocket } from './secure-boot/swtpm.js';

export interface VmSpec {
  name: string;
  accel: AccelChoice;
  cores: number;
  memoryMiB: number;
  /** The node's copy-on-write overlay (qcow2) or a disk image the node owns. */
  disk: string;
  diskFormat?: 'qcow2' | 'raw';
  /**
   * UEFI boot through OVMF: the firmware code, this node's own copy of the variable store, the ESP
   * image holding the signed UKI, and the state directory of the node's TPM (absent: no TPM).
   */
  uefi?: { code: string; vars: string; esp: string; tpmDir?: string };
  /** Direct kernel boot; absent means the disk boots itself (GRUB, or the ESP under `uefi`). */
  kernel?: string;
  initrd?: string;
  append?: string;
  sshPort: number;
  /** Host address the SSH port forward listens on (default 127.0.0.1), e.g. a VM's own 127.0.0.N. */
  sshAddress?: string;
  /** Multicast group `addr:port` of the environment's private network, and this node's MAC there. */
  privateNet?: { mcast: string; mac: string };
  serialLog: string;
  qmpSocket: string;
  /** Files the guest reads through fw_cfg (the SSH key). */
  fwCfg?: { name: string; file: string }[];
  /** NoCloud seed ISO for images with cloud-init. */
  seedIso?: string;
  /** Migration source for a warm start, e.g. `exec:cat /path/state`. */
  incoming?: string;
  extraArgs?: string[];
}

export const DEFAULT_APPEND = 'root=/dev/vda rw console=ttyS0 systemd.show_status=1';

/** PCI slots are fixed so that NIC names (ens3, ens8: the image names them by PCI path, with or without ACPI) are stable and warm snapshots match. */
export const SLOT = { nic: '0x3', disk: '0x4', rng: '0x5', esp: '0x6', privateNic: '0x8' } as const;

/**
 * The full QEMU command line for one node. Everything that is part of the guest-visible device
 * set is identical between a warm template and its clones; only host-side paths, ports and the
 * multicast group differ, which migration does not care about.
 */
export function buildQemuArgs(spec: VmSpec): string[] {
  const args: string[] = [
    ...accelArgs(spec.accel),
    '-machine',
    'pc',
    '-m',
    String(spec.memoryMiB),
    '-smp',
    String(spec.cores),
    '-name',
    `lisa-${spec.name},debug-threads=off`,
    '-display',
    'none',
    '-no-user-config',
    '-nodefaults',
    '-blockdev',
    `driver=${spec.diskFormat ?? 'qcow2'},node-name=root,file.driver=file,file.filename=${escapeOpt(spec.disk)}`,
    '-device',
    `virtio-blk-pci,drive=root,addr=${SLOT.disk}`,
    '-netdev',
    `user,id=n0,hostfwd=tcp:${spec.sshAddress ?? '127.0.0.1'}:${spec.sshPort}-:22`,
    '-device',
    `virtio-net-pci,netdev=n0,addr=${SLOT.nic},mac=52:54:00:12:34:56`,
    '-object',
    'rng-random,id=rng0,filename=/dev/urandom',
    '-device',
    `virtio-rng-pci,rng=rng0,addr=${SLOT.rng}`,
    '-chardev',
    // append: a stop/start relaunches QEMU, and the first boot's console must survive it.
    `file,id=ser0,path=${escapeOpt(spec.serialLog)},append=on`,
    '-serial',
    'chardev:ser0',
    '-qmp',
    `unix:${escapeOpt(spec.qmpSocket)},server=on,wait=off`,
  ];
  if (spec.kernel) {
    args.push('-kernel', spec.kernel);
    if (spec.initrd) args.push('-initrd', spec.initrd);
    args.push('-append', spec.append ?? DEFAULT_APPEND);
  }
  if (spec.uefi) args.push(...uefiArgs(spec.uefi));
  if (spec.privateNet) {
    args.push(
      '-netdev',
      `socket,id=n1,mcast=${spec.privateNet.mcast},localaddr=127.0.0.1`,
      '-device',
      `virtio-net-pci,netdev=n1,addr=${SLOT.privateNic},mac=${spec.privateNet.mac}`,
    );
  }
  for (const f of spec.fwCfg ?? []) args.push('-fw_cfg', `name=${f.name},file=${escapeOpt(f.file)}`);
  // A CD-ROM rather than a virtio disk, so the seed is not mistaken for a data disk by storage tests.
  if (spec.seedIso) args.push('-drive', `file=${escapeOpt(spec.seedIso)},if=ide,media=cdrom,format=raw,readonly=on`);
  if (spec.incoming) args.push('-incoming', spec.incoming);
  args.push(...(spec.extraArgs ?? []));
  return args;
}

/**
 * OVMF on pflash (code read-only, variables the node's own), the ESP as a read-only disk that is
 * the only boot entry (read-only also keeps storage suites from taking it for a data disk), and a
 * TPM 2.0 on the TIS interface the 'pc' machine has.
 */
export function uefiArgs(u: NonNullable<VmSpec['uefi']>): string[] {
  const args = [
    '-drive',
    `if=pflash,format=raw,unit=0,readonly=on,file=${escapeOpt(u.code)}`,
    '-drive',
    `if=pflash,format=raw,unit=1,file=${escapeOpt(u.vars)}`,
    '-blockdev',
    `driver=raw,node-name=esp,read-only=on,file.driver=file,file.filename=${escapeOpt(u.esp)}`,
    '-device',
    `virtio-blk-pci,drive=esp,addr=${SLOT.esp},bootindex=0`,
  ];
  if (u.tpmDir) {
    args.push(
      '-chardev',
      `socket,id=tpm0chr,path=${escapeOpt(swtpmSocket(u.tpmDir))}`,
      '-tpmdev',
      'emulator,id=tpm0,chardev=tpm0chr',
      '-device',
      'tpm-tis,tpmdev=tpm0',
    );
  }
  return args;
}

/** QEMU option values use `,` as a separator; a literal comma is written twice. */
export function escapeOpt(value: string): string {
  return value.replace(/,/g, ',,');
}

/** A locally administered MAC, unique per node index within an environment. */
export function privateMac(envSeed: number, index: number): string {
  const b = [0x52, 0x54, 0x00, 0x77, envSeed & 0xff, index & 0xff];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}
