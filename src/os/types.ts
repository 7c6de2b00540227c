/**
 * Families form a tree: a node whose family is `ubuntu` also belongs to `debian` and `linux`.
 * `supported_os: [debian]` in a requirement therefore accepts Ubuntu.
 */
export type OsFamily =
  | 'linux'
  | 'debian'
  | 'ubuntu'
  | 'redhat'
  | 'rhel'
  | 'centos'
  | 'almalinux'
  | 'rocky'
  | 'oracle'
  | 'fedora'
  | 'amazon'
  | 'suse'
  | 'sles'
  | 'opensuse'
  | 'azurelinux'
  | 'mariner'
  | 'photon'
  | 'flatcar'
  | 'coreos'
  | 'alpine'
  | 'arch'
  | 'gentoo'
  | 'nixos'
  | 'void'
  | 'clearlinux'
  | 'cos'
  | 'freebsd'
  | 'bsd'
  | 'unknown';

export interface OsInfo {
  /** os-release ID, e.g. `ubuntu`. */
  id: string;
  /** PRETTY_NAME or NAME + VERSION. */
  name: string;
  /** VERSION_ID, e.g. `22.04`; empty for rolling releases. */
  version: string;
  codename: string;
  /** The most specific family, then its ancestors, e.g. ['ubuntu', 'debian', 'linux']. */
  families: OsFamily[];
  kernel: { name: string; release: string; version: string };
  arch: string;
  /** Immutable hosts (Flatcar, CoreOS) have no package manager and a read-only /usr. */
  immutable: boolean;
}
