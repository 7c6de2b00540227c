import { expectNone, expectTrue, fail } from '../../src/testing/assert.js';
import { classifyKernelLine, type KernelFinding } from '../../tools/dmesg.js';
import type { JournalEntry } from '../../tools/journalctl.js';
import { cmdlineValues, type KernelCmdline } from '../../tools/cmdline.js';

/**
 * Known benign kernel noise that the defect patterns would otherwise flag. Each entry says why.
 */
export const KERNEL_ALLOWLIST: RegExp[] = [
  // Probing an empty legacy floppy or CD-ROM drive (QEMU, Hyper-V, Azure's provisioning ISO).
  /I\/O error, dev (?:fd\d|sr\d)\b/,
  /Buffer I\/O error on dev (?:fd\d|sr\d)\b/,
];

/**
 * Processes whose crash is a defect of the image: init, the service manager's helpers, logging,
 * login and networking daemons, and provisioning agents. A segfault of a user's program is not.
 */
export const SYSTEM_PROCESSES =
  /^(?:systemd[\w-]*|\(sd-[\w-]+\)|init|udevd|journald|dbus[\w-]*|sshd|cron|crond|rsyslogd|agetty|login|sudo|su|polkitd|NetworkManager|networkd|dhclient|wpa_supplicant|chronyd|ntpd|auditd|cloud-init|waagent|walinuxagent|hv_\w+|snapd|multipathd|irqbalance|containerd|dockerd|kubelet|(?:ba|da|z)?sh|python3?[\d.]*)$/;

/** The process name in `name[pid]: segfault at ...`. */
export function segfaultProcess(message: string): string | undefined {
  return /^(\S+?)\[\d+\]: segfault at /.exec(message)?.[1];
}

/** Turns a `dmesg_ignore` / `journal_ignore` variable (a regex or a list of them) into patterns. */
export function ignorePatterns(value: unknown): RegExp[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map((v) => new RegExp(String(v)));
}

/**
 * Kernel log findings that indicate a defect: everything the classifier flags, minus the
 * allow-list and segfaults of non-system processes.
 */
export function kernelDefects(findings: readonly KernelFinding[], ignore: readonly RegExp[] = []): KernelFinding[] {
  return findings.filter((f) => {
    if ([...KERNEL_ALLOWLIST, ...ignore].some((re) => re.test(f.message))) return false;
    if (f.defect === 'segfault') {
      const proc = segfaultProcess(f.message);
      return proc !== undefined && SYSTEM_PROCESSES.test(proc);
    }
    return true;
  });
}

export function checkKernelLog(nodeName: string, defects: readonly KernelFinding[]): void {
  expectNone(
    `kernel log (dmesg) of ${nodeName}`,
    defects,
    (f) => `[${f.time.toFixed(3)}] ${f.defect}: ${f.message.trim()}`,
    5,
  );
}

/** Userspace journal lines that are defects whatever their priority. */
export const JOURNAL_DEFECTS: [string, RegExp][] = [
  ['core-dump', /dumped core\.?$|Process \d+ \(.+\) of user \d+ dumped core/],
  ['unit-failed', /^Failed to start .+\.$|: Failed with result '[\w-]+'|: Main process exited, code=(?:dumped|killed)/],
  ['io-error', /\bI\/O error\b/],
  ['fs-error', /EXT4-fs error|XFS .*Corruption|BTRFS (?:error|critical)/],
];

/** Known benign journal noise on stock images. */
export const JOURNAL_ALLOWLIST: RegExp[] = [
  // Debian minimal images ship without /etc/default/locale; pam_env logs it at err on every login.
  /^pam_env\(\S+\): Unable to open env file: \/etc\/default\/locale/,
];

export interface JournalDefect {
  kind: string;
  entry: JournalEntry;
}

/**
 * Journal entries that indicate defects: kernel-transport lines the kernel classifier flags (with
 * the same segfault rule as dmesg), userspace core dumps and unit failures, and anything at crit
 * (2) or worse. Plain `err` lines are too common on healthy systems to fail on by themselves.
 */
export function journalDefects(entries: readonly JournalEntry[], ignore: readonly RegExp[] = []): JournalDefect[] {
  const out: JournalDefect[] = [];
  for (const e of entries) {
    if ([...JOURNAL_ALLOWLIST, ...KERNEL_ALLOWLIST, ...ignore].some((re) => re.test(e.message))) continue;
    if (e.transport === 'kernel') {
      const kind = classifyKernelLine(e.message);
      if (!kind) continue;
      const proc = kind === 'segfault' ? segfaultProcess(e.message) : undefined;
      if (kind === 'segfault' && !(proc && SYSTEM_PROCESSES.test(proc))) continue;
      out.push({ kind, entry: e });
      continue;
    }
    const hit = JOURNAL_DEFECTS.find(([, re]) => re.test(e.message));
    if (hit) out.push({ kind: hit[0], entry: e });
    else if (e.priority <= 2) out.push({ kind: `priority-${e.priority}`, entry: e });
  }
  return out;
}

export function checkJournal(nodeName: string, defects: readonly JournalDefect[]): void {
  expectNone(
    `journal of ${nodeName} (this boot)`,
    defects,
    (d) => `${d.kind}: ${d.entry.identifier || d.entry.unit || d.entry.transport}: ${d.entry.message.trim()}`,
    5,
  );
}

/** One load/unload cycle of a module, observed through /proc/modules. */
export function checkModuleCycle(
  nodeName: string,
  module: string,
  loadedAfterLoad: boolean,
  loadedAfterUnload: boolean,
): void {
  expectTrue(
    `module ${module} on ${nodeName} after modprobe`,
    loadedAfterLoad,
    'listed in /proc/modules',
    'not listed',
  );
  expectTrue(
    `module ${module} on ${nodeName} after modprobe -r`,
    !loadedAfterUnload,
    'gone from /proc/modules',
    'still loaded',
  );
}

/**
 * Picks the module to cycle: the first candidate that exists as a loadable module and is not
 * loaded yet (a loaded one may be in use; a built-in one cannot be unloaded).
 */
export function chooseModule(
  nodeName: string,
  candidates: readonly string[],
  info: ReadonlyMap<string, { filename: string } | undefined>,
  loaded: ReadonlySet<string>,
): string {
  const why: string[] = [];
  for (const m of candidates) {
    const i = info.get(m);
    if (!i) why.push(`${m}: not found`);
    else if (i.filename === '(builtin)') why.push(`${m}: built in`);
    else if (loaded.has(m.replace(/-/g, '_'))) why.push(`${m}: already loaded`);
    else return m;
  }
  fail(
    `a loadable kernel module on ${nodeName}`,
    `one of ${candidates.join(', ')} available as a module and not loaded`,
    why.join('; '),
  );
}

/** Keys every Linux kernel has; a missing one means /proc/sys is broken or not mounted. */
export const REQUIRED_SYSCTLS = [
  'kernel.osrelease',
  'kernel.hostname',
  'kernel.pid_max',
  'fs.file-max',
  'vm.swappiness',
  'net.ipv4.ip_forward',
];

export function checkSysctls(
  nodeName: string,
  values: Readonly<Record<string, string>>,
  required: readonly string[],
  kernelRelease: string,
): void {
  const missing = required.filter((k) => values[k] === undefined || values[k] === '');
  expectNone(`sysctl keys readable on ${nodeName}`, missing, (k) => `${k} missing`);
  expectTrue(
    `sysctl kernel.osrelease on ${nodeName}`,
    values['kernel.osrelease'] === kernelRelease,
    `${kernelRelease} (uname -r)`,
    values['kernel.osrelease'] ?? 'missing',
  );
}

/**
 * Boot parameters that mean someone debugged the image and left it that way: a shell as init,
 * rescue or emergency targets, initramfs break points, a debug shell on tty9.
 */
export const LEFTOVER_DEBUG: [string, (value: string | undefined) => boolean][] = [
  ['init', (v) => /(?:^|\/)(?:ba|da|z)?sh$|busybox$/.test(v ?? '')],
  ['rd.break', () => true],
  ['break', () => true],
  ['single', () => true],
  ['emergency', () => true],
  ['rescue', () => true],
  ['S', () => true],
  ['1', () => true],
  ['systemd.unit', (v) => /^(?:rescue|emergency)\.target$/.test(v ?? '')],
  ['systemd.debug-shell', (v) => v === undefined || /^(?:1|yes|true|on)$/i.test(v)],
  ['systemd.debug_shell', (v) => v === undefined || /^(?:1|yes|true|on)$/i.test(v)],
  ['rd.debug', () => true],
];

export interface CmdlinePolicy {
  /** Cloud images need a serial console for boot diagnostics. */
  requireConsole: boolean;
  /** Images booted by a bootloader name their root; some initramfs-only systems do not. */
  requireRoot: boolean;
}

export function cmdlineProblems(c: KernelCmdline, policy: CmdlinePolicy): string[] {
  const problems: string[] = [];
  const roots = [...new Set(cmdlineValues(c, 'root'))];
  if (policy.requireRoot && roots.length === 0) problems.push('no root= parameter');
  if (roots.length > 1) problems.push(`conflicting root= values: ${roots.join(', ')}`);
  if (roots.some((r) => r === '')) problems.push('empty root=');
  if (policy.requireConsole && cmdlineValues(c, 'console').length === 0) problems.push('no console= parameter');
  for (const p of c.params) {
    const rule = LEFTOVER_DEBUG.find(([k]) => k === p.key);
    if (rule && rule[1](p.value))
      problems.push(`leftover debugging parameter ${p.value === undefined ? p.key : `${p.key}=${p.value}`}`);
  }
  return problems;
}

export function checkCmdline(nodeName: string, c: KernelCmdline, problems: readonly string[]): void {
  expectNone(`kernel command line of ${nodeName} (${c.raw})`, problems, String);
}
