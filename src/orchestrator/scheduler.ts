import type { Logger } from '../logging/logger.js';
import type { OsInfo } from '../os/types.js';
import type { Environment, Platform, PlatformContext } from '../platform/types.js';
import type { EventBus } from '../results/event-bus.js';
import type { RunDirectory } from '../results/run-dir.js';
import { runCase, type CaseOutcome } from './case-runner.js';
import { matchRequirement, type EnvironmentFacts } from '../platform/requirements.js';
import { requirementOf, WorkQueue, type WorkItem } from './work-queue.js';

export interface SchedulerOptions {
  platform: Platform;
  platformContext: PlatformContext;
  concurrency: number;
  exitOnFirstFailure: boolean;
  bus: EventBus;
  runDir: RunDirectory;
  log: Logger;
  variables: Record<string, unknown>;
  combination: string;
  runSignal: AbortSignal;
}

const MAX_DEPLOY_FAILURES = 3;

/**
 * Spreads cases over environments: up to `concurrency` environments run at once, each running the
 * cases it satisfies one after another. An environment that a case broke is released and never
 * reused; a case whose requirement nothing can meet is SKIPPED naming the unmet item.
 */
export class Scheduler {
  private readonly queue: WorkQueue;
  private stopped = false;
  private active = 0;
  private deployFailures = 0;

  constructor(
    private readonly o: SchedulerOptions,
    items: WorkItem[],
  ) {
    this.queue = new WorkQueue(items);
  }

  async run(): Promise<void> {
    const onAbort = () => this.stop();
    this.o.runSignal.addEventListener('abort', onAbort, { once: true });
    try {
      const workers = Math.max(1, Math.min(this.o.concurrency, this.queue.size));
      await Promise.all(Array.from({ length: workers }, (_, i) => this.worker(i + 1)));
    } finally {
      this.o.runSignal.removeEventListener('abort', onAbort);
    }
    const reason = this.o.runSignal.aborted
      ? 'not run: the run was interrupted'
      : this.stopped
        ? 'not run: exit_on_first_failure stopped the run after a failure'
        : 'not run: no healthy environment was left for it';
    for (const item of this.queue.drain()) this.finishUnrun(item, reason);
  }

  private stop(): void {
    this.stopped = true;
    this.queue.wake();
  }

  private async worker(n: number): Promise<void> {
    while (!this.stopped) {
      const first = this.queue.take();
      if (!first) return;
      const env = await this.acquire(first);
      if (env === 'retry') continue;
      if (!env) continue;
      await this.runOn(env, first);
      if (this.queue.size === 0) return;
      this.o.log.debug(`worker ${n} looks for more work`);
    }
  }

  /** Deploys (or leases) an environment for the item; handles unmet, busy and failed deploys. */
  private async acquire(item: WorkItem): Promise<Environment | undefined | 'retry'> {
    let env: Environment | undefined;
    try {
      env = await this.o.platform.deploy(requirementOf(item), this.o.platformContext);
    } catch (e) {
      const message = `environment deploy failed: ${(e as Error).message}`;
      this.o.log.error(message);
      this.endItem(item, { status: 'FAILED', message }, undefined, 0);
      if (++this.deployFailures >= MAX_DEPLOY_FAILURES) {
        for (const rest of this.queue.drain())
          this.endItem(
            rest,
            { status: 'FAILED', message: `not run: ${MAX_DEPLOY_FAILURES} deploys failed, last: ${message}` },
            undefined,
            0,
          );
      }
      return undefined;
    }
    if (env) {
      this.deployFailures = 0;
      return env;
    }
    // Nothing free now. If no other worker holds an environment, nothing will ever free up.
    if (this.active === 0) {
      this.finishUnrun(item, 'not run: no environment is free that meets its requirement');
      return undefined;
    }
    this.queue.pushFront(item);
    await this.queue.changed();
    return 'retry';
  }

  private async runOn(env: Environment, first: WorkItem): Promise<void> {
    this.active++;
    let failed = false;
    try {
      const facts = await this.factsOf(env);
      this.o.bus.emit({
        type: 'env.begin',
        envId: env.id,
        platform: env.platform,
        combination: this.o.combination,
        nodes: env.nodes.map((node, i) => ({
          name: node.name,
          os: facts.os[i]?.name,
          cores: facts.capabilities[i]?.cores,
          memoryMiB: facts.capabilities[i]?.memoryMiB,
        })),
      });
      let item: WorkItem | undefined = first;
      while (item) {
        if (this.stopped) {
          // Not run: give it back so that the end of the run reports it.
          this.queue.pushFront(item);
          break;
        }
        const match = matchRequirement(requirementOf(item), facts);
        let outcome: CaseOutcome;
        if (!match.ok) {
          outcome = { status: 'SKIPPED', message: `requirement not met: ${match.unmet}` };
          this.endItem(item, outcome, env.id, 0);
        } else {
          outcome = await runCase({ ...this.caseInput(item), env });
        }
        if (outcome.status === 'FAILED') {
          failed = true;
          if (item.attempt <= item.selected.settings.retry && !this.o.runSignal.aborted) {
            this.o.log.info(`${item.ref.runCaseId} failed, retry ${item.attempt} of ${item.selected.settings.retry}`);
            this.queue.pushFront({ ...item, attempt: item.attempt + 1 });
          } else if (this.o.exitOnFirstFailure) this.stop();
        }
        if (outcome.envBroken) env.broken = outcome.envBroken;
        // A case (or a platform feature) may also mark the environment broken itself.
        if (env.broken) break;
        if (item.selected.settings.useNewEnvironment) break;
        item = this.queue.take(
          (next) => !next.selected.settings.useNewEnvironment && matchRequirement(requirementOf(next), facts).ok,
        );
      }
    } catch (e) {
      failed = true;
      env.broken = `environment failed: ${(e as Error).message}`;
      this.o.log.error(`${env.id}: ${env.broken}`);
    } finally {
      this.o.bus.emit({ type: 'env.end', envId: env.id, combination: this.o.combination, broken: env.broken });
      try {
        await this.o.platform.release(env, this.o.platformContext, { failed });
      } catch (e) {
        this.o.log.warn(`releasing ${env.id} failed: ${(e as Error).message}`);
      }
      this.active--;
      this.queue.wake();
    }
  }

  private async factsOf(env: Environment): Promise<EnvironmentFacts> {
    const os: OsInfo[] = await Promise.all(env.nodes.map((n) => n.os()));
    return { platform: env.platform, capabilities: env.capabilities, os, features: env.features };
  }

  private caseInput(item: WorkItem) {
    return {
      selected: item.selected,
      ref: item.ref,
      attempt: item.attempt,
      runDir: this.o.runDir,
      bus: this.o.bus,
      log: this.o.log,
      variables: this.o.variables,
      runSignal: this.o.runSignal,
    };
  }

  private finishUnrun(item: WorkItem, message: string): void {
    this.endItem(item, { status: 'SKIPPED', message }, undefined, 0, this.o.runSignal.aborted);
  }

  private endItem(
    item: WorkItem,
    outcome: CaseOutcome,
    envId: string | undefined,
    durationMs: number,
    unfinished = false,
  ): void {
    this.o.bus.emit({
      type: 'case.end',
      case: item.ref,
      status: outcome.status,
      message: outcome.message,
      envId,
      attempt: item.attempt,
      durationMs,
      unfinished: unfinished || undefined,
    });
  }
}
