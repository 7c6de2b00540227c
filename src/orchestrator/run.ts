import { FileSink, Logger, type LogSink } from '../logging/logger.js';
import { SecretMasker } from '../logging/secrets.js';
import { createNotifier } from '../notifiers/registry.js';
import { ResultsModel } from '../results/results-model.js';
import type { Notifier } from '../notifiers/types.js';
import { createPlatform } from '../platform/registry.js';
import type { Platform, PlatformContext } from '../platform/types.js';
import { EventBus, type EventInput } from '../results/event-bus.js';
import type { CaseRef, RunEvent, RunSummary } from '../results/events.js';
import { writeInvocation, type Invocation } from '../results/invocation.js';
import { RunDirectory } from '../results/run-dir.js';
import type { LoadedRunbook, NotifierConfig, ResolvedRunbook } from '../runbook/types.js';
import { loadSuites } from '../testing/loader.js';
import { suiteDirs } from './suite-dirs.js';
import type { TestCaseInfo } from '../testing/types.js';
import { ToolService } from '../tool/tool-service.js';
import { driveCombinations, type RunCombination } from './combinations.js';
import { planItems } from './plan.js';
import { planRunnable } from './planning.js';
import { Scheduler } from './scheduler.js';
import { selectCases } from './selection.js';

export interface RunRunbookOptions {
  debug: boolean;
  /** Where console output goes (stdout). */
  out: NodeJS.WritableStream;
  /** Where log lines at warn and above (all with --debug) go (stderr). */
  err: NodeJS.WritableStream;
  /** Fires on Ctrl-C. */
  signal: AbortSignal;
  /** Suites already loaded (the CLI loads them with the runbook); loaded here when absent. */
  cases?: TestCaseInfo[];
  /** Runs only the planned cases this accepts (`--rerun-failed`, `--shard`); the rest are not queued. */
  only?: (ref: CaseRef) => boolean;
  /** Continues an interrupted run in its own directory: its finished results are replayed, not rerun. */
  resume?: { runDir: string; replay: RunEvent[]; done: ReadonlySet<string> };
  /** How lisa was called, kept in the run directory so that `lisa resume` can call it again. */
  invocation?: Invocation;
  /** Rewrites events before they are recorded, e.g. the perf criteria gate. */
  transform?: (e: EventInput) => EventInput;
  /** LISA's exit_with_failed_count: the exit code is the number of failed cases (at most 255). */
  exitWithFailedCount?: boolean;
}

export interface RunRunbookResult {
  exitCode: number;
  runDir: string;
  summary: RunSummary;
}

/** Console log lines for the person watching; the full log always goes to lisa.log. */
class StreamSink implements LogSink {
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly debug: boolean,
    private readonly quiet = false,
  ) {}
  write(level: string, source: string, message: string): void {
    if (!this.debug && (this.quiet || (level !== 'warn' && level !== 'error'))) return;
    this.out.write(`${level === 'error' ? 'error' : level === 'warn' ? 'warning' : level} [${source}] ${message}\n`);
  }
  /** Cases and nodes log their failures to their own files; the console notifier reports them. */
  quieter(): LogSink {
    return new StreamSink(this.out, this.debug, true);
  }
}

/** Runs every combination of a loaded runbook and reports through the notifiers. */
export async function runRunbook(runbook: LoadedRunbook, options: RunRunbookOptions): Promise<RunRunbookResult> {
  const masker = new SecretMasker();
  for (const s of runbook.secrets) masker.add(s);
  const first = runbook.combinations[0]!;
  // Suites first: a broken suite is a user error reported before any run starts, and extension
  // modules may register notifiers or platforms that the runbook then uses.
  const cases = options.cases ?? (await loadSuites(suiteDirs(first.extension, first.importBuiltinTests)));
  const runDir = options.resume
    ? RunDirectory.open(options.resume.runDir, (text) => masker.mask(text))
    : RunDirectory.create(first.runRoot, runbook.name, new Date(), (text) => masker.mask(text));
  if (options.invocation && !options.resume) writeInvocation(runDir.root, options.invocation);
  const log = new Logger('lisa', [new FileSink(runDir.runLog), new StreamSink(options.err, options.debug)], masker);
  const bus = new EventBus(runDir.eventsFile, masker, log);
  if (options.transform) bus.addTransform(options.transform);
  // The same model every report uses, so the exit code can never disagree with a report.
  const summary = new ResultsModel();
  bus.subscribe({
    onEvent: (e) => {
      summary.apply(e);
    },
  });
  const notifiers = await createNotifiers(first.notifier, {
    runDir: runDir.root,
    runName: runbook.name,
    log,
    masker,
    debug: options.debug,
    out: options.out,
    results: summary,
  });
  for (const n of notifiers) bus.subscribe(n);

  const started = Date.now();
  const done = options.resume?.done ?? new Set<string>();
  const keep = (ref: CaseRef) => !done.has(ref.runCaseId) && (options.only?.(ref) ?? true);
  // A resumed run's notifiers see the finished part again, so every report covers the whole run.
  if (options.resume) for (const e of options.resume.replay) bus.replay(e);
  else
    bus.emit({
      type: 'run.begin',
      runId: runDir.root.split('/').pop()!,
      name: runbook.name,
      runDir: runDir.root,
      // git_bisect picks its combinations as it goes.
      combinations: runbook.bisect ? [] : runbook.combinations.map((c) => c.combination.name),
      platform: first.platform.type,
      ...first.metadata,
    });
  log.info(`run directory: ${runDir.root}`);

  let fatal: Error | undefined;
  let transformerFailures = 0;
  const tools = new ToolService();
  const shared = { runDir, log, bus, masker, tools, signal: options.signal, keep };
  try {
    const driven = await driveCombinations(runbook, (rb, extra) => runCombination(rb, cases, shared, extra), {
      runRoot: runDir.root,
      log,
      bus,
      signal: options.signal,
    });
    transformerFailures = driven.transformerFailures;
  } catch (e) {
    fatal = e as Error;
    log.error(`run failed: ${fatal.message}`);
  }

  // Listeners run behind the emitter: let them catch up before counting.
  await bus.flush();
  const s = summary.summary();
  const interrupted = options.signal.aborted;
  const failed = s.failed > 0 || transformerFailures > 0;
  const status = interrupted ? 'INTERRUPTED' : failed || fatal ? 'FAILED' : 'PASSED';
  bus.emit({ type: 'run.end', status, summary: s, durationMs: Date.now() - started });
  await bus.flush();
  let reportsUnwritten = false;
  for (const n of notifiers) {
    await n.finish().catch((e: Error) => {
      reportsUnwritten = true;
      log.error(`notifier ${n.type} could not finish: ${e.message}`);
    });
  }
  if (fatal) throw fatal;
  // Results that could not be saved (a full disk) are not a pass, whatever the cases did.
  const unsaved = bus.writeError !== undefined || reportsUnwritten;
  const failedCode = options.exitWithFailedCount
    ? Math.max(Math.min(s.failed + transformerFailures, 255), unsaved ? 1 : 0)
    : failed || unsaved
      ? 1
      : 0;
  // A signal that came while the reports were being written let them finish, and still means 130.
  const exitCode = interrupted || options.signal.aborted ? 130 : failedCode;
  return { exitCode, runDir: runDir.root, summary: s };
}

async function createNotifiers(
  configs: NotifierConfig[],
  ctx: Parameters<typeof createNotifier>[1],
): Promise<Notifier[]> {
  // The console always reports; a runbook entry for it only sets its options.
  const all = configs.some((c) => c.type === 'console') ? configs : [{ type: 'console', options: {} }, ...configs];
  return Promise.all(all.map((c) => createNotifier(c, ctx)));
}

interface RunShared {
  runDir: RunDirectory;
  log: Logger;
  bus: EventBus;
  masker: SecretMasker;
  tools: ToolService;
  signal: AbortSignal;
  keep: (ref: CaseRef) => boolean;
}

async function runCombination(
  rb: ResolvedRunbook,
  cases: TestCaseInfo[],
  shared: RunShared,
  extra: Parameters<RunCombination>[1] = {},
): Promise<void> {
  const { bus, log } = shared;
  const name = rb.combination.name;
  bus.emit({ type: 'combination.begin', combination: { name, variables: rb.combination.variables } });
  const selection = selectCases(cases, rb.testcase);
  const items = planItems(selection.selected, name).filter((i) => shared.keep(i.ref));
  for (const item of items) bus.emit({ type: 'case.queued', case: item.ref });
  if (extra.guard) {
    // A failed transformer guards these cases: they fail with its message and log, unrun.
    const { message, logPath } = extra.guard;
    for (const item of items) {
      bus.emit({ type: 'case.end', case: item.ref, status: 'FAILED', message, logPath, attempt: 1, durationMs: 0 });
    }
    bus.emit({ type: 'combination.end', combination: name });
    return;
  }
  // Only case-visible variables reach cases (LISA's is_case_visible).
  const variables = Object.fromEntries(
    Object.entries(rb.variables)
      .filter(([, v]) => v.isCaseVisible)
      .map(([k, v]) => [k, v.value]),
  );
  const pctx: PlatformContext = {
    runDir: shared.runDir.root,
    log: log.child(`platform:${rb.platform.type}`),
    masker: shared.masker,
    signal: shared.signal,
    environmentConfig: rb.environments,
    jumpHosts: rb.jumpHosts,
  };
  let platform: Platform | undefined;
  try {
    platform = await createPlatform(rb.platform);
    await platform.prepare(pctx);
    const policy = rb.environmentPolicy;
    const runnable = await planRunnable(platform, items, { bus, log, policy });
    // Each worker holds one environment: environment.max_concurrency caps them as concurrency does.
    const concurrency = Math.min(rb.concurrency ?? platform.maxParallel(), policy.maxConcurrency ?? Infinity);
    const scheduler = new Scheduler(
      {
        platform,
        platformContext: pctx,
        concurrency,
        exitOnFirstFailure: rb.exitOnFirstFailure,
        bus,
        runDir: shared.runDir,
        log,
        variables,
        combination: name,
        tools: shared.tools,
        runSignal: shared.signal,
        prepareEnvironment: extra.prepareEnvironment,
        deployPolicy: policy,
      },
      runnable,
    );
    await scheduler.run();
  } catch (e) {
    // Only platform set-up can land here: the scheduler reports every case it was given itself.
    const interrupted = shared.signal.aborted;
    const message = interrupted
      ? 'not run: the run was interrupted'
      : `platform ${rb.platform.type} failed: ${(e as Error).message}`;
    log.error(interrupted ? `platform ${rb.platform.type} set-up interrupted` : message);
    for (const item of items) {
      bus.emit({
        type: 'case.end',
        case: item.ref,
        status: interrupted ? 'SKIPPED' : 'FAILED',
        message,
        attempt: 1,
        durationMs: 0,
        unfinished: interrupted || undefined,
      });
    }
  } finally {
    const left = await platform
      ?.dispose(pctx)
      .catch((e: Error) => log.warn(`cleanup of platform ${rb.platform.type} failed: ${e.message}`));
    if (left?.length)
      bus.emit({ type: 'platform.leftover', combination: name, platform: rb.platform.type, resources: left });
    bus.emit({ type: 'combination.end', combination: name });
  }
}
