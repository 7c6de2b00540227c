import { z } from 'zod';
import type { RunEvent } from '../results/events.js';
import { linkFrom } from './format.js';
import { reportPath } from './options.js';
import { ReportFile, sharedWriteBudget } from './report-file.js';
import type { ResultsReader, RunResults } from '../results/results-model.js';
import { ResultsFeed } from './results-feed.js';
import type { Notifier, NotifierContext } from './types.js';
import { reportStatus, type ReportStatus } from '../results/report-status.js';
import { defineNotifier } from './types.js';

/** Version of the results.json layout; bump it when a field changes meaning or disappears. */
export const RESULTS_JSON_VERSION = 1;

export interface ResultsJson extends Omit<RunResults, 'cases'> {
  version: number;
  generatedAt: string;
  /** `status` is the report status: UNFINISHED for a case the run's interruption cut short. */
  cases: (Omit<RunResults['cases'][number], 'status'> & { status: ReportStatus })[];
}

/**
 * `results.json`: the whole run as one document for scripts and dashboards. Rewritten after every
 * finished case (see ReportFile) so that it is complete up to the last case even if lisa is killed.
 */
export class JsonNotifier implements Notifier {
  readonly type = 'json';
  readonly path: string;
  private readonly feed: ResultsFeed;
  private readonly model: ResultsReader;
  private readonly file: ReportFile;

  constructor(
    private readonly ctx: NotifierContext,
    options: { path?: string } = {},
  ) {
    this.path = reportPath(options.path, ctx.runDir, 'results.json');
    this.feed = new ResultsFeed(ctx);
    this.model = this.feed.model;
    this.file = new ReportFile(this.path, () => this.render(), ctx.log, 0, sharedWriteBudget(ctx));
  }

  onEvent(event: RunEvent): void {
    this.feed.apply(event);
    if (event.type === 'case.end' || event.type === 'transformer.end' || event.type === 'bisect.end')
      this.file.update();
    else if (event.type === 'run.end') this.file.flush();
  }

  async finish(): Promise<void> {
    this.file.flush();
  }

  /**
   * The document in pieces, one per case, so that a 10,000-case report is never one string in
   * memory. Each piece is masked whole; a secret cannot straddle two pieces because every piece
   * is a complete JSON value with its key.
   */
  *render(): Generator<string> {
    const results = this.model.view();
    const runDir = results.runDir || this.ctx.runDir;
    // Log paths relative to the report: the run directory stays valid when it is moved or archived.
    const link = (p: string | undefined) => (p ? linkFrom(this.path, runDir, p) : undefined);
    const { cases, ...rest } = results;
    const head: Omit<ResultsJson, 'cases'> = {
      version: RESULTS_JSON_VERSION,
      generatedAt: new Date().toISOString(),
      ...rest,
      transformers: results.transformers.map((t) => ({ ...t, logPath: link(t.logPath) })),
    };
    const mask = (text: string) => this.ctx.masker.mask(text);
    const top = mask(JSON.stringify(head, null, 2));
    yield `${top.slice(0, -2)},\n  "cases": [`;
    let first = true;
    for (const c of cases) {
      const doc = {
        ...c,
        status: reportStatus(c),
        logPath: link(c.logPath),
        attempts: c.attempts.map((a) => ({ ...a, logPath: link(a.logPath) })),
      };
      yield `${first ? '' : ','}\n    ${mask(JSON.stringify(doc, null, 2)).replace(/\n/g, '\n    ')}`;
      first = false;
    }
    yield cases.length ? '\n  ]\n}\n' : ']\n}\n';
  }
}

export const jsonNotifier = defineNotifier({
  type: 'json',
  schema: z.strictObject({
    path: z
      .string()
      .min(1)
      .optional()
      .describe('Report file; default <run dir>/results.json, relative to the working directory'),
  }),
  create: (options, ctx) => new JsonNotifier(ctx, options),
});
