/** The runbook's `hyperv:` section: the Windows host, the image, and the guests' shape and login. */
import { z } from 'zod';
import { definePlatform } from '../registration.js';

export const hypervSchema = z.strictObject({
  host: z.string().min(1).describe('The Hyper-V host (Windows Server with OpenSSH server)'),
  port: z.number().int().min(1).max(65535).optional().describe('SSH port of the host, default 22'),
  username: z.string().min(1).describe('Host account with Hyper-V administrator rights'),
  password: z.string().optional().describe('Host password (a secret: masked in every output)'),
  private_key_file: z.string().optional().describe('Host login key'),
  image: z.string().min(1).describe('Local .vhd or .vhdx file, copied to the host for each VM'),
  generation: z
    .union([z.literal(1), z.literal(2)])
    .optional()
    .describe('VM generation; default 2 for .vhdx, 1 for .vhd'),
  switch: z.string().optional().describe('Virtual switch, default "Default Switch"'),
  work_dir: z.string().optional().describe('Directory on the host for VM files, default C:\\lisa'),
  cores: z.number().int().positive().optional(),
  memory_mb: z.number().int().positive().optional(),
  max_vms: z.number().int().positive().optional().describe('VMs at once on the host, default 2'),
  guest: z.strictObject({
    username: z.string().min(1),
    private_key_file: z.string().optional(),
    password: z.string().optional(),
    port: z.number().int().min(1).max(65535).optional().describe('Guest SSH port, default 22'),
  }),
  boot_timeout: z.number().positive().optional().describe('Seconds from Start-VM to SSH, default 600'),
});

export type HypervSection = z.infer<typeof hypervSchema>;

export const hypervPlatform = definePlatform({
  type: 'hyperv',
  schema: hypervSchema,
  create: async (config) => (await import('./platform.js')).createHypervPlatform(config),
});
