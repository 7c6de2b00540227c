import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../../../process/run-command.js';
import { withLock } from '../image/lock.js';
import type { SecureBootOptions } from './options.js';

export interface UkiInput {
  kernel: string;
  initrd?: string;
  cmdline: string;
  /** The .osrel section: what `bootctl` and the stub show as the entry's name. */
  osRelease: string;
  secureBoot: SecureBootOptions;
  cacheDir: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface SignedEsp {
  /** A FAT image holding the signed UKI as the removable-media default \EFI\BOOT\BOOTX64.EFI. */
  espImage: string;
  uki: string;
  cached: boolean;
}

const MiB = 0x100000;
const ESP_MIB = 64;

async function fileHash(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Highest address any section of the stub occupies, from `objdump -h` (VMA + size). */
export function stubEnd(objdumpHeaders: string): number {
  let end = 0;
  for (const m of objdumpHeaders.matchAll(/^\s*\d+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s/gim)) {
    end = Math.max(end, parseInt(m[2]!, 16) + parseInt(m[1]!, 16));
  }
  return end;
}

const align = (n: number, to: number): number => Math.ceil(n / to) * to;

/**
 * The objcopy arguments that add .osrel, .cmdline, .linux and .initrd after the stub's own
 * sections, each at an address past the previous one (systemd 252 has no ukify; this is its recipe).
 */
export function ukiSectionArgs(
  end: number,
  sections: { name: string; file: string; size: number }[],
): { args: string[]; vmas: Record<string, number> } {
  const args: string[] = [];
  const vmas: Record<string, number> = {};
  let at = align(end, MiB);
  for (const s of sections) {
    vmas[s.name] = at;
    args.push('--add-section', `${s.name}=${s.file}`, '--change-section-vma', `${s.name}=0x${at.toString(16)}`);
    at = align(at + s.size, MiB);
  }
  return { args, vmas };
}

/**
 * Builds a unified kernel image (systemd-stub + kernel + initrd + command line), signs it with the
 * configured key, and puts it on an ESP image; cached by the content of everything that goes in,
 * so every environment of every run with the same inputs boots the same file.
 */
export async function buildSignedEsp(input: UkiInput): Promise<SignedEsp> {
  const sb = input.secureBoot;
  const key = createHash('sha256');
  for (const f of [input.kernel, input.initrd, sb.ukiStub, sb.signingCert]) key.update(f ? await fileHash(f) : '-');
  key.update(input.cmdline).update(input.osRelease);
  const dir = join(input.cacheDir, 'secure-boot', key.digest('hex').slice(0, 16));
  const espImage = join(dir, 'esp.img');
  const uki = join(dir, 'linux.signed.efi');
  if (existsSync(espImage)) return { espImage, uki, cached: true };
  await mkdir(dir, { recursive: true });
  return withLock(
    `${dir}.lock`,
    async () => {
      if (existsSync(espImage)) return { espImage, uki, cached: true };
      await buildInto(dir, input);
      return { espImage, uki, cached: false };
    },
    input.signal,
  );
}

async function buildInto(dir: string, input: UkiInput): Promise<void> {
  const sb = input.secureBoot;
  const opts = { signal: input.signal };
  const work = join(dir, `build-${process.pid}`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    const cmdline = join(work, 'cmdline');
    const osrel = join(work, 'os-release');
    await writeFile(cmdline, input.cmdline);
    await writeFile(osrel, input.osRelease);
    const sections = [
      { name: '.osrel', file: osrel },
      { name: '.cmdline', file: cmdline },
      { name: '.linux', file: input.kernel },
      ...(input.initrd ? [{ name: '.initrd', file: input.initrd }] : []),
    ];
    const sized = await Promise.all(sections.map(async (s) => ({ ...s, size: (await stat(s.file)).size })));
    const headers = await runCommand('objdump', ['-h', sb.ukiStub], opts);
    const { args } = ukiSectionArgs(stubEnd(headers.stdout), sized);
    const unsigned = join(work, 'linux.efi');
    await runCommand('objcopy', [...args, sb.ukiStub, unsigned], opts);

    // sbsign cannot prompt for a passphrase: the key is decrypted into a private file for the
    // signature only, with the passphrase passed through the environment, never on a command line.
    let signingKey = sb.signingKey;
    if (sb.keyPassword !== undefined) {
      signingKey = join(work, 'signing.key');
      await writeFile(signingKey, '', { mode: 0o600 });
      await chmod(signingKey, 0o600);
      await runCommand(
        'openssl',
        ['pkey', '-in', sb.signingKey, '-passin', 'env:LISA_UKI_KEY_PASSWORD', '-out', signingKey],
        { ...opts, env: { ...process.env, LISA_UKI_KEY_PASSWORD: sb.keyPassword } },
      );
    }
    const signed = join(work, 'linux.signed.efi');
    await runCommand('sbsign', ['--key', signingKey, '--cert', sb.signingCert, '--output', signed, unsigned], opts);
    await rm(join(work, 'signing.key'), { force: true });
    input.log?.(`signed UKI ${((await stat(signed)).size / MiB).toFixed(1)} MiB with ${sb.signingCert}`);

    const esp = join(work, 'esp.img');
    await runCommand('mkfs.vfat', ['-n', 'ESP', '-C', esp, String(ESP_MIB * 1024)], opts);
    await runCommand('mmd', ['-i', esp, '::/EFI', '::/EFI/BOOT'], opts);
    await runCommand('mcopy', ['-i', esp, signed, '::/EFI/BOOT/BOOTX64.EFI'], opts);
    await rename(signed, join(dir, 'linux.signed.efi'));
    await rename(esp, join(dir, 'esp.img'));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
