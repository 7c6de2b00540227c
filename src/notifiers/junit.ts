import { z } from 'zod';
import type { RunEvent } from '../results/events.js';
import { cleanText, linkFrom, shortMessage } from './format.js';
import { reportPath } from './options.js';
import { ReportFile, sharedWriteBudget } from './report-file.js';
import { isFinal, type CaseResult, type ResultsReader, type TransformerRecord } from '../results/results-model.js';
import { ResultsFeed } from './results-feed.js';
import type { Notifier, NotifierContext } from './types.js';
import { defineNotifier } from './types.js';
import { outputsText, transformerLabel } from './transformer-report.js';
import {
  add,
  attr,
  countsAttrs,
  outcomeOf,
  properties,
  seconds,
  testCase,
  type Counts,
  type TestCaseXml,
} from './junit-xml.js';

/**
 * JUnit XML for CI test tabs (Jenkins, Azure DevOps, GitHub test-reporter actions).
 *
 * ATTEMPTED ("ran, but could not decide") is written as <skipped> with an `ATTEMPTED:` message:
 * JUnit has no such state, and reporting it as passed would claim a verification that did not
 * happen, while every consumer shows skipped tests with their message as "not verified".
 *
 * Jenkins and Azure DevOps identify a test by classname + name and ignore the <testsuite> it sits
 * in, so the combination is appended to the name as well; otherwise two combinations of the same
 * case would collapse into one test history.
 *
 * Written as text, suite by suite and case by case (see ReportFile): a document tree of 10,000
 * cases per rewrite was most of a large run's memory.
 */
export class JUnitNotifier implements Notifier {
  readonly type = 'junit';
  readonly path: string;
  private readonly feed: ResultsFeed;
  private readonly model: ResultsReader;
  private readonly file: ReportFile;
  private finished = false;

  constructor(
    private readonly ctx: NotifierContext,
    private readonly options: { path?: string; include_subtest?: boolean } = {},
  ) {
    this.path = reportPath(options.path, ctx.runDir, 'junit.xml');
    this.feed = new ResultsFeed(ctx);
    this.model = this.feed.model;
    this.file = new ReportFile(this.path, () => this.render(this.finished), ctx.log, 0, sharedWriteBudget(ctx));
  }

  onEvent(event: RunEvent): void {
    this.feed.apply(event);
    if (event.type === 'case.end' || event.type === 'transformer.end') this.file.update();
  }

  async finish(): Promise<void> {
    this.finished = true;
    this.file.flush();
  }

  /** Mid-run only finished cases are written; at the end unfinished ones appear as skipped. */
  *render(final: boolean): Generator<string> {
    const run = this.model.view();
    // The model's own groups, read in place: no copy of 10,000 cases per rewrite.
    const shown = (c: CaseResult) => final || isFinal(c.status);
    const groups = this.model.groups();
    const transformers = run.transformers.filter((t) => t.status !== 'RUNNING').map((t) => this.transformerCase(t));
    // Counts first: they are attributes of the elements that open before the cases.
    const total: Counts = { tests: 0, failures: 0, skipped: 0 };
    const perGroup = groups.map((g) => {
      const c: Counts = { tests: 0, failures: 0, skipped: 0 };
      let cases = 0;
      for (const x of g.cases) {
        if (!shown(x)) continue;
        cases++;
        add(c, outcomeOf(this.outcome(x)));
        if (this.options.include_subtest) for (const s of x.subResults) add(c, subOutcome(s.status));
      }
      total.tests += c.tests;
      total.failures += c.failures;
      total.skipped += c.skipped;
      return { counts: c, cases };
    });
    for (const t of transformers) add(total, outcomeOf(t));
    yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${attr(this.text(run.name || this.ctx.runName))}" ${countsAttrs(total)}>\n`;
    for (const [i, group] of groups.entries()) {
      if (perGroup[i]!.cases === 0) continue;
      const suiteName = group.combination === 'default' ? group.suite : `${group.suite} [${group.combination}]`;
      let first: string | undefined;
      let time = 0;
      for (const c of group.cases) {
        if (!shown(c)) continue;
        first ??= c.startedAt;
        time += c.durationMs;
      }
      // UTC with its zone, seconds precision, as JUnit consumers expect.
      const stamp = first ? ` timestamp="${attr(first.replace(/\.\d+Z$/, 'Z'))}"` : '';
      yield `  <testsuite name="${attr(this.text(suiteName))}"${stamp} time="${seconds(time)}" ${countsAttrs(perGroup[i]!.counts)}>\n`;
      const props: [string, string][] = [];
      if (run.runId) props.push(['lisa.run_id', this.text(run.runId)]);
      if (run.platform) props.push(['lisa.platform', this.text(run.platform)]);
      if (run.testProject) props.push(['lisa.test_project', this.text(run.testProject)]);
      if (run.testPass) props.push(['lisa.test_pass', this.text(run.testPass)]);
      if (run.tags?.length) props.push(['lisa.tags', this.text(run.tags.join(','))]);
      props.push(['lisa.combination', this.text(group.combination)]);
      const variables = this.ctx.masker.maskDeep(this.model.combination(group.combination)?.variables ?? {});
      for (const [key, value] of Object.entries(variables)) {
        props.push([this.text(key), this.text(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))]);
      }
      yield properties('    ', props);
      for (const c of group.cases) {
        if (!shown(c)) continue;
        let chunk = testCase(this.caseXml(c));
        if (this.options.include_subtest) chunk += this.subtests(c);
        yield chunk;
      }
      yield '  </testsuite>\n';
    }
    if (transformers.length) {
      const c: Counts = { tests: 0, failures: 0, skipped: 0 };
      for (const t of transformers) add(c, outcomeOf(t));
      yield `  <testsuite name="lisa transformers" ${countsAttrs(c)}>\n${transformers.map(testCase).join('')}  </testsuite>\n`;
    }
    yield '</testsuites>\n';
  }

  /** Each transformer run is a test of its own: a failed kernel install is a failure CI shows. */
  private transformerCase(t: TransformerRecord): TestCaseXml {
    const log = t.logPath ? linkFrom(this.path, this.ctx.runDir, t.logPath) : undefined;
    const tc: TestCaseXml = {
      classname: this.text(`transformer.${t.type}`),
      name: this.text(transformerLabel(t)),
      timeMs: t.durationMs,
    };
    if (t.status === 'FAILED')
      tc.failure = {
        message: this.text(shortMessage(t.message) || 'failed'),
        type: 'FAILED',
        body: this.text([t.message, log ? `log: ${log}` : ''].join('\n').trim()),
      };
    else if (t.status === 'SKIPPED') tc.skipped = this.text(t.message || 'skipped');
    const out = [outputsText(t.outputs), log ? `log: ${log}` : ''].filter(Boolean).join('\n');
    if (out) tc.systemOut = this.text(out);
    return tc;
  }

  /** The failure or skip a case is reported with; also what the suite's counts are made of. */
  private outcome(c: CaseResult): Pick<TestCaseXml, 'failure' | 'skipped'> {
    switch (c.unfinished ? 'UNFINISHED' : c.status) {
      case 'UNFINISHED':
        // Cut short by Ctrl-C: neither a verdict on the image nor a choice to skip.
        return { skipped: this.text(`UNFINISHED: ${c.message || 'the run was interrupted'}`) };
      case 'PASSED':
        return {};
      case 'FAILED': {
        const log = c.logPath ? linkFrom(this.path, this.ctx.runDir, c.logPath) : undefined;
        const details = [c.message.trim()];
        if (log) details.push(`log: ${log}`);
        const failedSubs = c.subResults.filter((s) => s.status === 'FAILED');
        if (failedSubs.length) {
          details.push(
            'failed sub-results:',
            ...failedSubs.map((s) => `  ${s.name}${s.message ? `: ${s.message}` : ''}`),
          );
        }
        return {
          failure: {
            message: this.text(shortMessage(c.message) || 'failed'),
            type: 'FAILED',
            body: this.text(details.join('\n')),
          },
        };
      }
      case 'SKIPPED':
        return { skipped: this.text(c.message || 'skipped') };
      case 'ATTEMPTED':
        return { skipped: this.text(`ATTEMPTED: ${c.message || 'the case ran but could not decide'}`) };
      default:
        return { skipped: `UNFINISHED: the run ended while the case was ${c.status.toLowerCase()}` };
    }
  }

  private caseXml(c: CaseResult): TestCaseXml {
    let name = c.name;
    if (this.model.isRepeated(c)) name += ` [iteration ${c.iteration}]`;
    if (c.combination !== 'default') name += ` [${c.combination}]`;
    const props: [string, string][] = [
      ['lisa.case_id', this.text(c.caseId)],
      ['lisa.status', c.status],
    ];
    for (const m of c.metrics)
      props.push([this.text(`metric.${m.name}`), this.text(`${m.value}${m.unit ? ` ${m.unit}` : ''}`)]);

    const log = c.logPath ? linkFrom(this.path, this.ctx.runDir, c.logPath) : undefined;
    const out: string[] = [];
    if (c.envId) out.push(`environment: ${c.envId}`);
    if (log) out.push(`log: ${log}`);
    for (const a of c.attempts.slice(0, -1))
      out.push(`attempt ${a.attempt}: ${a.status} ${shortMessage(a.message)}`.trim());
    const status = c.unfinished ? 'UNFINISHED' : c.status;
    if (status === 'UNFINISHED')
      out.push('status UNFINISHED: the run was interrupted before the case finished; reported as skipped.');
    else if (status === 'ATTEMPTED')
      out.push('status ATTEMPTED: the case ran but could not reach a verdict; reported as skipped.');
    if (c.subResults.length) {
      out.push(
        'sub-results:',
        ...c.subResults.map((s) => `  ${s.status} ${s.name}${s.message ? `: ${s.message}` : ''}`),
      );
    }
    const tc: TestCaseXml = {
      classname: this.text(c.suite),
      name: this.text(name),
      timeMs: c.durationMs,
      props,
      ...this.outcome(c),
    };
    if (out.length) tc.systemOut = this.text(out.join('\n'));
    return tc;
  }

  /** LISA's `include_subtest: true`: each sub-result is a test case of its own, `<case>.<sub>`. */
  private subtests(c: CaseResult): string {
    return c.subResults
      .map((sub) => {
        const tc: TestCaseXml = { classname: this.text(c.suite), name: this.text(`${c.name}.${sub.name}`) };
        if (sub.status === 'FAILED') tc.failure = { message: this.text(sub.message || 'failed'), type: 'FAILED' };
        else if (sub.status !== 'PASSED') tc.skipped = this.text(sub.message || sub.status.toLowerCase());
        return testCase(tc);
      })
      .join('');
  }

  /** Masked (again, defensively) and free of characters XML cannot hold. */
  private text(value: string): string {
    return cleanText(this.ctx.masker.mask(value));
  }
}

function subOutcome(status: string): 'passed' | 'failure' | 'skipped' {
  return status === 'FAILED' ? 'failure' : status === 'PASSED' ? 'passed' : 'skipped';
}

export const junitNotifier = defineNotifier({
  type: 'junit',
  schema: z.strictObject({
    path: z
      .string()
      .min(1)
      .optional()
      .describe('Report file; default <run dir>/junit.xml, relative to the working directory'),
    include_subtest: z.boolean().optional().describe('LISA: each sub-result is reported as a test case of its own'),
  }),
  create: (options, ctx) => new JUnitNotifier(ctx, options),
});
