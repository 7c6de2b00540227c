import type { Command } from 'commander';
import { Logger, type LogSink } from '../../logging/logger.js';
import { SecretMasker } from '../../logging/secrets.js';
import { loadRunbookAndSuites } from '../load.js';
import { addRunbookOptions, runbookPath, type RunbookArgs } from '../options.js';
import { UsageError } from '../errors.js';
import { reapRemoteNodes } from './reap-remote.js';
import { reapLocalChildren } from '../../node/local-children.js';

/** `lisa reap`: deletes cloud resources that killed runs of this runbook left behind. */
export function registerReap(program: Command): void {
  addRunbookOptions(program.command('reap'))
    .description(
      "clean up after runs that were killed: kill the processes they left running on this machine and on the runbook's remote nodes, or delete leaked azure resource groups (from the run root's ledger and the tags)",
    )
    .option('--dry-run', 'list what would be deleted; delete nothing')
    .option('--older-than <duration>', 'only groups created longer ago than this, e.g. 2h or 1d')
    .action(async (positional: string | undefined, opts: RunbookArgs & { dryRun?: boolean; olderThan?: string }) => {
      const file = runbookPath(positional, opts);
      const { runbook } = await loadRunbookAndSuites(file, opts.variable);
      const rb = runbook.combinations[0]!;
      const masker = new SecretMasker();
      for (const secret of runbook.secrets) masker.add(secret);
      const stderr: LogSink = {
        write: (level, _source, message) => {
          if (level !== 'debug') process.stderr.write(`${level}: ${message}\n`);
        },
      };
      const log = new Logger('reap', [stderr], masker);
      // Local commands of killed runs (ledgers in the state directory), whatever the runbook.
      const local = opts.dryRun ? undefined : reapLocalChildren();
      const localLine = () => {
        if (!local) return;
        process.stdout.write(
          `local: ${local.killed.length ? `killed ${local.killed.join(' ')}` : 'nothing left running'}\n`,
        );
      };
      if (rb.platform.type !== 'azure') {
        const remote = rb.environments.some((e) => e.nodes.some((n) => n.type === 'remote'));
        if (!remote) {
          if (!local) throw new UsageError(`${file}: --dry-run lists azure resource groups; this runbook has none`);
          localLine();
          process.stdout.write(`reap: ${local.killed.length} local process(es) left by killed runs killed\n`);
          return;
        }
        const r = await reapRemoteNodes(rb, log, masker);
        for (const k of r.killed) {
          process.stdout.write(`${k.node}: ${k.pids.length ? `killed ${k.pids.join(' ')}` : 'nothing left running'}\n`);
        }
        for (const u of r.unreachable) process.stdout.write(masker.mask(`${u.node}: not reached: ${u.why}\n`));
        const total = r.killed.reduce((n, k) => n + k.pids.length, 0);
        process.stdout.write(`reap: ${total} process(es) left by killed runs killed on ${r.killed.length} node(s)\n`);
        localLine();
        if (r.unreachable.length) process.exitCode = 1;
        return;
      }
      const { reapAzure, parseDuration } = await import('../../platform/azure/index.js');
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
      for (const g of r.stillDeleting) process.stdout.write(`still deleting ${g}\n`);
      process.stdout.write(
        `reap: ${opts.dryRun ? `${r.wouldDelete.length} to delete` : `${r.deleted.length} deleted`}, ${r.skipped.length} left alone` +
          (r.stillDeleting.length ? `, ${r.stillDeleting.length} still deleting (run it again later)` : '') +
          '\n',
      );
      localLine();
      if (r.stillDeleting.length) process.exitCode = 1;
    });
}
