import { blockLines, type FactBlocks } from '../../tools/fact-probe.js';
import { control, notApplicable, octal, parseStat, type CisSection, type ControlResult } from './control.js';
import { parseInstalled, parseUnitStates } from './services.js';

/** The effective [Journal] settings from `systemd-analyze cat-config systemd/journald.conf` (last one wins). */
export function parseJournaldConf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let inJournal = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) inJournal = line === '[Journal]';
    else if (inJournal && !line.startsWith('#') && line.includes('=')) {
      const i = line.indexOf('=');
      out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
  }
  return out;
}

/** Log files looser than CIS allows: 0640 in general, the login accounting files their own modes. */
export function looseLogFiles(lines: readonly string[]): string[] {
  const allowance = (path: string): number => {
    const base = path.split('/').pop() ?? '';
    if (/^(wtmp|lastlog)(\.\d+)?(\.gz)?$/.test(base)) return 0o664;
    if (/^btmp(\.\d+)?$/.test(base)) return 0o660;
    if (path.startsWith('/var/log/journal/')) return 0o640;
    return 0o640;
  };
  return parseStat(lines)
    .filter((e) => e.type.includes('regular') && (e.mode & ~allowance(e.path) & 0o777) !== 0)
    .map((e) => `${e.path} mode ${octal(e.mode)}`);
}

export const loggingSection: CisSection = {
  name: 'logging',
  sections: '6.1, 6.2.1',
  description:
    'journald active, persistent and compressed, one logging system, log file access, auditd installed and active with audit=1',
  script: (family) =>
    [
      "echo '### packages'",
      family === 'rhel'
        ? "rpm -q --qf '%{NAME}\\n' rsyslog audit 2>/dev/null | grep -v 'not installed'"
        : "dpkg-query -W -f '${db:Status-Abbrev} ${Package}\\n' rsyslog auditd audispd-plugins 2>/dev/null",
      "echo '### units'",
      'for u in systemd-journald.service rsyslog.service auditd.service; do echo "$u $(systemctl is-active $u 2>/dev/null || true)/$(systemctl is-enabled $u 2>/dev/null || true)"; done',
      "echo '### journald'; systemd-analyze cat-config systemd/journald.conf 2>/dev/null",
      "echo '### cmdline'; cat /proc/cmdline",
      "echo '### logfiles'; find /var/log -xdev -type f -exec stat -c '%a|%U|%G|%F|%n' {} + 2>/dev/null; true",
    ].join('\n'),
  evaluate: (facts: FactBlocks, family) => {
    const units = parseUnitStates(blockLines(facts, 'units'));
    const installed = parseInstalled(blockLines(facts, 'packages'));
    const state = (u: string) => units.get(u) ?? 'unknown/unknown';
    const activeEnabled = (u: string) => {
      const [a, e] = state(u).split('/');
      return a === 'active' && (e === 'enabled' || e === 'static') ? [] : [`${u} is ${state(u)}`];
    };
    const conf = parseJournaldConf(facts.journald ?? '');
    const rsyslog = state('rsyslog.service').startsWith('active');
    const cmdline = (facts.cmdline ?? '').trim();
    const auditPkg = family === 'rhel' ? 'audit' : 'auditd';
    const results: ControlResult[] = [
      control('6.1.1.1', 'journald service is enabled and active', activeEnabled('systemd-journald.service')),
      control(
        '6.1.1.4',
        'only one logging system is in use',
        rsyslog && conf.ForwardToSyslog === 'no' ? ['rsyslog is active but journald does not forward to it'] : [],
      ),
    ];
    if (rsyslog) {
      results.push(
        notApplicable('6.1.2.2', 'journald ForwardToSyslog is disabled', 'rsyslog is the logging system'),
        control(
          '6.1.3.3',
          'journald is configured to send logs to rsyslog',
          conf.ForwardToSyslog === 'yes' ? [] : [`ForwardToSyslog=${conf.ForwardToSyslog ?? '(default)'}`],
        ),
      );
    } else {
      results.push(
        control(
          '6.1.2.2',
          'journald ForwardToSyslog is disabled',
          conf.ForwardToSyslog === 'yes' ? ['ForwardToSyslog=yes without rsyslog'] : [],
        ),
      );
    }
    results.push(
      control(
        '6.1.2.3',
        'journald Compress is configured',
        conf.Compress === undefined || conf.Compress === 'yes' ? [] : [`Compress=${conf.Compress}`],
      ),
      control(
        '6.1.2.4',
        'journald Storage is persistent',
        conf.Storage === 'persistent' ? [] : [`Storage=${conf.Storage ?? '(default auto)'}`],
      ),
      control('6.1.4.1', 'access to all log files is configured', looseLogFiles(blockLines(facts, 'logfiles'))),
      control(
        '6.2.1.1',
        'auditd packages are installed',
        installed.has(auditPkg) ? [] : [`package ${auditPkg} is not installed`],
      ),
      control('6.2.1.2', 'auditd service is enabled and active', activeEnabled('auditd.service')),
      control(
        '6.2.1.3',
        'auditing for processes that start prior to auditd is enabled',
        /(^|\s)audit=1(\s|$)/.test(cmdline) ? [] : [`audit=1 not on the kernel command line (${cmdline})`],
      ),
      control(
        '6.2.1.4',
        'audit_backlog_limit is sufficient',
        Number(/(?:^|\s)audit_backlog_limit=(\d+)/.exec(cmdline)?.[1] ?? 0) >= 8192
          ? []
          : ['audit_backlog_limit=8192 or more not on the kernel command line'],
      ),
    );
    return results;
  },
};
