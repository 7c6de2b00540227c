import { existsSync } from 'node:fs';
import { z } from 'zod';

/**
 * Debian's `ovmf` package ships a "snakeoil" key pair enrolled as PK, KEK and db in a variable
 * store template, with the private key beside it (password `snakeoil`). It is public on purpose:
 * a test guest can be Secure Boot enforcing out of the box. Image teams point these at their own
 * signing key and an OVMF variable store that enrols it.
 */
export const DEBIAN_SNAKEOIL = {
  firmware_code: '/usr/share/OVMF/OVMF_CODE_4M.fd',
  firmware_vars: '/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd',
  signing_key: '/usr/share/ovmf/PkKek-1-snakeoil.key',
  signing_cert: '/usr/share/ovmf/PkKek-1-snakeoil.pem',
  key_password: 'snakeoil',
} as const;

/** Debian's systemd-boot-efi: the stub a unified kernel image is built around. */
export const DEFAULT_UKI_STUB = '/usr/lib/systemd/boot/efi/linuxx64.efi.stub';

export const secureBootSchema = z
  .object({
    firmware_code: z.string().min(1).optional().describe(`OVMF code image (default ${DEBIAN_SNAKEOIL.firmware_code})`),
    firmware_vars: z
      .string()
      .min(1)
      .optional()
      .describe(`OVMF variable store template with your keys enrolled (default ${DEBIAN_SNAKEOIL.firmware_vars})`),
    signing_key: z.string().min(1).optional().describe('PEM private key the UKI is signed with (default: snakeoil)'),
    signing_cert: z.string().min(1).optional().describe('PEM certificate of that key, enrolled in db'),
    key_password: z.string().optional().describe('Passphrase of signing_key, if it is encrypted'),
    uki_stub: z.string().min(1).optional().describe(`systemd-stub to build the UKI from (default ${DEFAULT_UKI_STUB})`),
    tpm: z.boolean().default(true).describe('Give each guest a TPM 2.0 (swtpm), measured boot on'),
  })
  .strict();

export type SecureBootSection = z.output<typeof secureBootSchema>;

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
