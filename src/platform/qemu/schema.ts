/**
 * The runbook's `qemu:` section and the registration of `type: qemu`. Small and eager (zod only):
 * the platform itself is imported when a run creates it.
 */
import { z } from 'zod';
import { definePlatform } from '../registration.js';

const positiveInt = z.number().int().positive();

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

/** The validated `qemu.secure_boot` section (profile secure_boot; resolved in ./secure-boot/options.ts). */
export type SecureBootSection = z.output<typeof secureBootSchema>;

export const qemuSchema = z
  .strictObject({
    image: z
      .string()
      .min(1)
      .optional()
      .describe('A qcow2/raw image file, or `builtin:debian-12` (the guest lisa builds)'),
    kernel: z.string().min(1).optional().describe('Kernel image to boot directly (-kernel)'),
    initrd: z.string().min(1).optional().describe('Initrd for a direct kernel boot (-initrd)'),
    append: z.string().optional().describe('Kernel command line for a direct kernel boot (-append)'),
    cache_dir: z.string().min(1).optional().describe('Where downloaded and prepared images are cached'),
    accel: z
      .enum(['auto', 'kvm', 'tcg'])
      .default('auto')
      .describe('Accelerator; auto uses kvm when /dev/kvm is usable'),
    cores: positiveInt.optional().describe('vCPUs per guest'),
    memory_mb: positiveInt.default(1024).describe('Memory per guest, MiB'),
    data_disks: z.number().int().nonnegative().default(0).describe('Extra empty data disks per guest'),
    // TCG boots take 25-45 s here and up to 175 s when the host is busy.
    boot_timeout: z.number().positive().default(300).describe('Seconds to wait for SSH after boot'),
    warm_start: z.boolean().default(true).describe('Boot from a saved snapshot when available'),
    private_network: z.boolean().default(true).describe('Connect guests of one environment on a private network'),
    username: z.string().min(1).optional().describe('Guest user to log in as'),
    qemu_binary: z.string().min(1).optional().describe('Default qemu-system-x86_64, or $LISA_QEMU_BINARY'),
    profile: z
      .enum(['default', 'cis', 'secure_boot'])
      .default('default')
      .describe(
        'Built-in guest variant: default, cis (a CIS Level 1 hardened reference image), or secure_boot (UEFI, a signed UKI, Secure Boot enforcing, TPM 2.0)',
      ),
    secure_boot: secureBootSchema.optional().describe('Keys and firmware of the secure_boot profile'),
  })
  .superRefine((o, ctx) => {
    if (o.secure_boot && o.profile !== 'secure_boot')
      ctx.addIssue({ code: 'custom', path: ['secure_boot'], message: 'is used only with profile: secure_boot' });
  });

/** The validated `qemu:` section, defaults applied. */
export type QemuSection = z.output<typeof qemuSchema>;

export const qemuPlatform = definePlatform({
  type: 'qemu',
  schema: qemuSchema,
  create: async (config) => (await import('./index.js')).createQemuPlatform(config),
});
