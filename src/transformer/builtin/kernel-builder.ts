/**
 * `kernel_builder`: builds a kernel on the host from a tarball (Debian's linux-source-*) or a git
 * ref, with a base config plus fragments, into a cache keyed by what determines the result (the
 * source's content, the config inputs, the compiler); a second run with the same inputs reuses it.
 * The image boots on the qemu platform directly (`qemu.kernel: $(kernel_builder_kernel)`).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { withLock } from '../../platform/qemu/image/lock.js';
import { defineTransformer, TransformerStepError, type TransformerContext } from '../types.js';
import { isMakeTarget, makeConfig, readFragments, type ConfigInput } from './kernel-config.js';
import { runLogged } from './kernel-make.js';
import { prepareSource, type KernelSource } from './kernel-source.js';

export const kernelBuilderSchema = z.object({
  tarball: z.string().min(1).optional().describe('A kernel source tarball, e.g. /usr/src/linux-source-6.1.tar.xz'),
  repo: z.string().min(1).optional().describe('A git repository (path or URL) to build `ref` of'),
  ref: z.string().min(1).optional().describe('Commit, tag or branch of `repo`, e.g. $(ref) under git_bisect'),
  base_config: z
    .string()
    .min(1)
    .default('tinyconfig')
    .describe('A make target (tinyconfig, defconfig, allnoconfig) or a .config file; default tinyconfig'),
  fragments: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'Config fragments merged in order: files (relative to the runbook), builtin:qemu-guest or builtin:qemu-acpi',
    ),
  config: z
    .array(z.string().regex(/^(CONFIG_\w+=.*|# CONFIG_\w+ is not set)$/, 'a line like CONFIG_FOO=y'))
    .default([])
    .describe('Extra config lines, applied after the fragments'),
  jobs: z.number().int().positive().optional().describe('make -j; default the host CPU count'),
  build_timeout: z.number().positive().default(7200).describe('Seconds for the whole build, default 7200'),
  cache_dir: z.string().min(1).optional().describe('Default $LISA_KERNEL_CACHE or ~/.cache/lisa/kernels'),
  force: z.boolean().default(false).describe('Build even when the cache has this kernel'),
});

type Options = z.output<typeof kernelBuilderSchema>;

interface Manifest {
  key: string;
  source: string;
  sourceIdentity: string;
  release: string;
  compiler: string;
  builtAt: string;
  buildSeconds: number;
}

export function defaultKernelCache(): string {
  return process.env.LISA_KERNEL_CACHE ?? join(homedir(), '.cache', 'lisa', 'kernels');
}

export const kernelBuilderTransformer = defineTransformer({
  type: 'kernel_builder',
  description: 'Builds a kernel on the host from a tarball or git ref with config fragments, cached by content',
  schema: kernelBuilderSchema,
  defaultPhase: 'expanded',
  phases: ['init', 'expanded'],
  outputs: () => ['kernel', 'kernel_version', 'config', 'cached', 'build_seconds'],
  async run(options, ctx) {
    const source = sourceOf(options, ctx.baseDir);
    const cacheDir = resolve(ctx.baseDir, options.cache_dir ?? defaultKernelCache());
    await mkdir(cacheDir, { recursive: true });
    const logFile = join(ctx.workDir, 'build.log');
    const say = (line: string) => ctx.log.info(line);
    const abs = (p: string) => (isAbsolute(p) ? p : resolve(ctx.baseDir, p));
    const input: ConfigInput = {
      base: isMakeTarget(options.base_config) ? options.base_config : abs(options.base_config),
      fragments: options.fragments.map((f) => (f.startsWith('builtin:') ? f : abs(f))),
      lines: options.config,
    };
    const fragments = await readFragments(input);
    const tree = await prepareSource(source, cacheDir, logFile, say, ctx.signal);
    const compiler = (await runLogged('gcc', ['--version'], { logFile, signal: ctx.signal, step: 'build' })).split(
      '\n',
    )[0]!;
    const base = isMakeTarget(input.base) ? `target:${input.base}` : `file:${await readFile(input.base, 'utf8')}`;
    const key = createHash('sha256')
      .update(JSON.stringify({ v: 1, source: tree.identity, base, fragments: fragments.map((f) => f.text), compiler }))
      .digest('hex')
      .slice(0, 16);
    const entry = join(cacheDir, key);
    return withLock(
      `${entry}.lock`,
      async () => {
        if (!options.force && existsSync(join(entry, 'manifest.json'))) {
          const m = JSON.parse(await readFile(join(entry, 'manifest.json'), 'utf8')) as Manifest;
          say(`cached kernel ${m.release} (${key}), built ${m.builtAt} in ${m.buildSeconds} s from ${m.source}`);
          return outputs(entry, m, true);
        }
        const m = await build(options, ctx, { tree, input, fragments, key, entry, logFile, compiler });
        return outputs(entry, m, false);
      },
      ctx.signal,
    );
  },
});

function sourceOf(o: Options, baseDir: string): KernelSource {
  if (o.tarball && !o.repo && !o.ref) return { tarball: resolve(baseDir, o.tarball) };
  if (o.repo && o.ref && !o.tarball) {
    const local = !/^[\w+-]+:\/\//.test(o.repo) && !/^[^/]+@[^/]+:/.test(o.repo);
    return { repo: local ? resolve(baseDir, o.repo) : o.repo, ref: o.ref };
  }
  throw new TransformerStepError('options', 'give either tarball, or repo and ref');
}

function outputs(entry: string, m: Manifest, cached: boolean): Record<string, unknown> {
  return {
    kernel: join(entry, 'bzImage'),
    kernel_version: m.release,
    config: join(entry, 'config'),
    cached,
    build_seconds: m.buildSeconds,
  };
}

async function build(
  options: Options,
  ctx: TransformerContext,
  b: {
    tree: Awaited<ReturnType<typeof prepareSource>>;
    input: ConfigInput;
    fragments: Awaited<ReturnType<typeof readFragments>>;
    key: string;
    entry: string;
    logFile: string;
    compiler: string;
  },
): Promise<Manifest> {
  const started = Date.now();
  // Kept when a build fails or is interrupted: the next run with the same key goes on from there.
  const buildDir = join(dirname(b.entry), 'build', b.key);
  await mkdir(buildDir, { recursive: true });
  const o = { logFile: b.logFile, signal: ctx.signal };
  ctx.log.info(`building ${b.tree.describe} (key ${b.key}); log: ${b.logFile}`);
  await makeConfig(b.tree.dir, buildDir, b.input, b.fragments, o);
  const jobs = options.jobs ?? availableParallelism();
  let compiled = 0;
  let last = '';
  const progress = setInterval(
    () => ctx.log.info(`build: ${compiled} files compiled, ${Math.round((Date.now() - started) / 1000)} s: ${last}`),
    30_000,
  );
  try {
    await runLogged('make', [`O=${buildDir}`, `-j${jobs}`, 'bzImage'], {
      ...o,
      step: 'build',
      cwd: b.tree.dir,
      timeoutMs: options.build_timeout * 1000,
      onLine: (line) => {
        if (/^\s+(CC|AS|LD)\s/.test(line)) {
          compiled++;
          last = line.trim();
        }
      },
    });
  } finally {
    clearInterval(progress);
  }
  const image = join(buildDir, 'arch/x86/boot/bzImage');
  if (!existsSync(image)) throw new TransformerStepError('build', `make finished but ${image} is missing`);
  // Known once the build ran syncconfig (CONFIG_LOCALVERSION included).
  const release = (await readFile(join(buildDir, 'include/config/kernel.release'), 'utf8')).trim();
  const m: Manifest = {
    key: b.key,
    source: b.tree.describe,
    sourceIdentity: b.tree.identity,
    release,
    compiler: b.compiler,
    builtAt: new Date().toISOString(),
    buildSeconds: Math.round((Date.now() - started) / 1000),
  };
  // Written beside the entry, then renamed: a half-copied entry is never taken for a build.
  const tmp = `${b.entry}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await copyFile(image, join(tmp, 'bzImage'));
  await copyFile(join(buildDir, '.config'), join(tmp, 'config'));
  await copyFile(join(buildDir, 'System.map'), join(tmp, 'System.map'));
  await copyFile(b.logFile, join(tmp, 'build.log'));
  await writeFile(join(tmp, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');
  await rm(b.entry, { recursive: true, force: true });
  await rename(tmp, b.entry);
  // The object tree is big (hundreds of MB) and only the image is needed from it.
  await rm(buildDir, { recursive: true, force: true });
  ctx.log.info(`built ${release} in ${m.buildSeconds} s (${compiled} files compiled): ${join(b.entry, 'bzImage')}`);
  return m;
}
