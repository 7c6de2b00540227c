import type { Command } from 'commander';
import { runRunbook } from '../../orchestrator/run.js';
import { loadRunbookAndSuites } from '../load.js';
import { addRunbookOptions, runbookPath, type RunbookArgs } from '../options.js';
import { installInterruptHandler } from '../interrupt.js';

export function registerRun(program: Command): void {
  addRunbookOptions(program.command('run'))
    .description(
      'run the test cases a runbook selects; exit 0 all passed or skipped, 1 a case failed, 2 usage or runbook error, 130 interrupted',
    )
    .action(async (positional: string | undefined, opts: RunbookArgs) => {
      const debug = program.opts<{ debug?: boolean }>().debug ?? false;
      const { runbook, cases } = await loadRunbookAndSuites(runbookPath(positional, opts), opts.variable);
      const interrupt = installInterruptHandler(process.stderr);
      try {
        const result = await runRunbook(runbook, {
          debug,
          out: process.stdout,
          err: process.stderr,
          signal: interrupt.signal,
          cases,
        });
        process.exitCode = result.exitCode;
      } finally {
        interrupt.dispose();
      }
    });
}
