import { dirname, join } from 'node:path';
import type { RunEvent } from '../results/events.js';
import type { SqlDatabase } from '../results/db/driver.js';
import { openDatabase } from '../results/db/open.js';
import { redactUrl } from '../results/db/postgres.js';
import { environmentFacts, ResultsWriter } from '../results/db/writer.js';
import { z } from 'zod';
import type { ResultsReader } from '../results/results-model.js';
import { ResultsFeed } from './results-feed.js';
import { defineNotifier, type Notifier, type NotifierContext } from './types.js';

/** Without `url`, one SQLite file beside the run directories, so that runs under one log path share a history. */
export function defaultDatabaseUrl(runDir: string): string {
  return `sqlite:${join(dirname(runDir), 'results.db')}`;
}

/**
 * `{type: database, url: sqlite:PATH | postgresql://...}`: writes the run, its combinations and
 * environments, and every case with its attempts, sub-results and metrics as each attempt ends,
 * so the history is complete up to the last finished case even if lisa is killed.
 */
export class DatabaseNotifier implements Notifier {
  readonly type = 'database';
  readonly url: string;
  private readonly feed: ResultsFeed;
  private readonly model: ResultsReader;
  private db: SqlDatabase | undefined;
  private writer: ResultsWriter | undefined;
  private failed = false;
  private readonly variables = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly ctx: NotifierContext,
    options: { url?: string } = {},
  ) {
    this.url = options.url ?? defaultDatabaseUrl(ctx.runDir);
    this.feed = new ResultsFeed(ctx);
    this.model = this.feed.model;
  }

  async onEvent(raw: RunEvent): Promise<void> {
    // Events arrive masked from the bus; masking again keeps a plugin's stray secret out of the rows.
    const text = JSON.stringify(raw);
    const masked = this.ctx.masker.mask(text);
    const event = masked === text ? raw : (JSON.parse(masked) as RunEvent);
    const c = this.feed.apply(event);
    if (this.failed) return;
    try {
      await this.write(event, c);
    } catch (e) {
      // One message, then silence: a database that is down must not flood the log or stop the run.
      this.failed = true;
      this.ctx.log.error(
        `results database ${redactUrl(this.url)}: ${(e as Error).message}; no more results are written to it`,
      );
    }
  }

  private async write(event: RunEvent, c: ReturnType<ResultsFeed['apply']>): Promise<void> {
    switch (event.type) {
      case 'run.begin':
        this.db = await openDatabase(this.url);
        this.writer = new ResultsWriter(this.db);
        return this.writeRun();
      case 'combination.begin':
        this.variables.set(event.combination.name, event.combination.variables);
        return this.writer?.combination(event.combination);
      case 'env.begin':
      case 'env.end': {
        const env = this.model.environment(event.envId);
        if (!env || !this.writer) return;
        if (event.type === 'env.begin') this.envExtra.set(event.envId, { image: event.image, vmSize: event.vmSize });
        const facts = environmentFacts(
          env.nodes,
          this.envExtra.get(event.envId) ?? {},
          this.variables.get(env.combination) ?? {},
        );
        return this.writer.environment(env, facts);
      }
      case 'case.end': {
        const a = c?.attempts.find((x) => x.attempt === event.attempt);
        if (c && a) await this.writer?.caseAttempt(c, a);
        return;
      }
      case 'run.end':
        return this.writeRun();
      default:
        return;
    }
  }

  private readonly envExtra = new Map<string, { image?: string; vmSize?: string }>();

  private async writeRun(): Promise<void> {
    const r = this.model.view();
    await this.writer?.run({ ...r, summary: this.model.summary() });
  }

  async finish(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    await db?.close();
  }
}

export const databaseNotifier = defineNotifier({
  type: 'database',
  schema: z.strictObject({
    url: z
      .string()
      .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:PATH or postgresql://...')
      .optional()
      .describe('sqlite:PATH or postgresql://user@host:port/db; default sqlite:<log path>/results.db'),
  }),
  create: (options, ctx) => new DatabaseNotifier(ctx, options),
});
