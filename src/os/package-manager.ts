import type { ExecResult, Node } from '../node/types.js';
import {
  isLockContention,
  PACKAGE_COMMANDS,
  type PackageCommands,
  type PackageManagerName,
} from './package-commands.js';
import type { OsInfo } from './types.js';

export { isLockContention, PACKAGE_COMMANDS, type PackageManagerName } from './package-commands.js';

export interface PackageManager {
  readonly name: PackageManagerName;
  install(packages: string[]): Promise<void>;
  remove(packages: string[]): Promise<void>;
  isInstalled(pkg: string): Promise<boolean>;
  /** Refreshes the package index (apt-get update, dnf makecache, ...). */
  refresh(): Promise<void>;
}

/** Immutable hosts (Flatcar, CoreOS) have no package manager; tools must be baked in. */
export class ImmutableOsError extends Error {
  constructor(node: string, os: string) {
    super(`${node} runs ${os}, an immutable OS without a package manager: packages cannot be installed or removed`);
    this.name = 'ImmutableOsError';
  }
}

export class PackageManagerError extends Error {
  constructor(
    message: string,
    readonly result?: ExecResult,
  ) {
    super(message);
    this.name = 'PackageManagerError';
  }
}

export interface RetryPolicy {
  /** Total attempts while the package database is locked. */
  attempts: number;
  /** First wait; doubled each retry up to maxDelayMs. */
  delayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 8,
  delayMs: 5_000,
  maxDelayMs: 60_000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/**
 * Runs one manager's commands on a node. Lock contention (unattended-upgrades, cloud-init, a
 * concurrent zypper) is the usual cause of flaky installs on fresh images, so those failures are
 * retried with backoff; any other failure is reported at once with the tail of the output.
 */
export class CommandPackageManager implements PackageManager {
  private readonly cmds: PackageCommands;

  constructor(
    readonly node: Node,
    readonly name: PackageManagerName,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.cmds = PACKAGE_COMMANDS[name];
  }

  async install(packages: string[]): Promise<void> {
    if (packages.length === 0) return;
    await this.mutate(`install ${packages.join(' ')}`, this.cmds.install(packages));
  }

  async remove(packages: string[]): Promise<void> {
    if (packages.length === 0) return;
    await this.mutate(`remove ${packages.join(' ')}`, this.cmds.remove(packages));
  }

  async refresh(): Promise<void> {
    await this.mutate('refresh the package index', this.cmds.refresh());
  }

  async isInstalled(pkg: string): Promise<boolean> {
    const r = await this.node.execute(this.cmds.query(pkg), { noErrorLog: true, timeoutMs: 60_000 });
    return this.cmds.installedFrom ? this.cmds.installedFrom(r.stdout, r.exitCode) : r.exitCode === 0;
  }

  private async mutate(what: string, command: string): Promise<void> {
    let delay = this.retry.delayMs;
    for (let attempt = 1; ; attempt++) {
      const r = await this.node.execute(command, { sudo: true, noErrorLog: true, timeoutMs: 30 * 60_000 });
      if (r.exitCode === 0) return;
      const output = `${r.stdout}\n${r.stderr}`;
      const locked = isLockContention(this.name, output);
      if (!locked || attempt >= this.retry.attempts) {
        const tail = output.trim().split('\n').slice(-6).join('\n');
        const why = locked ? `the package database stayed locked after ${attempt} attempts` : `exit code ${r.exitCode}`;
        throw new PackageManagerError(
          `${this.name} could not ${what} on ${this.node.name} (${why}): ${command}\n${tail}`,
          r,
        );
      }
      this.node.log.warn(`${this.name} database locked on ${this.node.name}; retry ${attempt} in ${delay} ms`);
      await this.retry.sleep(delay);
      delay = Math.min(delay * 2, this.retry.maxDelayMs);
    }
  }
}

/**
 * Which manager an OS uses. Red Hat family hosts may have dnf or yum (RHEL/CentOS 7, Amazon
 * Linux 2), so that case needs `hasDnf`.
 */
export function packageManagerNameFor(os: OsInfo, hasDnf = true): PackageManagerName | undefined {
  const f = new Set<string>(os.families);
  if (f.has('debian')) return 'apt';
  if (f.has('azurelinux') || f.has('photon')) return 'tdnf';
  if (f.has('redhat')) return hasDnf ? 'dnf' : 'yum';
  if (f.has('suse')) return 'zypper';
  if (f.has('alpine')) return 'apk';
  if (f.has('arch')) return 'pacman';
  if (f.has('freebsd')) return 'pkg';
  return undefined;
}

const cache = new WeakMap<Node, Promise<PackageManager>>();

/** The node's package manager, detected once per node. */
export function packageManagerFor(node: Node, retry: RetryPolicy = DEFAULT_RETRY): Promise<PackageManager> {
  let pm = cache.get(node);
  if (!pm) {
    pm = detect(node, retry);
    cache.set(node, pm);
    pm.catch(() => cache.delete(node));
  }
  return pm;
}

async function detect(node: Node, retry: RetryPolicy): Promise<PackageManager> {
  const os = await node.os();
  if (os.immutable) throw new ImmutableOsError(node.name, os.name);
  let hasDnf = true;
  if (os.families.includes('redhat')) {
    hasDnf = (await node.execute('command -v dnf', { noErrorLog: true, timeoutMs: 30_000 })).exitCode === 0;
  }
  const name = packageManagerNameFor(os, hasDnf);
  if (!name)
    throw new PackageManagerError(
      `no supported package manager is known for ${os.name} (${os.families.join(' > ')}) on ${node.name}`,
    );
  return new CommandPackageManager(node, name, retry);
}
