import { blockLines, type FactBlocks } from '../../tools/fact-probe.js';
import { control, type CisSection } from './control.js';
import { atLeast, evaluateSysctls, is, sysctlScript, type SysctlControl } from './sysctl-controls.js';

export const KERNEL_CONTROLS: readonly SysctlControl[] = [
  {
    id: '1.5.1',
    title: 'address space layout randomization is enabled',
    keys: { 'kernel.randomize_va_space': is('2') },
    expected: '2',
  },
  {
    id: '1.5.2',
    title: 'ptrace_scope is restricted',
    keys: { 'kernel.yama.ptrace_scope': atLeast(1) },
    expected: '1 or more',
  },
  {
    id: '1.5.3',
    title: 'core dumps of setuid programs are restricted',
    keys: { 'fs.suid_dumpable': is('0') },
    expected: '0',
  },
  // Not numbered in the Debian 12 benchmark; a Level 1 item of the CIS kernel hardening guidance.
  {
    id: 'kernel.dmesg_restrict',
    title: 'kernel log restricted to privileged users',
    keys: { 'kernel.dmesg_restrict': is('1') },
    expected: '1',
  },
];

/** `* hard core 0` in limits.conf or limits.d (1.5.3's second half). */
export function hasHardCoreLimit(lines: readonly string[]): boolean {
  return lines.some((l) => /^[^#]*:\s*\*\s+hard\s+core\s+0\s*$/.test(l));
}

export const kernelHardeningSection: CisSection = {
  name: 'kernel_hardening',
  sections: '1.5',
  description: 'ASLR, ptrace scope, dmesg restrict, suid_dumpable and the hard core limit',
  script: () =>
    [
      sysctlScript('sysctl', KERNEL_CONTROLS),
      "echo '### limits'; grep -H '' /etc/security/limits.conf /etc/security/limits.d/*.conf 2>/dev/null; true",
    ].join('\n'),
  evaluate: (facts: FactBlocks) => [
    ...evaluateSysctls(facts, 'sysctl', KERNEL_CONTROLS),
    control(
      '1.5.3',
      'core dumps are restricted by a hard limit',
      hasHardCoreLimit(blockLines(facts, 'limits'))
        ? []
        : ['no "* hard core 0" in /etc/security/limits.conf or limits.d'],
    ),
  ],
};
