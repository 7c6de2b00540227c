// Every `credential.type` LISA runbooks use, against the loopback endpoint's token service: each one
// gets a token there and makes an ARM call with it. No guest is booted.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClients } from '../../src/platform/azure/clients.js';
import { checkCredential, createCredential } from '../../src/platform/azure/credential.js';
import { parseAzureOptions } from '../../src/platform/azure/options.js';
import { runCommand } from '../../src/process/run-command.js';
import { startTestArmEndpoint } from '../helpers/azure.js';
import { tempDir } from '../helpers/cli.js';

describe('azure credential types (loopback token service)', { timeout: 5 * 60_000 }, () => {
  let ep: Awaited<ReturnType<typeof startTestArmEndpoint>>;
  let dir: string;
  const saved = { ...process.env };

  before(async () => {
    ep = await startTestArmEndpoint();
    dir = tempDir('lisa-az-cred-');
    await runCommand('openssl', [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=lisa-e2e'],
      ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    ]);
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    writeFileSync(join(dir, 'app.pem'), readFileSync(join(dir, 'key.pem'), 'utf8') + cert);
    ep.tokens.trust.certificates.push(cert);
    ep.tokens.trust.federated.add('federated-e2e-token');
    writeFileSync(join(dir, 'federated-token'), 'federated-e2e-token');
  });
  after(async () => {
    process.env = saved;
    await ep?.close();
  });

  /** Authenticates as the platform does, then lists resource groups with the token. */
  async function authenticate(credential: Record<string, unknown>): Promise<void> {
    const o = parseAzureOptions({
      type: 'azure',
      keepEnvironment: 'no',
      baseDir: dir,
      options: {
        subscription_id: ep.subscriptionId,
        credential,
        cloud: { arm_endpoint: ep.armEndpoint, authority_host: ep.authorityHost, ca_file: ep.caFile },
      },
    });
    const ca = readFileSync(ep.caFile, 'utf8');
    const conn = { credential: createCredential(o, ca), endpoint: o.armEndpoint, scope: o.tokenScope, ca };
    await checkCredential(conn, AbortSignal.timeout(60_000));
    const groups = [];
    for await (const g of createClients(conn, o.subscriptionId).resources.resourceGroups.list()) groups.push(g);
    assert.deepEqual(groups, []);
  }
  const app = () => ({ tenant_id: ep.tenantId, client_id: ep.clientId });

  it('secret', () => authenticate({ type: 'secret', ...app(), client_secret: ep.clientSecret }));

  it('certificate (a JWT the endpoint verifies against the registered certificate)', () =>
    authenticate({ type: 'certificate', ...app(), cert_path: 'app.pem' }));

  it('a certificate the app does not know fails with a one-line error', async () => {
    const other = join(dir, 'other');
    mkdirSync(other);
    await runCommand('openssl', [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=other'],
      ...['-keyout', join(other, 'k.pem'), '-out', join(other, 'c.pem')],
    ]);
    writeFileSync(
      join(other, 'app.pem'),
      readFileSync(join(other, 'k.pem'), 'utf8') + readFileSync(join(other, 'c.pem'), 'utf8'),
    );
    await assert.rejects(
      authenticate({ type: 'certificate', ...app(), cert_path: join(other, 'app.pem') }),
      (e: Error) => /^azure: authentication failed \(AADSTS\d+\)/.test(e.message) && !e.message.includes('\n'),
    );
  });

  it('assertion', () => authenticate({ type: 'assertion', ...app(), client_assertion: 'federated-e2e-token' }));

  it('workloadidentity (federated token file)', () =>
    authenticate({ type: 'workloadidentity', ...app(), federated_token_file: 'federated-token' }));

  it('token (a bearer token given as is)', () => authenticate({ type: 'token', token: ep.tokens.issue() }));

  it('default (DefaultAzureCredential through the AZURE_* environment variables)', async () => {
    Object.assign(process.env, {
      AZURE_TENANT_ID: ep.tenantId,
      AZURE_CLIENT_ID: ep.clientId,
      AZURE_CLIENT_SECRET: ep.clientSecret,
      AZURE_AUTHORITY_HOST: ep.authorityHost,
    });
    try {
      await authenticate({ type: 'default', tenant_id: ep.tenantId });
    } finally {
      for (const k of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_AUTHORITY_HOST'])
        delete process.env[k];
    }
  });

  it('azcli (the token `az account get-access-token` prints)', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const token = ep.tokens.issue();
    const expires = Math.floor(Date.now() / 1000) + 3600;
    // A stand-in for the Azure CLI of a logged-in user: what `az account get-access-token -o json` prints.
    writeFileSync(
      join(bin, 'az'),
      `#!/bin/sh\ncase "$*" in *get-access-token*) printf '%s' '{"accessToken":"${token}","expiresOn":"${new Date(expires * 1000).toISOString()}","expires_on":${expires},"subscription":"${ep.subscriptionId}","tenant":"${ep.tenantId}","tokenType":"Bearer"}' ;; *) exit 1 ;; esac\n`,
    );
    chmodSync(join(bin, 'az'), 0o755);
    process.env.PATH = `${bin}:${saved.PATH ?? ''}`;
    try {
      await authenticate({ type: 'azcli' });
    } finally {
      process.env.PATH = saved.PATH;
    }
  });
});
