import type { Command } from 'commander';
import { caseHistory } from '../../results/db/queries.js';
import { summariseHistory } from '../../results/history.js';
import { databaseUrlFor, openExistingDatabase } from '../../results/run-source.js';
import { formatDuration, table } from '../table.js';
import { UsageError } from '../errors.js';

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('results of a case (suite.case), a suite or an area across runs: status trend, duration, flakiness')
    .argument('<case-or-area>', 'a case id such as smoke.boot, a suite name or an area')
    .option('--db <url>', 'results database (sqlite:PATH or postgresql://...), default runtime/runs/results.db')
    .option('--runs <n>', 'how many of the newest runs to look at', '30')
    .option('--json', 'print JSON')
    .action(async (what: string, opts: { db?: string; runs: string; json?: boolean }) => {
      const runs = Number(opts.runs);
      if (!Number.isInteger(runs) || runs < 1)
        throw new UsageError(`--runs ${opts.runs}: expected a positive whole number`);
      const db = await openExistingDatabase(databaseUrlFor(opts.db));
      try {
        const rows = await caseHistory(db, what, runs);
        const trends = summariseHistory(rows);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ query: what, trends, results: rows }, null, 2)}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write(`no results for "${what}" in ${db.location} (a case id, suite or area)\n`);
          process.exitCode = 1;
          return;
        }
        const lines = [
          ['CASE', 'COMBINATION', 'RUNS', 'PASS', 'FAIL', 'SKIP', 'FLAKY', 'MEDIAN', 'LAST', 'TREND (old→new)'],
        ];
        for (const t of trends) {
          lines.push([
            t.caseId,
            t.combination,
            String(t.runs),
            String(t.passed),
            String(t.failed),
            String(t.skipped),
            `${Math.round(t.flakiness * 100)}%`,
            formatDuration(t.medianMs),
            formatDuration(t.lastMs),
            t.statuses,
          ]);
        }
        process.stdout.write(`${table(lines)}\n`);
        for (const t of trends.filter((x) => x.lastFailure)) {
          const m = t.lastFailure!.message.split('\n')[0]!.slice(0, 160);
          process.stdout.write(`  last failure of ${t.caseId} (${t.combination}) in ${t.lastFailure!.runId}: ${m}\n`);
        }
      } finally {
        await db.close();
      }
    });
}
