import type { RunEvent } from '../results/events.js';
import { ResultsModel, type CaseResult, type ResultsReader } from '../results/results-model.js';
import type { NotifierContext } from './types.js';

/**
 * The results a notifier reads: the run's shared model when its context has one (a run: every
 * event already applied), else a model of its own that it folds here (notifiers fed by hand).
 * A 10,000-case run then holds one copy of its results, not one per report.
 */
export class ResultsFeed {
  readonly model: ResultsReader;
  private readonly own: ResultsModel | undefined;

  constructor(ctx: Pick<NotifierContext, 'results'>) {
    if (ctx.results) this.model = ctx.results;
    else this.model = this.own = new ResultsModel();
  }

  /** Brings the model up to `event` (when it is this notifier's own); returns the case the event is about. */
  apply(event: RunEvent): CaseResult | undefined {
    if (this.own) return this.own.apply(event);
    return 'case' in event ? this.model.getCase(event.case.runCaseId) : undefined;
  }
}
