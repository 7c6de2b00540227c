import { blockLines, type FactBlocks } from '../../tools/fact-probe.js';
import { control, type CisSection } from './control.js';

/** `Defaults` entries from `grep -H '' /etc/sudoers /etc/sudoers.d/*` output: `file: option`. */
export function sudoDefaults(lines: readonly string[]): { file: string; option: string }[] {
  const out: { file: string; option: string }[] = [];
  for (const l of lines) {
    const i = l.indexOf(':');
    const text = l
      .slice(i + 1)
      .replace(/^\s*#(?!include).*/, '')
      .trim();
    const m = /^Defaults(?:[:!@>][^\s]+)?\s+(.*)$/.exec(text);
    if (!m) continue;
    for (const o of m[1]!.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) out.push({ file: l.slice(0, i), option: o.trim() });
  }
  return out;
}

export const sudoSection: CisSection = {
  name: 'sudo',
  sections: '5.2',
  description:
    'sudo installed, use_pty, a sudo log file, re-authentication not disabled, timestamp timeout, su restricted',
  script: () =>
    [
      "echo '### sudo'; command -v sudo",
      "echo '### sudoers'; grep -H '' /etc/sudoers /etc/sudoers.d/* 2>/dev/null",
      "echo '### su'; grep -H '' /etc/pam.d/su 2>/dev/null; true",
    ].join('\n'),
  evaluate: (facts: FactBlocks) => {
    const lines = blockLines(facts, 'sudoers');
    const defaults = sudoDefaults(lines);
    const has = (re: RegExp) => defaults.some((d) => re.test(d.option));
    const timeout = defaults
      .map((d) => /^timestamp_timeout\s*=\s*(-?\d+)/.exec(d.option)?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number);
    const noAuth = lines.filter((l) => /!authenticate\b/.test(l.slice(l.indexOf(':') + 1).replace(/#.*/, '')));
    const su = blockLines(facts, 'su').filter((l) =>
      /^[^#]*auth\s+required\s+pam_wheel\.so\b.*\buse_uid\b/.test(l.slice(l.indexOf(':') + 1)),
    );
    return [
      control('5.2.1', 'sudo is installed', (facts.sudo ?? '').trim() ? [] : ['sudo is not installed']),
      control('5.2.2', 'sudo commands use pty', has(/^use_pty$/) ? [] : ['no "Defaults use_pty" in sudoers']),
      control('5.2.3', 'sudo log file exists', has(/^logfile\s*=/) ? [] : ['no "Defaults logfile=" in sudoers']),
      control(
        '5.2.5',
        're-authentication for privilege escalation is not disabled globally',
        noAuth.map((l) => l.trim()),
      ),
      control(
        '5.2.6',
        'sudo authentication timeout is 15 minutes or less',
        timeout.filter((t) => t < 0 || t > 15).map((t) => `timestamp_timeout=${t}`),
      ),
      control(
        '5.2.7',
        'access to the su command is restricted',
        su.length ? [] : ['/etc/pam.d/su has no "auth required pam_wheel.so use_uid"'],
      ),
    ];
  },
};
