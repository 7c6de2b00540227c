import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import type { PlatformConfig } from '../../runbook/types.js';
import { defaultCacheDir } from './image/spec.js';
import { qemuSchema, type QemuSection } from './schema.js';
import { resolveSecureBoot, type SecureBootOptions } from './secure-boot/options.js';

/** What the platform works with: the validated `qemu:` section (./schema.ts) turned into paths and units. */
export interface QemuOptions {
  /** `builtin` (the Debian guest this platform builds) or a path to an existing qcow2/raw disk. */
  image: 'builtin' | { disk: string; format: 'qcow2' | 'raw' };
  /** Variant of the built-in guest: `cis` is hardened to CIS Level 1 (and logs in without root). */
  profile: QemuSection['profile'];
  /** Firmware, keys and TPM of the secure_boot profile (absent for the others). */
  secureBoot?: SecureBootOptions;
  kernel?: string;
  initrd?: string;
  append?: string;
  cacheDir: string;
  accel: QemuSection['accel'];
  /** Per-guest defaults; a case's minCores/minMemoryMiB raise them. */
  cores?: number;
  memoryMiB: number;
  dataDisks: number;
  bootTimeoutMs: number;
  warmStart: boolean;
  privateNetwork: boolean;
  username: string;
  qemuBinary: string;
  keepEnvironment: PlatformConfig['keepEnvironment'];
  hostCores: number;
  hostMemoryMiB: number;
}

/**
 * `config.options` is the schema's output when it comes from a runbook; anything else (a program
 * building a config by hand) is parsed here with the same schema, so there is one set of rules.
 */
export function parseQemuOptions(config: Partial<PlatformConfig<Partial<QemuSection>>>): QemuOptions {
  const o = qemuSchema.parse(config.options ?? {});
  // Relative paths are relative to the runbook that declared the platform.
  const base = config.baseDir ?? process.cwd();
  const abs = (p: string | undefined): string | undefined => (p ? resolve(base, p) : undefined);
  let image: QemuOptions['image'] = 'builtin';
  if (o.image && !o.image.startsWith('builtin')) {
    image = { disk: resolve(base, o.image), format: /\.(raw|img)$/i.test(o.image) ? 'raw' : 'qcow2' };
  }
  return {
    image,
    profile: o.profile,
    secureBoot: o.profile === 'secure_boot' ? resolveSecureBoot(o.secure_boot, (p) => resolve(base, p)) : undefined,
    kernel: abs(o.kernel),
    initrd: abs(o.initrd),
    append: o.append,
    cacheDir: resolve(base, o.cache_dir ?? defaultCacheDir()),
    accel: o.accel,
    cores: o.cores,
    memoryMiB: o.memory_mb,
    dataDisks: o.data_disks,
    bootTimeoutMs: o.boot_timeout * 1000,
    warmStart: o.warm_start,
    privateNetwork: o.private_network,
    username: o.username ?? config.adminUsername ?? 'lisa',
    qemuBinary: o.qemu_binary ?? process.env.LISA_QEMU_BINARY ?? 'qemu-system-x86_64',
    keepEnvironment: config.keepEnvironment ?? 'no',
    hostCores: cpus().length,
    hostMemoryMiB: Math.floor(totalmem() / 1024 / 1024),
  };
}
