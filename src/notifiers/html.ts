import { z } from 'zod';
import type { RunEvent } from '../results/events.js';
import { renderHtml } from './html-render.js';
import { reportPath } from './options.js';
import { ReportFile } from './report-file.js';
import { ResultsModel } from '../results/results-model.js';
import type { Notifier, NotifierContext } from './types.js';
import { defineNotifier } from './types.js';

/**
 * `report.html`: one self-contained page (inline style and script, no external assets) that can
 * be opened from a CI artifact. Rendering the whole page per case is O(cases), so rewrites are
 * throttled; finish() always writes the final state.
 */
export class HtmlNotifier implements Notifier {
  readonly type = 'html';
  readonly path: string;
  private readonly model = new ResultsModel();
  private readonly file: ReportFile;

  constructor(
    private readonly ctx: NotifierContext,
    options: { path?: string; throttle_ms?: number } = {},
  ) {
    this.path = reportPath(options.path, ctx.runDir, 'report.html');
    this.file = new ReportFile(this.path, () => this.render(), ctx.log, options.throttle_ms ?? 2000);
  }

  onEvent(event: RunEvent): void {
    this.model.apply(event);
    if (event.type === 'case.end' || event.type === 'transformer.end') this.file.update();
    else if (event.type === 'run.end') this.file.flush();
  }

  async finish(): Promise<void> {
    this.file.flush();
  }

  render(now = new Date()): string {
    // Masked before escaping (a secret containing `&` would not match once escaped) and after.
    const run = this.ctx.masker.maskDeep(this.model.view());
    return this.ctx.masker.mask(renderHtml(run, this.path, this.ctx.runDir, now));
  }
}

export const htmlNotifier = defineNotifier({
  type: 'html',
  schema: z.strictObject({
    path: z
      .string()
      .min(1)
      .optional()
      .describe('Report file; default <run dir>/report.html, relative to the working directory'),
    throttle_ms: z.number().nonnegative().optional().describe('Least time between rewrites mid-run, default 2000'),
  }),
  create: (options, ctx) => new HtmlNotifier(ctx, options),
});
