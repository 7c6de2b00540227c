import type { RunEvent } from '../results/events.js';
import { writeFileAtomic } from './atomic-write.js';
import { linkFrom } from './format.js';
import { readOptions, reportPath } from './options.js';
import { ResultsModel, type RunResults } from './results-model.js';
import type { Notifier, NotifierContext, NotifierFactory } from './types.js';

const OPTIONS = { path: { kind: 'string' } } as const;

/** Version of the results.json layout; bump it when a field changes meaning or disappears. */
export const RESULTS_JSON_VERSION = 1;

export interface ResultsJson extends RunResults {
  version: number;
  generatedAt: string;
}

/**
 * `results.json`: the whole run as one document for scripts and dashboards. Rewritten after every
 * finished case so that it is complete up to the last case even if lisa is killed.
 */
export class JsonNotifier implements Notifier {
  readonly type = 'json';
  readonly path: string;
  private readonly model = new ResultsModel();

  constructor(
    private readonly ctx: NotifierContext,
    options: { path?: string } = {},
  ) {
    this.path = reportPath(options.path, ctx.runDir, 'results.json');
  }

  onEvent(event: RunEvent): void {
    this.model.apply(event);
    if (event.type === 'case.end' || event.type === 'run.end') this.write();
  }

  async finish(): Promise<void> {
    this.write();
  }

  render(): string {
    const results = this.model.snapshot();
    const runDir = results.runDir || this.ctx.runDir;
    // Log paths relative to the report: the run directory stays valid when it is moved or archived.
    for (const c of results.cases) {
      if (c.logPath) c.logPath = linkFrom(this.path, runDir, c.logPath);
      for (const a of c.attempts) if (a.logPath) a.logPath = linkFrom(this.path, runDir, a.logPath);
    }
    const doc: ResultsJson = { version: RESULTS_JSON_VERSION, generatedAt: new Date().toISOString(), ...results };
    return `${JSON.stringify(this.ctx.masker.maskDeep(doc), null, 2)}\n`;
  }

  private write(): void {
    writeFileAtomic(this.path, this.render());
  }
}

export const createJsonNotifier: NotifierFactory = (options, ctx) =>
  new JsonNotifier(ctx, readOptions('json', options, OPTIONS));
