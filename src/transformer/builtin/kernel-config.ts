/**
 * The .config of a kernel_builder entry: a base (a make target such as `tinyconfig`, or a file)
 * with fragments merged on top, then every option the fragments ask for checked in the result, so
 * an option that Kconfig silently dropped (a missing dependency) fails the build step by name.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TransformerStepError } from '../types.js';
import { BUILTIN_FRAGMENTS } from './kernel-fragments.js';
import { runLogged } from './kernel-make.js';

export interface ConfigInput {
  /** `tinyconfig`, `defconfig`, `allnoconfig`... or the path of a .config file. */
  base: string;
  /** Fragment names (`builtin:qemu-guest`) or paths, in order. */
  fragments: string[];
  /** Extra lines (`CONFIG_X=y`), applied last. */
  lines: string[];
}

/** A fragment's text, with the file or builtin name it came from. */
export interface Fragment {
  from: string;
  text: string;
}

const TARGET = /^[a-z0-9_.]*config$/;

export function isMakeTarget(base: string): boolean {
  return TARGET.test(base) && !base.includes('/');
}

export async function readFragments(input: ConfigInput): Promise<Fragment[]> {
  const out: Fragment[] = [];
  for (const f of input.fragments) {
    if (f.startsWith('builtin:')) {
      const text = BUILTIN_FRAGMENTS[f.slice('builtin:'.length)];
      if (text === undefined) {
        const known = Object.keys(BUILTIN_FRAGMENTS).map((k) => `builtin:${k}`);
        throw new TransformerStepError('config', `unknown fragment "${f}"; known: ${known.join(', ')}`);
      }
      out.push({ from: f, text });
    } else {
      if (!existsSync(f)) throw new TransformerStepError('config', `no such config fragment: ${f}`);
      out.push({ from: f, text: await readFile(f, 'utf8') });
    }
  }
  if (input.lines.length) out.push({ from: 'config:', text: input.lines.join('\n') + '\n' });
  return out;
}

/** What a fragment asks for: option → `y`, `m`, `n`, a number or a quoted string. */
export function requested(text: string): Map<string, string> {
  const want = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const set = /^(CONFIG_\w+)=(.*)$/.exec(line);
    const unset = /^# (CONFIG_\w+) is not set$/.exec(line);
    if (set) want.set(set[1]!, set[2]!);
    else if (unset) want.set(unset[1]!, 'n');
  }
  return want;
}

/** Writes `<buildDir>/.config` from the base and the fragments. */
export async function makeConfig(
  srcDir: string,
  buildDir: string,
  input: ConfigInput,
  fragments: Fragment[],
  o: { logFile: string; signal: AbortSignal },
): Promise<void> {
  const run = (cmd: string, args: string[]) => runLogged(cmd, args, { ...o, step: 'config', cwd: srcDir });
  if (isMakeTarget(input.base)) await run('make', [`O=${buildDir}`, input.base]);
  else {
    if (!existsSync(input.base)) throw new TransformerStepError('config', `no such base config: ${input.base}`);
    await writeFile(join(buildDir, '.config'), await readFile(input.base));
    await run('make', [`O=${buildDir}`, 'olddefconfig']);
  }
  if (!fragments.length) return;
  const files: string[] = [];
  for (const [i, f] of fragments.entries()) {
    const file = join(buildDir, `lisa-fragment-${i}.config`);
    await writeFile(file, f.text);
    files.push(file);
  }
  // merge_config.sh ships with every tree: later fragments override earlier ones, as in the kernel's own targets.
  await run('sh', [
    join(srcDir, 'scripts/kconfig/merge_config.sh'),
    '-m',
    '-O',
    buildDir,
    join(buildDir, '.config'),
    ...files,
  ]);
  await run('make', [`O=${buildDir}`, 'olddefconfig']);
  await checkConfig(join(buildDir, '.config'), fragments);
}

/** Throws naming every option a fragment asks for that the final .config does not have. */
export async function checkConfig(configFile: string, fragments: Fragment[]): Promise<void> {
  const final = requested(await readFile(configFile, 'utf8'));
  const want = new Map<string, { value: string; from: string }>();
  for (const f of fragments) for (const [k, v] of requested(f.text)) want.set(k, { value: v, from: f.from });
  const lost: string[] = [];
  for (const [k, { value, from }] of want) {
    const got = final.get(k) ?? 'n';
    if (got !== value) lost.push(`${k}=${value} (from ${from}) is ${got === 'n' ? 'not set' : got}`);
  }
  if (lost.length) {
    throw new TransformerStepError(
      'config',
      `the final .config does not have what the fragments ask for (a dependency is missing or the option does not exist in this tree):\n${lost.join('\n')}`,
    );
  }
}
