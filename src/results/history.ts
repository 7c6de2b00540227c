import type { HistoryRow } from './db/queries.js';

export interface CaseTrend {
  caseId: string;
  combination: string;
  runs: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Runs where the case passed only after a retry. */
  passedOnRetry: number;
  /** How often the status changed between consecutive runs. */
  flips: number;
  /** Share of runs that were flaky: passed on retry, or a status different from the run before. */
  flakiness: number;
  medianMs: number;
  lastMs: number;
  /** One letter per run, oldest first: P passed, F failed, S skipped, A attempted, R passed on retry. */
  statuses: string;
  lastFailure?: { runId: string; message: string };
}

/** Folds rows of `caseHistory` into one trend per case and combination. */
export function summariseHistory(rows: readonly HistoryRow[]): CaseTrend[] {
  const groups = new Map<string, HistoryRow[]>();
  for (const r of rows) {
    const key = `${r.caseId}\u0000${r.combination}`;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  return [...groups.values()].map((list) => {
    const t: CaseTrend = {
      caseId: list[0]!.caseId,
      combination: list[0]!.combination,
      runs: list.length,
      passed: 0,
      failed: 0,
      skipped: 0,
      passedOnRetry: 0,
      flips: 0,
      flakiness: 0,
      medianMs: median(list.filter((r) => r.status === 'PASSED').map((r) => Number(r.durationMs))),
      lastMs: Number(list.at(-1)!.durationMs),
      statuses: '',
    };
    let flaky = 0;
    list.forEach((r, i) => {
      const retried = r.status === 'PASSED' && Number(r.attempts) > 1;
      if (r.status === 'PASSED') t.passed++;
      else if (r.status === 'FAILED') t.failed++;
      else if (r.status === 'SKIPPED') t.skipped++;
      if (retried) t.passedOnRetry++;
      const flipped = i > 0 && list[i - 1]!.status !== r.status;
      if (flipped) t.flips++;
      if (retried || flipped) flaky++;
      t.statuses += retried ? 'R' : (r.status[0] ?? '?');
      if (r.status === 'FAILED') t.lastFailure = { runId: r.runId, message: r.message };
    });
    t.flakiness = list.length > 1 ? flaky / list.length : t.passedOnRetry;
    return t;
  });
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
