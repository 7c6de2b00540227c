/**
 * The runbook's `baremetal:` section: the machines lisa may lease, how to reach each one's BMC,
 * how it boots, how to log in, and what it offers for requirement matching.
 */
import { z } from 'zod';
import { definePlatform } from '../registration.js';

const positiveInt = z.number().int().positive();

const ipmiSchema = z.strictObject({
  host: z.string().min(1).describe('BMC address'),
  port: z.number().int().min(1).max(65535).optional().describe('RMCP+ port, default 623'),
  user: z.string().min(1),
  password: z.string().describe('BMC password (a secret: masked in every output)'),
  cipher_suite: z
    .number()
    .int()
    .min(0)
    .max(17)
    .optional()
    .describe('ipmitool -C; unset lets ipmitool negotiate (slow on BMCs that refuse the query)'),
  timeout: z.number().positive().optional().describe('Seconds per BMC command, default 30'),
});

const redfishSchema = z.strictObject({
  url: z.string().url().describe('Base URL, e.g. https://bmc.example.com'),
  user: z.string().min(1),
  password: z.string().describe('BMC password (a secret: masked in every output)'),
  ca_file: z.string().optional().describe('PEM file of the CA that signed the BMC certificate'),
  system: z.string().optional().describe('ComputerSystem path; default: the only member of /redfish/v1/Systems'),
  timeout: z.number().positive().optional().describe('Seconds per request, default 30'),
  sol_cipher_suite: z.number().int().min(0).max(17).optional().describe('ipmitool -C for the IPMI serial console'),
});

const pxeSchema = z
  .strictObject({
    kernel: z.string().min(1).optional().describe('Kernel file lisa serves'),
    initrd: z.string().min(1).optional().describe('Initrd file lisa serves'),
    cmdline: z.string().optional().describe('Kernel command line'),
    ipxe_script: z.string().min(1).optional().describe('An iPXE script file served instead of the generated one'),
  })
  .refine((p) => p.ipxe_script || p.kernel, { message: 'pxe needs kernel (with initrd, cmdline) or ipxe_script' });

const machineSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
  bmc: z
    .strictObject({ ipmi: ipmiSchema.optional(), redfish: redfishSchema.optional() })
    .refine((b) => !!b.ipmi !== !!b.redfish, { message: 'exactly one of ipmi or redfish' }),
  boot: z
    .strictObject({
      pxe: pxeSchema.optional(),
      disk: z
        .strictObject({ os: z.string().optional().describe('What is installed, for the log') })
        .optional()
        .describe('Boot what is installed on the disk'),
    })
    .refine((b) => !!b.pxe !== !!b.disk, { message: 'exactly one of pxe or disk' }),
  address: z.strictObject({
    host: z.string().min(1).describe('Where SSH answers once the machine is up'),
    port: z.number().int().min(1).max(65535).optional().describe('Default 22'),
  }),
  ssh: z
    .strictObject({
      username: z.string().min(1),
      private_key_file: z.string().optional(),
      password: z.string().optional(),
    })
    .refine((s) => s.private_key_file || s.password, { message: 'ssh needs private_key_file or password' }),
  capabilities: z
    .strictObject({
      cores: positiveInt.optional(),
      memory_mb: positiveInt.optional(),
      data_disks: z.number().int().nonnegative().optional(),
      features: z.array(z.string()).optional().describe('Extra feature names this machine offers'),
    })
    .optional(),
  boot_timeout: z.number().positive().optional().describe('Seconds from power-on to SSH, default 600'),
});

export const baremetalSchema = z.strictObject({
  machines: z.array(machineSchema).min(1),
  boot_server: z
    .strictObject({
      listen: z.string().optional().describe('Address the PXE HTTP server binds, default 0.0.0.0'),
      port: z.number().int().min(0).max(65535).optional().describe('Default 8642; 0 picks a free one'),
      url: z.string().url().optional().describe('Base URL the machines use to reach it, e.g. http://10.0.0.5:8642'),
      tftp_port: z
        .number()
        .int()
        .min(0)
        .max(65535)
        .optional()
        .describe(
          'Also serve the same paths over TFTP on this UDP port, plus iPXE for chain-loading (69 for PXE firmware: needs root or CAP_NET_BIND_SERVICE; 0 picks a free one)',
        ),
      ipxe_dir: z
        .string()
        .optional()
        .describe(
          "Where undionly.kpxe / ipxe.efi / snponly.efi are, served at the TFTP root; default /usr/lib/ipxe (Debian's ipxe)",
        ),
    })
    .optional(),
  lock_dir: z.string().optional().describe('Lease locks shared by every run on this host; default /tmp/lisa-baremetal'),
  lease_timeout: z
    .number()
    .nonnegative()
    .optional()
    .describe('Seconds to wait for a machine another run holds, default 0'),
});

export type BaremetalSection = z.infer<typeof baremetalSchema>;
export type MachineConfig = z.infer<typeof machineSchema>;
export type IpmiConfig = z.infer<typeof ipmiSchema>;
export type RedfishConfig = z.infer<typeof redfishSchema>;

export const baremetalPlatform = definePlatform({
  type: 'baremetal',
  schema: baremetalSchema,
  create: async (config) => (await import('./index.js')).createBaremetalPlatform(config),
});
