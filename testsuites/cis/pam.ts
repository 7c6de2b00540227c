import { blockLines, type FactBlocks } from '../../tools/fact-probe.js';
import { control, type CisSection, type ControlResult } from './control.js';
import { parseInstalled } from './services.js';

export interface PamLine {
  file: string;
  type: string;
  module: string;
  args: string[];
}

/** `grep -H '' file...` of PAM files: `file:type control module args`, comments dropped. */
export function parsePamLines(lines: readonly string[]): PamLine[] {
  const out: PamLine[] = [];
  for (const l of lines) {
    const i = l.indexOf(':');
    const file = l.slice(0, i);
    const text = l
      .slice(i + 1)
      .replace(/#.*/, '')
      .trim();
    if (!text || text.startsWith('@')) continue;
    // The control may be [success=1 default=ignore]: keep it in one field.
    const m = /^(-?\w+)\s+(\[[^\]]*\]|\S+)\s+(\S+)\s*(.*)$/.exec(text);
    if (!m) continue;
    out.push({
      file,
      type: m[1]!.replace(/^-/, ''),
      module: m[3]!.split('/').pop()!,
      args: m[4]!.split(/\s+/).filter(Boolean),
    });
  }
  return out;
}

/** `key = value` settings (pwquality.conf, faillock.conf, login.defs style `KEY value`), last wins. */
export function parseSettings(lines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of lines) {
    const text = l
      .slice(l.indexOf(':') + 1)
      .replace(/#.*/, '')
      .trim();
    const m = /^([\w-]+)\s*(?:=\s*|\s+)(.*)$/.exec(text) ?? /^([\w-]+)$/.exec(text);
    if (m) out[m[1]!] = (m[2] ?? '').trim();
  }
  return out;
}

/** A module option (`deny=3`), then the module's config file, then undefined. */
function option(
  lines: readonly PamLine[],
  module: string,
  key: string,
  conf: Record<string, string>,
): string | undefined {
  for (const l of lines.filter((x) => x.module === module))
    for (const a of l.args)
      if (a === key || a.startsWith(`${key}=`)) return a.includes('=') ? a.slice(key.length + 1) : '';
  return conf[key];
}

const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));

export const pamSection: CisSection = {
  name: 'pam_password_policy',
  sections: '5.3, 5.4.1, 5.4.3',
  description:
    'pwquality, faillock and pwhistory in use with CIS values, no nullok, strong hashing, password ageing, shell timeout',
  script: (family) => {
    const files =
      family === 'rhel'
        ? '/etc/pam.d/system-auth /etc/pam.d/password-auth'
        : '/etc/pam.d/common-auth /etc/pam.d/common-account /etc/pam.d/common-password /etc/pam.d/common-session';
    return [
      "echo '### packages'",
      family === 'rhel'
        ? "rpm -q --qf '%{NAME}\\n' libpwquality 2>/dev/null | grep -v 'not installed'"
        : "dpkg-query -W -f '${db:Status-Abbrev} ${Package}\\n' libpam-pwquality 2>/dev/null",
      `echo '### pam'; grep -H '' ${files} 2>/dev/null`,
      "echo '### pwquality'; grep -H '' /etc/security/pwquality.conf /etc/security/pwquality.conf.d/*.conf 2>/dev/null",
      "echo '### faillock'; grep -H '' /etc/security/faillock.conf 2>/dev/null",
      "echo '### pwhistory'; grep -H '' /etc/security/pwhistory.conf 2>/dev/null",
      "echo '### login_defs'; grep -H '' /etc/login.defs 2>/dev/null",
      "echo '### useradd'; useradd -D 2>/dev/null",
      "echo '### shells'; grep -H '' /etc/shells",
      "echo '### tmout'; grep -HE '^[^#]*TMOUT=' /etc/profile /etc/profile.d/*.sh /etc/bash.bashrc /etc/bashrc 2>/dev/null; true",
    ].join('\n');
  },
  evaluate: (facts: FactBlocks, family) => {
    const pam = parsePamLines(blockLines(facts, 'pam'));
    const pwq = parseSettings(blockLines(facts, 'pwquality'));
    const fl = parseSettings(blockLines(facts, 'faillock'));
    const ph = parseSettings(blockLines(facts, 'pwhistory'));
    const defs = parseSettings(blockLines(facts, 'login_defs'));
    const useradd = parseSettings(blockLines(facts, 'useradd').map((l) => `:${l}`));
    const installed = parseInstalled(blockLines(facts, 'packages'));
    const uses = (module: string, type: string) => pam.some((l) => l.module === module && l.type === type);
    const enabled = (module: string, type: string) =>
      uses(module, type) ? [] : [`${module} is not in the ${type} stack`];
    const deny = num(option(pam, 'pam_faillock.so', 'deny', fl));
    const unlock = num(option(pam, 'pam_faillock.so', 'unlock_time', fl));
    const minlen = num(option(pam, 'pam_pwquality.so', 'minlen', pwq));
    const dictcheck = option(pam, 'pam_pwquality.so', 'dictcheck', pwq);
    const remember = num(option(pam, 'pam_pwhistory.so', 'remember', ph));
    const unixPw = pam.filter((l) => l.module === 'pam_unix.so' && l.type === 'password');
    const strongHash = unixPw.some((l) => l.args.some((a) => /^(sha512|yescrypt)$/.test(a)));
    const maxDays = num(defs.PASS_MAX_DAYS);
    const warn = num(defs.PASS_WARN_AGE);
    const method = defs.ENCRYPT_METHOD ?? '(unset)';
    const inactive = num(useradd.INACTIVE);
    const shells = blockLines(facts, 'shells').map((l) => l.slice(l.indexOf(':') + 1).trim());
    const tmout = blockLines(facts, 'tmout')
      .map((l) => num(/TMOUT=(\d+)/.exec(l)?.[1]))
      .filter((v): v is number => v !== undefined);
    const pwqPkg = family === 'rhel' ? 'libpwquality' : 'libpam-pwquality';
    const results: ControlResult[] = [
      control(
        '5.3.1.3',
        'pam_pwquality is installed',
        installed.has(pwqPkg) ? [] : [`package ${pwqPkg} is not installed`],
      ),
      control('5.3.2.2', 'pam_faillock module is enabled', [
        ...enabled('pam_faillock.so', 'auth'),
        ...enabled('pam_faillock.so', 'account'),
      ]),
      control('5.3.2.3', 'pam_pwquality module is enabled', enabled('pam_pwquality.so', 'password')),
      control('5.3.2.4', 'pam_pwhistory module is enabled', enabled('pam_pwhistory.so', 'password')),
      control(
        '5.3.3.1.1',
        'password failed attempts lockout is 5 or less',
        deny !== undefined && deny >= 1 && deny <= 5 ? [] : [`faillock deny=${deny ?? '(unset)'}`],
      ),
      control(
        '5.3.3.1.2',
        'password unlock time is 0 or 900 s or more',
        unlock === undefined || unlock === 0 || unlock >= 900 ? [] : [`faillock unlock_time=${unlock}`],
      ),
      control(
        '5.3.3.2.2',
        'minimum password length is 14 or more',
        (minlen ?? 0) >= 14 ? [] : [`pwquality minlen=${minlen ?? '(unset, 8)'}`],
      ),
      control('5.3.3.2.6', 'password dictionary check is enabled', dictcheck === '0' ? ['pwquality dictcheck=0'] : []),
      control(
        '5.3.3.3.1',
        'password history remember is 24 or more',
        (remember ?? 0) >= 24 ? [] : [`pwhistory remember=${remember ?? '(unset)'}`],
      ),
      control(
        '5.3.3.4.1',
        'pam_unix does not include nullok',
        pam
          .filter((l) => l.module === 'pam_unix.so' && l.args.includes('nullok'))
          .map((l) => `${l.file}: ${l.type} pam_unix.so nullok`),
      ),
      control(
        '5.3.3.4.3',
        'pam_unix includes a strong password hashing algorithm',
        strongHash ? [] : ['pam_unix password line without sha512 or yescrypt'],
      ),
      control(
        '5.4.1.1',
        'password expiration is 365 days or less',
        maxDays !== undefined && maxDays > 0 && maxDays <= 365
          ? []
          : [`PASS_MAX_DAYS ${defs.PASS_MAX_DAYS ?? '(unset)'}`],
      ),
      control(
        '5.4.1.3',
        'password expiration warning is 7 days or more',
        (warn ?? 0) >= 7 ? [] : [`PASS_WARN_AGE ${defs.PASS_WARN_AGE ?? '(unset)'}`],
      ),
      control(
        '5.4.1.4',
        'strong password hashing algorithm is configured',
        /^(SHA512|YESCRYPT)$/i.test(method) ? [] : [`ENCRYPT_METHOD ${method}`],
      ),
      control(
        '5.4.1.5',
        'inactive password lock is 45 days or less',
        inactive !== undefined && inactive >= 0 && inactive <= 45
          ? []
          : [`useradd INACTIVE=${useradd.INACTIVE ?? '(unset)'}`],
      ),
      control(
        '5.4.3.1',
        'nologin is not listed in /etc/shells',
        shells.filter((s) => /\/nologin$/.test(s)).map((s) => `${s} in /etc/shells`),
      ),
      control(
        '5.4.3.2',
        'default user shell timeout is 900 s or less',
        tmout.length && tmout.every((t) => t > 0 && t <= 900)
          ? []
          : [tmout.length ? `TMOUT=${tmout.join(', ')}` : 'TMOUT is not set in /etc/profile, profile.d or bash.bashrc'],
      ),
    ];
    return results;
  },
};
