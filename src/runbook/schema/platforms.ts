/**
 * Schemas of the type-specific platform sections (`type: qemu` + `qemu: {...}`), one per platform
 * type. Platforms living outside this file add theirs with `registerPlatformSchema`.
 */
import { z } from 'zod';

const registry = new Map<string, z.ZodType>();

/** Makes `type: <type>` valid and checks its `<type>:` section with `schema` (use z.strictObject). */
export function registerPlatformSchema(type: string, schema: z.ZodType): void {
  registry.set(type, schema);
}

export function platformSchemas(): ReadonlyMap<string, z.ZodType> {
  return registry;
}

export function knownPlatformTypes(): string[] {
  return [...registry.keys()].sort();
}

const positiveInt = z.number().int().positive();

// Machines that already exist: everything lives in `environment`.
registerPlatformSchema('ready', z.strictObject({}));

registerPlatformSchema(
  'qemu',
  z.strictObject({
    image: z
      .string()
      .min(1)
      .optional()
      .describe('A qcow2/raw image file, or `builtin:debian-12` (the guest lisa builds)'),
    kernel: z.string().optional().describe('Kernel image to boot directly (-kernel)'),
    initrd: z.string().optional().describe('Initrd for a direct kernel boot (-initrd)'),
    append: z.string().optional().describe('Kernel command line for a direct kernel boot (-append)'),
    cache_dir: z.string().optional().describe('Where downloaded and prepared images are cached'),
    accel: z.enum(['auto', 'kvm', 'tcg']).optional().describe('Accelerator; auto uses kvm when /dev/kvm is usable'),
    cores: positiveInt.optional().describe('vCPUs per guest'),
    memory_mb: positiveInt.optional().describe('Memory per guest, MiB'),
    data_disks: z.number().int().nonnegative().optional().describe('Extra empty data disks per guest'),
    boot_timeout: z.number().positive().optional().describe('Seconds to wait for SSH after boot'),
    warm_start: z.boolean().optional().describe('Boot from a saved snapshot when available'),
    private_network: z.boolean().optional().describe('Connect guests of one environment on a private network'),
    username: z.string().optional().describe('Guest user to log in as'),
    qemu_binary: z.string().optional().describe('Default qemu-system-x86_64, or $LISA_QEMU_BINARY'),
  }),
);

registerPlatformSchema(
  'azure',
  z.strictObject({
    subscription_id: z.string().optional(),
    resource_group_name: z.string().optional().describe('Existing resource group to deploy into'),
    location: z.string().optional().describe('Azure region, e.g. westus3'),
    vm_size: z.string().optional().describe('e.g. Standard_D2s_v5'),
    marketplace_image: z.string().optional().describe('`publisher offer sku version`'),
    vhd: z.string().optional().describe('URL of a VHD to deploy'),
    deploy: z.boolean().optional().describe('false: use existing VMs of resource_group_name'),
    wait_delete: z.boolean().optional().describe('Wait until resources are deleted'),
  }),
);
