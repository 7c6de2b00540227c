import { ComputeManagementClient } from '@azure/arm-compute';
import { NetworkManagementClient } from '@azure/arm-network';
import { ResourceManagementClient } from '@azure/arm-resources';
import type { AzureConnection } from './credential.js';

export interface AzureClients {
  resources: ResourceManagementClient;
  network: NetworkManagementClient;
  compute: ComputeManagementClient;
}

/**
 * The three ARM clients, pointed at the runbook's cloud. Newer clients ask for the public-cloud
 * scope unless told, which a sovereign or private cloud's token service refuses, so the scope is
 * always passed. The SDK's own retry handles 5xx and 429 with Retry-After; everything else goes
 * through `withArmRetry`.
 */
export function createClients(conn: AzureConnection, subscriptionId: string): AzureClients {
  const tlsOptions = conn.ca ? { ca: conn.ca } : undefined;
  const retryOptions = { maxRetries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 8_000 };
  const classic = { endpoint: conn.endpoint, credentialScopes: [conn.scope], tlsOptions, retryOptions };
  return {
    resources: new ResourceManagementClient(conn.credential, subscriptionId, classic),
    network: new NetworkManagementClient(conn.credential, subscriptionId, classic),
    compute: new ComputeManagementClient(conn.credential, subscriptionId, {
      endpoint: conn.endpoint,
      credentials: { scopes: [conn.scope] },
      tlsOptions,
      retryOptions,
    }),
  };
}
