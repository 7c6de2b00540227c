import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assignShards, parseShard, plannedCases } from '../orchestrator/shard.js';
import type { SqlDatabase } from '../results/db/driver.js';
import { caseDurations, previousRun, runCases } from '../results/db/queries.js';
import { baselineKey } from '../results/perf-gate.js';
import type { CaseRef } from '../results/events.js';
import { failedOrUnfinished } from '../results/resume.js';
import { isRunDir, loadRun, openExistingDatabase } from '../results/run-source.js';
import type { LoadedRunbook } from '../runbook/types.js';
import type { TestCaseInfo } from '../testing/types.js';
import { UsageError } from './errors.js';

/**
 * The results database a run command reads history from: `--db`, else the runbook's database
 * notifier, else the default file under the run root when it exists.
 */
export function historyDatabaseUrl(runbook: LoadedRunbook, db: string | undefined): string | undefined {
  if (db) return db;
  const first = runbook.combinations[0]!;
  const notifier = first.notifier.find((n) => n.type === 'database');
  const url = notifier?.options?.['url'];
  if (typeof url === 'string') return url;
  const file = join(first.runRoot, 'results.db');
  return notifier || existsSync(file) ? `sqlite:${file}` : undefined;
}

async function withDatabase<T>(url: string | undefined, fn: (db: SqlDatabase | undefined) => Promise<T>): Promise<T> {
  const db = url ? await openExistingDatabase(url) : undefined;
  try {
    return await fn(db);
  } finally {
    await db?.close();
  }
}

/** `--rerun-failed RUN`: the cases that failed or did not finish in that run. */
export async function rerunFilter(ref: string, dbUrl: string | undefined): Promise<(c: CaseRef) => boolean> {
  const run = await withDatabase(isRunDir(ref) ? undefined : dbUrl, async (db) => {
    if (!db && !isRunDir(ref))
      throw new UsageError(`--rerun-failed ${ref}: not a run directory, and no results database to find it in (--db)`);
    return loadRun(db, ref);
  });
  const ids = failedOrUnfinished(run.cases);
  return (c) => ids.has(c.runCaseId);
}

/** `--shard i/n`: this machine's share, balanced by the durations the database recorded. */
export async function shardFilter(
  text: string,
  runbook: LoadedRunbook,
  cases: readonly TestCaseInfo[],
  dbUrl: string | undefined,
): Promise<(c: CaseRef) => boolean> {
  let spec;
  try {
    spec = parseShard(text);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const items = plannedCases(runbook, cases);
  const durations = await withDatabase(dbUrl && !isMissingSqlite(dbUrl) ? dbUrl : undefined, (db) =>
    db
      ? caseDurations(
          db,
          items.map((i) => i.caseId),
        )
      : Promise.resolve(new Map<string, number>()),
  );
  const shards = assignShards(items, durations, spec.count);
  return (c) => shards.get(c.runCaseId) === spec.index;
}

function isMissingSqlite(url: string): boolean {
  return url.startsWith('sqlite:') && !existsSync(url.slice('sqlite:'.length));
}

/** Metrics of the last passing run of this name, for criteria with a baseline tolerance. */
export async function perfBaseline(name: string, dbUrl: string | undefined): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!dbUrl || isMissingSqlite(dbUrl)) return out;
  return withDatabase(dbUrl, async (db) => {
    const anchor = {
      pk: -1,
      runId: '',
      name,
      runDir: '',
      platform: '',
      status: '',
      startedAt: new Date().toISOString(),
      failed: 0,
      total: 0,
    };
    const prev = await previousRun(db!, anchor, true);
    if (!prev) return out;
    for (const c of await runCases(db!, prev.pk))
      for (const m of c.metrics) out.set(baselineKey(c.runCaseId, m.name), m.value);
    return out;
  });
}
