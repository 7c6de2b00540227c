import { Option, type Command } from 'commander';
import { selectCases } from '../../orchestrator/selection.js';
import { loadRunbookAndSuites } from '../load.js';
import { addRunbookOptions, runbookPath, type RunbookArgs } from '../options.js';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function registerList(program: Command): void {
  addRunbookOptions(program.command('list'))
    .description('list the cases a runbook selects (and why the others are left out), without touching a node')
    .option('--json', 'print JSON')
    .addOption(new Option('-t, --type <type>', 'LISA: what to list; only cases are listed').choices(['case']))
    .option('-a, --all', 'LISA: list every loaded case, ignoring the runbook selection')
    .action(async (positional: string | undefined, opts: RunbookArgs & { json?: boolean; all?: boolean }) => {
      const { runbook, cases } = await loadRunbookAndSuites(runbookPath(positional, opts), opts.variable, false);
      const out: unknown[] = [];
      for (const rb of runbook.combinations) {
        const sel = selectCases(cases, opts.all ? [] : rb.testcase);
        if (opts.json) {
          out.push({
            combination: rb.combination.name,
            selected: sel.selected.map((s) => ({
              id: s.info.id,
              area: s.info.area,
              priority: s.info.priority,
              tags: s.info.tags,
              ...s.settings,
              selectedBy: s.selectedBy,
            })),
            excluded: sel.excluded.map((x) => ({ id: x.info.id, reason: x.reason })),
          });
          continue;
        }
        if (runbook.combinations.length > 1) process.stdout.write(`\ncombination ${rb.combination.name}\n`);
        const rows = [['CASE', 'AREA', 'PRI', 'TAGS', 'TIMES', 'RETRY', 'SELECTED BY']];
        for (const s of sel.selected) {
          rows.push([
            s.info.id,
            s.info.area,
            String(s.info.priority),
            s.info.tags.join(',') || '-',
            String(s.settings.times),
            String(s.settings.retry),
            s.selectedBy,
          ]);
        }
        process.stdout.write(`${table(rows)}\n\n${sel.selected.length} selected, ${sel.excluded.length} left out\n`);
        for (const x of sel.excluded) process.stdout.write(`  left out ${x.info.id}: ${x.reason}\n`);
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    });
}
