import { userInfo } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { PlatformConfig } from '../../runbook/types.js';
import { parseImageSource, type ImageSource } from './image-source.js';
import { azureRequirementSchema, azureSchema, type AzureSection } from './schema.js';

export interface AzureOptions {
  subscriptionId: string;
  credential: NonNullable<AzureSection['credential']>;
  armEndpoint: string;
  authorityHost?: string;
  caFile?: string;
  tokenScope: string;
  locations: string[];
  vmSizes: string[];
  image: ImageSource;
  /** For a vhd: the Hyper-V generation of the managed image made from it. */
  vhdGeneration: 'V1' | 'V2';
  resourceGroupName?: string;
  deploy: boolean;
  waitDelete: boolean;
  dryRun: boolean;
  keepEnvironment: PlatformConfig['keepEnvironment'];
  tags: Record<string, string>;
  usePublicAddress: boolean;
  provisionTimeoutMs: number;
  deleteTimeoutMs: number;
  expiryHours: number;
  owner: string;
  adminUsername: string;
  adminPrivateKeyFile?: string;
  minCores: number;
  minMemoryMiB: number;
  baseDir: string;
}

const DEFAULT_IMAGE = 'canonical ubuntu-24_04-lts server latest';

/** `""` is how LISA runbooks say "not set". */
const given = (s: string | undefined): string | undefined =>
  s === undefined || s.trim() === '' ? undefined : s.trim();
const list = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : (given(v)?.split(',') ?? [])).map((x) => x.trim()).filter(Boolean);
const bool = (v: boolean | string | undefined, dflt: boolean): boolean =>
  typeof v === 'boolean' ? v : given(v) === undefined ? dflt : /^(true|yes|1)$/i.test(v!);
const minOf = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'object' && v && 'min' in v ? Number((v as { min: number }).min) || 0 : 0;

/** Runbook entry to options; throws a message naming the key. The section was validated by the schema. */
export function parseAzureOptions(config: PlatformConfig): AzureOptions {
  const o = azureSchema.parse(config.options ?? {});
  const req = azureRequirementSchema.parse(config.requirement ?? {});
  const node = req.azure ?? {};
  const path = (p: string | undefined): string | undefined =>
    given(p) === undefined ? undefined : isAbsolute(p!) ? p! : resolve(config.baseDir, p!);
  const c = o.credential ?? {};
  const credential = {
    ...c,
    tenant_id: given(c.tenant_id) ?? given(o.service_principal_tenant_id),
    client_id: given(c.client_id) ?? given(o.service_principal_client_id),
    client_secret: given(c.client_secret) ?? given(o.service_principal_key),
    cert_path: path(c.cert_path),
    federated_token_file: path(c.federated_token_file),
  };
  credential.type ??= credential.client_secret ? 'secret' : 'default';
  const subscriptionId = given(o.subscription_id);
  if (!subscriptionId) throw new Error('runbook platform azure.subscription_id: required');
  const armEndpoint = (given(o.cloud?.arm_endpoint) ?? 'https://management.azure.com').replace(/\/+$/, '');
  if (!/^https:\/\//.test(armEndpoint))
    throw new Error(`runbook platform azure.cloud.arm_endpoint: must be an https URL, got ${armEndpoint}`);
  const image = parseImageSource(
    {
      marketplace_image: o.marketplace_image ?? node.marketplace_image,
      marketplace: o.marketplace ?? node.marketplace,
      shared_gallery: o.shared_gallery ?? node.shared_gallery,
      community_gallery_image: o.community_gallery_image ?? node.community_gallery_image,
      vhd: o.vhd ?? node.vhd,
    },
    DEFAULT_IMAGE,
  );
  const deploy = bool(o.deploy, true);
  if (!deploy && !given(o.resource_group_name))
    throw new Error('runbook platform azure.deploy: false needs resource_group_name (the group whose VMs to use)');
  if (deploy && given(o.resource_group_name))
    throw new Error(
      'runbook platform azure.resource_group_name: deploying into a named group is not supported; add deploy: false to use its VMs',
    );
  if (!deploy && !config.adminPrivateKeyFile)
    throw new Error(
      'runbook platform azure: deploy: false needs admin_private_key_file on the platform entry (the key the VMs accept)',
    );
  const locations = list(o.location).length ? list(o.location) : list(node.location);
  return {
    subscriptionId,
    credential,
    armEndpoint,
    authorityHost: given(o.cloud?.authority_host)?.replace(/\/+$/, ''),
    caFile: path(o.cloud?.ca_file),
    tokenScope: given(o.cloud?.token_scope) ?? `${armEndpoint}/.default`,
    locations: locations.length ? locations : ['westus3'],
    vmSizes: list(o.vm_size).length ? list(o.vm_size) : list(node.vm_size),
    image,
    vhdGeneration: (o.hyperv_generation ?? node.hyperv_generation) === 2 ? 'V2' : 'V1',
    resourceGroupName: given(o.resource_group_name),
    deploy,
    waitDelete: bool(o.wait_delete, false),
    dryRun: o.dry_run ?? false,
    keepEnvironment: config.keepEnvironment,
    tags: o.resource_group_tags ?? {},
    usePublicAddress: o.use_public_address ?? true,
    provisionTimeoutMs: (o.provision_timeout ?? 1200) * 1000,
    deleteTimeoutMs: (o.delete_timeout ?? 300) * 1000,
    expiryHours: o.expiry_hours ?? 8,
    owner: given(o.owner) ?? process.env.USER ?? userInfo().username,
    adminUsername: given(o.admin_username) ?? given(config.adminUsername) ?? 'lisatest',
    adminPrivateKeyFile: config.adminPrivateKeyFile,
    minCores: minOf(req.core_count),
    minMemoryMiB: minOf(req.memory_mb),
    baseDir: config.baseDir,
  };
}
