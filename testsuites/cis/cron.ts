import { blockLines, type FactBlocks } from '../../tools/fact-probe.js';
import {
  control,
  notApplicable,
  parseStat,
  permissionProblem,
  statScript,
  type CisSection,
  type ControlResult,
} from './control.js';
import { parseUnitStates } from './services.js';

const CRON_PATHS: readonly [string, string, number][] = [
  ['2.4.1.2', '/etc/crontab', 0o600],
  ['2.4.1.3', '/etc/cron.hourly', 0o700],
  ['2.4.1.4', '/etc/cron.daily', 0o700],
  ['2.4.1.5', '/etc/cron.weekly', 0o700],
  ['2.4.1.6', '/etc/cron.monthly', 0o700],
  ['2.4.1.7', '/etc/cron.d', 0o700],
];

export const cronSection: CisSection = {
  name: 'cron',
  sections: '2.4',
  description: 'cron enabled, crontab and cron directories 0600/0700 root, cron and at restricted to authorized users',
  script: (family) =>
    [
      "echo '### units'",
      `for u in ${family === 'rhel' ? 'crond.service' : 'cron.service'} atd.service; do echo "$u $(systemctl is-active $u 2>/dev/null || true)/$(systemctl is-enabled $u 2>/dev/null || true)"; done`,
      statScript('stat', [
        ...CRON_PATHS.map((p) => p[1]),
        '/etc/cron.allow',
        '/etc/cron.deny',
        '/etc/at.allow',
        '/etc/at.deny',
      ]),
    ].join('\n'),
  evaluate: (facts: FactBlocks, family) => {
    const units = parseUnitStates(blockLines(facts, 'units'));
    const cronUnit = family === 'rhel' ? 'crond.service' : 'cron.service';
    const cron = units.get(cronUnit) ?? 'unknown/unknown';
    const stats = parseStat(blockLines(facts, 'stat'));
    const at = (p: string) => stats.find((s) => s.path === p);
    if (/not-found|^inactive\/$|unknown/.test(cron) && !at('/etc/crontab'))
      return [notApplicable('2.4.1', 'cron', 'cron is not installed')];
    const [active, enabled] = cron.split('/');
    const results: ControlResult[] = [
      control(
        '2.4.1.1',
        'cron daemon is enabled and active',
        active === 'active' && enabled === 'enabled' ? [] : [`${cronUnit} is ${cron}`],
      ),
    ];
    for (const [id, path, max] of CRON_PATHS) {
      const e = at(path);
      const p = e ? permissionProblem(e, max) : `${path} is missing`;
      results.push(
        control(id, `permissions on ${path} are ${max.toString(8).padStart(4, '0')} root:root`, p ? [p] : []),
      );
    }
    const allow = at('/etc/cron.allow');
    const deny = at('/etc/cron.deny');
    const restricted: string[] = [];
    if (!allow) restricted.push('/etc/cron.allow does not exist');
    for (const f of [allow, deny]) {
      const p = f && permissionProblem(f, 0o640, 'root', ['root', 'crontab']);
      if (p) restricted.push(p);
    }
    results.push(control('2.4.1.8', 'crontab is restricted to authorized users', restricted));
    const atd = units.get('atd.service') ?? '';
    if (/^(active|inactive)\/(enabled|disabled)/.test(atd)) {
      const a = at('/etc/at.allow');
      const p = a ? permissionProblem(a, 0o640, 'root', ['root', 'daemon']) : '/etc/at.allow does not exist';
      results.push(control('2.4.2.1', 'at is restricted to authorized users', p ? [p] : []));
    } else results.push(notApplicable('2.4.2.1', 'at is restricted to authorized users', 'at is not installed'));
    return results;
  },
};
