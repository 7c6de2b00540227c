import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CIS_PACKAGES, cisHardeningScript } from './cis-hardening.js';
import { configureScript } from './configure.js';

/**
 * Packages of the built-in guest. The cloud kernel builds in 66 s instead of 105 s and still has
 * virtio, ACPI hotplug and ext4 built in; the rest is what the built-in suites call on the guest.
 * fio is left out on purpose: it drags in the ceph client libraries; suites install it on demand.
 */
export const DEFAULT_PACKAGES: readonly string[] = [
  'linux-image-cloud-amd64',
  'systemd-sysv',
  'udev',
  'dbus',
  'openssh-server',
  'sudo',
  'iproute2',
  'iputils-ping',
  'procps',
  'iperf3',
  'e2fsprogs',
  'netbase',
  'less',
  'util-linux',
  'fdisk',
  'kmod',
  'ethtool',
  'pciutils',
  'bind9-host',
  // chrony, not timesyncd: it takes a server port, and the platform serves time on 10.0.2.2:<port>.
  'chrony',
];

export interface ImageSpec {
  suite: string;
  mirror: string;
  packages: string[];
  /** Size of the root filesystem (the ext4 is made at this size; the overlay cannot grow it). */
  diskSizeGiB: number;
  username: string;
  /** `cis`: CIS Level 1 hardening on top (see cis-hardening.ts). Absent for the plain guest. */
  hardening?: 'cis';
}

export interface BuildImageOptions {
  /** Defaults to ~/.cache/lisa/images. */
  cacheDir?: string;
  suite?: string;
  mirror?: string;
  /** Replaces the default package list. */
  packages?: string[];
  /** Added to the default (or given) package list. */
  extraPackages?: string[];
  diskSizeGiB?: number;
  username?: string;
  hardening?: 'cis';
  /** Rebuild even when a cached image exists. */
  force?: boolean;
  signal?: AbortSignal;
  /** Progress lines (debootstrap is quiet for a minute or more). */
  log?: (line: string) => void;
  /** Same as `log`. */
  onProgress?: (line: string) => void;
}

export interface BuiltImage {
  imagePath: string;
  kernel: string;
  initrd: string;
  /** Cache key: a content hash of everything that shapes the image. */
  key: string;
  username: string;
  cached: boolean;
  ms: number;
}

export function defaultCacheDir(): string {
  return process.env.LISA_IMAGE_CACHE ?? join(homedir(), '.cache', 'lisa', 'images');
}

export function resolveSpec(options: BuildImageOptions): ImageSpec {
  const base = options.packages ?? [...DEFAULT_PACKAGES];
  const hardening = options.hardening === 'cis' ? CIS_PACKAGES : [];
  const packages = [...new Set([...base, ...hardening, ...(options.extraPackages ?? [])])].sort();
  return {
    suite: options.suite ?? 'bookworm',
    mirror: options.mirror ?? 'http://deb.debian.org/debian',
    packages,
    diskSizeGiB: options.diskSizeGiB ?? 4,
    username: options.username ?? 'lisa',
    ...(options.hardening ? { hardening: options.hardening } : {}),
  };
}

/** Bump when the build steps change in a way the spec and the script text do not show. */
const BUILDER_VERSION = 1;

export function imageKey(spec: ImageSpec): string {
  // The hardening script joins the hash only when used, so the plain guest keeps its key.
  const hardening = spec.hardening === 'cis' ? { hardening: cisHardeningScript(spec.username) } : {};
  const text = JSON.stringify({ v: BUILDER_VERSION, spec, script: configureScript(spec.username), ...hardening });
  return `debian-${spec.suite}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}
