import type { Logger } from '../../logging/logger.js';
import type { Leftover } from '../types.js';
import type { AzureClients } from './clients.js';
import { armError, withArmRetry } from './errors.js';
import { CREATED_BY, TAG, type Ledger, type LedgerEntry } from './ledger.js';

export interface GroupOwner {
  subscription: string;
  endpoint: string;
  run: string;
  log: Logger;
  owner?: string;
  expiryHours?: number;
}

/** Resource group names allow letters, digits and `-_.()`, up to 90 characters. */
export function groupName(run: string, id: string): string {
  return `lisa-${run}-${id}`.replace(/[^\w.()-]/g, '-').slice(0, 90);
}

/** A group this run did not delete: what the run summary lists and `lisa reap` finishes. */
export interface GroupLeftover {
  group: string;
  state: 'still-deleting' | 'delete-failed' | 'kept';
  why?: string;
}

/** The run summary's lines for groups left behind. */
export function groupLeftovers(
  left: GroupLeftover[],
  o: { deleteTimeoutMs: number; keepEnvironment: string },
): Leftover[] {
  return left.map((l) => ({
    kind: 'azure resource group',
    name: l.group,
    state: l.state,
    hint:
      l.state === 'kept'
        ? `keep_environment: ${o.keepEnvironment}; \`lisa reap\` leaves it alone`
        : l.state === 'still-deleting'
          ? `not gone after delete_timeout (${o.deleteTimeoutMs / 1000} s); \`lisa reap\` deletes it later`
          : `${l.why ?? 'the delete failed'}; \`lisa reap\` retries it`,
  }));
}

/** A group delete in flight: its own bound, and a way to stop polling it when the bound passes. */
interface Deletion {
  /** True once ARM says the group is gone; false when the delete failed or was given up. */
  done: Promise<boolean>;
  stop: AbortController;
  deadline: number;
}

/**
 * Every resource group of this run: recorded before it is created, deleted once (a second delete
 * of the same group joins the first), and waited for with a bound. Each delete may take
 * `timeoutMs` from when it was asked for; after that it is reported as still deleting (in the log,
 * the ledger and the run summary) and `lisa reap` retries it, so no wait and no poll outlives it.
 */
export class GroupKeeper {
  /** Created (or being created) and not yet deleted or kept. */
  private readonly live = new Set<string>();
  private readonly deleting = new Map<string, Deletion>();
  readonly kept: string[] = [];
  /** Deletes given up after their bound, still `Deleting` in ARM as far as this run knows. */
  readonly stillDeleting: string[] = [];
  /** Deletes ARM refused or failed, with the one-line reason. */
  private readonly failed = new Map<string, string>();

  constructor(
    private readonly c: AzureClients,
    private readonly ledger: Ledger,
    private readonly o: GroupOwner,
  ) {}

  private record(group: string, state: LedgerEntry['state']): void {
    this.ledger.append({
      group,
      subscription: this.o.subscription,
      endpoint: this.o.endpoint,
      run: this.o.run,
      pid: process.pid,
      state,
    });
  }

  async create(id: string, location: string, extraTags: Record<string, string>, signal: AbortSignal): Promise<string> {
    const group = groupName(this.o.run, id);
    this.record(group, 'creating');
    this.live.add(group);
    const expiry = new Date(Date.now() + (this.o.expiryHours ?? 8) * 3600_000).toISOString();
    await withArmRetry(
      `creating resource group ${group}`,
      () =>
        this.c.resources.resourceGroups.createOrUpdate(
          group,
          {
            location,
            tags: {
              ...extraTags,
              [TAG.createdBy]: CREATED_BY,
              [TAG.run]: this.o.run,
              [TAG.owner]: this.o.owner ?? process.env.USER ?? 'unknown',
              [TAG.expiry]: expiry,
              [TAG.created]: new Date().toISOString(),
            },
          },
          { abortSignal: signal },
        ),
      { signal },
    ).catch(async (e) => {
      await this.delete(group, { wait: true, timeoutMs: 60_000 });
      throw e;
    });
    return group;
  }

  keep(group: string): void {
    this.live.delete(group);
    this.kept.push(group);
    this.record(group, 'kept');
  }

  /** Starts (or joins) the delete; with `wait`, returns when it is done or its bound passed. */
  async delete(group: string, o: { wait: boolean; timeoutMs: number }): Promise<void> {
    let d = this.deleting.get(group);
    if (!d) {
      this.live.delete(group);
      this.record(group, 'deleting');
      const stop = new AbortController();
      const done = deleteGroup(this.c, group, this.o.log, stop.signal).then(
        () => (this.record(group, 'deleted'), true),
        (e: Error) => {
          if (stop.signal.aborted) return false;
          this.failed.set(group, e.message);
          this.o.log.error(`azure: deleting resource group ${group} failed: ${e.message}; run \`lisa reap\``);
          return false;
        },
      );
      d = { done, stop, deadline: Date.now() + o.timeoutMs };
      this.deleting.set(group, d);
    }
    if (o.wait) await bounded(d.done, d.deadline - Date.now());
  }

  /**
   * Deletes whatever is still live and waits for every delete until its bound; the ones that did
   * not finish stop being polled, are recorded as `still-deleting` and named. Returns what this
   * run leaves behind: those, groups whose delete failed, and kept groups.
   */
  async settle(timeoutMs: number): Promise<GroupLeftover[]> {
    for (const g of [...this.live]) void this.delete(g, { wait: false, timeoutMs });
    const late: string[] = [];
    await Promise.all(
      [...this.deleting].map(async ([g, d]) => {
        if (await bounded(d.done, d.deadline - Date.now())) return;
        d.stop.abort();
        await d.done;
        late.push(g);
        this.record(g, 'still-deleting');
      }),
    );
    this.stillDeleting.push(...late);
    if (late.length)
      this.o.log.warn(
        `azure: still deleting after ${timeoutMs / 1000} s: ${late.join(', ')}; \`lisa reap\` deletes it later`,
      );
    if (this.kept.length) this.o.log.info(`azure: kept resource groups: ${this.kept.join(', ')}`);
    return [
      ...this.stillDeleting.map((group) => ({ group, state: 'still-deleting' as const })),
      ...[...this.failed].map(([group, why]) => ({ group, state: 'delete-failed' as const, why })),
      ...this.kept.map((group) => ({ group, state: 'kept' as const })),
    ];
  }
}

/** Deletes a group and waits for ARM to finish; a group that does not exist counts as deleted. */
export async function deleteGroup(c: AzureClients, group: string, log?: Logger, signal?: AbortSignal): Promise<void> {
  try {
    await withArmRetry(
      `deleting resource group ${group}`,
      () => c.resources.resourceGroups.beginDeleteAndWait(group, { updateIntervalInMs: 1_000, abortSignal: signal }),
      {
        signal,
        onRetry: (i, n, ms) => log?.warn(`azure: delete ${group}: ${i.code ?? i.status} ; retry ${n} in ${ms} ms`),
      },
    );
  } catch (e) {
    const info = armError((e as { cause?: unknown }).cause ?? e);
    if (
      (e as { info?: { status?: number; code?: string } }).info?.status === 404 ||
      info.code === 'ResourceGroupNotFound'
    )
      return;
    throw e;
  }
}

/** Waits for `p` at most `ms`; true when it settled in time. */
export function bounded(p: Promise<unknown>, ms: number): Promise<boolean> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((r) => (t = setTimeout(() => r(false), Math.max(0, ms)))),
  ]).finally(() => clearTimeout(t));
}
