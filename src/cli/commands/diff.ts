import type { Command } from 'commander';
import { compareRuns, type CaseChange, type RunDiff } from '../../results/compare.js';
import { databaseUrlFor, isRunDir, loadBaseline, loadRun, openExistingDatabase } from '../../results/run-source.js';
import { UsageError } from '../errors.js';

interface DiffOptions {
  baseline: string;
  db?: string;
  json?: boolean;
  threshold: string;
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description(
      'compare a run with a baseline: new failures, fixed, still failing, newly skipped, flaky, metric regressions; exit 0 no regression, 1 regression, 2 usage error',
    )
    .argument('<run>', 'a run id or a run directory')
    .option(
      '--baseline <run>',
      'a run id or directory, "previous" (the run before, same name) or "last-passing"',
      'previous',
    )
    .option('--db <url>', 'results database (sqlite:PATH or postgresql://...), default results.db beside the run')
    .option('--threshold <percent>', 'a metric regresses when it moves the wrong way by more than this', '10')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: DiffOptions) => {
      const threshold = Number(opts.threshold);
      if (!Number.isFinite(threshold) || threshold < 0)
        throw new UsageError(`--threshold ${opts.threshold}: expected a percentage`);
      // Two run directories compare without a database; anything else looks runs up in one.
      const standalone = !opts.db && isRunDir(ref) && isRunDir(opts.baseline);
      const db = standalone ? undefined : await openExistingDatabase(databaseUrlFor(opts.db, ref));
      try {
        const run = await loadRun(db, ref);
        const baseline = await loadBaseline(db, run, opts.baseline);
        if (!baseline && opts.baseline !== 'previous' && opts.baseline !== 'last-passing') {
          throw new UsageError(`baseline ${opts.baseline} not found`);
        }
        const diff = compareRuns(run, baseline, { threshold: threshold / 100 });
        process.stdout.write(opts.json ? `${JSON.stringify(diff, null, 2)}\n` : formatDiff(diff, opts.baseline));
        process.exitCode = diff.regressed ? 1 : 0;
      } finally {
        await db?.close();
      }
    });
}

export function formatDiff(d: RunDiff, baselineRef: string): string {
  const out: string[] = [];
  out.push(
    d.baseline
      ? `${d.run} compared with ${d.baseline}`
      : `${d.run}: no ${baselineRef} baseline; every failure counts as new`,
  );
  const section = (title: string, list: CaseChange[], show: (c: CaseChange) => string) => {
    if (list.length === 0) return;
    out.push(`${title} (${list.length}):`);
    for (const c of list) out.push(`  ${show(c)}`);
  };
  const msg = (c: CaseChange) => (c.message ? `: ${c.message.split('\n')[0]!.slice(0, 160)}` : '');
  section('new failures', d.newFailures, (c) => `${c.runCaseId} (was ${c.baselineStatus ?? 'not run'})${msg(c)}`);
  section('still failing', d.stillFailing, (c) => `${c.runCaseId}${msg(c)}`);
  section('fixed', d.fixed, (c) => c.runCaseId);
  section('newly skipped', d.newlySkipped, (c) => `${c.runCaseId} (was ${c.baselineStatus})${msg(c)}`);
  section('flaky (passed on retry)', d.flaky, (c) => c.runCaseId);
  section('not in this run', d.missing, (c) => `${c.runCaseId} (was ${c.baselineStatus})`);
  if (d.metricRegressions.length) {
    out.push(`metric regressions (${d.metricRegressions.length}):`);
    for (const m of d.metricRegressions) {
      const pct = `${m.change > 0 ? '+' : ''}${(m.change * 100).toFixed(1)}%`;
      out.push(`  ${m.runCaseId} ${m.metric}: ${m.baseline} → ${m.current}${m.unit ? ` ${m.unit}` : ''} (${pct})`);
    }
  }
  out.push(d.regressed ? 'verdict: REGRESSED' : 'verdict: no regression');
  return `${out.join('\n')}\n`;
}
