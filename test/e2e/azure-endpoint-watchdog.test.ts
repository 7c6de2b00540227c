// The loopback ARM endpoint's QEMU guests do not outlive it: `npm run arm-endpoint` is SIGKILLed
// while a VM it created through the real SDK is running, and its watchdog kills the guest.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Logger } from '../../src/logging/logger.js';
import { SecretMasker } from '../../src/logging/secrets.js';
import { AzurePlatform } from '../../src/platform/azure/platform.js';
import type { PlatformContext } from '../../src/platform/types.js';
import { repoRoot, tempDir } from '../helpers/cli.js';
import { qemuPidsMatching, TEST_IMAGE_CACHE } from '../helpers/qemu.js';

const until = async (pred: () => Promise<boolean> | boolean, ms: number): Promise<boolean> => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await pred()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return pred();
};

describe('arm-endpoint watchdog', { timeout: 20 * 60_000 }, () => {
  it('SIGKILL of the endpoint process: its QEMU guests are gone within seconds', async () => {
    const dir = tempDir('lisa-arm-wd-');
    const child = spawn(process.execPath, [join(repoRoot, 'dist/test/helpers/arm-endpoint/main.js')], {
      env: { ...process.env, ARM_ENDPOINT_DIR: dir, LISA_TEST_IMAGE_CACHE: TEST_IMAGE_CACHE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise((r) => child.on('exit', r));
    assert.ok(await until(() => out.includes('STATE_URL='), 60_000), err);
    const env = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );

    const platform = new AzurePlatform({
      type: 'azure',
      keepEnvironment: 'no',
      baseDir: dir,
      requirement: { core_count: { min: 2 } },
      options: {
        subscription_id: env.SUBSCRIPTION_ID,
        credential: {
          type: 'secret',
          tenant_id: env.TENANT_ID,
          client_id: env.CLIENT_ID,
          client_secret: env.CLIENT_SECRET,
        },
        cloud: { arm_endpoint: env.ARM_ENDPOINT, authority_host: env.AUTHORITY_HOST, ca_file: env.CA_FILE },
        delete_timeout: 5,
      },
    });
    const abort = new AbortController();
    const ctx: PlatformContext = {
      runDir: join(dir, 'run'),
      log: new Logger('test', [], new SecretMasker()),
      masker: new SecretMasker(),
      signal: abort.signal,
      environmentConfig: undefined,
    };
    await platform.prepare(ctx);
    const deploying = platform.deploy({ nodes: 1 }, ctx).catch((e: Error) => e);
    // The VM's own guest is running (on a cold image cache the image and warm-snapshot builds come
    // first: minutes, and they are not the endpoint's guests).
    const vmPids = async (): Promise<number[]> => {
      const state = (await (await fetch(env.STATE_URL!)).json()) as { vms: { pid?: number }[] };
      return state.vms.flatMap((vm) => (vm.pid ? [vm.pid] : []));
    };
    assert.ok(await until(async () => (await vmPids()).length > 0, 12 * 60_000), err);
    const pids = await qemuPidsMatching(dir);
    assert.ok(pids.length > 0, `the VM's QEMU is not under ${dir}`);
    child.kill('SIGKILL');
    await exited;
    const t0 = Date.now();
    const gone = await until(async () => (await qemuPidsMatching(dir)).length === 0, 5_000);
    process.stderr.write(`# QEMU ${pids.join(' ')} gone ${Date.now() - t0} ms after the endpoint's SIGKILL\n`);
    assert.ok(gone, `QEMU still running 5 s after the endpoint died: ${(await qemuPidsMatching(dir)).join(' ')}`);
    // (A killed QEMU may linger as a zombie of a container's init: qemuPidsMatching skips zombies.)
    assert.match(err, /watchdog: endpoint \d+ is gone; killed QEMU \d+/);

    abort.abort();
    assert.ok((await deploying) instanceof Error, 'the deploy cannot finish without its endpoint');
    await platform.dispose(ctx);
  });
});
