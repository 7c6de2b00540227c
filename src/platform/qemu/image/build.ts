import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cisHardeningScript } from './cis-hardening.js';
import { configureScript } from './configure.js';
import { withLock } from './lock.js';
import { runCommand } from '../../../process/run-command.js';
import {
  defaultCacheDir,
  imageKey,
  resolveSpec,
  type BuildImageOptions,
  type BuiltImage,
  type ImageSpec,
} from './spec.js';

interface Manifest {
  key: string;
  spec: ImageSpec;
  kernel: string;
  initrd: string;
  kernelVersion: string;
  builtAt: string;
  buildMs: number;
}

function result(dir: string, m: Manifest, cached: boolean, ms: number): BuiltImage {
  return {
    imagePath: join(dir, 'base.qcow2'),
    kernel: join(dir, m.kernel),
    initrd: join(dir, m.initrd),
    key: m.key,
    username: m.spec.username,
    cached,
    ms,
  };
}

async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/**
 * Builds the Debian guest (debootstrap, configure, `mkfs.ext4 -d`, qcow2) without loop devices or
 * mounts, or returns the cached one. The cache directory is keyed by a hash of the package list
 * and the configure script, so changing either builds a new image next to the old one.
 */
export async function buildImage(options: BuildImageOptions = {}): Promise<BuiltImage> {
  const started = Date.now();
  const spec = resolveSpec(options);
  const key = imageKey(spec);
  const cacheDir = resolve(options.cacheDir ?? defaultCacheDir());
  const dir = join(cacheDir, key);
  await mkdir(cacheDir, { recursive: true });
  const hit = options.force ? undefined : await readManifest(dir);
  if (hit) return result(dir, hit, true, Date.now() - started);

  return withLock(
    join(cacheDir, `${key}.lock`),
    async () => {
      // Another process may have finished the same build while we waited for the lock.
      const done = options.force ? undefined : await readManifest(dir);
      if (done) return result(dir, done, true, Date.now() - started);
      const manifest = await buildInto(cacheDir, dir, key, spec, options);
      manifest.buildMs = Date.now() - started;
      await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
      return result(dir, manifest, false, manifest.buildMs);
    },
    options.signal,
  );
}

async function buildInto(
  cacheDir: string,
  dir: string,
  key: string,
  spec: ImageSpec,
  options: BuildImageOptions,
): Promise<Manifest> {
  const say = options.log ?? options.onProgress ?? (() => {});
  const signal = options.signal;
  const work = join(cacheDir, `${key}.tmp`);
  const rootfs = join(work, 'rootfs');
  const debs = join(cacheDir, 'debs');
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  await mkdir(debs, { recursive: true });
  try {
    say(`debootstrap ${spec.suite} (${spec.packages.length} packages) into ${rootfs}`);
    let t = Date.now();
    await runCommand(
      'debootstrap',
      [
        '--variant=minbase',
        `--include=${spec.packages.join(',')}`,
        `--cache-dir=${debs}`,
        spec.suite,
        rootfs,
        spec.mirror,
      ],
      { signal, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
    );
    say(`debootstrap done in ${((Date.now() - t) / 1000).toFixed(1)} s; configuring`);
    t = Date.now();
    const script = join(work, 'configure.sh');
    await writeFile(script, configureScript(spec.username), { mode: 0o755 });
    await runCommand('bash', [script, rootfs], { signal });
    if (spec.hardening === 'cis') {
      const harden = join(work, 'cis-hardening.sh');
      await writeFile(harden, cisHardeningScript(spec.username), { mode: 0o755 });
      await runCommand('bash', [harden, rootfs], { signal });
    }
    const boot = await readdir(join(rootfs, 'boot'));
    const vmlinuz = boot.find((f) => f.startsWith('vmlinuz-'));
    const initrd = boot.find((f) => f.startsWith('initrd.img-'));
    if (!vmlinuz || !initrd)
      throw new Error(`no kernel or initrd in ${join(rootfs, 'boot')} (found: ${boot.join(', ')})`);
    say(`configured in ${((Date.now() - t) / 1000).toFixed(1)} s; making the disk image`);
    t = Date.now();
    const raw = join(work, 'base.raw');
    await runCommand('truncate', ['-s', `${spec.diskSizeGiB}G`, raw]);
    await runCommand('mkfs.ext4', ['-q', '-F', '-L', 'rootfs', '-E', 'root_owner=0:0', '-d', rootfs, raw], { signal });
    const out = join(work, 'out');
    await mkdir(out);
    await runCommand('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', raw, join(out, 'base.qcow2')], { signal });
    await copyFile(join(rootfs, 'boot', vmlinuz), join(out, 'vmlinuz'));
    await copyFile(join(rootfs, 'boot', initrd), join(out, 'initrd.img'));
    say(`disk image made in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await rm(dir, { recursive: true, force: true });
    await rename(out, dir);
    return {
      key,
      spec,
      kernel: 'vmlinuz',
      initrd: 'initrd.img',
      kernelVersion: vmlinuz.slice('vmlinuz-'.length),
      builtAt: new Date().toISOString(),
      buildMs: 0,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The cached image for these options, without building. */
export async function findCachedImage(options: BuildImageOptions = {}): Promise<BuiltImage | undefined> {
  const spec = resolveSpec(options);
  const dir = join(resolve(options.cacheDir ?? defaultCacheDir()), imageKey(spec));
  if (!existsSync(join(dir, 'manifest.json'))) return undefined;
  const m = await readManifest(dir);
  return m ? result(dir, m, true, 0) : undefined;
}
