import type { Command } from 'commander';
import { Logger, type LogSink } from '../../logging/logger.js';
import { SecretMasker } from '../../logging/secrets.js';
import { loadRunbookAndSuites } from '../load.js';
import { addRunbookOptions, runbookPath, type RunbookArgs } from '../options.js';
import { UsageError } from '../errors.js';

/** `lisa reap`: deletes cloud resources that killed runs of this runbook left behind. */
export function registerReap(program: Command): void {
  addRunbookOptions(program.command('reap'))
    .description("delete resource groups leaked by runs that were killed (from the run root's ledger and the tags)")
    .option('--dry-run', 'list what would be deleted; delete nothing')
    .option('--older-than <duration>', 'only groups created longer ago than this, e.g. 2h or 1d')
    .action(async (positional: string | undefined, opts: RunbookArgs & { dryRun?: boolean; olderThan?: string }) => {
      const file = runbookPath(positional, opts);
      const { runbook } = await loadRunbookAndSuites(file, opts.variable);
      const rb = runbook.combinations[0]!;
      if (rb.platform.type !== 'azure')
        throw new UsageError(`${file}: lisa reap works on azure runbooks; this one's platform is ${rb.platform.type}`);
      const { reapAzure, parseDuration } = await import('../../platform/azure/index.js');
      const masker = new SecretMasker();
      const stderr: LogSink = {
        write: (level, _source, message) => {
          if (level !== 'debug') process.stderr.write(`${level}: ${message}\n`);
        },
      };
      const log = new Logger('reap', [stderr], masker);
      const r = await reapAzure(rb.platform, {
        runRoot: rb.runRoot,
        dryRun: !!opts.dryRun,
        olderThanMs: opts.olderThan ? parseDuration(opts.olderThan) : undefined,
        log,
        signal: new AbortController().signal,
      });
      for (const g of r.wouldDelete) process.stdout.write(`would delete ${g}\n`);
      for (const g of r.deleted) process.stdout.write(`deleted ${g}\n`);
      for (const s of r.skipped) process.stdout.write(`left ${s.group}: ${s.why}\n`);
      process.stdout.write(
        `reap: ${opts.dryRun ? `${r.wouldDelete.length} to delete` : `${r.deleted.length} deleted`}, ${r.skipped.length} left alone\n`,
      );
    });
}
