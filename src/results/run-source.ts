import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ResultsModel, type CaseResult } from './results-model.js';
import type { SqlDatabase } from './db/driver.js';
import { openDatabase } from './db/open.js';
import { findRun, previousRun, runCases, type StoredCase, type StoredRun } from './db/queries.js';
import { readEventsFile } from './events-file.js';

/** Where `lisa run` keeps runs when the runbook sets no log_path. */
export const DEFAULT_RUN_ROOT = 'runtime/runs';

export class ResultsSourceError extends Error {}

export interface LoadedRun {
  id: string;
  name: string;
  startedAt: string | null;
  cases: StoredCase[];
  /** The database row, when the run is in the database. */
  stored?: StoredRun;
}

/** A run directory is one holding events.jsonl. */
export function isRunDir(ref: string): boolean {
  return existsSync(join(ref, 'events.jsonl')) && statSync(ref).isDirectory();
}

/**
 * The database a results command reads: `--db`, else the default SQLite file beside the run
 * directory named on the command line, else the one under the default run root.
 */
export function databaseUrlFor(db: string | undefined, runRef?: string): string {
  if (db) return db;
  const root = runRef && isRunDir(runRef) ? dirname(resolve(runRef)) : resolve(DEFAULT_RUN_ROOT);
  return `sqlite:${join(root, 'results.db')}`;
}

/** Opens an existing database; an SQLite file that does not exist is an error, not a new empty history. */
export async function openExistingDatabase(url: string): Promise<SqlDatabase> {
  if (url.startsWith('sqlite:') && url !== 'sqlite::memory:' && !existsSync(url.slice('sqlite:'.length))) {
    throw new ResultsSourceError(
      `no results database at ${url.slice('sqlite:'.length)}: add {type: database} to the runbook's notifiers, or pass --db URL`,
    );
  }
  return openDatabase(url);
}

/** A run by id (from the database) or by directory (from its events.jsonl, database or not). */
export async function loadRun(db: SqlDatabase | undefined, ref: string): Promise<LoadedRun> {
  if (isRunDir(ref)) {
    const model = new ResultsModel();
    for (const e of readEventsFile(join(ref, 'events.jsonl')).events) model.apply(e);
    const view = model.view();
    const id = view.runId || basename(resolve(ref));
    const stored = db ? await findRun(db, id) : undefined;
    const run: LoadedRun = {
      id,
      name: view.name,
      startedAt: view.startedAt ?? null,
      cases: view.cases.map(storedCase),
    };
    if (stored) run.stored = stored;
    return run;
  }
  if (!db) throw new ResultsSourceError(`${ref} is not a run directory (no events.jsonl) and no database was given`);
  const stored = await findRun(db, ref);
  if (!stored)
    throw new ResultsSourceError(`no run "${ref}" in the results database ${db.location} (nor a run directory)`);
  return {
    id: stored.runId,
    name: stored.name,
    startedAt: stored.startedAt,
    cases: await runCases(db, stored.pk),
    stored,
  };
}

/** The baseline: a named run, or the previous (`previous`) or last passing (`last-passing`) run of the same name. */
export async function loadBaseline(
  db: SqlDatabase | undefined,
  run: LoadedRun,
  ref: string,
): Promise<LoadedRun | undefined> {
  if (ref !== 'previous' && ref !== 'last-passing') return loadRun(db, ref);
  if (!db) throw new ResultsSourceError(`--baseline ${ref} needs a results database (--db)`);
  const anchor: StoredRun = run.stored ?? {
    pk: -1,
    runId: run.id,
    name: run.name,
    runDir: '',
    platform: '',
    status: 'RUNNING',
    startedAt: run.startedAt ?? new Date().toISOString(),
    failed: 0,
    total: 0,
  };
  const prev = await previousRun(db, anchor, ref === 'last-passing');
  if (!prev) return undefined;
  return {
    id: prev.runId,
    name: prev.name,
    startedAt: prev.startedAt,
    cases: await runCases(db, prev.pk),
    stored: prev,
  };
}

export function storedCase(c: CaseResult): StoredCase {
  return {
    runCaseId: c.runCaseId,
    caseId: c.caseId,
    area: c.area,
    suite: c.suite,
    combination: c.combination,
    status: c.status,
    message: c.message,
    attempts: c.attempts.length,
    durationMs: c.durationMs,
    unfinished: c.unfinished === true || c.status === 'QUEUED' || c.status === 'RUNNING',
    metrics: c.metrics.map((m) => ({
      name: m.name,
      value: m.value,
      unit: m.unit ?? null,
      higherIsBetter: m.higherIsBetter ?? null,
    })),
  };
}
