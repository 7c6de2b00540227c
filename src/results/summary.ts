import type { EventListener, RunEvent, RunSummary } from './events.js';

/** Folds case.end events into counts; the last attempt of a case is its result. */
export class SummaryKeeper implements EventListener {
  private readonly finals = new Map<string, { status: string; unfinished: boolean }>();

  onEvent(e: RunEvent): void {
    if (e.type !== 'case.end' || e.willRetry) return;
    this.finals.set(e.case.runCaseId, { status: e.status, unfinished: !!e.unfinished });
  }

  summary(): RunSummary {
    const s: RunSummary = { total: 0, passed: 0, failed: 0, skipped: 0, attempted: 0, unfinished: 0 };
    for (const f of this.finals.values()) {
      s.total++;
      // A case cut short by Ctrl-C has no honest result: it counts as unfinished only.
      if (f.unfinished) s.unfinished++;
      else if (f.status === 'PASSED') s.passed++;
      else if (f.status === 'FAILED') s.failed++;
      else if (f.status === 'SKIPPED') s.skipped++;
      else if (f.status === 'ATTEMPTED') s.attempted++;
    }
    return s;
  }
}
