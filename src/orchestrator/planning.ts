import type { Logger } from '../logging/logger.js';
import type { Platform } from '../platform/types.js';
import type { EventBus } from '../results/event-bus.js';
import type { EnvironmentPolicy } from '../runbook/types.js';
import type { WorkItem } from './work-queue.js';

export interface PlanningContext {
  bus: EventBus;
  log: Logger;
  policy: EnvironmentPolicy;
}

/**
 * The cases that can run on this platform. The others end now, naming why: a requirement the
 * platform can never meet, or `environment.allow_create: false` on a platform that creates its
 * environments from case requirements. These are planning warnings (the cases are SKIPPED); with
 * `environment.warn_as_error: true` they are errors, as in LISA, and the cases FAIL.
 */
export async function planRunnable(platform: Platform, items: WorkItem[], p: PlanningContext): Promise<WorkItem[]> {
  const cache = new Map<string, Awaited<ReturnType<Platform['match']>>>();
  const runnable: WorkItem[] = [];
  const warned = new Set<string>();
  const warn = (item: WorkItem, message: string): void => {
    if (!warned.has(message)) {
      warned.add(message);
      if (p.policy.warnAsError) p.log.error(`${message} (an error: environment.warn_as_error is true)`);
      else p.log.info(message);
    }
    p.bus.emit({
      type: 'case.end',
      case: item.ref,
      status: p.policy.warnAsError ? 'FAILED' : 'SKIPPED',
      message: p.policy.warnAsError ? `${message} (environment.warn_as_error)` : message,
      attempt: 1,
      durationMs: 0,
    });
  };
  if (!p.policy.allowCreate && !platform.usesListedEnvironments) {
    const message =
      `not run: environment.allow_create is false, so only listed environments may be used, ` +
      `and platform ${platform.type} creates its environments from case requirements`;
    for (const item of items) warn(item, message);
    return [];
  }
  for (const item of items) {
    const key = JSON.stringify(item.selected.info.requirement);
    let m = cache.get(key);
    if (!m) cache.set(key, (m = await platform.match(item.selected.info.requirement)));
    if (m.ok) runnable.push(item);
    else warn(item, `requirement not met: ${m.unmet}`);
  }
  return runnable;
}
