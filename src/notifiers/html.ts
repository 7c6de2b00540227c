import type { RunEvent } from '../results/events.js';
import { writeFileAtomic } from './atomic-write.js';
import { renderHtml } from './html-render.js';
import { readOptions, reportPath } from './options.js';
import { ResultsModel } from './results-model.js';
import type { Notifier, NotifierContext, NotifierFactory } from './types.js';

const OPTIONS = { path: { kind: 'string' }, throttle_ms: { kind: 'number' } } as const;

/**
 * `report.html`: one self-contained page (inline style and script, no external assets) that can
 * be opened from a CI artifact. Rendering the whole page per case is O(cases), so rewrites are
 * throttled; finish() always writes the final state.
 */
export class HtmlNotifier implements Notifier {
  readonly type = 'html';
  readonly path: string;
  private readonly model = new ResultsModel();
  private readonly throttleMs: number;
  private lastWrite = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: NotifierContext,
    options: { path?: string; throttle_ms?: number } = {},
  ) {
    this.path = reportPath(options.path, ctx.runDir, 'report.html');
    this.throttleMs = options.throttle_ms ?? 2000;
  }

  onEvent(event: RunEvent): void {
    this.model.apply(event);
    if (event.type === 'case.end') this.schedule();
    else if (event.type === 'run.end') this.writeNow();
  }

  async finish(): Promise<void> {
    this.writeNow(true);
  }

  render(now = new Date()): string {
    const run = this.ctx.masker.maskDeep(this.model.snapshot());
    return this.ctx.masker.mask(renderHtml(run, this.path, this.ctx.runDir, now));
  }

  private schedule(): void {
    const wait = this.lastWrite + this.throttleMs - Date.now();
    if (wait <= 0) {
      this.writeNow();
      return;
    }
    // Never keep the process alive for a report refresh; finish() writes the last state anyway.
    this.timer ??= setTimeout(() => this.writeNow(), wait).unref();
  }

  private writeNow(rethrow = false): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastWrite = Date.now();
    try {
      writeFileAtomic(this.path, this.render());
    } catch (err) {
      // A timer-driven write has no caller to report to; the final write in finish() does.
      if (rethrow) throw err;
      this.ctx.log.warn(`html report: cannot write ${this.path}: ${(err as Error).message}`);
    }
  }
}

export const createHtmlNotifier: NotifierFactory = (options, ctx) =>
  new HtmlNotifier(ctx, readOptions('html', options, OPTIONS));
