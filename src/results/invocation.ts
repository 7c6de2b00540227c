import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How `lisa run` was called, so that `lisa resume RUN_DIR` can call it again. */
export interface Invocation {
  /** Absolute path of the runbook. */
  runbook: string;
  /** `-v name:value` arguments that are not secret, in order. */
  variables: string[];
  /** Names of `-v s:name:value` secrets: never written, `lisa resume` needs them again. */
  secretVariables: string[];
  /** `--rerun-failed` and `--shard`, which decide which cases this run holds. */
  rerunFailed?: string;
  shard?: string;
}

const FILE = 'invocation.json';

/** Splits `-v` arguments into what may be written down and the names of secrets. */
export function invocationOf(runbook: string, cliVariables: readonly string[]): Invocation {
  const variables: string[] = [];
  const secretVariables: string[] = [];
  for (const v of cliVariables) {
    if (v.startsWith('s:')) secretVariables.push(v.slice(2).split(':')[0]!);
    else variables.push(v);
  }
  return { runbook, variables, secretVariables };
}

export function writeInvocation(runDir: string, inv: Invocation): void {
  writeFileSync(join(runDir, FILE), `${JSON.stringify(inv, null, 2)}\n`);
}

export function readInvocation(runDir: string): Invocation {
  const path = join(runDir, FILE);
  if (!existsSync(path))
    throw new Error(`${runDir} has no ${FILE}: it was not started by lisa run, or by an older lisa`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Invocation;
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}
