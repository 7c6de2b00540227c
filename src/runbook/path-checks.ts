/**
 * File-system facts `run` depends on, checked while loading so that `lisa check` reports them with
 * the runbook key instead of `run` failing later with raw errno text.
 */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { errorAt, locate, type LNode, type PathPart } from './located.js';
import type { RunbookError } from './errors.js';
import type { ResolvedRunbook } from './types.js';

/** Kernel pseudo-filesystems: writing a run there spins or fails in ways no user intends. */
const PSEUDO = ['/proc', '/sys', '/dev'];

export function checkRunbookPaths(
  rb: Omit<ResolvedRunbook, 'combination' | 'variables'>,
  tree: LNode,
  logPathGiven: boolean,
): RunbookError[] {
  const errors: RunbookError[] = [];
  const fail = (at: PathPart[], message: string) => {
    const where = locate(tree, at);
    errors.push(errorAt(where.keyPos ?? where.pos, at, message));
  };
  const runRootProblem = writableDirProblem(rb.runRoot);
  if (runRootProblem) fail(logPathGiven ? ['log_path'] : [], `${rb.runRoot}: ${runRootProblem}`);
  rb.environments.forEach((env, e) =>
    env.nodes.forEach((node, n) => {
      if (node.type !== 'remote' || !node.privateKeyFile) return;
      const problem = readableFileProblem(node.privateKeyFile);
      if (problem) {
        fail(['environment', 'environments', e, 'nodes', n, 'private_key_file'], `${node.privateKeyFile}: ${problem}`);
      }
    }),
  );
  rb.notifier.forEach((n, i) => {
    const written = n.options.path;
    if (typeof written !== 'string' || written === '') return;
    // As the notifiers resolve it (notifiers/options.ts reportPath): relative to the working directory.
    const file = path.resolve(process.cwd(), written);
    const problem = writableFileProblem(file);
    if (problem) fail(['notifier', i, 'path'], `${file}: ${problem}`);
  });
  const adminKey = rb.platform.adminPrivateKeyFile;
  const adminProblem = adminKey ? readableFileProblem(adminKey) : undefined;
  if (adminKey && adminProblem) fail(['platform', 0, 'admin_private_key_file'], `${adminKey}: ${adminProblem}`);
  return errors;
}

/** Why a run directory cannot be made below `dir`, or undefined when it can. */
export function writableDirProblem(dir: string): string | undefined {
  let probe = path.resolve(dir);
  // The directory may not exist yet: the nearest existing ancestor decides.
  for (;;) {
    const st = statOrUndefined(probe);
    if (st) {
      if (!st.isDirectory()) return probe === path.resolve(dir) ? 'is not a directory' : `${probe} is not a directory`;
      break;
    }
    const parent = path.dirname(probe);
    if (parent === probe) return 'no part of the path exists';
    probe = parent;
  }
  const real = realpathSync(probe);
  if (PSEUDO.some((p) => real === p || real.startsWith(`${p}/`))) {
    return `is under ${real.split('/').slice(0, 2).join('/')}, a kernel pseudo-filesystem; choose a normal directory`;
  }
  try {
    accessSync(probe, constants.W_OK | constants.X_OK);
  } catch (e) {
    // As root, access() fails only on a read-only file system: say which of the two it is.
    const why = (e as NodeJS.ErrnoException).code === 'EROFS' ? 'is on a read-only file system' : 'is not writable';
    return probe === path.resolve(dir) ? why : `cannot be created: ${probe} ${why}`;
  }
  return undefined;
}

/** Why a report file cannot be written at `file` (its directory is made when missing). */
export function writableFileProblem(file: string): string | undefined {
  const st = statOrUndefined(file);
  if (st?.isDirectory()) return 'is a directory; give a file name';
  if (st && !st.isFile()) return 'exists and is not a regular file';
  if (st) {
    try {
      accessSync(file, constants.W_OK);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EROFS' ? 'is on a read-only file system' : 'is not writable';
    }
  }
  const dir = path.dirname(file);
  const why = writableDirProblem(dir)?.replace(/^cannot be created: /, '');
  if (!why) return undefined;
  return `cannot be written: ${why.startsWith('/') ? why : `${dir} ${why}`}`;
}

function readableFileProblem(file: string): string | undefined {
  const st = statOrUndefined(file);
  if (!st) return 'file not found';
  if (!st.isFile()) return 'is not a regular file';
  try {
    accessSync(file, constants.R_OK);
  } catch {
    return 'is not readable';
  }
  return undefined;
}

function statOrUndefined(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
