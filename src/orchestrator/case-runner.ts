import { join } from 'node:path';
import { FileSink, type Logger } from '../logging/logger.js';
import type { Environment } from '../platform/types.js';
import type { EventBus } from '../results/event-bus.js';
import type { CaseRef, CaseStatus } from '../results/events.js';
import type { RunDirectory } from '../results/run-dir.js';
import { AssertionFailure, SkipError } from '../testing/errors.js';
import type { CaseContext } from '../testing/types.js';
import { CaseNode } from './case-node.js';
import type { SelectedCase } from './selection.js';

export type FinalStatus = Exclude<CaseStatus, 'QUEUED' | 'RUNNING'>;

export interface CaseOutcome {
  status: FinalStatus;
  message: string;
  /** Set when the environment must not be used again. */
  envBroken?: string;
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
  /** The run's interrupt signal. */
  runSignal: AbortSignal;
}

/** How long a timed-out case gets to unwind (its commands are being killed) before we move on. */
const UNWIND_MS = 10_000;

class CaseTimeout extends Error {}

/** Runs one attempt of one case on one environment and reports it on the event stream. */
export async function runCase(input: CaseRunInput): Promise<CaseOutcome> {
  const { selected, ref, env, attempt, bus } = input;
  const dir = input.runDir.caseDir(ref.runCaseId, attempt);
  const logPath = join(dir, 'case.log');
  const caseSink = new FileSink(logPath);
  const log = input.log.child(ref.caseId, [caseSink], { quiet: true });
  const started = Date.now();
  bus.emit({ type: 'case.begin', case: ref, envId: env.id, attempt, logPath });

  const controller = new AbortController();
  const onInterrupt = () => controller.abort(new Error('interrupted'));
  input.runSignal.addEventListener('abort', onInterrupt, { once: true });
  const nodes = env.nodes.map((n) => new CaseNode(n, log, controller.signal));
  const ctx: CaseContext = {
    node: nodes[0]!,
    nodes,
    environment: env,
    log,
    logDir: dir,
    variables: input.variables,
    signal: controller.signal,
    attempt,
    iteration: ref.iteration,
    skip(reason: string): never {
      throw new SkipError(reason);
    },
    subResult(name, status, message) {
      log.info(`sub-result ${name}: ${status}${message ? ` (${message})` : ''}`);
      bus.emit({ type: 'case.subresult', case: ref, name, status, message });
    },
    metric(name, value, unit, options) {
      log.info(`metric ${name} = ${value}${unit ? ` ${unit}` : ''}`);
      bus.emit({ type: 'case.metric', case: ref, name, value, unit, ...options });
    },
  };

  let outcome: CaseOutcome;
  try {
    await withTimeout(runBody(ctx, selected), selected.settings.timeoutMs, controller);
    outcome = { status: 'PASSED', message: '' };
  } catch (e) {
    outcome = classify(e, selected.settings.timeoutMs, input.runSignal);
    if (outcome.status === 'FAILED')
      log.error(
        `${outcome.message}${e instanceof Error && !(e instanceof AssertionFailure) && e.name !== 'AssertionFailure' && e.stack ? `\n${e.stack}` : ''}`,
      );
  } finally {
    input.runSignal.removeEventListener('abort', onInterrupt);
  }

  outcome = await checkEnvironment(env, outcome, log);
  if (outcome.status === 'FAILED' && selected.settings.ignoreFailure) outcome = { ...outcome, status: 'ATTEMPTED' };
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
    willRetry: outcome.status === 'FAILED' && attempt <= selected.settings.retry && !input.runSignal.aborted,
    unfinished: input.runSignal.aborted || undefined,
  });
  caseSink.close();
  return outcome;
}

async function runBody(ctx: CaseContext, selected: SelectedCase): Promise<void> {
  const suite = selected.info.suiteDefinition;
  await suite.beforeCase?.(ctx);
  try {
    await selected.info.definition.run(ctx);
  } finally {
    try {
      await suite.afterCase?.(ctx);
    } catch (e) {
      ctx.log.warn(`afterCase failed: ${(e as Error).message}`);
    }
  }
}

async function withTimeout(work: Promise<void>, timeoutMs: number, controller: AbortController): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new CaseTimeout());
      reject(new CaseTimeout());
    }, timeoutMs);
  });
  const interrupted = new Promise<never>((_, reject) => {
    const relay = () => reject(controller.signal.reason as unknown);
    controller.signal.addEventListener('abort', relay, { once: true });
  });
  try {
    await Promise.race([work, timedOut, interrupted]);
  } catch (e) {
    // Give the body a moment to unwind now that its commands are being killed, so that no work of
    // this case overlaps the next one on the same environment.
    await Promise.race([work.catch(() => undefined), new Promise((r) => setTimeout(r, UNWIND_MS).unref())]);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

function classify(e: unknown, timeoutMs: number, runSignal: AbortSignal): CaseOutcome {
  // By name, not instanceof: a suite may have loaded its own copy of the library.
  if (e instanceof SkipError || (e instanceof Error && e.name === 'SkipError'))
    return { status: 'SKIPPED', message: e.message };
  if (e instanceof CaseTimeout) return { status: 'FAILED', message: `timed out after ${formatSeconds(timeoutMs)}` };
  if (runSignal.aborted) return { status: 'FAILED', message: 'interrupted while running (Ctrl-C)' };
  if (e instanceof Error) return { status: 'FAILED', message: e.message };
  return { status: 'FAILED', message: String(e) };
}

/** After a case: a platform-detected defect fails it; an unreachable node breaks the environment. */
async function checkEnvironment(env: Environment, outcome: CaseOutcome, log: Logger): Promise<CaseOutcome> {
  const defect = await env.checkHealth?.().catch((e: Error) => `health check failed: ${e.message}`);
  if (defect) {
    log.error(`platform detected a defect: ${defect}`);
    const message = outcome.status === 'FAILED' ? `${outcome.message}; ${defect}` : defect;
    return { status: 'FAILED', message, envBroken: defect };
  }
  if (outcome.status !== 'FAILED') return outcome;
  const dead: string[] = [];
  for (const n of env.nodes) if (!(await n.isAlive(15_000))) dead.push(n.name);
  if (dead.length) return { ...outcome, envBroken: `node ${dead.join(', ')} unreachable after the case` };
  return outcome;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
