import type { Logger } from '../../logging/logger.js';
import type { PlatformConfig } from '../../runbook/types.js';
import { createClients } from './clients.js';
import { checkCredential, createCredential } from './credential.js';
import { bounded, deleteGroup } from './groups.js';
import { processAlive } from '../../process/alive.js';
import { CREATED_BY, Ledger, TAG, type LedgerEntry } from './ledger.js';
import { parseAzureOptions } from './options.js';
import { readFile } from 'node:fs/promises';

export interface ReapOptions {
  runRoot: string;
  dryRun: boolean;
  /** Only groups created longer ago than this. */
  olderThanMs?: number;
  log: Logger;
  signal: AbortSignal;
}

export interface ReapResult {
  deleted: string[];
  wouldDelete: string[];
  skipped: { group: string; why: string }[];
  /** Deletes still running after `delete_timeout`: recorded as such, the next reap retries them. */
  stillDeleting: string[];
}

/** `30m`, `2h`, `1d`, or a number of seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new Error(`--older-than ${text}: use a duration like 30m, 2h or 1d`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's'] * 1000;
}

/**
 * Finds the groups runs of this harness leaked (listed in the run root's ledger or tagged, and
 * whose lisa process is gone) and deletes them. A group without the harness's tag, the group the
 * runbook names, and groups of a run still alive are never touched.
 */
export async function reapAzure(config: PlatformConfig, o: ReapOptions): Promise<ReapResult> {
  const opts = parseAzureOptions(config);
  const ca = opts.caFile ? await readFile(opts.caFile, 'utf8') : undefined;
  const conn = { credential: createCredential(opts, ca), endpoint: opts.armEndpoint, scope: opts.tokenScope, ca };
  await checkCredential(conn, o.signal);
  const c = createClients(conn, opts.subscriptionId);
  const ledger = Ledger.forUser()
    .read()
    .filter((e) => e.endpoint === opts.armEndpoint && e.subscription === opts.subscriptionId);
  const byGroup = new Map(ledger.map((e) => [e.group.toLowerCase(), e]));
  const result: ReapResult = { deleted: [], wouldDelete: [], skipped: [], stillDeleting: [] };
  const deletes: Promise<void>[] = [];
  const now = Date.now();
  for await (const g of c.resources.resourceGroups.list({
    filter: `tagName eq '${TAG.createdBy}'`,
    abortSignal: o.signal,
  })) {
    const name = g.name ?? '';
    const tags = g.tags ?? {};
    if (tags[TAG.createdBy] !== CREATED_BY) continue;
    if (opts.resourceGroupName && name.toLowerCase() === opts.resourceGroupName.toLowerCase()) {
      result.skipped.push({ group: name, why: 'named by the runbook' });
      continue;
    }
    const entry = byGroup.get(name.toLowerCase());
    if (entry && entry.state === 'kept') {
      result.skipped.push({ group: name, why: 'kept by keep_environment' });
      continue;
    }
    if (entry && entry.pid !== process.pid && processAlive(entry.pid) && entry.state !== 'deleted') {
      result.skipped.push({ group: name, why: `its run (pid ${entry.pid}) is still running` });
      continue;
    }
    const created = Date.parse(tags[TAG.created] ?? entry?.at ?? '');
    if (o.olderThanMs !== undefined && !(now - created > o.olderThanMs)) {
      result.skipped.push({ group: name, why: 'younger than --older-than' });
      continue;
    }
    if (o.dryRun) {
      result.wouldDelete.push(name);
      continue;
    }
    o.log.info(`reap: deleting ${name} (run ${tags[TAG.run] ?? '?'}, owner ${tags[TAG.owner] ?? '?'})`);
    const record = (state: LedgerEntry['state']) =>
      Ledger.forUser().append({
        group: name,
        subscription: opts.subscriptionId,
        endpoint: opts.armEndpoint,
        run: tags[TAG.run] ?? '',
        pid: process.pid,
        state,
      });
    record('deleting');
    // All at once, each bounded: one delete that never finishes must not hold up the others.
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    o.signal.addEventListener('abort', onAbort, { once: true });
    const done = deleteGroup(c, name, o.log, stop.signal);
    deletes.push(
      bounded(done, opts.deleteTimeoutMs)
        .then(async (inTime) => {
          if (!inTime) stop.abort();
          try {
            await done;
            record('deleted');
            result.deleted.push(name);
          } catch (e) {
            if (!stop.signal.aborted || o.signal.aborted) throw e;
            record('still-deleting');
            result.stillDeleting.push(name);
            o.log.warn(
              `reap: ${name} is still deleting after delete_timeout (${opts.deleteTimeoutMs / 1000} s); run \`lisa reap\` again later`,
            );
          }
        })
        .finally(() => o.signal.removeEventListener('abort', onAbort)),
    );
  }
  await Promise.all(deletes);
  return result;
}
