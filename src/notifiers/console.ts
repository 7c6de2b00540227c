import { z } from 'zod';
import { isAbsolute, relative } from 'node:path';
import type { LeftoverResource, RunEvent } from '../results/events.js';
import { caseLabel, cleanText, formatDuration, shortMessage } from './format.js';
import type { CaseResult, ResultsReader } from '../results/results-model.js';
import { ResultsFeed } from './results-feed.js';
import type { Notifier, NotifierContext } from './types.js';
import { reportStatus } from '../results/report-status.js';
import { defineNotifier } from './types.js';
import { LiveStatus, type LiveState } from './console-live.js';

const CODES = { red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;
type Style = keyof typeof CODES;

const STATUS_STYLE: Record<string, Style> = {
  PASSED: 'green',
  FAILED: 'red',
  SKIPPED: 'yellow',
  ATTEMPTED: 'magenta',
  RUNNING: 'cyan',
  QUEUED: 'dim',
};

export type ProgressMode = 'auto' | 'live' | 'lines';

/**
 * Progress for people watching a run, and a closing summary that ends with the failures so they
 * are what is left on screen. In a CI log (not a terminal) every finished case gets its line; on a
 * terminal a status block (done/total, counts, each environment's case, elapsed, ETA) is redrawn in
 * place and only what needs reading stays: failures as they happen, retries, environments.
 */
export class ConsoleNotifier implements Notifier {
  readonly type = 'console';
  private readonly feed: ResultsFeed;
  private readonly model: ResultsReader;
  private readonly color: boolean;
  private summaryPrinted = false;
  /** What the platforms left behind (kept, still deleting), listed in the summary. */
  private readonly leftovers: LeftoverResource[] = [];
  private readonly liveMode: boolean;
  /** Started with the first event: building a notifier (as `lisa check` does) must not draw. */
  private live: LiveStatus | undefined;
  private readonly liveState: LiveState = {
    total: 0,
    done: 0,
    passed: 0,
    failed: 0,
    skipped: 0,
    attempted: 0,
    unfinished: 0,
    startedAt: Date.now(),
    environments: new Map(),
  };

  constructor(
    private readonly ctx: NotifierContext,
    options: { color?: string; progress?: ProgressMode } = {},
  ) {
    const mode = options.color ?? 'auto';
    this.color = mode === 'always' || (mode === 'auto' && colorSupported(ctx.out));
    this.liveMode = liveWanted(options.progress ?? 'auto', ctx);
    this.feed = new ResultsFeed(ctx);
    this.model = this.feed.model;
  }

  onEvent(event: RunEvent): void {
    const c = this.feed.apply(event);
    if (this.liveMode && !this.summaryPrinted) {
      this.live ??= new LiveStatus(this.ctx.out, this.liveState, (style, text) => this.paint(style, text));
      this.track(event);
    }
    switch (event.type) {
      case 'run.begin':
        this.line(
          `Run ${this.paint('bold', event.name)} (${event.runId}) on ${event.platform}: ` +
            `${plural(event.combinations.length, 'combination')}, results in ${event.runDir}`,
        );
        return;
      case 'combination.begin':
        if (event.combination.name !== 'default' || this.ctx.debug) {
          const vars = Object.entries(event.combination.variables)
            .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(', ');
          this.line(`Combination ${this.paint('bold', event.combination.name)}${vars ? `: ${vars}` : ''}`);
        }
        return;
      case 'env.begin': {
        const nodes = event.nodes.map((n) => {
          const facts = [n.address, n.os, n.cores && `${n.cores} cores`, n.memoryMiB && `${n.memoryMiB} MiB`];
          const known = facts.filter(Boolean);
          return known.length ? `${n.name} (${known.join(', ')})` : n.name;
        });
        const where = event.combination === 'default' ? '' : ` [${event.combination}]`;
        this.line(`${this.paint('cyan', 'env')} ${event.envId}${where} on ${event.platform}: ${nodes.join('; ')}`);
        return;
      }
      case 'env.end':
        if (event.broken) this.line(`${this.paint('yellow', 'env')} ${event.envId} broken: ${event.broken}`);
        else if (this.ctx.debug) this.line(this.paint('dim', `env ${event.envId} released`));
        return;
      case 'case.begin':
        if (this.ctx.debug && c) {
          const retry = event.attempt > 1 ? ` attempt ${event.attempt}` : '';
          this.line(
            this.paint(
              'dim',
              `  start ${this.label(c)} on ${event.envId}${retry}, log ${this.showPath(event.logPath)}`,
            ),
          );
        }
        return;
      case 'case.subresult':
        if (this.ctx.debug) {
          const msg = event.message ? `: ${shortMessage(event.message)}` : '';
          this.line(this.paint('dim', `    ${event.status.padEnd(9)} ${event.name}${msg}`));
        }
        return;
      case 'case.metric':
        if (this.ctx.debug) {
          this.line(
            this.paint('dim', `    metric ${event.name} = ${event.value}${event.unit ? ` ${event.unit}` : ''}`),
          );
        }
        return;
      case 'case.end':
        // On a terminal only what needs reading stays; the status block counts the rest.
        if (c && (!this.live || event.willRetry || reportStatus(c) === 'FAILED'))
          this.caseLine(c, event.willRetry === true);
        return;
      case 'transformer.end': {
        const t = event.transformer;
        const where = [t.phase, t.combination !== 'default' ? t.combination : undefined, t.envId].filter(Boolean);
        const outputs = Object.entries(event.outputs)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(', ');
        const detail = event.status === 'PASSED' ? outputs : shortMessage(event.message);
        const status = this.paint(STATUS_STYLE[event.status] ?? 'bold', event.status.padEnd(9));
        this.line(
          `${status} transformer ${t.name} (${t.type}, ${where.join(', ')}) ${this.paint('dim', formatDuration(event.durationMs))}${detail ? ` - ${detail}` : ''}`,
        );
        if (event.status === 'FAILED' && event.logPath) this.line(`          log: ${this.showPath(event.logPath)}`);
        return;
      }
      case 'bisect.step':
        this.line(
          `${this.paint('bold', 'bisect')} iteration ${event.iteration}: ${event.commit.slice(0, 12)} is ${this.paint(event.verdict === 'good' ? 'green' : event.verdict === 'bad' ? 'red' : 'yellow', event.verdict)}`,
        );
        return;
      case 'bisect.end':
        this.line(`${this.paint('bold', 'bisect')} ${event.summary} (${plural(event.iterations, 'iteration')})`);
        return;
      case 'platform.leftover':
        this.leftovers.push(...event.resources);
        return;
      case 'run.end':
        this.printSummary();
        return;
      default:
        return;
    }
  }

  async finish(): Promise<void> {
    // Ctrl-C: the run ends without run.end, and the summary matters most then.
    this.printSummary();
  }

  private caseLine(c: CaseResult, willRetry: boolean): void {
    // A failed attempt that will be retried is not a failure (yet); say so instead of alarming.
    const label = willRetry ? 'RETRY' : reportStatus(c);
    const style = willRetry || c.unfinished ? 'yellow' : (STATUS_STYLE[c.status] ?? 'bold');
    const status = this.paint(style, label.padEnd(9));
    const last = c.attempts.at(-1);
    const retry = c.attempt > 1 || willRetry ? ` attempt ${c.attempt}` : '';
    const duration = this.paint('dim', formatDuration(last?.durationMs ?? c.durationMs));
    let text = `${status} ${this.label(c)} ${duration}${retry}`;
    const message = this.ctx.debug ? cleanText(c.message).trim() : shortMessage(c.message);
    const [first, ...rest] = message.split('\n');
    if (first) text += ` - ${first}`;
    this.line(text);
    for (const l of rest) this.line(`          ${l}`);
    // With --debug the sub-results were shown live; otherwise the failed ones explain the failure.
    if ((c.status === 'FAILED' || willRetry) && !this.ctx.debug) {
      for (const s of c.subResults.filter((x) => x.status === 'FAILED')) {
        const msg = s.message ? `: ${shortMessage(s.message)}` : '';
        this.line(`          ${this.paint('red', s.status)} ${s.name}${msg}`);
      }
    }
    if (this.ctx.debug && c.logPath) this.line(this.paint('dim', `          log ${this.showPath(c.logPath)}`));
  }

  /** Keeps the status block's figures; counts come from the model, which keeps them per event. */
  private track(event: RunEvent): void {
    const st = this.liveState;
    const m = this.model;
    st.total = m.summary().total;
    st.passed = m.count('PASSED');
    st.failed = m.count('FAILED');
    st.skipped = m.count('SKIPPED');
    st.attempted = m.count('ATTEMPTED');
    st.unfinished = m.count('UNFINISHED');
    st.done = st.total - m.count('QUEUED') - m.count('RUNNING');
    if (event.type === 'run.begin') st.startedAt = Date.now();
    else if (event.type === 'env.begin') {
      const label = event.combination === 'default' ? '' : ` [${event.combination}]`;
      st.environments.set(event.envId, { label, since: Date.now() });
    } else if (event.type === 'env.end') st.environments.delete(event.envId);
    else if (event.type === 'case.begin') {
      if (st.firstCaseAt === undefined) {
        st.firstCaseAt = Date.now();
        st.doneAtFirstCase = st.done;
      }
      const c = m.getCase(event.case.runCaseId);
      const env = st.environments.get(event.envId) ?? { label: '', since: Date.now() };
      env.case = c ? this.label(c) : event.case.caseId;
      env.since = Date.now();
      st.environments.set(event.envId, env);
    } else if (event.type === 'case.end' && event.envId) {
      const env = st.environments.get(event.envId);
      if (env) {
        delete env.case;
        env.since = Date.now();
      }
    }
    this.live?.changed();
  }

  private printSummary(): void {
    if (this.summaryPrinted) return;
    this.summaryPrinted = true;
    this.live?.stop();
    const s = this.model.summary();
    const state = this.model.state === 'RUNNING' ? 'INTERRUPTED' : this.model.state;
    const stateStyle: Style = state === 'PASSED' ? 'green' : state === 'FAILED' ? 'red' : 'yellow';
    const counts = [
      this.paint('green', `${s.passed} passed`),
      this.paint(s.failed ? 'red' : 'dim', `${s.failed} failed`),
      this.paint(s.skipped ? 'yellow' : 'dim', `${s.skipped} skipped`),
      this.paint(s.attempted ? 'magenta' : 'dim', `${s.attempted} attempted`),
    ];
    if (s.unfinished) counts.push(this.paint('yellow', `${s.unfinished} unfinished`));
    this.line('');
    this.line(
      `${this.paint(stateStyle, state)}: ${plural(s.total, 'case')} (${counts.join(', ')}) in ${formatDuration(this.model.durationMs())}`,
    );
    const cases = this.model.cases;
    if (this.ctx.debug) {
      for (const c of cases.filter((x) => x.unfinished || x.status === 'QUEUED' || x.status === 'RUNNING')) {
        this.line(
          `  ${this.paint('yellow', 'UNFINISHED')} ${this.label(c)}${c.message ? ` - ${shortMessage(c.message)}` : ''}`,
        );
      }
    }
    for (const l of this.leftovers) {
      const label = l.state === 'kept' ? 'KEPT' : l.state === 'still-deleting' ? 'STILL DELETING' : 'DELETE FAILED';
      this.line(`  ${this.paint('yellow', label)} ${l.kind} ${l.name}${l.hint ? ` - ${l.hint}` : ''}`);
    }
    const failures = cases.filter((c) => c.status === 'FAILED' && !c.unfinished);
    if (failures.length === 0) return;
    this.line('');
    this.line(this.paint('red', `Failures (${failures.length}):`));
    for (const c of failures) {
      this.line(`  ${this.paint('red', 'FAILED')} ${this.label(c)}`);
      const message = this.ctx.debug ? cleanText(c.message).trim() : shortMessage(c.message, 400);
      if (message) for (const l of message.split('\n')) this.line(`    ${l}`);
      for (const sub of c.subResults.filter((x) => x.status === 'FAILED')) {
        this.line(`    failed sub-result ${sub.name}${sub.message ? `: ${shortMessage(sub.message)}` : ''}`);
      }
      if (c.logPath) this.line(`    log: ${this.showPath(c.logPath)}`);
    }
  }

  private label(c: CaseResult): string {
    return caseLabel(c, this.model.isRepeated(c));
  }

  /** Paths below the working directory are shown relative to it: shorter, and still clickable. */
  private showPath(path: string): string {
    if (!isAbsolute(path)) return path;
    const rel = relative(process.cwd(), path);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  }

  private paint(style: Style, text: string): string {
    return this.color ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text;
  }

  private line(text: string): void {
    // Events arrive masked; masking again costs little and covers values a plugin emitted raw.
    // Text from guests (OS names, messages) must not move the cursor or retitle the terminal, so
    // everything but plain colour codes is neutralised.
    const safe = this.ctx.masker
      .mask(text)
      // eslint-disable-next-line no-control-regex -- keeps colour escapes, the only ones allowed through
      .split(/(\u001b\[[0-9;]*m)/)
      .map((part, i) => (i % 2 === 1 ? part : cleanText(part)))
      .join('');
    if (this.live) this.live.print([safe]);
    else this.ctx.out.write(`${safe}\n`);
  }
}

/** A status block redrawn in place needs a terminal that understands cursor movement. */
function liveWanted(mode: ProgressMode, ctx: NotifierContext): boolean {
  if (mode !== 'auto') return mode === 'live';
  // With --debug every line matters more than a tidy screen.
  if (ctx.debug) return false;
  if (process.env['TERM'] === 'dumb') return false;
  return (ctx.out as { isTTY?: boolean }).isTTY === true;
}

function colorSupported(out: NodeJS.WritableStream): boolean {
  const noColor = process.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  return (out as { isTTY?: boolean }).isTTY === true;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const consoleNotifier = defineNotifier({
  type: 'console',
  schema: z.strictObject({
    color: z
      .enum(['auto', 'always', 'never'])
      .optional()
      .describe('Colour output; auto: when the stream is a terminal and NO_COLOR is unset'),
    progress: z
      .enum(['auto', 'live', 'lines'])
      .optional()
      .describe(
        'auto: a live status block on a terminal, one line per case otherwise (CI logs); live or lines force one',
      ),
    log_level: z.string().optional().describe("Accepted for LISA compatibility; lisa's console shows results"),
  }),
  create: (options, ctx) => new ConsoleNotifier(ctx, options),
});
