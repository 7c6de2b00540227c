import type { Command } from 'commander';
import { databaseUrlFor, isRunDir, loadRun, openExistingDatabase } from '../../results/run-source.js';
import { UsageError } from '../errors.js';

/**
 * LISA's perfdump: every metric of a run as one flat table (CSV or JSON) for spreadsheets and
 * dashboards: run, combination, case, metric, value, unit, direction.
 */
export function registerPerfdump(program: Command): void {
  program
    .command('perfdump')
    .description('export the metrics of a run as CSV or JSON')
    .argument('<run>', 'a run id or a run directory')
    .option('--db <url>', 'results database, for a run id')
    .option('--format <format>', 'csv or json', 'csv')
    .action(async (ref: string, opts: { db?: string; format: string }) => {
      if (opts.format !== 'csv' && opts.format !== 'json')
        throw new UsageError(`--format ${opts.format}: expected csv or json`);
      const db = isRunDir(ref) && !opts.db ? undefined : await openExistingDatabase(databaseUrlFor(opts.db, ref));
      try {
        const run = await loadRun(db, ref);
        const rows = run.cases.flatMap((c) =>
          c.metrics.map((m) => ({
            run: run.id,
            combination: c.combination,
            case: c.caseId,
            runCaseId: c.runCaseId,
            status: c.status,
            metric: m.name,
            value: m.value,
            unit: m.unit ?? '',
            higherIsBetter: m.higherIsBetter ?? '',
          })),
        );
        if (opts.format === 'json') {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        const header = [
          'run',
          'combination',
          'case',
          'runCaseId',
          'status',
          'metric',
          'value',
          'unit',
          'higherIsBetter',
        ] as const;
        const lines = [header.join(',')];
        for (const r of rows) lines.push(header.map((h) => csv(String(r[h]))).join(','));
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await db?.close();
      }
    });
}

function csv(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
