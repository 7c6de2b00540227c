import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCommand } from '../../../process/run-command.js';
import type { VmSpec } from '../args.js';
import { missingSecureBootFile, type SecureBootOptions } from './options.js';
import { buildSignedEsp } from './uki.js';

/** What every node of a secure_boot run boots: the shared signed ESP and firmware. */
export interface SecureBootPlan {
  options: SecureBootOptions;
  espImage: string;
  cached: boolean;
}

const TOOLS: [string, string][] = [
  ['objcopy', 'binutils'],
  ['objdump', 'binutils'],
  ['openssl', 'openssl'],
  ['sbsign', 'sbsigntool'],
  ['mkfs.vfat', 'dosfstools'],
  ['mmd', 'mtools'],
  ['mcopy', 'mtools'],
];

// The stub only shows this; the guest's own /etc/os-release is what OS detection reads.
const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm), lisa secure_boot"\nID=debian\nVERSION_ID="12"\n';

/**
 * Checks the host (tools, firmware, keys) and builds the signed UKI once per content; every
 * failure names the runbook key or the Debian package that fixes it.
 */
export async function prepareSecureBoot(input: {
  options: SecureBootOptions;
  kernel: string | undefined;
  initrd: string | undefined;
  cmdline: string;
  cacheDir: string;
  signal?: AbortSignal;
  log: (line: string) => void;
}): Promise<SecureBootPlan> {
  const sb = input.options;
  if (!input.kernel)
    throw new Error(
      'platform qemu: profile secure_boot needs a kernel to put in the UKI (the builtin image, or qemu.kernel)',
    );
  const tools = sb.tpm ? [...TOOLS, ['swtpm', 'swtpm'] as [string, string]] : TOOLS;
  for (const [cmd, pkg] of tools)
    if (!(await hasCommand(cmd)))
      throw new Error(
        `platform qemu: profile secure_boot needs ${cmd}; apt-get install ${pkg} (or run \`lisa doctor\`)`,
      );
  const missing = missingSecureBootFile(sb);
  if (missing) throw new Error(`runbook platform ${missing}`);
  const esp = await buildSignedEsp({
    kernel: input.kernel,
    initrd: input.initrd,
    cmdline: input.cmdline,
    osRelease: OS_RELEASE,
    secureBoot: sb,
    cacheDir: input.cacheDir,
    signal: input.signal,
    log: input.log,
  });
  return { options: sb, espImage: esp.espImage, cached: esp.cached };
}

/** A node's UEFI set-up: its own copy of the variable store (firmware writes it) and TPM state. */
export async function nodeUefi(plan: SecureBootPlan, nodeDir: string): Promise<NonNullable<VmSpec['uefi']>> {
  const vars = join(nodeDir, 'OVMF_VARS.fd');
  await copyFile(plan.options.firmwareVars, vars);
  return {
    code: plan.options.firmwareCode,
    vars,
    esp: plan.espImage,
    tpmDir: plan.options.tpm ? join(nodeDir, 'tpm') : undefined,
  };
}
