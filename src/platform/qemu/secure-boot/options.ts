import { existsSync } from 'node:fs';
import { DEBIAN_SNAKEOIL, DEFAULT_UKI_STUB, type SecureBootSection } from '../schema.js';

/** Resolved paths the platform uses; every file is checked before anything boots. */
export interface SecureBootOptions {
  firmwareCode: string;
  firmwareVars: string;
  signingKey: string;
  signingCert: string;
  keyPassword?: string;
  ukiStub: string;
  tpm: boolean;
}

export function resolveSecureBoot(
  s: SecureBootSection | undefined,
  abs: (p: string) => string = (p) => p,
): SecureBootOptions {
  const custom = s?.signing_key !== undefined;
  return {
    firmwareCode: abs(s?.firmware_code ?? DEBIAN_SNAKEOIL.firmware_code),
    firmwareVars: abs(s?.firmware_vars ?? DEBIAN_SNAKEOIL.firmware_vars),
    signingKey: abs(s?.signing_key ?? DEBIAN_SNAKEOIL.signing_key),
    signingCert: abs(s?.signing_cert ?? DEBIAN_SNAKEOIL.signing_cert),
    keyPassword: s?.key_password ?? (custom ? undefined : DEBIAN_SNAKEOIL.key_password),
    ukiStub: abs(s?.uki_stub ?? DEFAULT_UKI_STUB),
    tpm: s?.tpm ?? true,
  };
}

/** The first missing file, named with the key that sets it and the Debian package that ships the default. */
export function missingSecureBootFile(o: SecureBootOptions): string | undefined {
  const files: [string, string, string][] = [
    ['firmware_code', o.firmwareCode, 'ovmf'],
    ['firmware_vars', o.firmwareVars, 'ovmf'],
    ['signing_key', o.signingKey, 'ovmf'],
    ['signing_cert', o.signingCert, 'ovmf'],
    ['uki_stub', o.ukiStub, 'systemd-boot-efi'],
  ];
  for (const [key, path, pkg] of files)
    if (!existsSync(path)) return `qemu.secure_boot.${key}: file not found: ${path} (default from Debian's ${pkg})`;
  return undefined;
}
