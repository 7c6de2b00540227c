import type { StoredCase } from './db/queries.js';

export interface CaseChange {
  runCaseId: string;
  caseId: string;
  status: string;
  baselineStatus?: string;
  message?: string;
}

export interface MetricRegression {
  runCaseId: string;
  metric: string;
  baseline: number;
  current: number;
  unit: string | null;
  /** Signed relative change, 0.15 = 15 % higher than the baseline. */
  change: number;
}

export interface RunDiff {
  run: string;
  baseline: string | null;
  newFailures: CaseChange[];
  fixed: CaseChange[];
  stillFailing: CaseChange[];
  newlySkipped: CaseChange[];
  /** Passed only after a retry in this run. */
  flaky: CaseChange[];
  /** In the baseline, not in this run. */
  missing: CaseChange[];
  metricRegressions: MetricRegression[];
  /** True when a CI job should fail: a new failure or a metric regression. */
  regressed: boolean;
}

/** Outcome of a case for comparison: unfinished cases are neither passed nor failed. */
function outcome(c: StoredCase): string {
  return c.unfinished ? 'UNFINISHED' : c.status;
}

/**
 * Compares a run with its baseline case by case (matched by combination, case and iteration).
 * Without a baseline every failure is new: a first night's failures should gate too.
 */
export function compareRuns(
  run: { id: string; cases: StoredCase[] },
  baseline: { id: string; cases: StoredCase[] } | undefined,
  options: { threshold: number },
): RunDiff {
  const base = new Map((baseline?.cases ?? []).map((c) => [c.runCaseId, c]));
  const diff: RunDiff = {
    run: run.id,
    baseline: baseline?.id ?? null,
    newFailures: [],
    fixed: [],
    stillFailing: [],
    newlySkipped: [],
    flaky: [],
    missing: [],
    metricRegressions: [],
    regressed: false,
  };
  const seen = new Set<string>();
  for (const c of run.cases) {
    seen.add(c.runCaseId);
    const b = base.get(c.runCaseId);
    const now = outcome(c);
    const before = b ? outcome(b) : undefined;
    const change: CaseChange = { runCaseId: c.runCaseId, caseId: c.caseId, status: now };
    if (before !== undefined) change.baselineStatus = before;
    if (c.message) change.message = c.message;
    if (now === 'FAILED') (before === 'FAILED' ? diff.stillFailing : diff.newFailures).push(change);
    else if (now === 'PASSED' && before === 'FAILED') diff.fixed.push(change);
    else if (now === 'SKIPPED' && before !== undefined && before !== 'SKIPPED' && before !== 'UNFINISHED')
      diff.newlySkipped.push(change);
    if (now === 'PASSED' && c.attempts > 1) diff.flaky.push(change);
    if (b) diff.metricRegressions.push(...metricRegressions(c, b, options.threshold));
  }
  for (const b of baseline?.cases ?? []) {
    if (!seen.has(b.runCaseId))
      diff.missing.push({ runCaseId: b.runCaseId, caseId: b.caseId, status: 'MISSING', baselineStatus: outcome(b) });
  }
  diff.regressed = diff.newFailures.length > 0 || diff.metricRegressions.length > 0;
  return diff;
}

/** Metrics whose change against the baseline goes the wrong way by more than `threshold` (0.1 = 10 %). */
function metricRegressions(c: StoredCase, b: StoredCase, threshold: number): MetricRegression[] {
  const out: MetricRegression[] = [];
  const before = new Map(b.metrics.map((m) => [m.name, m]));
  for (const m of c.metrics) {
    const old = before.get(m.name);
    const direction = m.higherIsBetter ?? old?.higherIsBetter;
    // A metric without a direction cannot regress, only change.
    if (!old || direction === null || direction === undefined || old.value === 0) continue;
    const change = (m.value - old.value) / Math.abs(old.value);
    if (direction ? change < -threshold : change > threshold) {
      out.push({ runCaseId: c.runCaseId, metric: m.name, baseline: old.value, current: m.value, unit: m.unit, change });
    }
  }
  return out;
}
