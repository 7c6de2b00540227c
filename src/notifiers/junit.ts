import { z } from 'zod';
import junitModule, { type Builder, type TestCase } from 'junit-report-builder';
import type { RunEvent } from '../results/events.js';
import { cleanText, linkFrom, shortMessage } from './format.js';
import { reportPath } from './options.js';
import { ReportFile } from './report-file.js';
import { isFinal, ResultsModel, type CaseResult, type TransformerRecord } from '../results/results-model.js';
import type { Notifier, NotifierContext } from './types.js';
import { defineNotifier } from './types.js';
import { outputsText, transformerLabel } from './transformer-report.js';

// The package is CommonJS (`module.exports = builder`) but its types declare `export default`, so
// under NodeNext the default import is typed as the module object; take whichever is the builder.
const rootBuilder: Builder =
  (junitModule as unknown as { default?: Builder }).default ?? (junitModule as unknown as Builder);

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
 */
export class JUnitNotifier implements Notifier {
  readonly type = 'junit';
  readonly path: string;
  private readonly model = new ResultsModel();
  private readonly file: ReportFile;
  private finished = false;

  constructor(
    private readonly ctx: NotifierContext,
    private readonly options: { path?: string; include_subtest?: boolean } = {},
  ) {
    this.path = reportPath(options.path, ctx.runDir, 'junit.xml');
    this.file = new ReportFile(this.path, () => this.render(this.finished), ctx.log);
  }

  onEvent(event: RunEvent): void {
    this.model.apply(event);
    if (event.type === 'case.end' || event.type === 'transformer.end') this.file.update();
  }

  async finish(): Promise<void> {
    this.finished = true;
    this.file.flush();
  }

  /** Mid-run only finished cases are written; at the end unfinished ones appear as skipped. */
  render(final: boolean): string {
    const run = this.model.view();
    const builder = rootBuilder.newBuilder().name(this.text(run.name || this.ctx.runName));
    for (const group of this.model.groups()) {
      const cases = group.cases.filter((c) => final || isFinal(c.status));
      if (cases.length === 0) continue;
      const suiteName = group.combination === 'default' ? group.suite : `${group.suite} [${group.combination}]`;
      const suite = builder.testSuite().name(this.text(suiteName));
      const first = cases.map((c) => c.startedAt).find((t) => t !== undefined);
      // UTC with its zone: the builder would format a Date in the machine's local time without one.
      if (first) suite.timestamp(first.replace(/\.\d+Z$/, 'Z'));
      suite.time(cases.reduce((sum, c) => sum + c.durationMs, 0) / 1000);
      if (run.runId) suite.property('lisa.run_id', this.text(run.runId));
      if (run.platform) suite.property('lisa.platform', this.text(run.platform));
      suite.property('lisa.combination', this.text(group.combination));
      const variables = this.ctx.masker.maskDeep(this.model.combination(group.combination)?.variables ?? {});
      for (const [key, value] of Object.entries(variables)) {
        suite.property(this.text(key), this.text(typeof value === 'string' ? value : (JSON.stringify(value) ?? '')));
      }
      for (const c of cases) {
        this.addCase(suite.testCase(), c);
        if (this.options.include_subtest) this.addSubtests(suite, c);
      }
    }
    this.addTransformers(builder, run.transformers);
    return builder.build();
  }

  /** Each transformer run is a test of its own: a failed kernel install is a failure CI shows. */
  private addTransformers(builder: ReturnType<typeof rootBuilder.newBuilder>, runs: TransformerRecord[]): void {
    const done = runs.filter((t) => t.status !== 'RUNNING');
    if (done.length === 0) return;
    const suite = builder.testSuite().name('lisa transformers');
    for (const t of done) {
      const tc = suite
        .testCase()
        .className(this.text(`transformer.${t.type}`))
        .name(this.text(transformerLabel(t)));
      tc.time(t.durationMs / 1000);
      const log = t.logPath ? linkFrom(this.path, this.ctx.runDir, t.logPath) : undefined;
      if (t.status === 'FAILED')
        tc.failure(this.text(shortMessage(t.message) || 'failed'), 'FAILED').stacktrace(
          this.text([t.message, log ? `log: ${log}` : ''].join('\n').trim()),
        );
      else if (t.status === 'SKIPPED') skipWithMessage(tc, this.text(t.message || 'skipped'));
      const out = [outputsText(t.outputs), log ? `log: ${log}` : ''].filter(Boolean).join('\n');
      if (out) tc.standardOutput(this.text(out));
    }
  }

  private addCase(tc: TestCase, c: CaseResult): void {
    let name = c.name;
    if (this.model.isRepeated(c)) name += ` [iteration ${c.iteration}]`;
    if (c.combination !== 'default') name += ` [${c.combination}]`;
    tc.className(this.text(c.suite))
      .name(this.text(name))
      .time(c.durationMs / 1000);
    tc.property('lisa.case_id', this.text(c.caseId));
    tc.property('lisa.status', c.status);
    for (const m of c.metrics)
      tc.property(this.text(`metric.${m.name}`), this.text(`${m.value}${m.unit ? ` ${m.unit}` : ''}`));

    const log = c.logPath ? linkFrom(this.path, this.ctx.runDir, c.logPath) : undefined;
    const out: string[] = [];
    if (c.envId) out.push(`environment: ${c.envId}`);
    if (log) out.push(`log: ${log}`);
    for (const a of c.attempts.slice(0, -1))
      out.push(`attempt ${a.attempt}: ${a.status} ${shortMessage(a.message)}`.trim());

    switch (c.unfinished ? 'UNFINISHED' : c.status) {
      case 'UNFINISHED':
        // Cut short by Ctrl-C: neither a verdict on the image nor a choice to skip.
        skipWithMessage(tc, this.text(`UNFINISHED: ${c.message || 'the run was interrupted'}`));
        out.push('status UNFINISHED: the run was interrupted before the case finished; reported as skipped.');
        break;
      case 'PASSED':
        break;
      case 'FAILED': {
        const details = [c.message.trim()];
        if (log) details.push(`log: ${log}`);
        const failedSubs = c.subResults.filter((s) => s.status === 'FAILED');
        if (failedSubs.length) {
          details.push(
            'failed sub-results:',
            ...failedSubs.map((s) => `  ${s.name}${s.message ? `: ${s.message}` : ''}`),
          );
        }
        tc.failure(this.text(shortMessage(c.message) || 'failed'), 'FAILED').stacktrace(this.text(details.join('\n')));
        break;
      }
      case 'SKIPPED':
        skipWithMessage(tc, this.text(c.message || 'skipped'));
        break;
      case 'ATTEMPTED':
        skipWithMessage(tc, this.text(`ATTEMPTED: ${c.message || 'the case ran but could not decide'}`));
        out.push('status ATTEMPTED: the case ran but could not reach a verdict; reported as skipped.');
        break;
      default:
        skipWithMessage(tc, `UNFINISHED: the run ended while the case was ${c.status.toLowerCase()}`);
    }
    if (c.subResults.length) {
      out.push(
        'sub-results:',
        ...c.subResults.map((s) => `  ${s.status} ${s.name}${s.message ? `: ${s.message}` : ''}`),
      );
    }
    if (out.length) tc.standardOutput(this.text(out.join('\n')));
  }

  /** LISA's `include_subtest: true`: each sub-result is a test case of its own, `<case>.<sub>`. */
  private addSubtests(suite: { testCase(): TestCase }, c: CaseResult): void {
    for (const sub of c.subResults) {
      const tc = suite
        .testCase()
        .className(this.text(c.suite))
        .name(this.text(`${c.name}.${sub.name}`));
      if (sub.status === 'FAILED') tc.failure(this.text(sub.message || 'failed'), 'FAILED');
      else if (sub.status !== 'PASSED') skipWithMessage(tc, this.text(sub.message || sub.status.toLowerCase()));
    }
  }

  /** Masked (again, defensively) and free of characters XML cannot hold. */
  private text(value: string): string {
    return cleanText(this.ctx.masker.mask(value));
  }
}

/**
 * junit-report-builder 5 writes a bare <skipped/>; Jenkins, Azure DevOps and GitHub reporters show
 * the `message` attribute as the reason, so it is added to the element the builder creates.
 */
function skipWithMessage(tc: TestCase, message: string): void {
  tc.skipped();
  const build = tc.build.bind(tc);
  tc.build = (parent) => {
    const element = build(parent);
    const children = (element as unknown as { children: { name?: string; att(n: string, v: string): unknown }[] })
      .children;
    children.find((child) => child.name === 'skipped')?.att('message', message);
    return element;
  };
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
