import { blockLines, type FactBlocks } from '../../tools/fact-probe.js';
import { control, type CisSection, type Family } from './control.js';

/** Packages that must not be installed, per control, with the Debian and RHEL-family names. */
export const FORBIDDEN_PACKAGES: readonly { id: string; title: string; debian: string[]; rhel: string[] }[] = [
  { id: '1.5.4', title: 'prelink is not installed', debian: ['prelink'], rhel: ['prelink'] },
  { id: '2.1.1', title: 'autofs services are not in use', debian: ['autofs'], rhel: ['autofs'] },
  {
    id: '2.1.2',
    title: 'avahi daemon services are not in use',
    debian: ['avahi-daemon', 'avahi-autoipd'],
    rhel: ['avahi'],
  },
  {
    id: '2.1.3',
    title: 'dhcp server services are not in use',
    debian: ['isc-dhcp-server', 'kea'],
    rhel: ['dhcp-server', 'kea'],
  },
  { id: '2.1.4', title: 'dns server services are not in use', debian: ['bind9'], rhel: ['bind'] },
  { id: '2.1.5', title: 'dnsmasq services are not in use', debian: ['dnsmasq'], rhel: ['dnsmasq'] },
  { id: '2.1.6', title: 'ftp server services are not in use', debian: ['vsftpd'], rhel: ['vsftpd'] },
  { id: '2.1.7', title: 'ldap server services are not in use', debian: ['slapd'], rhel: ['openldap-servers'] },
  {
    id: '2.1.8',
    title: 'message access server services are not in use',
    debian: ['dovecot-imapd', 'dovecot-pop3d'],
    rhel: ['dovecot', 'cyrus-imapd'],
  },
  { id: '2.1.9', title: 'network file system services are not in use', debian: ['nfs-kernel-server'], rhel: [] },
  { id: '2.1.10', title: 'nis server services are not in use', debian: ['ypserv'], rhel: ['ypserv'] },
  { id: '2.1.11', title: 'print server services are not in use', debian: ['cups'], rhel: ['cups'] },
  { id: '2.1.12', title: 'rpcbind services are not in use', debian: ['rpcbind'], rhel: [] },
  { id: '2.1.13', title: 'rsync services are not in use', debian: ['rsync-daemon'], rhel: ['rsync-daemon'] },
  { id: '2.1.14', title: 'samba file server services are not in use', debian: ['samba'], rhel: ['samba'] },
  { id: '2.1.15', title: 'snmp services are not in use', debian: ['snmpd'], rhel: ['net-snmp'] },
  { id: '2.1.16', title: 'tftp server services are not in use', debian: ['tftpd-hpa'], rhel: ['tftp-server'] },
  { id: '2.1.17', title: 'web proxy server services are not in use', debian: ['squid'], rhel: ['squid'] },
  { id: '2.1.18', title: 'web server services are not in use', debian: ['apache2', 'nginx'], rhel: ['httpd', 'nginx'] },
  { id: '2.1.19', title: 'xinetd services are not in use', debian: ['xinetd'], rhel: ['xinetd'] },
  { id: '2.2.1', title: 'NIS client is not installed', debian: ['nis'], rhel: ['ypbind'] },
  { id: '2.2.2', title: 'rsh client is not installed', debian: ['rsh-client'], rhel: ['rsh'] },
  { id: '2.2.3', title: 'talk client is not installed', debian: ['talk'], rhel: ['talk'] },
  { id: '2.2.4', title: 'telnet client is not installed', debian: ['telnet', 'inetutils-telnet'], rhel: ['telnet'] },
  { id: '2.2.5', title: 'ldap client is not installed', debian: ['ldap-utils'], rhel: ['openldap-clients'] },
  { id: '2.2.6', title: 'ftp client is not installed', debian: ['ftp', 'tnftp'], rhel: ['ftp', 'tnftp'] },
];

/** Services that must not be enabled where the package is shared with needed tools (RHEL's nfs-utils, rpcbind). */
const FORBIDDEN_UNITS_RHEL: readonly [string, string, string][] = [
  ['2.1.9', 'network file system services are not in use', 'nfs-server.service'],
  ['2.1.12', 'rpcbind services are not in use', 'rpcbind.socket'],
];

/** Time daemons by name; Debian aliases chronyd to chrony and ntp to ntpsec, so each group counts once. */
const TIME_DAEMON_GROUPS: Record<string, string[]> = {
  chrony: ['chrony.service', 'chronyd.service'],
  'systemd-timesyncd': ['systemd-timesyncd.service'],
  ntp: ['ntp.service', 'ntpd.service', 'ntpsec.service'],
};
const TIME_DAEMONS = Object.values(TIME_DAEMON_GROUPS).flat();

/** Installed package names from `dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n'` or `rpm -qa --qf '%{NAME}\n'`. */
export function parseInstalled(lines: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const l of lines) {
    const dpkg = /^(\S\S\S?)\s+(\S+)$/.exec(l.trim());
    if (dpkg) {
      if (dpkg[1]!.startsWith('i')) out.add(dpkg[2]!.replace(/:\w+$/, ''));
    } else if (/^\S+$/.test(l.trim())) out.add(l.trim());
  }
  return out;
}

/** `unit state` lines from `systemctl is-enabled` / `is-active` loops. */
export function parseUnitStates(lines: readonly string[]): Map<string, string> {
  return new Map(
    lines
      .map((l) => l.trim().split(/\s+/))
      .filter((p) => p.length >= 2)
      .map((p) => [p[0]!, p[1]!]),
  );
}

/** Listening TCP sockets (`ss -Hlnt` local address column) on a mail port and not on loopback. */
export function externalMailListeners(lines: readonly string[]): string[] {
  return lines
    .map((l) => l.trim().split(/\s+/)[3] ?? '')
    .filter((a) => /:(25|465|587)$/.test(a) && !/^(127\.|\[::1\]|::1)/.test(a));
}

export const servicesSection: CisSection = {
  name: 'services',
  sections: '1.5.4, 2.1, 2.2, 2.3.1.1',
  description: 'server and client packages that must be absent, MTA local-only, one time synchronisation daemon',
  script: (family: Family) =>
    [
      "echo '### packages'",
      family === 'rhel' ? "rpm -qa --qf '%{NAME}\\n'" : "dpkg-query -W -f '${db:Status-Abbrev} ${Package}\\n'",
      "echo '### enabled'",
      `for u in ${[...TIME_DAEMONS, ...FORBIDDEN_UNITS_RHEL.map((u) => u[2])].join(' ')}; do echo "$u $(systemctl is-enabled $u 2>/dev/null || true)"; done`,
      "echo '### active'",
      `for u in ${TIME_DAEMONS.join(' ')}; do echo "$u $(systemctl is-active $u 2>/dev/null || true)"; done`,
      "echo '### listening'; ss -Hlnt 2>/dev/null; true",
    ].join('\n'),
  evaluate: (facts: FactBlocks, family) => {
    const installed = parseInstalled(blockLines(facts, 'packages'));
    const enabled = parseUnitStates(blockLines(facts, 'enabled'));
    const active = parseUnitStates(blockLines(facts, 'active'));
    const results = FORBIDDEN_PACKAGES.map((p) => {
      const offending = p[family].filter((n) => installed.has(n)).map((n) => `package ${n} is installed`);
      if (family === 'rhel') {
        for (const [id, , unit] of FORBIDDEN_UNITS_RHEL)
          if (id === p.id && enabled.get(unit) === 'enabled') offending.push(`${unit} is enabled`);
      }
      return control(p.id, p.title, offending);
    });
    if (installed.size === 0) results.forEach((r) => r.offending.push('the package list could not be read'));
    const running = Object.entries(TIME_DAEMON_GROUPS)
      .filter(([, units]) => units.some((u) => active.get(u) === 'active'))
      .map(([name]) => name);
    results.push(
      control(
        '2.1.21',
        'mail transfer agent is configured for local-only mode',
        externalMailListeners(blockLines(facts, 'listening')).map((a) => `listening on ${a}`),
      ),
      control(
        '2.3.1.1',
        'a single time synchronization daemon is in use',
        running.length === 1
          ? []
          : [
              running.length === 0
                ? 'no time synchronization daemon is active'
                : `several are active: ${running.join(', ')}`,
            ],
      ),
    );
    return results;
  },
};
