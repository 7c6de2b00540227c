import type { Logger } from '../logging/logger.js';
import type { OsInfo } from '../os/types.js';
import type { Environment, Platform, PlatformContext } from '../platform/types.js';
import type { EventBus } from '../results/event-bus.js';
import type { RunDirectory } from '../results/run-dir.js';
import type { ToolService } from '../tool/tool-service.js';
import { runCase, type CaseOutcome } from './case-runner.js';
import { matchRequirement, type EnvironmentFacts } from '../platform/requirements.js';
import { deployWithPolicy, NO_DEPLOY_RETRY, type DeployPolicy } from './deploy-policy.js';
import { Wakeup } from './wakeup.js';
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
  /** The run's tool service, shared by every case so a tool is installed once per node. */
  tools: ToolService;
  runSignal: AbortSignal;
  /**
   * Runs the environment_connected transformers on a new environment before its cases: their
   * outputs join the cases' variables; a failure fails every case the environment takes.
   */
  prepareEnvironment?: (
    env: Environment,
  ) => Promise<{ variables: Record<string, unknown>; failure?: { message: string; logPath?: string } }>;
  /** `environment.retry` and `wait_resource_timeout`; none when absent. */
  deployPolicy?: DeployPolicy;
}

const MAX_DEPLOY_FAILURES = 3;

/**
 * Spreads cases over environments: up to `concurrency` workers run at once, each holding one
 * environment and running the cases it satisfies one after another. A worker that finds no
 * environment free waits for a release (more workers than environments is normal); a case is
 * SKIPPED for want of an environment only when none is held or being deployed, so none can ever
 * free up. An environment that a case broke is released and never reused.
 */
export class Scheduler {
  private readonly queue: WorkQueue;
  private stopped = false;
  /** Environments held plus deploys in flight: while above zero, an environment may still free up. */
  private claims = 0;
  /** Wakes workers waiting for an environment: one was released, no claim is left, or the run stopped. */
  private readonly freed = new Wakeup();
  private deployFailures = 0;
  /** `environment.retry` retries each case has used, by runCaseId. */
  private readonly deployRetries = new Map<string, number>();

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
    this.freed.wake();
  }

  private async worker(n: number): Promise<void> {
    while (!this.stopped) {
      const item = this.queue.take();
      if (!item) return;
      const got = await this.acquire(item);
      if (got === undefined) continue;
      if ('wait' in got) {
        this.o.log.debug(`worker ${n} waits for an environment`);
        await got.wait;
        continue;
      }
      await this.runOn(got.env, item);
      if (this.queue.size > 0) this.o.log.debug(`worker ${n} looks for more work`);
    }
  }

  /**
   * Deploys (or leases) an environment for the item. When none is free, the item goes back to the
   * queue and the caller gets a promise to await: the next end of another worker's claim.
   */
  private async acquire(item: WorkItem): Promise<{ env: Environment } | { wait: Promise<void> } | undefined> {
    let env: Environment | undefined;
    this.claims++;
    try {
      env = await deployWithPolicy(requirementOf(item), {
        platform: this.o.platform,
        ctx: this.o.platformContext,
        bus: this.o.bus,
        combination: this.o.combination,
        signal: this.o.runSignal,
        policy: this.policy,
        takeRetry: () => this.takeDeployRetry(item),
      });
    } catch (e) {
      this.endClaim(false);
      this.deployFailed(item, e as Error);
      return undefined;
    }
    if (env) {
      this.deployFailures = 0;
      return { env };
    }
    this.endClaim(false);
    if (this.claims === 0) {
      this.finishUnrun(item, 'not run: no healthy environment is left that meets its requirement');
      return undefined;
    }
    this.queue.pushFront(item);
    // Stopped meanwhile: the item is reported with the rest; nothing to wait for.
    if (this.stopped) return undefined;
    return { wait: this.freed.next() };
  }

  private get policy(): DeployPolicy {
    return this.o.deployPolicy ?? NO_DEPLOY_RETRY;
  }

  private takeDeployRetry(item: WorkItem): number | undefined {
    const used = this.deployRetries.get(item.ref.runCaseId) ?? 0;
    if (used >= this.policy.retry) return undefined;
    this.deployRetries.set(item.ref.runCaseId, used + 1);
    return used + 1;
  }

  /**
   * A deploy that found nothing free wakes no one unless it was the last claim: waking waiters for
   * it would only have them retry against each other's probes, a loop with no release in it.
   */
  private endClaim(released: boolean): void {
    this.claims--;
    if (released || this.claims === 0) this.freed.wake();
  }

  private deployFailed(item: WorkItem, e: Error): void {
    const message = `environment deploy failed: ${e.message}`;
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
  }

  /** Runs cases on a claimed environment until none fits it, then releases it and ends the claim. */
  private async runOn(env: Environment, first: WorkItem): Promise<void> {
    let failed = false;
    let started = false;
    let redeploy = false;
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
          kernel: facts.os[i]?.kernel.release,
          arch: facts.os[i]?.arch,
          cores: facts.capabilities[i]?.cores,
          memoryMiB: facts.capabilities[i]?.memoryMiB,
        })),
        image: env.image,
        vmSize: env.vmSize,
      });
      const prepared = this.o.prepareEnvironment ? await this.o.prepareEnvironment(env) : { variables: {} };
      let item: WorkItem | undefined = first;
      started = true;
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
        } else if (prepared.failure) {
          outcome = { status: 'FAILED', message: prepared.failure.message };
          this.endItem(item, outcome, env.id, 0, false, prepared.failure.logPath);
        } else {
          const input = this.caseInput(item);
          outcome = await runCase({ ...input, variables: { ...input.variables, ...prepared.variables }, env });
        }
        if (outcome.status === 'FAILED') {
          failed = true;
          if (outcome.willRetry) {
            this.o.log.info(`${item.ref.runCaseId} failed, retry ${item.attempt} of ${item.selected.settings.retry}`);
            this.queue.pushFront({ ...item, attempt: item.attempt + 1 });
          } else if (this.o.exitOnFirstFailure) this.stop();
        }
        if (outcome.envBroken) {
          failed = true;
          env.broken = outcome.envBroken;
          this.o.log.warn(`${env.id} is not reused: ${outcome.envBroken}`);
        }
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
      if (!started) redeploy = this.setupFailed(env, first);
    } finally {
      this.o.bus.emit({ type: 'env.end', envId: env.id, combination: this.o.combination, broken: env.broken });
      try {
        await this.o.platform.release(env, this.o.platformContext, { failed });
      } catch (e) {
        this.o.log.warn(`releasing ${env.id} failed: ${(e as Error).message}`);
      }
      // Requeued only now: the fresh deploy starts after the failed environment was cleaned up.
      if (redeploy) this.queue.pushFront(first);
      this.endClaim(true);
    }
  }

  /**
   * The environment failed before its first case (nodes unreachable): with `environment.retry`
   * left, the case goes back to the queue (true) for a fresh deploy once this one is released.
   */
  private setupFailed(env: Environment, first: WorkItem): boolean {
    const n = this.takeDeployRetry(first);
    if (n === undefined) {
      this.endItem(first, { status: 'FAILED', message: env.broken! }, env.id, 0);
      return false;
    }
    this.o.log.warn(`${env.id}: deploying a new environment (retry ${n} of ${this.policy.retry}): ${env.broken}`);
    this.o.bus.emit({
      type: 'env.retry',
      combination: this.o.combination,
      reason: 'deploy-failed',
      attempt: n,
      message: env.broken!,
    });
    return true;
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
      tools: this.o.tools,
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
    logPath?: string,
  ): void {
    this.o.bus.emit({
      type: 'case.end',
      case: item.ref,
      status: outcome.status,
      message: outcome.message,
      envId,
      attempt: item.attempt,
      durationMs,
      logPath,
      unfinished: unfinished || undefined,
    });
  }
}
