import type { Command } from 'commander';
import { resolve } from 'node:path';
import { runRunbook } from '../../orchestrator/run.js';
import { loadRunbookAndSuites } from '../load.js';
import { addRunbookOptions, runbookPath, type RunbookArgs } from '../options.js';
import { installInterruptHandler } from '../interrupt.js';

export function registerRun(program: Command): void {
  // `run` is the default command, as in LISA: `lisa -r runbook.yml`.
  addRunbookOptions(program.command('run', { isDefault: true }))
    .option('-l, --log-path <dir>', 'LISA: run root directory (overrides the runbook log_path)')
    .option('-i, --id <id>', 'LISA: run id; names the run directory instead of the runbook name')
    .description(
      'run the test cases a runbook selects; exit 0 all passed or skipped, 1 a case failed, 2 usage or runbook error, 130 interrupted',
    )
    .action(async (positional: string | undefined, opts: RunbookArgs & { logPath?: string; id?: string }) => {
      const debug = program.opts<{ debug?: boolean }>().debug ?? false;
      const { runbook, cases } = await loadRunbookAndSuites(runbookPath(positional, opts), opts.variable);
      if (opts.id) runbook.name = opts.id;
      for (const rb of runbook.combinations) if (opts.logPath) rb.runRoot = resolve(opts.logPath);
      const interrupt = installInterruptHandler(process.stderr);
      try {
        const result = await runRunbook(runbook, {
          debug,
          out: process.stdout,
          err: process.stderr,
          signal: interrupt.signal,
          cases,
        });
        // LISA's `exit_with_failed_count: false`: failed cases do not fail the command.
        const failedOnly = result.exitCode === 1 && runbook.combinations[0]!.exitWithFailedCount === false;
        process.exitCode = failedOnly ? 0 : result.exitCode;
      } finally {
        interrupt.dispose();
      }
    });
}
