import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../../logging/logger.js';
import { withLock } from './image/lock.js';
import { runCommand } from '../../process/run-command.js';
import { shellQuote } from '../../shell/quote.js';
import type { VmSpec } from './args.js';
import { QemuGuest } from './guest.js';
import type { RunKey } from './keys.js';
import { freeLoopbackPort, releasePort } from './ports.js';

export interface WarmTemplate {
  dir: string;
  /** Migration stream of the booted, stopped template. */
  state: string;
  /** The template's disk at save time; clones put their overlay on top of it. */
  disk: string;
}

export interface WarmRequest {
  imagePath: string;
  imageKey: string;
  qemuBinary: string;
  /** Shape of the guest: must be identical between template and clones. */
  spec: Omit<VmSpec, 'disk' | 'incoming' | 'sshPort' | 'serialLog' | 'qmpSocket' | 'name'>;
  username: string;
  /** Who logs in for first contact; undefined means `username` with sudo. */
  bootUsername?: string;
  key: RunKey;
  bootTimeoutMs: number;
  log: Logger;
  signal: AbortSignal;
  /** The run directory, where the template VM is registered like any other (for the reaper). */
  runDir: string;
}

let qemuVersionCache: Promise<string> | undefined;
export function qemuVersion(binary: string): Promise<string> {
  qemuVersionCache ??= runCommand(binary, ['--version']).then((r) => r.stdout.split('\n')[0]!.trim());
  return qemuVersionCache;
}

/** Everything a saved state depends on; a template with a different fingerprint is not used. */
async function fingerprint(req: WarmRequest): Promise<string> {
  const { accel, cores, memoryMiB, kernel, initrd, append } = req.spec;
  const privateNic = !!req.spec.privateNet;
  return JSON.stringify({
    v: 1,
    image: req.imageKey,
    qemu: await qemuVersion(req.qemuBinary),
    accel: accel.accel,
    cores,
    memoryMiB,
    kernel,
    initrd,
    append,
    privateNic,
  });
}

/**
 * Returns the post-boot snapshot for this guest shape, creating it (one cold boot, then
 * `migrate` to a file) when missing or stale. Lives next to the image in the cache, under a
 * lock, so parallel deploys and later runs share it.
 */
export async function ensureWarmTemplate(req: WarmRequest): Promise<WarmTemplate> {
  const fp = await fingerprint(req);
  const name = `warm-${req.spec.accel.accel}-${req.spec.cores}c-${req.spec.memoryMiB}m${req.spec.privateNet ? '' : '-nonet'}`;
  const dir = join(dirname(req.imagePath), name);
  const tpl: WarmTemplate = { dir, state: join(dir, 'state'), disk: join(dir, 'disk.qcow2') };
  const valid = async (): Promise<boolean> =>
    existsSync(tpl.state) &&
    existsSync(tpl.disk) &&
    (await readFile(join(dir, 'fingerprint'), 'utf8').catch(() => '')) === fp;
  if (await valid()) return tpl;
  return withLock(
    `${dir}.lock`,
    async () => {
      if (await valid()) return tpl;
      const started = Date.now();
      req.log.info(`creating warm snapshot ${dir} (one cold boot, then save)`);
      await makeTemplate(req, dir, fp);
      req.log.info(`warm snapshot ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return tpl;
    },
    req.signal,
  );
}

async function makeTemplate(req: WarmRequest, dir: string, fp: string): Promise<void> {
  const work = `${dir}.tmp`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const port = await freeLoopbackPort();
  const guest = new QemuGuest({
    id: 'warm-template',
    name: 'lisa-guest',
    runDir: req.runDir,
    dir: work,
    qemuBinary: req.qemuBinary,
    log: req.log,
    spec: {
      ...req.spec,
      name: 'warm-template',
      sshPort: port,
      serialLog: join(work, 'serial.log'),
      qmpSocket: join(work, 'qmp.sock'),
    },
    base: { path: req.imagePath, format: 'qcow2' },
    username: req.username,
    bootUsername: req.bootUsername,
    key: req.key,
    bootTimeoutMs: req.bootTimeoutMs,
  });
  try {
    await guest.boot(req.signal);
    // Let boot-time jobs finish so that clones do not all redo them at once.
    const ssh = await guest.waitSsh(req.signal, 60_000);
    await ssh.exec('timeout 60 systemctl is-system-running --wait; sync', 90_000).catch(() => undefined);
    ssh.close();
    await new Promise((r) => setTimeout(r, 1_000));
    const qmp = guest.vm!.qmp!;
    await qmp.execute('stop');
    await qmp.execute('migrate', { uri: `exec:cat > ${shellQuote(join(work, 'state'))}` });
    const deadline = Date.now() + 120_000;
    for (;;) {
      const m = await qmp.execute<{ status?: string; 'error-desc'?: string }>('query-migrate');
      if (m.status === 'completed') break;
      if (m.status === 'failed' || m.status === 'cancelled')
        throw new Error(`saving the warm snapshot failed: ${m['error-desc'] ?? m.status}`);
      if (Date.now() > deadline) throw new Error('saving the warm snapshot took more than 120 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    await guest.vm!.stop();
    guest.vm!.unregister();
    await writeFile(join(work, 'fingerprint'), fp);
    await rm(dir, { recursive: true, force: true });
    await rename(work, dir);
  } catch (e) {
    await guest.kill();
    await rm(work, { recursive: true, force: true });
    throw e;
  } finally {
    releasePort(port);
  }
}
