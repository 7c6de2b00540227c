import { expectNone } from '../../src/testing/assert.js';
import { blockLines, type FactBlocks } from '../../tools/fact-probe.js';

/**
 * The promises of hardened images, each checked from the running system and failing with every
 * missing piece named. One fact script covers them all (one round trip).
 */
const EFI = '/sys/firmware/efi/efivars';
const GLOBAL = '8be4df61-93ca-11d2-aa0d-00e098032b8c';
const IMAGE_SECURITY = 'd719b2cb-3d3a-4596-a3bc-dad00e67656f';
const STUB_VENDOR = '4a67b082-0a4c-41cf-b6c7-440b29bb8c4f';

/** The 5th byte of a one-byte EFI variable (after 4 attribute bytes), or empty when absent. */
const efiByte = (name: string) => `[ -r ${EFI}/${name} ] && od -An -t u1 -j 4 -N 1 ${EFI}/${name} | tr -d ' '`;

export const HARDENED_SCRIPT =
  [
    "echo '### cmdline'; cat /proc/cmdline",
    "echo '### fips_enabled'; cat /proc/sys/crypto/fips_enabled 2>/dev/null",
    "echo '### crypto_policy'; update-crypto-policies --show 2>/dev/null || cat /etc/crypto-policies/config 2>/dev/null",
    "echo '### openssl_providers'; openssl list -providers 2>/dev/null",
    "echo '### selinux_enforce'; cat /sys/fs/selinux/enforce 2>/dev/null",
    "echo '### selinux_policy'; cat /sys/fs/selinux/policyvers 2>/dev/null",
    "echo '### avc'; journalctl -b -q -k -g 'avc: +denied' -o cat 2>/dev/null | head -20",
    "echo '### usr'; findmnt -no SOURCE,OPTIONS /usr 2>/dev/null",
    'echo \'### usr_table\'; d=$(findmnt -no SOURCE /usr 2>/dev/null); [ -n "$d" ] && dmsetup table "$d" 2>/dev/null',
    `echo '### efi'; [ -d /sys/firmware/efi ] && echo uefi || echo bios`,
    `echo '### secure_boot'; ${efiByte(`SecureBoot-${GLOBAL}`)}`,
    `echo '### setup_mode'; ${efiByte(`SetupMode-${GLOBAL}`)}`,
    // efivarfs files cannot seek: `tail -c +5 FILE` fails there ("Illegal seek"), a pipe does not.
    // The value has no newline of its own; without one the next block's header would join it.
    `echo '### stub'; [ -r ${EFI}/StubInfo-${STUB_VENDOR} ] && cat ${EFI}/StubInfo-${STUB_VENDOR} | tail -c +5 | tr -d '\\0'; echo`,
    `echo '### db_subjects'; [ -r ${EFI}/db-${IMAGE_SECURITY} ] && grep -a -o 'CN=[^,]*\\|[A-Za-z0-9 ]*Secure Boot[A-Za-z0-9 ]*' ${EFI}/db-${IMAGE_SECURITY} | sort -u; cat ${EFI}/db-${IMAGE_SECURITY} 2>/dev/null | tr -c '[:print:]' '\\n' | grep -E '.{6,}' | sort -u | head -40`,
    'echo \'### tpm\'; for t in /sys/class/tpm/tpm*; do [ -e "$t" ] && echo "$(basename $t) $(cat $t/tpm_version_major 2>/dev/null)"; done',
    'echo \'### event_log\'; for f in /sys/kernel/security/tpm*/binary_bios_measurements; do [ -r "$f" ] && echo "$f $(wc -c < $f)"; done',
    "echo '### pcr7'; cat /sys/class/tpm/tpm0/pcr-sha256/7 2>/dev/null",
  ].join('\n') + '\ntrue';

const cmdlineHas = (f: FactBlocks, arg: string) => new RegExp(`(^|\\s)${arg}(\\s|$)`).test(facts(f, 'cmdline'));
const facts = (f: FactBlocks, k: string) => (f[k] ?? '').trim();

export function fipsProblems(f: FactBlocks): string[] {
  const p: string[] = [];
  if (!cmdlineHas(f, 'fips=1')) p.push('fips=1 is not on the kernel command line');
  if (facts(f, 'fips_enabled') !== '1')
    p.push(`/proc/sys/crypto/fips_enabled is ${facts(f, 'fips_enabled') || 'missing'}`);
  const policy = facts(f, 'crypto_policy');
  if (!/^FIPS\b/m.test(policy)) p.push(`system crypto policy is ${policy || 'not set (no crypto-policies)'}, not FIPS`);
  if (!/\bfips\b[\s\S]*status: active/i.test(facts(f, 'openssl_providers')))
    p.push('OpenSSL has no active fips provider');
  return p;
}

export function selinuxProblems(f: FactBlocks): string[] {
  const p: string[] = [];
  const enforce = facts(f, 'selinux_enforce');
  if (enforce === '') p.push('SELinux is not enabled (no /sys/fs/selinux)');
  else if (enforce !== '1') p.push('SELinux is permissive');
  if (enforce !== '' && !facts(f, 'selinux_policy')) p.push('no SELinux policy is loaded');
  p.push(...blockLines(f, 'avc').map((l) => `denial at boot: ${l.trim()}`));
  return p;
}

export function verityUsrProblems(f: FactBlocks): string[] {
  const usr = facts(f, 'usr');
  if (!usr) return ['/usr is not a separate mount'];
  const [source, options = ''] = usr.split(/\s+/);
  const p: string[] = [];
  if (!options.split(',').includes('ro')) p.push(`/usr is mounted ${options} (not read-only)`);
  if (!/\sverity\s/.test(` ${facts(f, 'usr_table')} `)) p.push(`/usr comes from ${source}, not a dm-verity device`);
  return p;
}

export function ukiProblems(f: FactBlocks): string[] {
  if (facts(f, 'efi') !== 'uefi') return ['booted through BIOS, not UEFI: no UKI can have been used'];
  return facts(f, 'stub')
    ? []
    : ['no systemd-stub StubInfo EFI variable: the kernel was not started from a unified kernel image'];
}

/** Secure Boot enforced (SecureBoot=1, SetupMode=0) with each expected key's subject found in db. */
export function secureBootProblems(f: FactBlocks, expectedKeys: readonly string[] = []): string[] {
  if (facts(f, 'efi') !== 'uefi') return ['booted through BIOS, not UEFI: Secure Boot is not available'];
  const p: string[] = [];
  if (facts(f, 'secure_boot') !== '1')
    p.push(`SecureBoot is ${facts(f, 'secure_boot') === '0' ? 'disabled' : 'not reported'}`);
  if (facts(f, 'setup_mode') === '1') p.push('firmware is in setup mode (no platform key enrolled)');
  const db = facts(f, 'db_subjects');
  for (const k of expectedKeys) if (!db.includes(k)) p.push(`key "${k}" is not in the db`);
  return p;
}

export function tpmProblems(f: FactBlocks): string[] {
  const tpms = blockLines(f, 'tpm');
  if (tpms.length === 0) return ['no TPM device (/sys/class/tpm is empty)'];
  const p: string[] = [];
  if (!tpms.some((t) => t.endsWith(' 2'))) p.push(`no TPM 2.0 (${tpms.join(', ')})`);
  const log = blockLines(f, 'event_log').find((l) => Number(l.split(' ').pop()) > 0);
  if (!log) p.push('no measured-boot event log (binary_bios_measurements missing or empty)');
  const pcr7 = facts(f, 'pcr7');
  if (pcr7 && /^0+$/.test(pcr7)) p.push('PCR 7 (Secure Boot state) was never extended');
  return p;
}

export function checkPromise(what: string, problems: readonly string[]): void {
  expectNone(what, problems);
}
