import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { QemuGuestBackend } from './arm-endpoint/guests.js';
import { startArmEndpoint, type ArmEndpoint } from './arm-endpoint/server.js';
import { TEST_IMAGE_CACHE } from './qemu.js';

/** The loopback ARM endpoint with QEMU-backed VMs, in this test process. */
export async function startTestArmEndpoint(o: { coresLimit?: number } = {}): Promise<ArmEndpoint & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-arm-'));
  const backend = new QemuGuestBackend(dir, TEST_IMAGE_CACHE, {
    write: (level, source, message) => {
      if (process.env.LISA_TEST_VERBOSE || level === 'warn' || level === 'error')
        process.stderr.write(`# arm-endpoint ${level} [${source}] ${message}\n`);
    },
  });
  return { ...(await startArmEndpoint({ dir, backend, coresLimit: o.coresLimit })), dir };
}

/** `-v` arguments that point runbooks/azure*.yml (their subscription, credential and cloud variables) at the endpoint. */
export function endpointVariables(ep: ArmEndpoint): string[] {
  const pairs: [string, string][] = [
    ['subscription_id', ep.subscriptionId],
    ['tenant_id', ep.tenantId],
    ['client_id', ep.clientId],
    ['client_secret', ep.clientSecret],
    ['arm_endpoint', ep.armEndpoint],
    ['authority_host', ep.authorityHost],
    ['ca_file', ep.caFile],
  ];
  return pairs.flatMap(([k, v]) => ['-v', `${k}:${v}`]);
}

export interface AzureRunbookOptions {
  runRoot: string;
  secret?: string;
  extra?: string;
  testcase?: string;
  /** YAML for `location:`, default westus3. */
  location?: string;
}

/** A runbook for `type: azure` aimed at the endpoint, credential type secret. */
export function azureRunbookYaml(ep: ArmEndpoint, o: AzureRunbookOptions): string {
  return `name: azure-e2e
log_path: ${o.runRoot}
# TCG guests on a shared 2-core host: one environment at a time.
concurrency: 1
platform:
  - type: azure
    requirement:
      core_count:
        min: 2
    azure:
      subscription_id: ${ep.subscriptionId}
      location: ${o.location ?? 'westus3'}
      marketplace_image: canonical ubuntu-24_04-lts server latest
      credential:
        type: secret
        tenant_id: ${ep.tenantId}
        client_id: ${ep.clientId}
        client_secret: ${o.secret ?? ep.clientSecret}
      cloud:
        arm_endpoint: ${ep.armEndpoint}
        authority_host: ${ep.authorityHost}
        ca_file: ${ep.caFile}
${o.extra ?? ''}
testcase:
  - criteria:
      name: ${o.testcase ?? '^smoke\\.'}
`;
}

export interface EndpointState {
  resourceGroups: { name: string; tags: Record<string, string> }[];
  vms: { group: string; name: string; pid?: number; power: string }[];
  requests: { method: string; path: string; status: number }[];
}

export async function endpointState(ep: ArmEndpoint): Promise<EndpointState> {
  return (await (await fetch(ep.stateUrl)).json()) as EndpointState;
}

/** Polls until `pred` holds or `ms` passes; returns the last state. */
export async function waitForState(
  ep: ArmEndpoint,
  pred: (s: EndpointState) => boolean,
  ms: number,
): Promise<EndpointState> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await endpointState(ep);
    if (pred(s) || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 250));
  }
}
