import { parsePasswd, parseShadow, type PasswdEntry } from '../../tools/accounts.js';
import { blockLines, type FactBlocks } from '../../tools/fact-probe.js';
import { control, octal, parseStat, type CisSection, type ControlResult } from './control.js';

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export function parseGroup(lines: readonly string[]): GroupEntry[] {
  return lines
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 4)
    .map((f) => ({ name: f[0]!, gid: Number(f[2]), members: f[3]!.split(',').filter(Boolean) }));
}

function duplicates<T>(items: readonly T[], key: (t: T) => string | number, show: (t: T) => string): string[] {
  const by = new Map<string | number, T[]>();
  for (const i of items) by.set(key(i), [...(by.get(key(i)) ?? []), i]);
  return [...by].filter(([, v]) => v.length > 1).map(([k, v]) => `${k}: ${v.map(show).join(', ')}`);
}

const NO_LOGIN_SHELLS = /(\/nologin|\/false|\/sync|\/shutdown|\/halt)$/;

/** Accounts a person logs in with: UID_MIN or above (root too) with a shell listed in /etc/shells. */
export function interactiveUsers(
  passwd: readonly PasswdEntry[],
  uidMin: number,
  shells: readonly string[],
): PasswdEntry[] {
  return passwd.filter((p) => (p.uid >= uidMin || p.uid === 0) && p.uid !== 65534 && shells.includes(p.shell));
}

export const accountsSection: CisSection = {
  name: 'users_groups',
  sections: '5.4.2, 7.2',
  description:
    'UID 0 and GID 0 only for root, shadowed passwords, no empty passwords, groups exist, no duplicate IDs or names, system accounts without shells, home directories and dot files',
  script: () =>
    [
      "echo '### passwd'; cat /etc/passwd",
      "echo '### group'; cat /etc/group",
      // Hashes never leave the node: only whether the field is empty, locked or a hash.
      `echo '### shadow'; awk -F: '{ k = ($2 == "") ? "empty" : (substr($2,1,1) == "!" || substr($2,1,1) == "*") ? "locked" : "hash"; print $1 ":" k }' /etc/shadow`,
      "echo '### uid_min'; awk '/^UID_MIN/ { print $2 }' /etc/login.defs",
      "echo '### shells'; grep -v '^#' /etc/shells",
      'echo \'### homes\'; awk -F: -v min="$(awk \'/^UID_MIN/ { print $2 }\' /etc/login.defs)" \'($3 >= min || $3 == 0) && $3 != 65534 { print $1 "|" $6 }\' /etc/passwd | while IFS=\'|\' read -r u h; do if [ -d "$h" ]; then stat -c "$u|%a|%U|%G|%F|%n" "$h"; for f in "$h"/.[!.]*; do [ -f "$f" ] && stat -c "$u|%a|%U|%G|%F|%n" "$f"; done; else echo "$u|missing|||directory|$h"; fi; done',
    ].join('\n'),
  evaluate: (facts: FactBlocks) => {
    const passwdLines = blockLines(facts, 'passwd');
    const passwd = parsePasswd(passwdLines.join('\n'));
    const groups = parseGroup(blockLines(facts, 'group'));
    const shadow = parseShadow(blockLines(facts, 'shadow').join('\n'));
    const uidMin = Number(blockLines(facts, 'uid_min')[0] ?? 1000);
    const shells = blockLines(facts, 'shells').map((s) => s.trim());
    const gids = new Set(groups.map((g) => g.gid));
    const shadowGroup = groups.find((g) => g.name === 'shadow');
    const interactive = interactiveUsers(passwd, uidMin, shells);
    const homeLines = blockLines(facts, 'homes').map((l) => {
      const i = l.indexOf('|');
      return { user: l.slice(0, i), rest: l.slice(i + 1) };
    });
    const homeProblems: string[] = [];
    const dotProblems: string[] = [];
    for (const u of interactive) {
      const mine = homeLines.filter((h) => h.user === u.user);
      const dir = mine.find((h) => h.rest.includes('|directory|'));
      if (!dir || dir.rest.startsWith('missing')) {
        homeProblems.push(`${u.user}: home ${u.home} does not exist`);
        continue;
      }
      const [d] = parseStat([dir.rest]);
      if (d && d.owner !== u.user) homeProblems.push(`${u.user}: ${d.path} owned by ${d.owner}`);
      if (d && d.mode & 0o027) homeProblems.push(`${u.user}: ${d.path} mode ${octal(d.mode)} (at most 0750)`);
      for (const f of parseStat(mine.filter((h) => h !== dir).map((h) => h.rest))) {
        const base = f.path.split('/').pop()!;
        if (['.forward', '.rhosts'].includes(base)) dotProblems.push(`${f.path} exists`);
        else if (base === '.netrc' && f.mode & 0o177)
          dotProblems.push(`${f.path} mode ${octal(f.mode)} (at most 0600)`);
        else if (f.mode & 0o022) dotProblems.push(`${f.path} mode ${octal(f.mode)} (group or other writable)`);
        if (f.owner !== u.user) dotProblems.push(`${f.path} owned by ${f.owner}`);
      }
    }
    const results: ControlResult[] = [
      control(
        '5.4.2.1',
        'root is the only UID 0 account',
        passwd.filter((p) => p.uid === 0 && p.user !== 'root').map((p) => p.user),
      ),
      control(
        '5.4.2.2',
        'root is the only GID 0 account',
        passwd
          .filter((p) => p.gid === 0 && !['root', 'sync', 'shutdown', 'halt', 'operator'].includes(p.user))
          .map((p) => p.user),
      ),
      control(
        '5.4.2.3',
        'group root is the only GID 0 group',
        groups.filter((g) => g.gid === 0 && g.name !== 'root').map((g) => g.name),
      ),
      control(
        '5.4.2.7',
        'system accounts do not have a valid login shell',
        passwd
          .filter(
            (p) =>
              p.uid < uidMin &&
              p.uid !== 0 &&
              !['sync', 'shutdown', 'halt'].includes(p.user) &&
              !NO_LOGIN_SHELLS.test(p.shell),
          )
          .map((p) => `${p.user} (uid ${p.uid}) has ${p.shell}`),
      ),
      control(
        '7.2.1',
        'accounts in /etc/passwd use shadowed passwords',
        passwdLines.filter((l) => l.split(':')[1] !== 'x').map((l) => l.split(':')[0]!),
      ),
      control(
        '7.2.2',
        '/etc/shadow password fields are not empty',
        shadow.filter((s) => s.password === 'empty').map((s) => s.user),
      ),
      control(
        '7.2.3',
        'all groups in /etc/passwd exist in /etc/group',
        passwd.filter((p) => !gids.has(p.gid)).map((p) => `${p.user} has GID ${p.gid}`),
      ),
      control('7.2.4', 'shadow group is empty', [
        ...(shadowGroup?.members ?? []).map((m) => `${m} is a member of shadow`),
        ...passwd
          .filter((p) => shadowGroup && p.gid === shadowGroup.gid)
          .map((p) => `${p.user} has primary group shadow`),
      ]),
      control(
        '7.2.5',
        'no duplicate UIDs exist',
        duplicates(
          passwd,
          (p) => p.uid,
          (p) => p.user,
        ).map((d) => `UID ${d}`),
      ),
      control(
        '7.2.6',
        'no duplicate GIDs exist',
        duplicates(
          groups,
          (g) => g.gid,
          (g) => g.name,
        ).map((d) => `GID ${d}`),
      ),
      control(
        '7.2.7',
        'no duplicate user names exist',
        duplicates(
          passwd,
          (p) => p.user,
          (p) => String(p.uid),
        ).map((d) => `user ${d}`),
      ),
      control(
        '7.2.8',
        'no duplicate group names exist',
        duplicates(
          groups,
          (g) => g.name,
          (g) => String(g.gid),
        ).map((d) => `group ${d}`),
      ),
      control('7.2.9', 'local interactive user home directories are configured', homeProblems),
      control('7.2.10', 'local interactive user dot files access is configured', dotProblems),
    ];
    return results;
  },
};
