import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  WorkloadIdentityCredential,
  type AccessToken,
  type TokenCredential,
} from '@azure/identity';
import type { AzureOptions } from './options.js';

/** What every client of one platform shares: where ARM is, whom to trust, how to authenticate. */
export interface AzureConnection {
  credential: TokenCredential;
  endpoint: string;
  scope: string;
  /** PEM text of `cloud.ca_file`, trusted in addition to the system CAs. */
  ca?: string;
}

/** A bearer token given as is (`credential.type: token`); it cannot be refreshed. */
class StaticTokenCredential implements TokenCredential {
  constructor(private readonly token: string) {}
  getToken(): Promise<AccessToken> {
    return Promise.resolve({ token: this.token, expiresOnTimestamp: Date.now() + 3600_000 });
  }
}

function need(value: string | undefined, key: string, type: string): string {
  if (!value) throw new Error(`runbook platform azure.credential.${key}: required for credential type ${type}`);
  return value;
}

export function createCredential(o: AzureOptions, ca: string | undefined): TokenCredential {
  const c = o.credential;
  const type = c.type ?? 'default';
  // A private authority has no instance metadata to discover; without this MSAL refuses it.
  const common = {
    authorityHost: o.authorityHost,
    disableInstanceDiscovery: !!o.authorityHost,
    additionallyAllowedTenants: c.allow_all_tenants ? ['*'] : undefined,
    tlsOptions: ca ? { ca } : undefined,
  };
  switch (type) {
    case 'secret':
      return new ClientSecretCredential(
        need(c.tenant_id, 'tenant_id', type),
        need(c.client_id, 'client_id', type),
        need(c.client_secret, 'client_secret', type),
        common,
      );
    case 'certificate':
      return new ClientCertificateCredential(
        need(c.tenant_id, 'tenant_id', type),
        need(c.client_id, 'client_id', type),
        { certificatePath: need(c.cert_path, 'cert_path', type) },
        common,
      );
    case 'assertion': {
      const assertion = need(c.client_assertion, 'client_assertion', type);
      return new ClientAssertionCredential(
        need(c.tenant_id, 'tenant_id', type),
        need(c.client_id, 'client_id', type),
        () => Promise.resolve(assertion),
        common,
      );
    }
    case 'workloadidentity':
      return new WorkloadIdentityCredential({
        ...common,
        tenantId: c.tenant_id,
        clientId: c.client_id,
        tokenFilePath: c.federated_token_file,
      });
    case 'azcli':
      return new AzureCliCredential({
        tenantId: c.tenant_id,
        additionallyAllowedTenants: common.additionallyAllowedTenants,
      });
    case 'token':
      return new StaticTokenCredential(need(c.token, 'token', type));
    default:
      return new DefaultAzureCredential({ ...common, tenantId: c.tenant_id, managedIdentityClientId: c.client_id });
  }
}

/**
 * Gets one token before anything else so that a wrong secret stops the run at once, in one line:
 * MSAL's messages are multi-line with trace and correlation ids.
 */
export async function checkCredential(conn: AzureConnection, signal: AbortSignal): Promise<void> {
  try {
    await conn.credential.getToken(conn.scope, { abortSignal: signal, requestOptions: { timeout: 15_000 } });
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    const code = /AADSTS\d+/.exec(msg)?.[0] ?? /invalid_client|unauthorized_client|invalid_grant/.exec(msg)?.[0];
    const first = msg
      .split('\n')[0]!
      .replace(/Trace ID:.*$/, '')
      .trim();
    throw new Error(`azure: authentication failed${code ? ` (${code})` : ''}: ${first.slice(0, 240)}`);
  }
}
