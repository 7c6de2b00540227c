import type { OsFamily, OsInfo } from './types.js';

/** Each family's parent; the chain up to the root gives OsInfo.families. */
const PARENT: Partial<Record<OsFamily, OsFamily>> = {
  debian: 'linux',
  ubuntu: 'debian',
  redhat: 'linux',
  rhel: 'redhat',
  centos: 'redhat',
  almalinux: 'redhat',
  rocky: 'redhat',
  oracle: 'redhat',
  fedora: 'redhat',
  amazon: 'redhat',
  suse: 'linux',
  sles: 'suse',
  opensuse: 'suse',
  // CBL-Mariner was renamed Azure Linux at 3.0; a requirement for azurelinux accepts Mariner 2.
  azurelinux: 'linux',
  mariner: 'azurelinux',
  photon: 'linux',
  coreos: 'linux',
  flatcar: 'coreos',
  alpine: 'linux',
  arch: 'linux',
  gentoo: 'linux',
  nixos: 'linux',
  void: 'linux',
  clearlinux: 'linux',
  cos: 'linux',
  bsd: undefined,
  freebsd: 'bsd',
};

/** os-release ID (or ID_LIKE token) → family. IDs not listed here map to themselves if known. */
const ID_ALIASES: Record<string, OsFamily> = {
  ol: 'oracle',
  amzn: 'amazon',
  sled: 'sles',
  sles_sap: 'sles',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  'opensuse-microos': 'opensuse',
  'opensuse-slowroll': 'opensuse',
  'clear-linux-os': 'clearlinux',
  archarm: 'arch',
  rhcos: 'coreos',
};

function isFamily(s: string): s is OsFamily {
  return s in PARENT || s === 'linux';
}

function familyOf(token: string): OsFamily | undefined {
  const t = token.toLowerCase();
  const alias = ID_ALIASES[t];
  if (alias) return alias;
  return isFamily(t) && t !== 'linux' ? t : undefined;
}

function chain(f: OsFamily): OsFamily[] {
  const out: OsFamily[] = [f];
  for (let p = PARENT[f]; p; p = PARENT[p]) out.push(p);
  return out;
}

/**
 * The family chain for os-release fields: the ID if it is known, else the first known token of
 * ID_LIKE (a derivative like Linux Mint lands in ubuntu → debian), else linux or unknown.
 */
export function familiesFor(fields: Record<string, string>, kernelName = 'Linux'): OsFamily[] {
  const id = familyOf(fields.ID ?? '');
  if (id) return chain(id);
  for (const token of (fields.ID_LIKE ?? '').split(/\s+/).filter(Boolean)) {
    const f = familyOf(token);
    if (f) return chain(f);
  }
  if (/bsd/i.test(kernelName)) return ['bsd'];
  return /linux/i.test(kernelName) || fields.ID ? ['linux'] : ['unknown'];
}

/**
 * Hosts with no package manager and a read-only /usr: Flatcar, CoreOS (old, Fedora and RHEL
 * CoreOS), Container-Optimized OS, and other ostree-based variants.
 */
export function isImmutable(fields: Record<string, string>, families: readonly OsFamily[]): boolean {
  if (families.includes('coreos') || families.includes('cos')) return true;
  const variant = (fields.VARIANT_ID ?? '').toLowerCase();
  return (
    ['coreos', 'iot', 'silverblue', 'kinoite', 'sericea', 'onyx', 'microos'].includes(variant) ||
    /microos/.test(fields.ID ?? '')
  );
}

/**
 * The requirement predicate: true when the OS belongs to any of the named families or has one of
 * them as its os-release ID. `osMatches(ubuntu, ['debian'])` is true. Names are case-insensitive and
 * accept os-release IDs (`ol`, `amzn`) as aliases.
 */
export function osMatches(os: OsInfo, families: readonly string[]): boolean {
  if (families.length === 0) return true;
  const have = new Set<string>(os.families);
  have.add(os.id.toLowerCase());
  return families.some((name) => {
    const n = name.toLowerCase();
    return have.has(n) || have.has(ID_ALIASES[n] ?? '');
  });
}
