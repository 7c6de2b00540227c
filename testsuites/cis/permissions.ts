import { blockLines, type FactBlocks } from '../../tools/fact-probe.js';
import { control, octal, parseStat, permissionProblem, statScript, type CisSection, type Family } from './control.js';

/** [control, path, max mode, groups] for the account databases; shadow files go to group shadow on Debian. */
function accountFiles(family: Family): [string, string, number, string[]][] {
  const secret: [number, string[]] = family === 'rhel' ? [0o000, ['root']] : [0o640, ['root', 'shadow']];
  return [
    ['7.1.1', '/etc/passwd', 0o644, ['root']],
    ['7.1.2', '/etc/passwd-', 0o644, ['root']],
    ['7.1.3', '/etc/group', 0o644, ['root']],
    ['7.1.4', '/etc/group-', 0o644, ['root']],
    ['7.1.5', '/etc/shadow', ...secret],
    ['7.1.6', '/etc/shadow-', ...secret],
    ['7.1.7', '/etc/gshadow', ...secret],
    ['7.1.8', '/etc/gshadow-', ...secret],
    ['7.1.9', '/etc/shells', 0o644, ['root']],
    ['7.1.10', '/etc/security/opasswd', 0o600, ['root']],
  ];
}

export interface SetIdFile {
  path: string;
  mode: number;
  /** Owning package, or empty when no package ships the file. */
  pkg: string;
  /** The package database's verdict: `ok`, `modified` (content or mode differ) or `unknown`. */
  verify: 'ok' | 'modified' | 'unknown';
}

const LOCAL_MOUNTS = "$(findmnt -rn -t ext2,ext3,ext4,xfs,btrfs,vfat,f2fs -o TARGET | sed 's/\\\\x20/ /g')";

/**
 * One traversal of every local filesystem (a TCG guest pays dearly for each): `W|` world-writable
 * files and non-sticky directories, `U|` unowned entries, `S|` SUID/SGID files, as `K|mode|user|group|type|path`.
 */
const SCAN = `echo '### scan'; for m in ${LOCAL_MOUNTS}; do find "$m" -xdev \\( \\( -type f -perm -0002 -o -type d -perm -0002 ! -perm -1000 \\) -printf 'W|%m|%u|%g|%y|%p\\n' \\) , \\( \\( -nouser -o -nogroup \\) -printf 'U|%m|%u|%g|%y|%p\\n' \\) , \\( -type f -perm /6000 -printf 'S|%m|%u|%g|%y|%p\\n' \\) 2>/dev/null; done | sort -u`;

/**
 * What the package database says about the SUID/SGID files, in a handful of processes: their
 * owners (`dpkg-query -S`, also under the pre-merged-/usr path), their md5sums and the shipped
 * md5sums. RHEL-family: `rpm -qf` and `rpm -Vf` per file (rpm -V also compares the mode).
 */
function packageScript(family: Family): string {
  const files = `files=$(for m in ${LOCAL_MOUNTS}; do find "$m" -xdev -type f -perm /6000 2>/dev/null; done | sort -u)`;
  if (family === 'rhel')
    return `${files}; echo '### rpm'; for f in $files; do p=$(rpm -qf --qf '%{NAME}' "$f" 2>/dev/null) || p=; v=unknown; if [ -n "$p" ]; then if rpm -Vf "$f" 2>/dev/null | grep -q " $f$"; then v=modified; else v=ok; fi; fi; echo "$f|$p|$v"; done`;
  return [
    files,
    `echo '### owners'; [ -n "$files" ] && for f in $files; do echo "$f"; echo "\${f#/usr}"; done | xargs dpkg-query -S 2>/dev/null | grep -v '^diversion'`,
    `echo '### sums'; [ -n "$files" ] && echo "$files" | xargs md5sum`,
    `echo '### shipped'; [ -n "$files" ] && cat /var/lib/dpkg/info/*.md5sums | grep -F "$(echo "$files" | sed -e 's|^/||' -e 's|^usr/||')"; true`,
  ].join('\n');
}

export interface ScanEntry {
  kind: 'W' | 'U' | 'S';
  mode: number;
  owner: string;
  group: string;
  type: string;
  path: string;
}

export function parseScan(lines: readonly string[]): ScanEntry[] {
  return lines
    .map((l) => l.split('|'))
    .filter((p) => p.length >= 6 && ['W', 'U', 'S'].includes(p[0]!))
    .map((p) => ({
      kind: p[0] as ScanEntry['kind'],
      mode: parseInt(p[1]!, 8),
      owner: p[2]!,
      group: p[3]!,
      type: p[4] === 'd' ? 'directory' : p[4] === 'f' ? 'file' : p[4]!,
      path: p.slice(5).join('|'),
    }));
}

/** Joins the scan with the package database output into one verdict per SUID/SGID file (Debian). */
export function debianSetIdFiles(scan: readonly ScanEntry[], facts: FactBlocks): SetIdFile[] {
  const owner = new Map<string, string>();
  for (const l of blockLines(facts, 'owners')) {
    const m = /^([^:]+)(?::\w+)?: (.+)$/.exec(l);
    if (m) for (const pkg of m[1]!.split(', ')) owner.set(m[2]!, pkg);
  }
  const sum = new Map(blockLines(facts, 'sums').map((l) => [l.slice(34), l.slice(0, 32)]));
  const shipped = new Map<string, string[]>();
  for (const l of blockLines(facts, 'shipped'))
    shipped.set(`/${l.slice(34)}`, [...(shipped.get(`/${l.slice(34)}`) ?? []), l.slice(0, 32)]);
  return scan
    .filter((e) => e.kind === 'S')
    .map((e) => {
      const alt = e.path.replace(/^\/usr/, '');
      const pkg = owner.get(e.path) ?? owner.get(alt) ?? '';
      const expected = shipped.get(e.path) ?? shipped.get(alt) ?? shipped.get(`/usr${alt}`) ?? [];
      const actual = sum.get(e.path);
      const verify =
        !pkg || !actual || expected.length === 0 ? 'unknown' : expected.includes(actual) ? 'ok' : 'modified';
      return { path: e.path, mode: e.mode, pkg, verify };
    });
}

export function rpmSetIdFiles(scan: readonly ScanEntry[], facts: FactBlocks): SetIdFile[] {
  const rows = new Map(blockLines(facts, 'rpm').map((l) => [l.split('|')[0]!, l.split('|')]));
  return scan
    .filter((e) => e.kind === 'S')
    .map((e) => {
      const r = rows.get(e.path);
      const verify = r?.[2] === 'ok' || r?.[2] === 'modified' ? r[2] : 'unknown';
      return { path: e.path, mode: e.mode, pkg: r?.[1] ?? '', verify };
    });
}

export const permissionsSection: CisSection = {
  name: 'file_permissions',
  sections: '7.1',
  description:
    'passwd/shadow/group/gshadow/shells/opasswd permissions, world-writable files, sticky bits, unowned files, SUID/SGID files against the packages',
  script: (family) =>
    [
      statScript(
        'account_files',
        accountFiles(family).map((f) => f[1]),
      ),
      SCAN,
      packageScript(family),
    ].join('\n'),
  evaluate: (facts: FactBlocks, family) => {
    const stats = parseStat(blockLines(facts, 'account_files'));
    const results = accountFiles(family).map(([id, path, max, groups]) => {
      const e = stats.find((s) => s.path === path);
      // opasswd and the backup files exist only once a password was changed; absence is fine.
      const p = e ? permissionProblem(e, max, 'root', groups) : undefined;
      const missing = !e && ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow', '/etc/shells'].includes(path);
      return control(id, `permissions on ${path} are configured`, p ? [p] : missing ? [`${path} is missing`] : []);
    });
    const scan = parseScan(blockLines(facts, 'scan'));
    const ww = scan.filter((e) => e.kind === 'W');
    const setid = family === 'rhel' ? rpmSetIdFiles(scan, facts) : debianSetIdFiles(scan, facts);
    results.push(
      control(
        '7.1.11',
        'world writable files and directories are secured',
        ww.map((e) => `${e.path} (${e.type}, mode ${octal(e.mode)}${e.type === 'directory' ? ', no sticky bit' : ''})`),
      ),
      control(
        '7.1.12',
        'no files or directories without an owner and a group exist',
        scan.filter((e) => e.kind === 'U').map((e) => `${e.path} (owner ${e.owner}, group ${e.group})`),
      ),
      control(
        '7.1.13',
        'SUID and SGID files come unmodified from the distribution packages',
        setid
          .filter((f) => !f.pkg || f.verify === 'modified')
          .map(
            (f) =>
              `${f.path} (mode ${octal(f.mode)}, ${f.pkg ? `differs from package ${f.pkg}` : 'not from any package'})`,
          ),
      ),
    );
    return results;
  },
};
