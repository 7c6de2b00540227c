import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import type { PlatformConfig } from '../../runbook/types.js';
import { defaultCacheDir } from './image/spec.js';

/** The runbook's `qemu:` section after defaults (keys follow src/runbook/schema/platforms.ts). */
export interface QemuOptions {
  /** `builtin` (the Debian guest this platform builds) or a path to an existing qcow2/raw disk. */
  image: 'builtin' | { disk: string; format: 'qcow2' | 'raw' };
  kernel?: string;
  initrd?: string;
  append?: string;
  cacheDir: string;
  accel: 'auto' | 'kvm' | 'tcg';
  /** Per-guest defaults; a case's minCores/minMemoryMiB raise them. */
  cores?: number;
  memoryMiB: number;
  dataDisks: number;
  bootTimeoutMs: number;
  warmStart: boolean;
  privateNetwork: boolean;
  username: string;
  qemuBinary: string;
  keepEnvironment: 'no' | 'always' | 'failed';
  hostCores: number;
  hostMemoryMiB: number;
}

class QemuConfigError extends Error {
  constructor(key: string, message: string) {
    super(`runbook platform qemu.${key}: ${message}`);
    this.name = 'QemuConfigError';
  }
}

function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !v)
    throw new QemuConfigError(key, `expected a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function num(o: Record<string, unknown>, key: string, min: number): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
    throw new QemuConfigError(key, `expected a number >= ${min}, got ${JSON.stringify(v)}`);
  return v;
}

export function parseQemuOptions(config: Partial<PlatformConfig> & { options?: Record<string, unknown> }): QemuOptions {
  const o = config.options ?? {};
  const imageText = str(o, 'image');
  let image: QemuOptions['image'] = 'builtin';
  if (imageText && !imageText.startsWith('builtin')) {
    image = { disk: resolve(imageText), format: /\.(raw|img)$/i.test(imageText) ? 'raw' : 'qcow2' };
  }
  const accel = (str(o, 'accel') ?? 'auto') as QemuOptions['accel'];
  if (!['auto', 'kvm', 'tcg'].includes(accel))
    throw new QemuConfigError('accel', `expected auto, kvm or tcg, got ${accel}`);
  const abs = (p: string | undefined): string | undefined => (p ? resolve(p) : undefined);
  return {
    image,
    kernel: abs(str(o, 'kernel')),
    initrd: abs(str(o, 'initrd')),
    append: str(o, 'append'),
    cacheDir: resolve(str(o, 'cache_dir') ?? defaultCacheDir()),
    accel,
    cores: num(o, 'cores', 1),
    memoryMiB: num(o, 'memory_mb', 128) ?? 1024,
    dataDisks: num(o, 'data_disks', 0) ?? 0,
    // TCG boots take 25-45 s here and up to 175 s when the host is busy.
    bootTimeoutMs: (num(o, 'boot_timeout', 1) ?? 300) * 1000,
    warmStart: (o.warm_start as boolean | undefined) ?? true,
    privateNetwork: (o.private_network as boolean | undefined) ?? true,
    username: str(o, 'username') ?? config.adminUsername ?? 'lisa',
    qemuBinary: str(o, 'qemu_binary') ?? process.env.LISA_QEMU_BINARY ?? 'qemu-system-x86_64',
    keepEnvironment: config.keepEnvironment ?? 'no',
    hostCores: cpus().length,
    hostMemoryMiB: Math.floor(totalmem() / 1024 / 1024),
  };
}
