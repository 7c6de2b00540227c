import type { RunEvent } from './events.js';

/**
 * What an interrupted run already did. A case is done when its last case.end is a result (not a
 * failed attempt waiting for a retry, not cut short); everything else runs again. The replay is
 * the past without the interrupted end and without the traces of cases that run again, so the
 * reports rebuilt from it show each case once.
 */
export function resumeState(events: readonly RunEvent[]): { done: Set<string>; replay: RunEvent[] } {
  const done = new Set<string>();
  for (const e of events) {
    if (e.type !== 'case.end') continue;
    if (e.willRetry || e.unfinished) done.delete(e.case.runCaseId);
    else done.add(e.case.runCaseId);
  }
  const replay = events.filter((e) => {
    if (e.type === 'run.end') return false;
    if ('case' in e && typeof e.case === 'object' && e.case !== null && 'runCaseId' in e.case)
      return done.has(e.case.runCaseId);
    return true;
  });
  return { done, replay };
}

/** Run-case ids that failed or did not finish: what `--rerun-failed` runs again. */
export function failedOrUnfinished(
  cases: readonly { runCaseId: string; status: string; unfinished: boolean }[],
): Set<string> {
  return new Set(cases.filter((c) => c.unfinished || c.status === 'FAILED').map((c) => c.runCaseId));
}
