import { setTimeout as sleep } from 'node:timers/promises';
import type { Environment, Platform, PlatformContext } from '../platform/types.js';
import { isResourceBusy } from '../platform/resource-busy.js';
import type { EventBus } from '../results/event-bus.js';
import type { Requirement } from '../testing/types.js';

/** How deploys are retried: LISA's `environment.retry` and `wait_resource_timeout`. */
export interface DeployPolicy {
  /** Failed deploys of one case's environment tried again, each a fresh deploy. */
  retry: number;
  /** How long deploys failing with a resource-busy error are tried again (ms); 0: not at all. */
  waitResourceTimeoutMs: number;
}

export const NO_DEPLOY_RETRY: DeployPolicy = { retry: 0, waitResourceTimeoutMs: 0 };

/** Polls often enough for short timeouts, never more than every 10 s (ARM rate limits). */
function pollMs(timeoutMs: number): number {
  return Math.max(50, Math.min(10_000, Math.round(timeoutMs / 20)));
}

export interface DeployTry {
  platform: Platform;
  ctx: PlatformContext;
  bus: EventBus;
  combination: string;
  signal: AbortSignal;
  policy: DeployPolicy;
  /** Takes one of the case's `environment.retry` retries: its number (1-based), or undefined when none is left. */
  takeRetry: () => number | undefined;
}

/**
 * Deploys for a requirement. A resource-busy failure (quota in use, no capacity) is tried again
 * until `wait_resource_timeout` and then fails naming the cause; any other failure is tried again
 * while `environment.retry` allows (the platform removed what the failed attempt made). Each try
 * is a `env.retry` event and a log line.
 */
export async function deployWithPolicy(req: Requirement, t: DeployTry): Promise<Environment | undefined> {
  const { policy, ctx } = t;
  const deadline = Date.now() + policy.waitResourceTimeoutMs;
  let waits = 0;
  for (;;) {
    try {
      return await t.platform.deploy(req, ctx);
    } catch (e) {
      if (t.signal.aborted) throw e;
      const message = (e as Error).message;
      if (isResourceBusy(e)) {
        const left = deadline - Date.now();
        if (left <= 0) {
          if (policy.waitResourceTimeoutMs === 0) throw e;
          throw new Error(
            `${message} (waited ${policy.waitResourceTimeoutMs / 60_000} min for resources: wait_resource_timeout)`,
          );
        }
        const waitMs = Math.min(pollMs(policy.waitResourceTimeoutMs), left);
        if (waits++ === 0)
          ctx.log.info(
            `deploy waits for resources (${message}); tries again for up to ${Math.ceil(left / 1000)} s: wait_resource_timeout`,
          );
        t.bus.emit({
          type: 'env.retry',
          combination: t.combination,
          reason: 'resource-busy',
          attempt: waits,
          message,
          waitMs,
        });
        await sleep(waitMs, undefined, { signal: t.signal }).catch(() => undefined);
        if (t.signal.aborted) throw e;
        continue;
      }
      const n = t.takeRetry();
      if (n === undefined) throw e;
      ctx.log.warn(`environment deploy failed, deploying a new one (retry ${n} of ${policy.retry}): ${message}`);
      t.bus.emit({ type: 'env.retry', combination: t.combination, reason: 'deploy-failed', attempt: n, message });
    }
  }
}
