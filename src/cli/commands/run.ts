import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { CaseRef } from '../../results/events.js';
import { invocationOf } from '../../results/invocation.js';
import { loadRunbookAndSuites } from '../load.js';
import { addRunbookOptions, runbookPath, type RunbookArgs } from '../options.js';
import { runFromCli } from '../run-from-cli.js';
import { historyDatabaseUrl, perfBaseline, rerunFilter, shardFilter } from '../run-filters.js';
import { loadPerfCriteria } from '../../results/perf-criteria.js';
import { PerfGate } from '../../results/perf-gate.js';

interface RunArgs extends RunbookArgs {
  rerunFailed?: string;
  shard?: string;
  db?: string;
  exitWithFailedCount?: boolean;
  perfCriteria?: string;
}

export function registerRun(program: Command): void {
  // `run` is the default command, as in LISA: `lisa -r runbook.yml`.
  addRunbookOptions(program.command('run', { isDefault: true }))
    .option('-l, --log-path <dir>', 'LISA: run root directory (overrides the runbook log_path)')
    .option('-i, --id <id>', 'LISA: run id; names the run directory instead of the runbook name')
    .description(
      'run the test cases a runbook selects; exit 0 all passed or skipped, 1 a case failed, 2 usage or runbook error, 130 interrupted',
    )
    .option(
      '--rerun-failed <run>',
      'run only the cases that failed or did not finish in that run (a run id or directory)',
    )
    .option('--shard <i/n>', 'run the i-th of n shares of the work, balanced by recorded durations (CI machines)')
    .option('--db <url>', "results database to find runs and durations in (default: the runbook's database notifier)")
    .option(
      '--perf-criteria <file>',
      'YAML criteria (metric, match, min/max/target, tolerance vs baseline) that fail a case',
    )
    .option('--exit-with-failed-count', 'exit code is the number of failed cases (LISA exit_with_failed_count)')
    .action(async (positional: string | undefined, opts: RunArgs & { logPath?: string; id?: string }) => {
      const debug = program.opts<{ debug?: boolean }>().debug ?? false;
      const file = runbookPath(positional, opts);
      const { runbook, cases } = await loadRunbookAndSuites(file, opts.variable);
      if (opts.id) runbook.name = opts.id;
      for (const rb of runbook.combinations) if (opts.logPath) rb.runRoot = resolve(opts.logPath);
      const filters: ((c: CaseRef) => boolean)[] = [];
      const dbUrl = historyDatabaseUrl(runbook, opts.db);
      if (opts.rerunFailed) filters.push(await rerunFilter(opts.rerunFailed, dbUrl));
      if (opts.shard) filters.push(await shardFilter(opts.shard, runbook, cases, dbUrl));
      const criteria = opts.perfCriteria ? loadPerfCriteria(resolve(opts.perfCriteria)) : undefined;
      const gate = criteria && new PerfGate(criteria, await perfBaseline(runbook.name, dbUrl));
      const invocation = invocationOf(resolve(file), opts.variable);
      if (opts.rerunFailed) invocation.rerunFailed = opts.rerunFailed;
      if (opts.shard) invocation.shard = opts.shard;
      await runFromCli(runbook, {
        debug,
        cases,
        only: filters.length ? (c) => filters.every((f) => f(c)) : undefined,
        invocation,
        transform: gate ? (e) => gate.transform(e) : undefined,
        exitWithFailedCount: opts.exitWithFailedCount,
      });
    });
}
