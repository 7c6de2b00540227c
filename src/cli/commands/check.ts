import type { Command } from 'commander';
import { selectCases } from '../../orchestrator/selection.js';
import { loadRunbookAndSuites } from '../load.js';
import { addRunbookOptions, runbookPath, type RunbookArgs } from '../options.js';
import { UsageError } from '../errors.js';
import { checkNotifier } from '../../notifiers/registry.js';

export function registerCheck(program: Command): void {
  addRunbookOptions(program.command('check'))
    .description('load and validate the runbook, its includes, variables and test suites without touching a node')
    .action(async (positional: string | undefined, opts: RunbookArgs) => {
      const file = runbookPath(positional, opts);
      const { runbook, cases } = await loadRunbookAndSuites(file, opts.variable);
      let selected = 0;
      for (const rb of runbook.combinations) {
        for (const n of rb.notifier) {
          try {
            await checkNotifier(n);
          } catch (e) {
            throw new UsageError(`${file}: ${(e as Error).message}`);
          }
        }
        selected += selectCases(cases, rb.testcase).selected.length;
      }
      process.stdout.write(
        `ok: ${file} is valid: ${runbook.combinations.length} combination(s), ${cases.length} cases loaded, ${selected} selected, platform ${runbook.combinations[0]!.platform.type}\n`,
      );
    });
}
