/**
 * LISA's plain-file notifiers, so that LISA runbooks naming them keep their reports:
 * `text_result` (one line per case, LISA's lisa.results.txt, written whole by ReportFile), `file`
 * (every event, one JSON line each, appended).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsErrorText } from '../logging/fs-errors.js';
import { z } from 'zod';
import type { RunEvent } from '../results/events.js';
import type { ResultsReader } from '../results/results-model.js';
import { ResultsFeed } from './results-feed.js';
import { reportPath } from './options.js';
import { ReportFile, sharedWriteBudget } from './report-file.js';
import { defineNotifier, type Notifier, type NotifierContext } from './types.js';

const fileOption = z
  .string()
  .min(1)
  .optional()
  .describe('Report file name; relative to the working directory, default in the run directory');

class ModelFileNotifier implements Notifier {
  private readonly feed: ResultsFeed;
  private readonly file: ReportFile;
  readonly path: string;

  constructor(
    readonly type: string,
    ctx: NotifierContext,
    path: string | undefined,
    fallback: string,
    render: (model: ResultsReader) => string,
  ) {
    this.path = reportPath(path, ctx.runDir, fallback);
    this.feed = new ResultsFeed(ctx);
    this.file = new ReportFile(
      this.path,
      () => ctx.masker.mask(render(this.feed.model)),
      ctx.log,
      0,
      sharedWriteBudget(ctx),
    );
  }

  onEvent(event: RunEvent): void {
    this.feed.apply(event);
    if (event.type === 'case.end' || event.type === 'env.end') this.file.update();
    else if (event.type === 'run.end') this.file.flush();
  }

  async finish(): Promise<void> {
    this.file.flush();
  }
}

export function textResult(model: ResultsReader, includeSubtest: boolean): string {
  const run = model.view();
  const lines = [`${run.name} ${run.status} ${run.summary.passed}/${run.summary.total} passed`];
  for (const c of run.cases) {
    lines.push(`${c.status.padEnd(9)} ${c.suite}.${c.name} ${c.message}`.trimEnd());
    if (includeSubtest)
      for (const s of c.subResults) lines.push(`  ${s.status.padEnd(9)} ${s.name} ${s.message ?? ''}`.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

export const textResultNotifier = defineNotifier({
  type: 'text_result',
  schema: z.strictObject({
    file_name: fileOption,
    include_subtest: z.boolean().optional().describe("List each case's sub-results under it"),
  }),
  create: (o, ctx) =>
    new ModelFileNotifier('text_result', ctx, o.file_name, 'lisa.results.txt', (m) =>
      textResult(m, o.include_subtest ?? false),
    ),
});

/**
 * LISA's `file` notifier: every message, one JSON object a line, appended as it comes (a line per
 * event in memory and a rewrite of them all per event made a large run quadratic). The file is
 * started afresh with the first event; a resumed run replays its past, so the file is whole again.
 */
class EventFileNotifier implements Notifier {
  readonly type = 'file';
  private readonly path: string;
  private started = false;
  private failing = false;

  constructor(
    private readonly ctx: NotifierContext,
    path: string | undefined,
  ) {
    this.path = reportPath(path, ctx.runDir, 'messages.jsonl');
  }

  onEvent(event: RunEvent): void {
    const line = `${this.ctx.masker.mask(JSON.stringify(event))}\n`;
    try {
      if (!this.started) {
        mkdirSync(dirname(this.path), { recursive: true });
        writeFileSync(this.path, line);
        this.started = true;
      } else appendFileSync(this.path, line);
      this.failing = false;
    } catch (e) {
      // Reported once (a full disk); the run goes on, events.jsonl keeps every event.
      if (!this.failing) this.ctx.log.warn(`cannot write ${this.path}: ${fsErrorText(e)}`);
      this.failing = true;
    }
  }

  async finish(): Promise<void> {}
}

export const fileNotifier = defineNotifier({
  type: 'file',
  schema: z.strictObject({ file_name: fileOption }),
  create: (o, ctx) => new EventFileNotifier(ctx, o.file_name),
});
