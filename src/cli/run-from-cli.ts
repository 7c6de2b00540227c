import { runRunbook, type RunRunbookOptions } from '../orchestrator/run.js';
import type { LoadedRunbook } from '../runbook/types.js';
import { installInterruptHandler } from './interrupt.js';

/**
 * `lisa run` and `lisa resume` alike: Ctrl-C handling around the run, and the exit code, including
 * LISA's `exit_with_failed_count: false` (failed cases do not fail the command).
 */
export async function runFromCli(
  runbook: LoadedRunbook,
  options: Omit<RunRunbookOptions, 'out' | 'err' | 'signal'>,
): Promise<void> {
  const interrupt = installInterruptHandler(process.stderr);
  try {
    const result = await runRunbook(runbook, {
      ...options,
      exitWithFailedCount: options.exitWithFailedCount ?? runbook.combinations[0]?.exitWithFailedCount === true,
      out: process.stdout,
      err: process.stderr,
      signal: interrupt.signal,
    });
    const failedOnly = result.exitCode === 1 && runbook.combinations[0]?.exitWithFailedCount === false;
    process.exitCode = failedOnly ? 0 : result.exitCode;
  } finally {
    interrupt.dispose();
  }
}
