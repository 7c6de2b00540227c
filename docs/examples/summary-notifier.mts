/**
 * A worked example of a notifier plugin: a Markdown summary of the run (one table row per case),
 * e.g. for `$GITHUB_STEP_SUMMARY` or a merge-request comment.
 *
 * Runbook (the path is relative to the runbook; the other keys are the options, checked by `schema`):
 *   notifier:
 *     - type: ./plugins/summary-notifier.mts
 *       path: ./summary.md
 *       only_failures: true
 */
import { resolve } from 'node:path';
import {
  defineNotifier,
  ResultsModel,
  writeFileAtomic,
  z,
  type Notifier,
  type NotifierContext,
  type RunEvent,
} from 'lisa-ts';

const summarySchema = z.strictObject({
  path: z.string().min(1).optional().describe('Markdown file; default <run dir>/summary.md'),
  only_failures: z.boolean().default(false).describe('List only the cases that failed'),
});
type SummaryOptions = z.output<typeof summarySchema>;

class SummaryNotifier implements Notifier {
  readonly type = 'summary';
  // The shared fold: statuses, retries and interruptions counted the way every report counts them.
  private readonly model = new ResultsModel();
  readonly path: string;

  constructor(
    private readonly ctx: NotifierContext,
    private readonly options: SummaryOptions,
  ) {
    this.path = options.path ? resolve(options.path) : resolve(ctx.runDir, 'summary.md');
  }

  onEvent(event: RunEvent): void {
    this.model.apply(event);
  }

  /** Also runs on Ctrl-C: the file then shows the cases that finished. */
  async finish(): Promise<void> {
    const s = this.model.summary();
    const rows = this.model.cases
      .filter((c) => !this.options.only_failures || c.status === 'FAILED')
      .map((c) => `| ${c.caseId} | ${c.status} | ${c.message.replace(/\|/g, '\\|').split('\n')[0]} |`);
    const text = [
      `## ${this.ctx.runName}: ${s.passed}/${s.total} passed, ${s.failed} failed, ${s.skipped} skipped`,
      '',
      '| case | status | message |',
      '| --- | --- | --- |',
      ...rows,
      '',
    ].join('\n');
    // Events reach notifiers masked already; anything built from them stays masked.
    writeFileAtomic(this.path, text);
  }
}

// The default export is the whole registration: options schema and factory in one object.
export default defineNotifier({
  type: 'summary',
  schema: summarySchema,
  create: (options, ctx) => new SummaryNotifier(ctx, options),
});
