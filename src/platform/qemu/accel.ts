import { existsSync, readFileSync } from 'node:fs';

export interface AccelChoice {
  accel: 'kvm' | 'tcg';
  reason: string;
}

export interface AccelFacts {
  cpuinfo: string;
  kvmDevice: boolean;
  kvmIntel: boolean;
  kvmAmd: boolean;
}

export function readAccelFacts(): AccelFacts {
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    /* not Linux */
  }
  return {
    cpuinfo,
    kvmDevice: existsSync('/dev/kvm'),
    kvmIntel: existsSync('/sys/module/kvm_intel'),
    kvmAmd: existsSync('/sys/module/kvm_amd'),
  };
}

/**
 * KVM only with hardware virtualisation and a vendor module: a software nested hypervisor
 * (e.g. kvm_pvm) exposes /dev/kvm, yet a stock kernel hangs there silently with no error.
 */
export function chooseAccel(facts: AccelFacts, forced?: 'kvm' | 'tcg' | 'auto'): AccelChoice {
  if (forced === 'tcg') return { accel: 'tcg', reason: 'forced by qemu.accel: tcg' };
  if (forced === 'kvm') return { accel: 'kvm', reason: 'forced by qemu.accel: kvm' };
  const flags = /^flags\s*:.*\b(vmx|svm)\b/m.exec(facts.cpuinfo);
  if (!flags) return { accel: 'tcg', reason: 'the CPU has no vmx/svm flag in /proc/cpuinfo' };
  if (!facts.kvmIntel && !facts.kvmAmd)
    return { accel: 'tcg', reason: `${flags[1]} present but neither kvm_intel nor kvm_amd is loaded` };
  if (!facts.kvmDevice) return { accel: 'tcg', reason: '/dev/kvm does not exist' };
  return { accel: 'kvm', reason: `${flags[1]} and ${facts.kvmIntel ? 'kvm_intel' : 'kvm_amd'} present` };
}

export function accelArgs(choice: AccelChoice): string[] {
  // tb-size=128 halves the RSS of a TCG guest with no measurable slowdown.
  return choice.accel === 'kvm'
    ? ['-accel', 'kvm', '-cpu', 'host']
    : ['-accel', 'tcg,thread=multi,tb-size=128', '-cpu', 'max'];
}
