import { join } from 'node:path';
import { FileSink, type Logger } from '../logging/logger.js';
import type { Environment } from '../platform/types.js';
import type { EventBus } from '../results/event-bus.js';
import type { CaseRef, FinalStatus } from '../results/events.js';
import type { RunDirectory } from '../results/run-dir.js';
import { AssertionFailure, SkipError } from '../testing/errors.js';
import type { CaseContext } from '../testing/types.js';
import type { ToolService } from '../tool/tool-service.js';
import { caseContext, type CaseScope } from './case-context.js';
import { formatSeconds, PhaseTimeout, runPhase } from './phase.js';
import type { SelectedCase } from './selection.js';

export interface CaseOutcome {
  status: FinalStatus;
  message: string;
  /** Set when the environment must not be used again. */
  envBroken?: string;
  /** The case failed and gets another attempt: decided here, once, and followed by the scheduler. */
  willRetry?: boolean;
}

export interface CaseRunInput {
  selected: SelectedCase;
  ref: CaseRef;
  env: Environment;
  attempt: number;
  runDir: RunDirectory;
  bus: EventBus;
  log: Logger;
  variables: Record<string, unknown>;
  /** The run's tool service: tools are installed once per node for the whole run. */
  tools: ToolService;
  /** The run's interrupt signal. */
  runSignal: AbortSignal;
}

const DEFAULT_HOOK_MS = 300_000;
/** After Ctrl-C, cleanup still runs but may take at most this long. */
const INTERRUPTED_CLEANUP_MS = 10_000;

/** Runs one attempt of one case on one environment and reports it on the event stream. */
export async function runCase(input: CaseRunInput): Promise<CaseOutcome> {
  const { selected, ref, env, attempt, bus } = input;
  const dir = input.runDir.caseDir(ref.runCaseId, attempt);
  const logPath = join(dir, 'case.log');
  const caseSink = new FileSink(logPath);
  const log = input.log.child(ref.caseId, [caseSink], { quiet: true });
  const started = Date.now();
  bus.emit({ type: 'case.begin', case: ref, envId: env.id, attempt, logPath });

  const scope: CaseScope = { ...input, log, logDir: dir };
  const suite = selected.info.suiteDefinition;
  const hookMs = suite.hookTimeoutMs ?? DEFAULT_HOOK_MS;
  let outcome: CaseOutcome = { status: 'PASSED', message: '' };
  try {
    const before = suite.beforeCase?.bind(suite);
    if (before) await runPhase('beforeCase', hookMs, input.runSignal, (signal) => before(caseContext(scope, signal)));
    await runPhase('case', selected.settings.timeoutMs, input.runSignal, (signal) =>
      selected.info.definition.run(caseContext(scope, signal)),
    );
  } catch (e) {
    outcome = classify(e, input.runSignal);
    if (outcome.status === 'FAILED')
      log.error(
        `${outcome.message}${e instanceof Error && !(e instanceof AssertionFailure) && e.name !== 'AssertionFailure' && !(e instanceof PhaseTimeout) && e.stack ? `\n${e.stack}` : ''}`,
      );
  }
  const after = suite.afterCase?.bind(suite);
  if (after) {
    const dirty = await cleanUp(scope, hookMs, input.runSignal, after);
    if (dirty) outcome = { ...outcome, envBroken: dirty };
  }

  // After Ctrl-C the case failed because we stopped it: probing the nodes would only delay the exit.
  if (!input.runSignal.aborted) outcome = await checkEnvironment(env, outcome, log);
  if (outcome.status === 'FAILED' && selected.settings.ignoreFailure) outcome = { ...outcome, status: 'ATTEMPTED' };
  if (outcome.status === 'FAILED' && attempt <= selected.settings.retry && !input.runSignal.aborted)
    outcome = { ...outcome, willRetry: true };
  if (outcome.status === 'SKIPPED') log.info(`skipped: ${outcome.message}`);
  log.info(`${outcome.status}${outcome.message ? `: ${outcome.message}` : ''}`);
  bus.emit({
    type: 'case.end',
    case: ref,
    status: outcome.status,
    message: outcome.message,
    envId: env.id,
    attempt,
    durationMs: Date.now() - started,
    logPath,
    willRetry: outcome.willRetry,
    unfinished: input.runSignal.aborted || undefined,
  });
  caseSink.close();
  return outcome;
}

/**
 * afterCase with its own budget on freshly bound nodes, whatever happened to the case. Returns why
 * the environment must not be reused when cleanup failed or ran out of time.
 */
async function cleanUp(
  scope: CaseScope,
  hookMs: number,
  runSignal: AbortSignal,
  after: (ctx: CaseContext) => Promise<void> | void,
): Promise<string | undefined> {
  // Not cut by Ctrl-C at once: cleanup matters most then, but it must not hold the exit up long.
  const grace = new AbortController();
  const cutShort = () =>
    setTimeout(
      () => grace.abort(new PhaseTimeout('afterCase (after Ctrl-C)', INTERRUPTED_CLEANUP_MS)),
      INTERRUPTED_CLEANUP_MS,
    ).unref();
  if (runSignal.aborted) cutShort();
  else runSignal.addEventListener('abort', cutShort, { once: true });
  try {
    await runPhase('afterCase', hookMs, grace.signal, (signal) => after(caseContext(scope, signal)));
    return undefined;
  } catch (e) {
    const why = e instanceof PhaseTimeout ? e.message : `afterCase failed: ${(e as Error).message}`;
    scope.log.error(`${why}; the environment is not reused`);
    return why;
  } finally {
    runSignal.removeEventListener('abort', cutShort);
  }
}

function classify(e: unknown, runSignal: AbortSignal): CaseOutcome {
  // By name, not instanceof: a suite may have loaded its own copy of the library.
  if (e instanceof SkipError || (e instanceof Error && e.name === 'SkipError'))
    return { status: 'SKIPPED', message: e.message };
  if (e instanceof PhaseTimeout)
    return {
      status: 'FAILED',
      message: e.phase === 'case' ? `timed out after ${formatSeconds(e.budgetMs)}` : e.message,
    };
  if (runSignal.aborted)
    return { status: 'FAILED', message: `interrupted while running (${interruptName(runSignal)})` };
  if (e instanceof Error) return { status: 'FAILED', message: e.message };
  return { status: 'FAILED', message: String(e) };
}

/** SIGTERM is named as such; SIGINT (and an abort without a signal name) as Ctrl-C. */
function interruptName(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  const named = reason instanceof Error ? /\bSIG(?!INT\b)[A-Z]+\b/.exec(reason.message)?.[0] : undefined;
  return named ?? 'Ctrl-C';
}

/** After a case: a platform-detected defect fails it; an unreachable node breaks the environment. */
async function checkEnvironment(env: Environment, outcome: CaseOutcome, log: Logger): Promise<CaseOutcome> {
  const defect = await env.checkHealth?.().catch((e: Error) => `health check failed: ${e.message}`);
  if (defect) {
    log.error(`platform detected a defect: ${defect}`);
    const message = outcome.status === 'FAILED' ? `${outcome.message}; ${defect}` : defect;
    return { status: 'FAILED', message, envBroken: outcome.envBroken ? `${outcome.envBroken}; ${defect}` : defect };
  }
  if (outcome.status !== 'FAILED') return outcome;
  const dead: string[] = [];
  for (const n of env.nodes) if (!(await n.isAlive(15_000))) dead.push(n.name);
  if (dead.length) {
    const why = `node ${dead.join(', ')} unreachable after the case`;
    return { ...outcome, envBroken: outcome.envBroken ? `${outcome.envBroken}; ${why}` : why };
  }
  return outcome;
}
