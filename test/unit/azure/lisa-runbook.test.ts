import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAzureOptions } from '../../../src/platform/azure/options.js';
import { loadRunbook } from '../../../src/runbook/load.js';
import { repoRoot, startCli } from '../../helpers/cli.js';

const lisaAzure = join(repoRoot, 'test/fixtures/lisa/microsoft/runbook/azure.yml');
const vars = [
  'subscription_id:00000000-0000-0000-0000-00000000abcd',
  'service_principal_tenant_id:tenant-1',
  'service_principal_client_id:client-1',
  'service_principal_key:sp-key-1',
  'marketplace_image:canonical ubuntu-24_04-lts server latest',
];

describe("LISA's own microsoft/runbook/azure.yml", () => {
  it('passes lisa check unchanged', async () => {
    const r = await startCli(['check', lisaAzure, ...vars.flatMap((v) => ['-v', v])]).done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /platform azure/);
    assert.doesNotMatch(r.stdout + r.stderr, /sp-key-1/);
  });

  it('means the same thing: service principal, location, core count, image, keep/deploy defaults', async () => {
    const rb = await loadRunbook(lisaAzure, { cliVariables: vars, env: {} });
    const o = parseAzureOptions(rb.combinations[0]!.platform);
    assert.equal(o.subscriptionId, '00000000-0000-0000-0000-00000000abcd');
    assert.deepEqual(
      {
        type: o.credential.type,
        tenant: o.credential.tenant_id,
        client: o.credential.client_id,
        secret: o.credential.client_secret,
      },
      { type: 'secret', tenant: 'tenant-1', client: 'client-1', secret: 'sp-key-1' },
    );
    assert.deepEqual(o.locations, ['westus3']);
    assert.equal(o.minCores, 2);
    assert.deepEqual(o.vmSizes, []);
    assert.deepEqual(o.image, {
      kind: 'marketplace',
      publisher: 'canonical',
      offer: 'ubuntu-24_04-lts',
      sku: 'server',
      version: 'latest',
    });
    assert.equal(o.deploy, true);
    assert.equal(o.waitDelete, false);
    assert.equal(o.keepEnvironment, 'no');
    assert.equal(o.resourceGroupName, undefined);
    assert.equal(rb.combinations[0]!.concurrency, 5);
  });
});
