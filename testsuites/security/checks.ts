import { expectNone, expectTrue, fail } from '../../src/testing/assert.js';
import type { PasswdEntry, ShadowEntry } from '../../tools/accounts.js';
import type { AppArmorStatus } from '../../tools/apparmor.js';
import type { FipsState } from '../../tools/fips.js';
import { isUmaskAtLeast022, type UmaskSetting } from '../../tools/login-defs.js';
import type { SelinuxStatus } from '../../tools/selinux.js';
import type { HistoryFile } from '../../tools/shell-history.js';
import type { HostKeyFingerprint } from '../../tools/ssh-host-keys.js';
import { sshdValue, type SshdSettings } from '../../tools/sshd-config.js';
import type { WritableEntry } from '../../tools/world-writable.js';
import type { WriteProbeResult } from '../../tools/write-probe.js';
import type { SubResultStatus } from '../../src/testing/types.js';

/** CIS 5.2.x: `yes` lets root log in with a password; every other value does not. */
export function checkSshRootLogin(where: string, settings: SshdSettings): void {
  const v = sshdValue(settings, 'permitrootlogin') ?? '(unset)';
  expectTrue(`PermitRootLogin of sshd on ${where}`, v !== 'yes', 'no, prohibit-password or forced-commands-only', v);
}

export function checkSshEmptyPasswords(where: string, settings: SshdSettings): void {
  const v = sshdValue(settings, 'permitemptypasswords') ?? '(unset)';
  expectTrue(`PermitEmptyPasswords of sshd on ${where}`, v === 'no', 'no', v);
}

export function checkNoWorldWritable(nodeName: string, entries: readonly WritableEntry[]): void {
  expectNone(
    `world-writable files or non-sticky directories in system paths of ${nodeName}`,
    entries,
    (e) => `${e.path} (${e.type}, mode ${e.mode}, owner ${e.owner})`,
  );
}

export function checkNoEmptyPasswords(nodeName: string, shadow: readonly ShadowEntry[]): void {
  expectNone(
    `accounts with an empty password on ${nodeName}`,
    shadow.filter((e) => e.password === 'empty'),
    (e) => e.user,
  );
}

export function checkOnlyRootHasUid0(nodeName: string, passwd: readonly PasswdEntry[]): void {
  expectNone(
    `accounts other than root with UID 0 on ${nodeName}`,
    passwd.filter((e) => e.uid === 0 && e.user !== 'root'),
    (e) => e.user,
  );
}

/** The default umask must clear group and other write (022 or stricter) everywhere it is set. */
export function checkUmask(nodeName: string, settings: readonly UmaskSetting[]): void {
  if (settings.length === 0)
    fail(`default umask on ${nodeName}`, '022 or stricter set in /etc/login.defs or /etc/profile', 'no umask setting');
  expectNone(
    `umask settings looser than 022 on ${nodeName}`,
    settings.filter((s) => !isUmaskAtLeast022(s.value)),
    (s) => `${s.value} in ${s.source}`,
  );
}

export interface Report {
  name: string;
  status: SubResultStatus;
  message: string;
}

/** SELinux and AppArmor state as sub-results; PASSED when the module is enforcing something. */
export function macReport(selinux: SelinuxStatus, apparmor: AppArmorStatus): Report[] {
  const se: Report = {
    name: 'selinux',
    status: selinux.mode === 'enforcing' ? 'PASSED' : selinux.mode === 'permissive' ? 'ATTEMPTED' : 'SKIPPED',
    message: `SELinux ${selinux.mode}${selinux.policy ? ` (policy ${selinux.policy})` : ''}`,
  };
  const profiles = apparmor.profiles
    ? `, ${apparmor.profiles.enforce} profiles enforcing, ${apparmor.profiles.complain} complaining`
    : '';
  const aa: Report = {
    name: 'apparmor',
    status: apparmor.enabled
      ? apparmor.profiles && apparmor.profiles.enforce === 0
        ? 'ATTEMPTED'
        : 'PASSED'
      : 'SKIPPED',
    message: `AppArmor ${apparmor.enabled ? 'enabled' : 'disabled'}${profiles}`,
  };
  return [se, aa];
}

/** With `require_mac`: one mandatory access control module must be enforcing. */
export function checkMacEnforcing(nodeName: string, selinux: SelinuxStatus, apparmor: AppArmorStatus): void {
  const aaEnforcing = apparmor.enabled && (apparmor.profiles === undefined || apparmor.profiles.enforce > 0);
  if (selinux.mode === 'enforcing' || aaEnforcing) return;
  fail(
    `mandatory access control on ${nodeName}`,
    'SELinux enforcing or AppArmor enforcing profiles',
    macReport(selinux, apparmor)
      .map((r) => r.message)
      .join('; '),
  );
}

export function fipsReport(state: FipsState): Report {
  const k = state.kernelFipsEnabled;
  return {
    name: 'fips',
    status: k ? 'PASSED' : 'SKIPPED',
    message: `FIPS mode ${k === null ? 'not supported by the kernel' : k ? 'enabled' : 'disabled'}${state.cmdlineFips ? ' (fips=1 on the command line)' : ''}`,
  };
}

/** With `expect_fips` set: the kernel's FIPS mode must match it, and fips=1 must not be ignored. */
export function checkFips(nodeName: string, state: FipsState, expected: boolean): void {
  const actual = state.kernelFipsEnabled === true;
  if (state.cmdlineFips && !actual)
    fail(`FIPS mode on ${nodeName}`, 'enabled (fips=1 is on the kernel command line)', 'disabled');
  expectTrue(
    `FIPS mode on ${nodeName}`,
    actual === expected,
    expected ? 'enabled' : 'disabled',
    fipsReport(state).message,
  );
}

export function checkUsrReadOnly(nodeName: string, probe: WriteProbeResult): void {
  expectTrue(`/usr on ${nodeName}`, !probe.writable, 'read-only (immutable host)', 'writable by root');
}

export function checkNoShellHistory(nodeName: string, files: readonly HistoryFile[]): void {
  expectNone(
    `shell history left in the image of ${nodeName}`,
    files,
    (f) => `${f.path} (${f.sizeBytes} bytes, owner ${f.owner})`,
  );
}

/**
 * Host keys are legitimate on a running VM; in an image to be captured they are a defect (every
 * clone would share them). Fails only when the runbook says the node is an image candidate.
 */
export function checkNoHostKeys(nodeName: string, keys: readonly HostKeyFingerprint[], failWhenPresent: boolean): void {
  if (!failWhenPresent) return;
  expectNone(
    `SSH host keys present on ${nodeName} (image should generate them on first boot)`,
    keys,
    (k) => `${k.type} ${k.fingerprint} (${k.path})`,
  );
}

/** Fingerprints that more than one node has: keys baked into the image the nodes were cloned from. */
export function sharedHostKeys(
  byNode: Readonly<Record<string, readonly HostKeyFingerprint[]>>,
): { fingerprint: string; type: string; nodes: string[] }[] {
  const owners = new Map<string, { type: string; nodes: string[] }>();
  for (const [node, keys] of Object.entries(byNode)) {
    for (const k of keys) {
      const o = owners.get(k.fingerprint) ?? { type: k.type, nodes: [] };
      if (!o.nodes.includes(node)) o.nodes.push(node);
      owners.set(k.fingerprint, o);
    }
  }
  return [...owners].filter(([, o]) => o.nodes.length > 1).map(([fingerprint, o]) => ({ fingerprint, ...o }));
}

export function checkHostKeysUnique(byNode: Readonly<Record<string, readonly HostKeyFingerprint[]>>): void {
  expectNone(
    'SSH host keys shared between nodes (baked into the image)',
    sharedHostKeys(byNode),
    (s) => `${s.type} ${s.fingerprint} on ${s.nodes.join(', ')}`,
  );
}
