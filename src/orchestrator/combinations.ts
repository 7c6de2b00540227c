/**
 * Runs the combinations of a runbook around its transformers: init once, expanded per
 * combination, environment_connected per environment (through the scheduler), cleanup at the
 * end; a git_bisect combinator picks each next commit from the verdict of the one before.
 */
import { dirname, join } from 'node:path';
import type { Logger } from '../logging/logger.js';
import type { EventBus } from '../results/event-bus.js';
import type { RunEvent } from '../results/events.js';
import { BISECT_VARIABLE } from '../runbook/combinators/sources.js';
import { RunbookError } from '../runbook/errors.js';
import type { CombinationVariables, LoadedRunbook, ResolvedRunbook } from '../runbook/types.js';
import type { Environment } from '../platform/types.js';
import { TransformerRunner, type TransformerFailure, type TransformerScope } from '../transformer/runner.js';
import { GitBisect, type BisectVerdict } from './git-bisect.js';

/** What runs one combination: `guard` set means its cases fail with that message, unrun. */
export type RunCombination = (
  rb: ResolvedRunbook,
  extra: {
    guard?: { message: string; logPath?: string };
    prepareEnvironment?: (env: Environment) => Promise<EnvironmentPrepared>;
  },
) => Promise<void>;

export interface EnvironmentPrepared {
  variables: Record<string, unknown>;
  failure?: TransformerFailure;
}

export interface DriveOptions {
  runRoot: string;
  log: Logger;
  bus: EventBus;
  signal: AbortSignal;
}

/** Returns the number of transformers that failed (they make the run fail). */
export async function driveCombinations(
  runbook: LoadedRunbook,
  runOne: RunCombination,
  o: DriveOptions,
): Promise<{ transformerFailures: number }> {
  const runner = new TransformerRunner({
    entries: runbook.transformers,
    resolveEntry: (index, variables) => runbook.resolveTransformer(index, variables),
    runRoot: o.runRoot,
    baseDir: dirname(runbook.file),
    log: o.log,
    bus: o.bus,
    signal: o.signal,
  });
  const global: TransformerScope = { failures: new Map() };
  const first = runbook.combinations[0]!;
  const init = await runner.runPhase('init', valuesOf(first), global);
  const outputs: Record<string, unknown> = { ...init.variables };
  const verdicts = new Verdicts(o.bus);

  const runCombination = async (c: CombinationVariables, fallback?: ResolvedRunbook): Promise<void> => {
    const scope: TransformerScope = { combination: c.name, failures: new Map(global.failures) };
    let rb: ResolvedRunbook;
    try {
      rb = Object.keys(init.variables).length || !fallback ? await runbook.derive(c, init.variables) : fallback;
    } catch (e) {
      return runOne(fallback ?? first, { guard: { message: describe(e, 'with the init outputs') } });
    }
    const expanded = await runner.runPhase('expanded', valuesOf(rb), scope);
    if (Object.keys(expanded.variables).length) {
      Object.assign(outputs, expanded.variables);
      try {
        rb = await runbook.derive(c, { ...init.variables, ...expanded.variables });
      } catch (e) {
        return runOne(rb, { guard: { message: describe(e, 'with the expanded outputs') } });
      }
    }
    if (expanded.failure) return runOne(rb, { guard: expanded.failure });
    const variables = valuesOf(rb);
    const prepareEnvironment = runner.has('environment_connected')
      ? async (env: Environment): Promise<EnvironmentPrepared> => {
          const r = await runner.runPhase('environment_connected', variables, {
            combination: c.name,
            envId: env.id,
            nodes: env.nodes,
            environment: env,
            failures: new Map(scope.failures),
          });
          Object.assign(outputs, r.variables);
          return r;
        }
      : undefined;
    await runOne(rb, { prepareEnvironment });
  };

  try {
    if (runbook.bisect) await bisect(runbook, runCombination, verdicts, o);
    else
      for (const rb of runbook.combinations) {
        if (o.signal.aborted) break;
        await runCombination(rb.combination, rb);
      }
  } finally {
    await runner.runPhase('cleanup', { ...valuesOf(first), ...outputs }, global);
  }
  return { transformerFailures: runner.failed };
}

async function bisect(
  runbook: LoadedRunbook,
  runCombination: (c: CombinationVariables) => Promise<void>,
  verdicts: Verdicts,
  o: DriveOptions,
): Promise<void> {
  const cfg = runbook.bisect!;
  const log = o.log.child('git_bisect');
  const started = await GitBisect.start(cfg.repo, cfg.goodCommit, cfg.badCommit, join(o.runRoot, 'bisect.git'), log);
  const git = started.bisect;
  let state = started.state;
  let iteration = 0;
  while (state.current && !o.signal.aborted) {
    iteration++;
    const commit = state.current;
    const c = { name: `${BISECT_VARIABLE}=${commit}`, variables: { [BISECT_VARIABLE]: commit } };
    log.info(
      `iteration ${iteration}: testing ${await git.subject(commit)}${state.remaining !== undefined ? ` (${state.remaining} left after this)` : ''}`,
    );
    await runCombination(c);
    await o.bus.flush();
    const verdict = verdicts.of(c.name);
    o.bus.emit({ type: 'bisect.step', iteration, commit, verdict, remaining: state.remaining });
    state = await git.mark(verdict);
  }
  const summary = state.firstBad
    ? `first bad commit: ${await git.subject(state.firstBad)}`
    : `no first bad commit: ${state.summary}`;
  log.info(`${summary} after ${iteration} iteration(s)\n${await git.trail()}`);
  o.bus.emit({ type: 'bisect.end', firstBad: state.firstBad, summary, iterations: iteration });
}

/** A combination is bad when any of its cases failed, good when one passed and none failed. */
class Verdicts {
  private readonly seen = new Map<string, { failed: number; passed: number }>();
  constructor(bus: EventBus) {
    bus.subscribe({
      onEvent: (e: RunEvent) => {
        if (e.type !== 'case.end' || e.willRetry) return;
        const v = this.seen.get(e.case.combination) ?? { failed: 0, passed: 0 };
        if (e.status === 'FAILED') v.failed++;
        if (e.status === 'PASSED') v.passed++;
        this.seen.set(e.case.combination, v);
      },
    });
  }
  of(combination: string): BisectVerdict {
    const v = this.seen.get(combination);
    return v?.failed ? 'bad' : v?.passed ? 'good' : 'skip';
  }
}

function valuesOf(rb: ResolvedRunbook): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rb.variables).map(([k, v]) => [k, v.value]));
}

function describe(e: unknown, when: string): string {
  return `the runbook is invalid ${when}: ${e instanceof RunbookError ? e.format() : (e as Error).message}`;
}
