import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { RunEvent } from '../results/events.js';
import { safeName } from '../results/run-dir.js';
import type { EnvironmentRecord } from '../results/results-model.js';
import { linkFrom } from './format.js';
import { renderHtmlChunks, type ReportFiles } from './html-render.js';
import { reportPath } from './options.js';
import { ReportFile, sharedWriteBudget } from './report-file.js';
import type { ResultsReader } from '../results/results-model.js';
import { ResultsFeed } from './results-feed.js';
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
  private readonly feed: ResultsFeed;
  private readonly model: ResultsReader;
  private readonly file: ReportFile;

  constructor(
    private readonly ctx: NotifierContext,
    options: { path?: string; throttle_ms?: number } = {},
  ) {
    this.path = reportPath(options.path, ctx.runDir, 'report.html');
    this.feed = new ResultsFeed(ctx);
    this.model = this.feed.model;
    this.file = new ReportFile(
      this.path,
      () => this.render(),
      ctx.log,
      options.throttle_ms ?? 2000,
      sharedWriteBudget(ctx),
    );
  }

  onEvent(event: RunEvent): void {
    this.feed.apply(event);
    if (event.type === 'case.end' || event.type === 'transformer.end') this.file.update();
    else if (event.type === 'run.end') this.file.flush();
  }

  async finish(): Promise<void> {
    this.file.flush();
  }

  /** The page in pieces (see ReportFile): a large run's report is never one string in memory. */
  *render(now = new Date()): Generator<string> {
    const masker = this.ctx.masker;
    const view = this.model.view();
    // Masked before escaping (a secret containing `&` would not match once escaped) and after;
    // case by case, so no deep copy of the whole run is made per rewrite.
    const { cases, ...rest } = view;
    const run = { ...masker.maskDeep(rest), cases };
    const files = reportFiles(this.path, view.runDir || this.ctx.runDir, (t) => masker.mask(t));
    const chunks = renderHtmlChunks(
      run,
      files,
      now,
      (c) => masker.maskDeep(c),
      (c) => this.model.isRepeated(c),
    );
    for (const chunk of chunks) yield masker.mask(chunk);
  }
}

const EXCERPT_BYTES = 4096;
const EXCERPT_LINES = 30;

/** Links from the report to what exists on disk, relative so the run directory can be moved or published. */
function reportFiles(reportFile: string, runDir: string, mask: (t: string) => string): ReportFiles {
  const link = (path: string | undefined) => {
    if (!path || !existsSync(resolve(runDir, path))) return undefined;
    // Each segment encoded: case directories may contain `#` or `?`, which would cut a plain URL short.
    return linkFrom(reportFile, runDir, path).split('/').map(encodeURIComponent).join('/');
  };
  return {
    link,
    excerpt: (path) => tail(resolve(runDir, path), mask),
    environmentLogs: (env: EnvironmentRecord) => {
      const logs: [string, string][] = [];
      for (const n of env.nodes) {
        const href = link(join(runDir, 'nodes', `${safeName(env.envId)}-${safeName(n.name)}.log`));
        if (href) logs.push([`${n.name} log`, href]);
      }
      // Platform files of this environment (serial consoles): below platform/, named after it.
      for (const file of platformLogs(join(runDir, 'platform'), env.envId)) {
        const href = link(file);
        if (href) logs.push([relative(join(runDir, 'platform'), file).split(sep).join('/'), href]);
      }
      return logs;
    },
  };
}

function platformLogs(dir: string, envId: string, depth = 0): string[] {
  if (depth > 2 || !existsSync(dir)) return [];
  const found: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) found.push(...platformLogs(p, envId, depth + 1));
    else if (e.name.endsWith('.log') && p.includes(envId)) found.push(p);
  }
  return found.slice(0, 10);
}

/** The last lines of a log, read from its end only: a case log can be large. */
function tail(file: string, mask: (t: string) => string): string | undefined {
  let fd: number | undefined;
  try {
    const size = statSync(file).size;
    const len = Math.min(size, EXCERPT_BYTES);
    const buf = Buffer.alloc(len);
    fd = openSync(file, 'r');
    readSync(fd, buf, 0, len, size - len);
    let lines = buf.toString('utf8').split('\n');
    if (len < size) lines = lines.slice(1);
    const text = lines.slice(-EXCERPT_LINES).join('\n').trimEnd();
    return text ? mask(text) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
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
