/**
 * The `azure:` section of a platform entry. Keys are LISA's, so LISA's own runbooks load
 * unchanged; LISA runbooks pass `""` for anything unset, so empty strings mean "not given".
 */
import { z } from 'zod';
import { definePlatform } from '../registration.js';

const oneOrMany = z.union([z.string(), z.array(z.string().min(1))]);

export const credentialTypes = [
  'default',
  'azcli',
  'secret',
  'certificate',
  'assertion',
  'workloadidentity',
  'token',
] as const;

export const azureCredentialSchema = z.strictObject({
  type: z.enum(credentialTypes).optional().describe('How to authenticate; default: secret when client_secret is given'),
  tenant_id: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional().describe('type secret'),
  cert_path: z.string().optional().describe('type certificate: PEM file with the private key and certificate'),
  client_assertion: z.string().optional().describe('type assertion: a signed JWT'),
  federated_token_file: z.string().optional().describe('type workloadidentity: the token file'),
  token: z.string().optional().describe('type token: a bearer token used as is'),
  allow_all_tenants: z.boolean().optional(),
});

export const azureCloudSchema = z.strictObject({
  arm_endpoint: z.string().optional().describe('Resource Manager URL, e.g. https://management.usgovcloudapi.net'),
  authority_host: z.string().optional().describe('Entra ID URL, e.g. https://login.microsoftonline.us'),
  ca_file: z.string().optional().describe('PEM bundle trusted for both (private clouds)'),
  token_scope: z.string().optional().describe('Default `<arm_endpoint>/.default`'),
});

/** Image and placement keys: in `azure:` or in LISA's `requirement.azure:` of the platform entry. */
const nodeKeys = {
  location: oneOrMany.optional().describe('Region, or a list tried in order'),
  vm_size: oneOrMany.optional().describe('Size, or a list tried in order; default: smallest that fits'),
  marketplace_image: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .describe('`publisher offer sku version` or {publisher, offer, sku, version}; version `latest` is resolved'),
  marketplace: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .describe('LISA spelling of marketplace_image'),
  shared_gallery: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .describe(
      "`gallery/definition/version`, `subscription/resource_group/gallery/definition/version` or LISA's mapping",
    ),
  community_gallery_image: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .describe('`location/gallery/definition/version` or {image_gallery, image_definition, image_version, location}'),
  vhd: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .describe('URL of a VHD blob, or {vhd_path, vmgs_path}'),
  hyperv_generation: z
    .union([z.literal(1), z.literal(2)])
    .optional()
    .describe('For vhd: the generation of the image made from it (default 1)'),
};

export const azureRequirementSchema = z.looseObject({
  core_count: z.union([z.number(), z.looseObject({ min: z.number().optional() })]).optional(),
  memory_mb: z.union([z.number(), z.looseObject({ min: z.number().optional() })]).optional(),
  node_count: z.number().int().positive().optional(),
  azure: z.looseObject(nodeKeys).optional(),
});

export const azureSchema = z.strictObject({
  subscription_id: z.string().optional(),
  credential: azureCredentialSchema.optional(),
  service_principal_tenant_id: z.string().optional().describe('LISA: same as credential.tenant_id'),
  service_principal_client_id: z.string().optional().describe('LISA: same as credential.client_id'),
  service_principal_key: z.string().optional().describe('LISA: same as credential.client_secret'),
  cloud: azureCloudSchema.optional(),
  ...nodeKeys,
  resource_group_name: z.string().optional().describe('With deploy: false, the group whose VMs to use; never deleted'),
  deploy: z.union([z.boolean(), z.string()]).optional().describe('false: use the VMs already in resource_group_name'),
  wait_delete: z.union([z.boolean(), z.string()]).optional().describe('Wait until deleted groups are gone'),
  dry_run: z.boolean().optional().describe('Print the plan (location, size, image, quota) and create nothing'),
  resource_group_tags: z.record(z.string(), z.string()).optional().describe('Extra tags on every group'),
  use_public_address: z.boolean().optional().describe('Connect to the public IP (default true)'),
  wait_resource_timeout: z
    .number()
    .nonnegative()
    .optional()
    .describe('Minutes to wait for quota in use when the top-level wait_resource_timeout is not written'),
  provision_timeout: z.number().positive().optional().describe('Seconds for a VM to provision (default 1200)'),
  delete_timeout: z
    .number()
    .positive()
    .optional()
    .describe(
      'Seconds each resource group delete may take from when it is asked for (default 300); a group still deleting then is listed in the summary and left to lisa reap',
    ),
  expiry_hours: z.number().positive().optional().describe('The expiry tag: hours from creation (default 8)'),
  owner: z.string().optional().describe('The owner tag (default: $USER)'),
  admin_username: z.string().optional(),
  data_disk_size_gb: z.number().int().positive().optional(),
});

export type AzureSection = z.infer<typeof azureSchema>;
export type AzureRequirementSection = z.infer<typeof azureRequirementSchema>;

export const azurePlatform = definePlatform({
  type: 'azure',
  schema: azureSchema,
  // The SDK is loaded only when a run creates the platform.
  create: async (config) => (await import('./index.js')).createAzurePlatform(config),
});
