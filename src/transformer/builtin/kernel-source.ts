/**
 * The kernel source tree of a kernel_builder entry: a tarball (e.g. Debian's linux-source-6.1) or
 * a commit of a git repository, unpacked once per content into the kernel cache and never built
 * in (builds go out of tree), so many configs and runs share one unpacked tree.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { withLock } from '../../platform/qemu/image/lock.js';
import { TransformerStepError } from '../types.js';
import { runLogged } from './kernel-make.js';

export type KernelSource = { tarball: string } | { repo: string; ref: string };

export interface SourceTree {
  /** What the source is, for the cache key and the log: `sha256:<tarball hash>` or `git:<commit>`. */
  identity: string;
  dir: string;
  describe: string;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The commit `ref` names in `repo` (a path or URL), fetched into a bare mirror in the cache. */
async function resolveCommit(repo: string, ref: string, cacheDir: string, logFile: string, signal: AbortSignal) {
  const mirror = join(cacheDir, 'git', createHash('sha256').update(repo).digest('hex').slice(0, 16));
  await mkdir(join(cacheDir, 'git'), { recursive: true });
  return withLock(
    `${mirror}.lock`,
    async () => {
      if (!existsSync(mirror)) {
        await runLogged('git', ['clone', '--bare', '--quiet', repo, mirror], { logFile, signal, step: 'source' });
      } else {
        await runLogged('git', ['-C', mirror, 'fetch', '--quiet', '--force', repo, '+refs/*:refs/*'], {
          logFile,
          signal,
          step: 'source',
        });
      }
      const out = await runLogged('git', ['-C', mirror, 'rev-parse', '--verify', `${ref}^{commit}`], {
        logFile,
        signal,
        step: 'source',
        quietFailure: `ref "${ref}" is not a commit of ${repo}`,
      });
      return { mirror, commit: out.trim() };
    },
    signal,
  );
}

/** Unpacks (once) and returns the source tree; the identity is known before any unpacking. */
export async function prepareSource(
  source: KernelSource,
  cacheDir: string,
  logFile: string,
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<SourceTree> {
  let identity: string;
  let unpack: (into: string) => Promise<void>;
  let describe: string;
  if ('tarball' in source) {
    if (!existsSync(source.tarball)) {
      throw new TransformerStepError(
        'source',
        `no such tarball: ${source.tarball} (Debian: apt-get install linux-source-6.1 puts it in /usr/src)`,
      );
    }
    log(`hashing ${source.tarball}`);
    identity = `sha256:${await sha256File(source.tarball)}`;
    describe = source.tarball;
    unpack = async (into) => {
      log(`unpacking ${source.tarball}`);
      await runLogged('tar', ['-xf', source.tarball, '-C', into], { logFile, signal, step: 'source' });
    };
  } else {
    const { mirror, commit } = await resolveCommit(source.repo, source.ref, cacheDir, logFile, signal);
    identity = `git:${commit}`;
    describe = `${source.repo} ${source.ref} (${commit.slice(0, 12)})`;
    unpack = async (into) => {
      log(`checking out ${commit.slice(0, 12)}`);
      await mkdir(join(into, 'src'));
      await runLogged(
        'sh',
        ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'sh', mirror, commit, join(into, 'src')],
        {
          logFile,
          signal,
          step: 'source',
        },
      );
    };
  }
  const dir = join(cacheDir, 'src', createHash('sha256').update(identity).digest('hex').slice(0, 16));
  await mkdir(join(cacheDir, 'src'), { recursive: true });
  const tree = await withLock(
    `${dir}.lock`,
    async () => {
      const found = await topDir(dir);
      if (found) return found;
      const tmp = `${dir}.tmp`;
      await rm(tmp, { recursive: true, force: true });
      await mkdir(tmp, { recursive: true });
      await unpack(tmp);
      await rename(tmp, dir);
      const top = await topDir(dir);
      if (!top) throw new TransformerStepError('source', `${describe} holds no kernel tree (no Makefile and Kconfig)`);
      return top;
    },
    signal,
  );
  return { identity, dir: tree, describe };
}

/** The kernel tree in `dir`: the directory itself or its single top-level directory. */
async function topDir(dir: string): Promise<string | undefined> {
  if (!existsSync(dir)) return undefined;
  const isTree = (d: string) => existsSync(join(d, 'Makefile')) && existsSync(join(d, 'Kconfig'));
  if (isTree(dir)) return dir;
  const entries = await readdir(dir, { withFileTypes: true });
  const dirs = entries.filter((e) => e.isDirectory());
  if (dirs.length === 1 && isTree(join(dir, dirs[0]!.name))) return join(dir, dirs[0]!.name);
  return undefined;
}
