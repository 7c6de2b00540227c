import { shellJoin, shellQuote } from '../shell/quote.js';

export type PackageManagerName = 'apt' | 'dnf' | 'yum' | 'tdnf' | 'zypper' | 'apk' | 'pacman' | 'pkg';

/**
 * The command lines of one package manager. Pure, so unit tests check them without a node.
 * Mutating commands never prompt: a prompt on a remote node would hang until the timeout.
 */
export interface PackageCommands {
  install(pkgs: string[]): string;
  remove(pkgs: string[]): string;
  /** Exits 0 when the package is installed (apt needs `installedFrom` to read its status). */
  query(pkg: string): string;
  refresh(): string;
  /** Output of `query` → installed? Defaults to exit code 0. */
  installedFrom?(stdout: string, exitCode: number): boolean;
  /** Lines in stdout/stderr that mean another process holds the package database. */
  lockPatterns: RegExp[];
}

const APT_ENV = 'DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a';
const APT_OPTS = '-y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold -o DPkg::Lock::Timeout=0';

const rpmQuery = (pkg: string): string => `rpm -q ${shellQuote(pkg)}`;
// rpm's own database lock, shared by dnf, yum, tdnf and zypper.
const RPM_LOCK = /can't create transaction lock|rpmdb: .*lock|Failed to acquire rpm lock/i;

export const PACKAGE_COMMANDS: Record<PackageManagerName, PackageCommands> = {
  apt: {
    install: (p) => `env ${APT_ENV} apt-get install ${APT_OPTS} ${shellJoin(p)}`,
    remove: (p) => `env ${APT_ENV} apt-get remove ${APT_OPTS} ${shellJoin(p)}`,
    query: (p) => `dpkg-query -W -f='\${Status}' ${shellQuote(p)}`,
    refresh: () => `env ${APT_ENV} apt-get update -q -o DPkg::Lock::Timeout=0`,
    // "deinstall ok config-files" is a removed package whose configuration remains.
    installedFrom: (out, code) => code === 0 && /\binstall ok installed\b/.test(out),
    lockPatterns: [/Could not get lock/i, /dpkg frontend lock/i, /Unable to lock directory/i, /dpkg was interrupted/i],
  },
  dnf: {
    install: (p) => `dnf install -y -q ${shellJoin(p)}`,
    remove: (p) => `dnf remove -y -q ${shellJoin(p)}`,
    query: rpmQuery,
    refresh: () => 'dnf makecache -y -q',
    lockPatterns: [
      /Waiting for process with pid/i,
      /Failed to obtain the transaction lock/i,
      /another copy is running/i,
      RPM_LOCK,
    ],
  },
  yum: {
    install: (p) => `yum install -y -q ${shellJoin(p)}`,
    remove: (p) => `yum remove -y -q ${shellJoin(p)}`,
    query: rpmQuery,
    refresh: () => 'yum makecache -y -q',
    lockPatterns: [/Another app is currently holding the yum lock/i, /Existing lock \/var\/run\/yum\.pid/i, RPM_LOCK],
  },
  tdnf: {
    install: (p) => `tdnf install -y -q ${shellJoin(p)}`,
    remove: (p) => `tdnf remove -y -q ${shellJoin(p)}`,
    query: rpmQuery,
    refresh: () => 'tdnf makecache -q',
    lockPatterns: [/tdnf.*(?:lock|instance)/i, /Waiting for .*lock/i, RPM_LOCK],
  },
  zypper: {
    install: (p) => `zypper --non-interactive --gpg-auto-import-keys install --no-recommends ${shellJoin(p)}`,
    remove: (p) => `zypper --non-interactive remove ${shellJoin(p)}`,
    query: rpmQuery,
    refresh: () => 'zypper --non-interactive --gpg-auto-import-keys refresh',
    lockPatterns: [/System management is locked/i, RPM_LOCK],
  },
  apk: {
    install: (p) => `apk add --no-progress ${shellJoin(p)}`,
    remove: (p) => `apk del --no-progress ${shellJoin(p)}`,
    query: (p) => `apk info -e ${shellQuote(p)}`,
    refresh: () => 'apk update --no-progress',
    lockPatterns: [/Unable to lock database/i],
  },
  pacman: {
    install: (p) => `pacman -S --noconfirm --needed ${shellJoin(p)}`,
    remove: (p) => `pacman -R --noconfirm ${shellJoin(p)}`,
    query: (p) => `pacman -Q ${shellQuote(p)}`,
    refresh: () => 'pacman -Sy --noconfirm',
    lockPatterns: [/unable to lock database/i, /could not lock database/i],
  },
  pkg: {
    install: (p) => `env ASSUME_ALWAYS_YES=yes pkg install -y ${shellJoin(p)}`,
    remove: (p) => `env ASSUME_ALWAYS_YES=yes pkg delete -y ${shellJoin(p)}`,
    query: (p) => `pkg info -e ${shellQuote(p)}`,
    refresh: () => 'env ASSUME_ALWAYS_YES=yes pkg update',
    lockPatterns: [/Cannot get an exclusive lock/i, /database is locked/i],
  },
};

/** True when the output of a failed package command says the package database is locked. */
export function isLockContention(manager: PackageManagerName, output: string): boolean {
  return PACKAGE_COMMANDS[manager].lockPatterns.some((re) => re.test(output));
}
