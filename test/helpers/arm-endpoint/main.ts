/**
 * `npm run arm-endpoint`: the loopback ARM endpoint on its own, for trying the azure platform
 * without an Azure account. Prints its coordinates, runs until interrupted, then stops its guests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QemuGuestBackend } from './guests.js';
import { startArmEndpoint } from './server.js';

const dir = process.env.ARM_ENDPOINT_DIR ?? mkdtempSync(join(tmpdir(), 'lisa-arm-endpoint-'));
const cache = process.env.LISA_TEST_IMAGE_CACHE ?? join(process.env.HOME ?? '/root', '.cache/lisa/images');
const backend = new QemuGuestBackend(dir, cache, {
  write: (level, source, message) => {
    if (level !== 'debug') process.stderr.write(`# ${level} [${source}] ${message}\n`);
  },
});
const ep = await startArmEndpoint({ dir, backend });
process.stdout.write(
  [
    `ARM_ENDPOINT=${ep.armEndpoint}`,
    `AUTHORITY_HOST=${ep.authorityHost}`,
    `CA_FILE=${ep.caFile}`,
    `TENANT_ID=${ep.tenantId}`,
    `CLIENT_ID=${ep.clientId}`,
    `CLIENT_SECRET=${ep.clientSecret}`,
    `SUBSCRIPTION_ID=${ep.subscriptionId}`,
    `STATE_URL=${ep.stateUrl}`,
  ].join('\n') + '\n',
);
let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  process.stderr.write('arm-endpoint: stopping guests\n');
  await ep.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
