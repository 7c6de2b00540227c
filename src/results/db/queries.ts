import { basename, resolve } from 'node:path';
import { first, type SqlDatabase } from './driver.js';

export interface StoredRun {
  pk: number;
  runId: string;
  name: string;
  runDir: string;
  platform: string;
  status: string;
  startedAt: string | null;
  failed: number;
  total: number;
}

export interface StoredMetric {
  name: string;
  value: number;
  unit: string | null;
  higherIsBetter: boolean | null;
}

/** A case's final result in one run, as history and diff compare it. */
export interface StoredCase {
  runCaseId: string;
  caseId: string;
  area: string;
  suite: string;
  combination: string;
  status: string;
  message: string;
  attempts: number;
  durationMs: number;
  unfinished: boolean;
  metrics: StoredMetric[];
}

const RUN_COLUMNS = `id AS pk, run_id AS "runId", name, run_dir AS "runDir", platform, status, started_at AS "startedAt",
  failed, total`;

/** A run by its id, its directory (path or name), or `last` for the newest. */
export async function findRun(db: SqlDatabase, ref: string): Promise<StoredRun | undefined> {
  if (ref === 'last') return first(db, `SELECT ${RUN_COLUMNS} FROM runs ORDER BY started_at DESC, id DESC LIMIT 1`);
  return first<StoredRun>(
    db,
    `SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = ? OR run_dir = ? OR run_id = ? ORDER BY id DESC LIMIT 1`,
    [ref, resolve(ref), basename(ref)],
  );
}

/** The newest run of the same name before `run`; with `passing`, only one that passed. */
export async function previousRun(db: SqlDatabase, run: StoredRun, passing = false): Promise<StoredRun | undefined> {
  return first<StoredRun>(
    db,
    `SELECT ${RUN_COLUMNS} FROM runs WHERE name = ? AND id <> ? AND (started_at < ? OR (started_at = ? AND id < ?))
       ${passing ? `AND status = 'PASSED'` : `AND status <> 'RUNNING'`}
     ORDER BY started_at DESC, id DESC LIMIT 1`,
    [run.name, run.pk, run.startedAt ?? '', run.startedAt ?? '', run.pk],
  );
}

interface CaseRow {
  pk: number;
  runCaseId: string;
  caseId: string;
  area: string;
  suite: string;
  combination: string;
  status: string;
  message: string;
  attempts: number;
  durationMs: number;
  unfinished: number;
}

/** Every case of a run with the metrics of its deciding (last) attempt. */
export async function runCases(db: SqlDatabase, runPk: number): Promise<StoredCase[]> {
  const rows = await db.all<CaseRow>(
    `SELECT id AS pk, run_case_id AS "runCaseId", case_id AS "caseId", area, suite, combination, status, message,
       attempts, duration_ms AS "durationMs", unfinished
     FROM cases WHERE run_pk = ? ORDER BY id`,
    [runPk],
  );
  const metrics = await db.all<{
    casePk: number;
    name: string;
    value: number;
    unit: string | null;
    hib: number | null;
  }>(
    `SELECT a.case_pk AS "casePk", m.name, m.value, m.unit, m.higher_is_better AS hib
     FROM metrics m JOIN attempts a ON a.id = m.attempt_pk JOIN cases c ON c.id = a.case_pk
     WHERE c.run_pk = ? AND a.attempt = c.attempts ORDER BY m.id`,
    [runPk],
  );
  const byCase = new Map<number, StoredMetric[]>();
  for (const m of metrics) {
    const list = byCase.get(Number(m.casePk)) ?? [];
    list.push({
      name: m.name,
      value: Number(m.value),
      unit: m.unit,
      higherIsBetter: m.hib === null ? null : m.hib === 1,
    });
    byCase.set(Number(m.casePk), list);
  }
  return rows.map((r) => ({
    runCaseId: r.runCaseId,
    caseId: r.caseId,
    area: r.area,
    suite: r.suite,
    combination: r.combination,
    status: r.status,
    message: r.message,
    attempts: Number(r.attempts),
    durationMs: Number(r.durationMs),
    unfinished: Number(r.unfinished) === 1,
    metrics: byCase.get(Number(r.pk)) ?? [],
  }));
}

export interface HistoryRow {
  runId: string;
  runName: string;
  startedAt: string | null;
  caseId: string;
  combination: string;
  status: string;
  attempts: number;
  durationMs: number;
  message: string;
  image: string | null;
  kernel: string | null;
}

/** Results of a case id (`suite.case`), a suite or an area across runs, oldest first, at most `limit` runs. */
export async function caseHistory(db: SqlDatabase, what: string, limit = 30): Promise<HistoryRow[]> {
  return db.all<HistoryRow>(
    `SELECT r.run_id AS "runId", r.name AS "runName", r.started_at AS "startedAt", c.case_id AS "caseId",
       c.combination, c.status, c.attempts, c.duration_ms AS "durationMs", c.message, e.image, e.kernel
     FROM cases c JOIN runs r ON r.id = c.run_pk
       LEFT JOIN environments e ON e.run_pk = c.run_pk AND e.env_id = c.env_id
     WHERE (c.case_id = ? OR c.area = ? OR c.suite = ?) AND c.status <> 'QUEUED'
       AND r.id IN (SELECT DISTINCT c2.run_pk FROM cases c2 WHERE c2.case_id = ? OR c2.area = ? OR c2.suite = ?
                    ORDER BY c2.run_pk DESC LIMIT ?)
     ORDER BY r.started_at, r.id, c.id`,
    [what, what, what, what, what, what, limit],
  );
}

/** Mean duration of each case's passed runs (the newest 10), for balancing shards. */
export async function caseDurations(db: SqlDatabase, caseIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (caseIds.length === 0) return out;
  const rows = await db.all<{ caseId: string; ms: number }>(
    `SELECT case_id AS "caseId", AVG(duration_ms) AS ms FROM (
       SELECT case_id, duration_ms, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY run_pk DESC) AS n
       FROM cases WHERE status IN ('PASSED', 'FAILED') AND unfinished = 0) recent
     WHERE n <= 10 GROUP BY case_id`,
  );
  const wanted = new Set(caseIds);
  for (const r of rows) if (wanted.has(r.caseId)) out.set(r.caseId, Number(r.ms));
  return out;
}
