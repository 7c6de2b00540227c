import type { CaseStatus } from './events.js';

/** The one status every report shows for a case: UNFINISHED when the run was interrupted first. */
export type ReportStatus = CaseStatus | 'UNFINISHED';

/**
 * A case cut short by Ctrl-C/SIGTERM keeps its engine status (FAILED while running, SKIPPED while
 * queued) for the summary's arithmetic, but that status says nothing about the image: the console
 * line, results.json, JUnit and HTML all call it UNFINISHED.
 */
export function reportStatus(c: { status: CaseStatus; unfinished?: boolean }): ReportStatus {
  return c.unfinished ? 'UNFINISHED' : c.status;
}
