import { blockLines, type FactBlocks } from '../../tools/fact-probe.js';
import { parseSshdT, sshdValue, type SshdSettings } from '../../tools/sshd-config.js';
import {
  control,
  notApplicable,
  parseStat,
  permissionProblem,
  statScript,
  type CisSection,
  type ControlResult,
} from './control.js';

export const WEAK_CIPHERS = [
  '3des-cbc',
  'aes128-cbc',
  'aes192-cbc',
  'aes256-cbc',
  'rijndael-cbc@lysator.liu.se',
  'chacha20-poly1305@openssh.com',
];
export const WEAK_KEX = [
  'diffie-hellman-group1-sha1',
  'diffie-hellman-group14-sha1',
  'diffie-hellman-group-exchange-sha1',
];
export const WEAK_MACS = [
  'hmac-md5',
  'hmac-md5-96',
  'hmac-ripemd160',
  'hmac-sha1-96',
  'umac-64@openssh.com',
  'hmac-md5-etm@openssh.com',
  'hmac-md5-96-etm@openssh.com',
  'hmac-ripemd160-etm@openssh.com',
  'hmac-sha1-96-etm@openssh.com',
  'umac-64-etm@openssh.com',
  'umac-128-etm@openssh.com',
];

const SSHD_FILES = '/etc/ssh/sshd_config /etc/ssh/sshd_config.d/*.conf';

function weak(s: SshdSettings, key: string, list: readonly string[]): string[] {
  const v = (sshdValue(s, key) ?? '').split(',');
  return v.filter((a) => list.includes(a)).map((a) => `${key} offers ${a}`);
}

function setting(s: SshdSettings, key: string, ok: (v: string) => boolean, expected: string): string[] {
  const v = sshdValue(s, key) ?? '(unset)';
  return ok(v) ? [] : [`${key} ${v} (expected ${expected})`];
}

/** `MaxStartups a:b:c` (or a single number) no looser than 10:30:60. */
export function maxStartupsOk(v: string): boolean {
  const [start, rate, full] = v.split(':').map(Number);
  if (rate === undefined) return (start ?? Infinity) <= 10;
  return (start ?? Infinity) <= 10 && rate >= 30 && (full ?? Infinity) <= 60;
}

export function evaluateSshd(s: SshdSettings): ControlResult[] {
  const n = (v: string) => Number(v);
  const forwarding =
    sshdValue(s, 'disableforwarding') === 'yes'
      ? []
      : [
          ...setting(s, 'x11forwarding', (v) => v === 'no', 'no, or DisableForwarding yes'),
          ...setting(s, 'allowtcpforwarding', (v) => v === 'no', 'no, or DisableForwarding yes'),
        ];
  const access = ['allowusers', 'allowgroups', 'denyusers', 'denygroups'].some((k) => sshdValue(s, k));
  return [
    control(
      '5.1.4',
      'sshd access is limited',
      access ? [] : ['none of AllowUsers, AllowGroups, DenyUsers, DenyGroups is set'],
    ),
    control(
      '5.1.5',
      'sshd Banner is configured',
      setting(s, 'banner', (v) => v !== 'none', 'a banner file'),
    ),
    control('5.1.6', 'only strong ciphers are used', weak(s, 'ciphers', WEAK_CIPHERS)),
    control('5.1.7', 'sshd ClientAliveInterval and ClientAliveCountMax are configured', [
      ...setting(s, 'clientaliveinterval', (v) => n(v) > 0, 'more than 0'),
      ...setting(s, 'clientalivecountmax', (v) => n(v) > 0, 'more than 0'),
    ]),
    control('5.1.8', 'sshd X11 and TCP forwarding are disabled', forwarding),
    control(
      '5.1.9',
      'sshd GSSAPIAuthentication is disabled',
      setting(s, 'gssapiauthentication', (v) => v === 'no', 'no'),
    ),
    control(
      '5.1.10',
      'sshd HostbasedAuthentication is disabled',
      setting(s, 'hostbasedauthentication', (v) => v === 'no', 'no'),
    ),
    control(
      '5.1.11',
      'sshd IgnoreRhosts is enabled',
      setting(s, 'ignorerhosts', (v) => v === 'yes', 'yes'),
    ),
    control('5.1.12', 'only strong key exchange algorithms are used', weak(s, 'kexalgorithms', WEAK_KEX)),
    control(
      '5.1.13',
      'sshd LoginGraceTime is 1 to 60 s',
      setting(s, 'logingracetime', (v) => n(v) >= 1 && n(v) <= 60, '1 to 60'),
    ),
    control(
      '5.1.14',
      'sshd LogLevel is INFO or VERBOSE',
      setting(s, 'loglevel', (v) => v === 'INFO' || v === 'VERBOSE', 'INFO or VERBOSE'),
    ),
    control('5.1.15', 'only strong MAC algorithms are used', weak(s, 'macs', WEAK_MACS)),
    control(
      '5.1.16',
      'sshd MaxAuthTries is 4 or less',
      setting(s, 'maxauthtries', (v) => n(v) <= 4, '4 or less'),
    ),
    control(
      '5.1.17',
      'sshd MaxSessions is 10 or less',
      setting(s, 'maxsessions', (v) => n(v) <= 10, '10 or less'),
    ),
    control(
      '5.1.18',
      'sshd MaxStartups is 10:30:60 or stricter',
      setting(s, 'maxstartups', maxStartupsOk, '10:30:60 or stricter'),
    ),
    control(
      '5.1.19',
      'sshd PermitEmptyPasswords is disabled',
      setting(s, 'permitemptypasswords', (v) => v === 'no', 'no'),
    ),
    control(
      '5.1.20',
      'sshd PermitRootLogin is disabled',
      setting(s, 'permitrootlogin', (v) => v === 'no', 'no'),
    ),
    control(
      '5.1.21',
      'sshd PermitUserEnvironment is disabled',
      setting(s, 'permituserenvironment', (v) => v === 'no', 'no'),
    ),
    control(
      '5.1.22',
      'sshd UsePAM is enabled',
      setting(s, 'usepam', (v) => v === 'yes', 'yes'),
    ),
  ];
}

export const sshSection: CisSection = {
  name: 'ssh',
  sections: '5.1',
  description: 'sshd files, access lists, banner, ciphers/MACs/KEX, forwarding, limits, root login, PAM',
  script: () =>
    [
      statScript('sshd_files', [SSHD_FILES]),
      statScript('host_keys', ['/etc/ssh/ssh_host_*_key', '/etc/ssh/ssh_host_*_key.pub']),
      "echo '### sshd'; mkdir -p /run/sshd; sshd -T 2>&1",
    ].join('\n'),
  evaluate: (facts: FactBlocks, family) => {
    const sshd = facts.sshd ?? '';
    if (!/^port /m.test(sshd))
      return [notApplicable('5.1', 'sshd configuration', `sshd -T failed: ${sshd.slice(0, 200)}`)];
    const files = parseStat(blockLines(facts, 'sshd_files'));
    const keys = parseStat(blockLines(facts, 'host_keys'));
    // RHEL-family images give private host keys to group ssh_keys, mode 0640.
    const keyGroups = family === 'rhel' ? ['root', 'ssh_keys'] : ['root'];
    const problems = (list: typeof files, max: number, groups = ['root']) =>
      list.map((e) => permissionProblem(e, max, 'root', groups)).filter((p): p is string => !!p);
    return [
      control('5.1.1', 'permissions on sshd_config files are 0600 root:root', problems(files, 0o600)),
      control(
        '5.1.2',
        'sshd private host key files are not readable by others',
        problems(
          keys.filter((k) => !k.path.endsWith('.pub')),
          family === 'rhel' ? 0o640 : 0o600,
          keyGroups,
        ),
      ),
      control(
        '5.1.3',
        'sshd public host key files are 0644 root:root or stricter',
        problems(
          keys.filter((k) => k.path.endsWith('.pub')),
          0o644,
        ),
      ),
      ...evaluateSshd(parseSshdT(sshd)),
    ];
  },
};
