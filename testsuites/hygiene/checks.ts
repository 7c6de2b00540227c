import { expectNone, expectTrue, fail } from '../../src/testing/assert.js';
import { blockLines, type FactBlocks } from '../../tools/fact-probe.js';

/**
 * Image hygiene: what an image publisher must not ship (Azure's image requirements, which LISA's
 * AzureImageStandard suite encodes, are the orientation). Each function takes the blocks of the
 * fact script next to it and fails naming every offending item.
 */

/** `path|user|line` lines of every authorized_keys file: a key type and the comment, never the key. */
export const AUTHORIZED_KEYS_SCRIPT = `echo '### login_user'; echo "\${SUDO_USER:-$(id -un)}"
echo '### keys'; getent passwd | cut -d: -f1,6 | while IFS=: read -r u h; do for f in "$h/.ssh/authorized_keys" "$h/.ssh/authorized_keys2"; do [ -f "$f" ] && grep -v '^\\s*\\(#\\|$\\)' "$f" | awk -v f="$f" -v u="$u" '{ c = ""; for (i = 3; i <= NF; i++) c = c " " $i; print f "|" u "|" $1 c }'; done; done; true`;

/**
 * Keys left in any account's authorized_keys. The account the harness logs in as is exempt: its key
 * is the one provisioning just put there (on images the platform injects keys without files, as the
 * built-in qemu guest does, there is none at all).
 */
export function checkNoLeftoverKeys(node: string, facts: FactBlocks): void {
  const loginUser = (facts.login_user ?? '').trim();
  const keys = blockLines(facts, 'keys')
    .map((l) => l.split('|'))
    .filter((p) => p.length >= 3 && p[1] !== loginUser);
  expectNone(`authorized_keys entries left in the image of ${node}`, keys, (p) => `${p[0]}: ${p.slice(2).join('|')}`);
}

export const HISTORY_SCRIPT = `echo '### history'; getent passwd | cut -d: -f1,6 | sort -u -t: -k2,2 | while IFS=: read -r u h; do [ -d "$h" ] && find "$h" -maxdepth 1 -type f \\( -name '.*history' -o -name '.*_history' -o -name '.lesshst' -o -name '.viminfo' \\) -size +0 -printf "%s|$u|%p\\n"; done 2>/dev/null; true`;

export function checkNoHistory(node: string, facts: FactBlocks): void {
  expectNone(`shell and tool history left in the image of ${node}`, blockLines(facts, 'history'), (l) => {
    const [size, user, path] = l.split('|');
    return `${path} (${size} bytes, user ${user})`;
  });
}

/** mtimes of the identity files against the root filesystem's birth (when the image was made). */
export const IDENTITY_SCRIPT = `echo '### root_birth'; stat -c %W /
echo '### machine_id'; cat /etc/machine-id 2>/dev/null
echo '### identity'; for f in /etc/machine-id /etc/ssh/ssh_host_*_key; do [ -f "$f" ] && stat -c '%Y|%n' "$f"; done; true`;

/**
 * A machine-id or host key older than the root filesystem was copied into the image when it was
 * built, so every VM made from the image shares it. Those generated on first boot are newer.
 */
export function checkIdentityFresh(node: string, facts: FactBlocks): void {
  const id = (facts.machine_id ?? '').trim();
  expectTrue(
    `/etc/machine-id of ${node}`,
    /^[0-9a-f]{32}$/.test(id),
    'a 32-hex-digit id made on first boot',
    JSON.stringify(id),
  );
  const birth = Number((facts.root_birth ?? '').trim());
  if (!(birth > 0)) return; // the filesystem does not record birth times: only the id itself can be checked
  const stale = blockLines(facts, 'identity')
    .map((l) => l.split('|'))
    .filter((p) => Number(p[0]) < birth)
    .map(
      (p) =>
        `${p[1]} (modified ${new Date(Number(p[0]) * 1000).toISOString()}, image made ${new Date(birth * 1000).toISOString()})`,
    );
  expectNone(`machine-id or SSH host keys baked into the image of ${node}`, stale);
}

/** /proc/swaps and the disk of each swap device and of the root filesystem. */
export const SWAP_SCRIPT = `echo '### swaps'; tail -n +2 /proc/swaps
echo '### root_disk'; lsblk -no PKNAME "$(findmnt -no SOURCE /)" 2>/dev/null | head -1; findmnt -no SOURCE /
echo '### swap_disks'; tail -n +2 /proc/swaps | while read -r d t _; do if [ "$t" = file ]; then echo "$d|file|$(findmnt -no SOURCE -T "$d")"; else echo "$d|partition|$(lsblk -no PKNAME "$d" 2>/dev/null | head -1)"; fi; done; true`;

/** Swap on the OS disk (a partition of it, or a file on its filesystems): Azure puts swap on the resource disk. */
export function checkNoSwapOnOsDisk(node: string, facts: FactBlocks): void {
  const [rootParent, rootSource] = blockLines(facts, 'root_disk');
  const osDisk = (rootParent || rootSource || '').replace(/^\/dev\//, '');
  const offending = blockLines(facts, 'swap_disks')
    .map((l) => l.split('|'))
    .filter(([dev, kind, where]) => {
      if (kind === 'file') return where === rootSource || (where ?? '').includes(osDisk);
      const parent = where || (dev ?? '').replace(/^\/dev\//, '');
      return parent === osDisk || (dev ?? '') === rootSource;
    })
    .map(([dev, kind]) => `${dev} (${kind})`);
  expectNone(`swap on the OS disk of ${node}`, offending);
}

/** The kernel console must include a serial port, or the boot log is lost to the cloud's serial console. */
export function checkSerialConsole(node: string, cmdline: string): void {
  const consoles = [...cmdline.matchAll(/(?:^|\s)console=([^\s,]+)/g)].map((m) => m[1]!);
  expectTrue(
    `serial console on the kernel command line of ${node}`,
    consoles.some((c) => /^(ttyS\d+|ttyAMA\d+|hvc\d+|ttysclp\d+)$/.test(c)),
    'console=ttyS0 (or ttyAMA0/hvc0)',
    consoles.length ? `console=${consoles.join(', console=')}` : `no console= in ${cmdline.trim()}`,
  );
}

export const FAILED_UNITS_SCRIPT =
  "echo '### failed'; systemctl list-units --failed --no-legend --plain --all 2>/dev/null | awk '{ print $1 }'";

export function checkNoFailedUnits(node: string, facts: FactBlocks): void {
  expectNone(`failed systemd units on ${node}`, blockLines(facts, 'failed'));
}

export const PACKAGE_DB_SCRIPT = {
  debian: `echo '### audit'; dpkg --audit 2>&1
echo '### states'; dpkg-query -W -f '\${db:Status-Abbrev}|\${Package}\\n' | grep -v '^ii \\?|' | grep -v '^rc \\?|'
echo '### check'; apt-get check -q 2>&1 >/dev/null; echo "exit=$?"`,
  rhel: `echo '### audit'; rpm --verifydb 2>&1
echo '### states'; true
echo '### check'; { dnf check 2>&1; echo "exit=$?"; } | grep -v '^$'`,
};

/** Half-installed, unpacked or broken packages and an inconsistent database. */
export function checkPackageDbClean(node: string, facts: FactBlocks): void {
  const problems = [
    ...blockLines(facts, 'audit').map((l) => `dpkg --audit: ${l.trim()}`),
    ...blockLines(facts, 'states').map((l) => `package ${l.split('|')[1]} in state ${l.split('|')[0]!.trim()}`),
    ...blockLines(facts, 'check')
      .filter((l) => !/^exit=0$/.test(l.trim()) && !/^exit=/.test(l.trim()))
      .map((l) => `check: ${l.trim()}`),
  ];
  const exit = /exit=(\d+)/.exec(facts.check ?? '')?.[1];
  if (exit !== undefined && exit !== '0') problems.push(`package manager check exited ${exit}`);
  expectNone(`package database of ${node}`, problems);
}

export const REPOSITORIES_SCRIPT = {
  debian: `echo '### sources'; grep -rhE '^\\s*(deb|deb-src)\\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null; for f in /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && awk '/^Types:/ { t = $2 } /^URIs:/ { u = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) s = s " " $i } /^Components:/ { c = ""; for (i = 2; i <= NF; i++) c = c " " $i; print t " " u s c; s = "" }' "$f"; done
echo '### os'; . /etc/os-release; echo "$VERSION_CODENAME"
echo '### update'; { timeout 300 apt-get update -q -o Acquire::Languages=none -o Acquire::IndexTargets::deb::Packages::DefaultEnabled=false -o Acquire::IndexTargets::deb-src::Sources::DefaultEnabled=false 2>&1; echo "exit=$?"; } | grep -E '^(E|W|Err):|^exit='`,
  rhel: `echo '### sources'; (dnf -q repolist --enabled 2>/dev/null || yum -q repolist enabled 2>/dev/null) | tail -n +2
echo '### os'; . /etc/os-release; echo "$VERSION_ID"
echo '### update'; { timeout 300 dnf -q makecache 2>&1; echo "exit=$?"; } | grep -iE 'error|fail|^exit='`,
};

/**
 * Debian: every source names this release (or its -updates/-security/-backports) and none
 * another release; each repository's signed InRelease is fetched and verified without errors or
 * warnings (the package indexes are left out: parsing 50 MB of them takes minutes on a TCG guest).
 */
export function checkRepositories(node: string, facts: FactBlocks, family: 'debian' | 'rhel'): void {
  const sources = blockLines(facts, 'sources');
  if (sources.length === 0) fail(`package repositories of ${node}`, 'at least one enabled repository', 'none');
  const codename = (facts.os ?? '').trim();
  const problems: string[] = [];
  if (family === 'debian' && codename) {
    for (const s of sources) {
      const suites = s.trim().split(/\s+/).slice(2);
      const suite = s.includes('[')
        ? s
            .replace(/\[[^\]]*\]\s*/, '')
            .trim()
            .split(/\s+/)[2]
        : suites[0];
      if (suite && !new RegExp(`^${codename}(-updates|-security|-backports|/updates)?$`).test(suite))
        problems.push(`${s.trim()} (suite ${suite}, this is ${codename})`);
    }
    const seen = new Set<string>();
    for (const s of sources) {
      if (seen.has(s.trim())) problems.push(`${s.trim()} listed twice`);
      seen.add(s.trim());
    }
  }
  const update = blockLines(facts, 'update');
  problems.push(...update.filter((l) => !/^exit=/.test(l)).map((l) => l.trim()));
  const exit = /exit=(\d+)/.exec(facts.update ?? '')?.[1];
  if (exit !== undefined && exit !== '0') problems.push(`refreshing the indexes exited ${exit}`);
  expectNone(`package repositories of ${node}`, problems);
}
