/**
 * `scripts/hyperv-lab.sh up` runs this: the loopback Hyper-V stand-in on its own, for trying
 * runbooks/hyperv.yml without a Windows host. It builds (or reuses) the project's guest image,
 * converts it to VHDX, makes a guest key, prints the `-v` arguments for `lisa run`, and runs until
 * SIGINT/SIGTERM, then stops its VMs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImage } from '../../../src/platform/qemu/image/build.js';
import { defaultCacheDir } from '../../../src/platform/qemu/image/spec.js';
import { freeLoopbackPort } from '../../../src/platform/qemu/ports.js';
import { startHypervTestHost } from './host.js';

const dir = process.env.HYPERV_LAB_DIR ?? '/tmp/lisa-hyperv-lab';
mkdirSync(dir, { recursive: true });
const image = await buildImage({
  cacheDir: process.env.LISA_IMAGE_CACHE ?? defaultCacheDir(),
  log: (l) => process.stderr.write(`# image: ${l}\n`),
});
const vhdx = join(dir, 'image.vhdx');
if (!existsSync(vhdx)) execFileSync('qemu-img', ['convert', '-O', 'vhdx', image.imagePath, vhdx]);
const key = join(dir, 'guest_key');
if (!existsSync(key)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
const guestPort = await freeLoopbackPort();
const host = await startHypervTestHost({
  root: join(dir, 'host'),
  kernel: image.kernel,
  initrd: image.initrd,
  publicKeyFile: `${key}.pub`,
  guestSshPort: guestPort,
});
const args = [
  `-v host_port:${host.port}`,
  `-v s:host_password:${host.password}`,
  `-v image:${vhdx}`,
  `-v guest_key:${key}`,
  `-v guest_port:${guestPort}`,
].join(' ');
// The password is the lab's own, made for this process; it is written where only root reads it.
writeFileSync(join(dir, 'lisa-args'), `${args}\n`, { mode: 0o600 });
process.stdout.write(
  `hyperv lab up on 127.0.0.1:${host.port}; run:\n  lisa run runbooks/hyperv.yml $(cat ${join(dir, 'lisa-args')})\n`,
);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  process.stderr.write('hyperv lab: stopping VMs\n');
  await host.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
