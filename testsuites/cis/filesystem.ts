import { blockLines, type FactBlocks } from '../../tools/fact-probe.js';
import { control, notApplicable, type CisSection, type ControlResult } from './control.js';

export interface MountEntry {
  target: string;
  fstype: string;
  options: string[];
}

/** `findmnt -rn -o TARGET,FSTYPE,OPTIONS` lines (-r escapes blanks as \x20). */
export function parseMounts(lines: readonly string[]): MountEntry[] {
  return lines
    .map((l) => l.split(' '))
    .filter((p) => p.length >= 3)
    .map((p) => ({
      target: p[0]!.replace(/\\x20/g, ' '),
      fstype: p[1]!,
      options: p[2]!.split(','),
    }));
}

/** Mount points that must be separate (Level 1) and the options each needs, with the control numbers. */
const REQUIRED_MOUNTS = [
  { path: '/tmp', separate: '1.1.2.1.1', options: { nodev: '1.1.2.1.2', nosuid: '1.1.2.1.3', noexec: '1.1.2.1.4' } },
  {
    path: '/dev/shm',
    separate: '1.1.2.2.1',
    options: { nodev: '1.1.2.2.2', nosuid: '1.1.2.2.3', noexec: '1.1.2.2.4' },
  },
] as const;

/** Separate partitions are Level 2 for these; their options are Level 1 when they exist. */
const OPTIONAL_MOUNTS = [
  { path: '/home', options: { nodev: '1.1.2.3.2', nosuid: '1.1.2.3.3' } },
  { path: '/var', options: { nodev: '1.1.2.4.2', nosuid: '1.1.2.4.3' } },
  { path: '/var/tmp', options: { nodev: '1.1.2.5.2', nosuid: '1.1.2.5.3', noexec: '1.1.2.5.4' } },
  { path: '/var/log', options: { nodev: '1.1.2.6.2', nosuid: '1.1.2.6.3', noexec: '1.1.2.6.4' } },
  { path: '/var/log/audit', options: { nodev: '1.1.2.7.2', nosuid: '1.1.2.7.3', noexec: '1.1.2.7.4' } },
] as const;

/** Filesystem modules that must not be loadable (1.1.1.x, Level 1). */
export const DISABLED_FS_MODULES: readonly [string, string][] = [
  ['1.1.1.1', 'cramfs'],
  ['1.1.1.2', 'freevxfs'],
  ['1.1.1.3', 'hfs'],
  ['1.1.1.4', 'hfsplus'],
  ['1.1.1.5', 'jffs2'],
  ['1.1.1.8', 'usb-storage'],
];

export interface ModuleState {
  name: string;
  /** What `modprobe -n -v` prints: `insmod <path>` when loadable, `install /bin/false` when disabled. */
  dryRun: string;
  loaded: boolean;
}

/** `name|loaded-or-not|modprobe -n -v output` lines. */
export function parseModuleStates(lines: readonly string[]): ModuleState[] {
  return lines
    .map((l) => l.split('|'))
    .filter((p) => p.length >= 3)
    .map((p) => ({ name: p[0]!, loaded: p[1] === 'loaded', dryRun: p.slice(2).join('|').trim() }));
}

/** Loadable means modprobe would insert it; a module the kernel does not have is fine. */
export function moduleLoadable(m: ModuleState): boolean {
  return m.loaded || /\binsmod\b/.test(m.dryRun);
}

function mountControls(mounts: readonly MountEntry[]): ControlResult[] {
  const at = (p: string) => [...mounts].reverse().find((m) => m.target === p);
  const out: ControlResult[] = [];
  for (const req of REQUIRED_MOUNTS) {
    const m = at(req.path);
    out.push(
      control(req.separate, `${req.path} is a separate partition`, m ? [] : [`${req.path} is not a mount point`]),
    );
    for (const [opt, id] of Object.entries(req.options)) {
      const title = `${opt} on ${req.path}`;
      if (!m) out.push(notApplicable(id, title, `${req.path} is not a separate mount`));
      else out.push(control(id, title, m.options.includes(opt) ? [] : [`${req.path} mounted ${m.options.join(',')}`]));
    }
  }
  for (const opt of OPTIONAL_MOUNTS) {
    const m = at(opt.path);
    for (const [o, id] of Object.entries(opt.options)) {
      const title = `${o} on ${opt.path}`;
      if (!m) out.push(notApplicable(id, title, `${opt.path} is not a separate mount`));
      else out.push(control(id, title, m.options.includes(o) ? [] : [`${opt.path} mounted ${m.options.join(',')}`]));
    }
  }
  return out;
}

function moduleControls(states: readonly ModuleState[]): ControlResult[] {
  return DISABLED_FS_MODULES.map(([id, name]) => {
    const s = states.find((m) => m.name === name);
    const offending = !s
      ? [`${name}: not probed`]
      : moduleLoadable(s)
        ? [`${name} ${s.loaded ? 'loaded' : `loadable (${s.dryRun})`}`]
        : [];
    return control(id, `${name} kernel module is not available`, offending);
  });
}

export const filesystemSection: CisSection = {
  name: 'filesystem',
  sections: '1.1.1, 1.1.2',
  description:
    'unneeded filesystem modules disabled; /tmp and /dev/shm separate with nodev,nosuid,noexec; options of /home, /var, /var/tmp, /var/log, /var/log/audit',
  script: () =>
    [
      "echo '### mounts'; findmnt -rn -o TARGET,FSTYPE,OPTIONS",
      "echo '### modules'",
      `for m in ${DISABLED_FS_MODULES.map(([, n]) => n).join(' ')}; do u=$(echo $m | tr - _); l=no; grep -q "^$u " /proc/modules && l=loaded; echo "$m|$l|$(modprobe -n -v $m 2>&1 | tr '\\n' ' ')"; done`,
    ].join('\n'),
  evaluate: (facts: FactBlocks) => [
    ...moduleControls(parseModuleStates(blockLines(facts, 'modules'))),
    ...mountControls(parseMounts(blockLines(facts, 'mounts'))),
  ],
};
