import type { Logger } from '../../logging/logger.js';
import type { AzureClients } from './clients.js';
import { armError, withArmRetry } from './errors.js';
import { CREATED_BY, TAG, type Ledger } from './ledger.js';

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

/**
 * Every resource group of this run: recorded before it is created, deleted once (a second delete
 * of the same group joins the first), and waited for at the end with a bound.
 */
export class GroupKeeper {
  /** Created (or being created) and not yet deleted or kept. */
  private readonly live = new Set<string>();
  private readonly deleting = new Map<string, Promise<void>>();
  readonly kept: string[] = [];

  constructor(
    private readonly c: AzureClients,
    private readonly ledger: Ledger,
    private readonly o: GroupOwner,
  ) {}

  private record(group: string, state: 'creating' | 'deleting' | 'deleted' | 'kept'): void {
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

  /** Starts (or joins) the delete; with `wait`, returns when it is done or the bound passed. */
  async delete(group: string, o: { wait: boolean; timeoutMs: number }): Promise<void> {
    let p = this.deleting.get(group);
    if (!p) {
      this.live.delete(group);
      this.record(group, 'deleting');
      p = deleteGroup(this.c, group, this.o.log).then(
        () => this.record(group, 'deleted'),
        (e: Error) =>
          this.o.log.error(`azure: deleting resource group ${group} failed: ${e.message}; run \`lisa reap\``),
      );
      this.deleting.set(group, p);
    }
    if (o.wait) await bounded(p, o.timeoutMs);
  }

  /** Deletes whatever is still live and waits for every delete, up to `timeoutMs`; names what is left. */
  async settle(timeoutMs: number): Promise<string[]> {
    for (const g of [...this.live]) void this.delete(g, { wait: false, timeoutMs });
    const pending = new Set(this.deleting.keys());
    for (const [g, p] of this.deleting) void p.then(() => pending.delete(g));
    await bounded(Promise.all(this.deleting.values()), timeoutMs);
    await new Promise((r) => setImmediate(r));
    if (pending.size)
      this.o.log.warn(
        `azure: still deleting after ${timeoutMs / 1000} s: ${[...pending].join(', ')}; \`lisa reap\` finishes it`,
      );
    if (this.kept.length) this.o.log.info(`azure: kept resource groups: ${this.kept.join(', ')}`);
    return [...pending];
  }
}

/** Deletes a group and waits for ARM to finish; a group that does not exist counts as deleted. */
export async function deleteGroup(c: AzureClients, group: string, log?: Logger): Promise<void> {
  try {
    await withArmRetry(
      `deleting resource group ${group}`,
      () => c.resources.resourceGroups.beginDeleteAndWait(group, { updateIntervalInMs: 1_000 }),
      { onRetry: (i, n, ms) => log?.warn(`azure: delete ${group}: ${i.code ?? i.status} ; retry ${n} in ${ms} ms`) },
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

function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => undefined), new Promise<void>((r) => (t = setTimeout(r, ms)))]).finally(() =>
    clearTimeout(t),
  );
}
