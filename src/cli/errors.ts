import { RunbookError } from '../runbook/errors.js';
import { fsErrorText, isFsError } from '../logging/fs-errors.js';
import { ResultsSourceError } from '../results/run-source.js';
import { SuiteLoadError } from '../testing/loader.js';

/** A mistake in how lisa was called (bad option value, missing file): exit 2, no stack. */
export class UsageError extends Error {}

/** Prints an error the way a user should see it and returns the exit code. */
export function reportError(e: unknown, debug: boolean, mask: (s: string) => string = (s) => s): number {
  if (e instanceof RunbookError) {
    process.stderr.write(`error: ${mask(e.format())}\n`);
    return 2;
  }
  if (e instanceof SuiteLoadError || e instanceof UsageError || e instanceof ResultsSourceError) {
    process.stderr.write(`error: ${mask(e.message)}\n`);
    return 2;
  }
  if (isFsError(e) && !debug) {
    // Node's text ("ENOENT: no such file or directory, mkdir '/x'") in words, with the path first.
    const dest = (e as { dest?: string }).dest;
    const where = e.path ? ` ${e.path}${dest ? ` -> ${dest}` : ''}` : '';
    process.stderr.write(`error: cannot ${e.syscall ?? 'access'}${where}: ${mask(fsErrorText(e))}\n`);
    return 1;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`error: ${mask(err.message)}\n`);
  if (debug && err.stack) process.stderr.write(`${mask(err.stack)}\n`);
  return 1;
}
