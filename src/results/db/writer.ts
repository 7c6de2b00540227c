import type { CombinationInfo, EnvNodeInfo, RunSummary } from '../events.js';
import type { AttemptRecord, CaseResult, EnvironmentRecord } from '../results-model.js';
import type { SqlDatabase, SqlValue } from './driver.js';

export interface RunRow {
  runId: string;
  name: string;
  runDir: string;
  platform: string;
  status: string;
  startedAt?: string;
  endedAt?: string;
  durationMs: number;
  summary: RunSummary;
  testProject?: string;
  testPass?: string;
  /** Kept comma-separated in the `tags` column. */
  tags?: string[];
}

/** Environment facts as the database keeps them: what an image engineer filters history by. */
export interface EnvironmentFacts {
  image?: string;
  kernel?: string;
  distro?: string;
  vmSize?: string;
}

/**
 * Writes one run's rows. Every write is an upsert on the natural key, so replaying the same
 * events (resume, merge-reports) converges on the same rows instead of duplicating them.
 */
export class ResultsWriter {
  private runPk: number | undefined;
  private readonly casePks = new Map<string, number>();

  constructor(private readonly db: SqlDatabase) {}

  async run(r: RunRow): Promise<void> {
    const s = r.summary;
    const rows = await this.db.all<{ id: number }>(
      `INSERT INTO runs (run_id, name, run_dir, platform, status, started_at, ended_at, duration_ms,
         total, passed, failed, skipped, attempted, unfinished, test_project, test_pass, tags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET name = excluded.name, run_dir = excluded.run_dir,
         platform = excluded.platform, status = excluded.status,
         started_at = COALESCE(runs.started_at, excluded.started_at), ended_at = excluded.ended_at,
         duration_ms = excluded.duration_ms, total = excluded.total, passed = excluded.passed,
         failed = excluded.failed, skipped = excluded.skipped, attempted = excluded.attempted,
         unfinished = excluded.unfinished, test_project = excluded.test_project,
         test_pass = excluded.test_pass, tags = excluded.tags
       RETURNING id`,
      [
        r.runId,
        r.name,
        r.runDir,
        r.platform,
        r.status,
        opt(r.startedAt),
        opt(r.endedAt),
        Math.round(r.durationMs),
        s.total,
        s.passed,
        s.failed,
        s.skipped,
        s.attempted,
        s.unfinished,
        opt(r.testProject),
        opt(r.testPass),
        r.tags?.length ? r.tags.join(',') : null,
      ],
    );
    this.runPk = Number(rows[0]!.id);
  }

  async combination(c: CombinationInfo): Promise<void> {
    await this.db.run(
      `INSERT INTO combinations (run_pk, name, variables) VALUES (?, ?, ?)
       ON CONFLICT (run_pk, name) DO UPDATE SET variables = excluded.variables`,
      [this.pk(), c.name, JSON.stringify(c.variables)],
    );
  }

  async environment(env: EnvironmentRecord, facts: EnvironmentFacts): Promise<void> {
    await this.db.run(
      `INSERT INTO environments (run_pk, env_id, combination, platform, image, kernel, distro, vm_size, nodes,
         started_at, ended_at, broken)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_pk, env_id) DO UPDATE SET ended_at = excluded.ended_at, broken = excluded.broken,
         image = excluded.image, kernel = excluded.kernel, distro = excluded.distro, vm_size = excluded.vm_size`,
      [
        this.pk(),
        env.envId,
        env.combination,
        env.platform,
        opt(facts.image),
        opt(facts.kernel),
        opt(facts.distro),
        opt(facts.vmSize),
        JSON.stringify(env.nodes),
        opt(env.startedAt),
        opt(env.endedAt),
        opt(env.broken),
      ],
    );
  }

  /** The case as it stands and the attempt that just ended, with its sub-results and metrics, in one transaction. */
  async caseAttempt(c: CaseResult, a: AttemptRecord): Promise<void> {
    await this.db.transaction(async () => {
      const casePk = await this.upsertCase(c);
      const rows = await this.db.all<{ id: number }>(
        `INSERT INTO attempts (case_pk, attempt, status, message, env_id, log_path, started_at, ended_at, duration_ms, will_retry)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (case_pk, attempt) DO UPDATE SET status = excluded.status, message = excluded.message,
           env_id = excluded.env_id, log_path = excluded.log_path, started_at = excluded.started_at,
           ended_at = excluded.ended_at, duration_ms = excluded.duration_ms, will_retry = excluded.will_retry
         RETURNING id`,
        [
          casePk,
          a.attempt,
          a.status,
          a.message,
          opt(a.envId),
          opt(a.logPath),
          opt(a.startedAt),
          opt(a.endedAt),
          Math.round(a.durationMs),
          a.willRetry ? 1 : 0,
        ],
      );
      const attemptPk = Number(rows[0]!.id);
      // Rewritten whole: a replayed attempt must not add its sub-results a second time.
      await this.db.run('DELETE FROM sub_results WHERE attempt_pk = ?', [attemptPk]);
      await this.db.run('DELETE FROM metrics WHERE attempt_pk = ?', [attemptPk]);
      for (const [i, s] of a.subResults.entries()) {
        await this.db.run('INSERT INTO sub_results (attempt_pk, seq, name, status, message) VALUES (?, ?, ?, ?, ?)', [
          attemptPk,
          i,
          s.name,
          s.status,
          opt(s.message),
        ]);
      }
      for (const [i, m] of a.metrics.entries()) {
        await this.db.run(
          `INSERT INTO metrics (attempt_pk, seq, name, value, unit, higher_is_better, description)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [
            attemptPk,
            i,
            m.name,
            m.value,
            opt(m.unit),
            m.higherIsBetter === undefined ? null : m.higherIsBetter ? 1 : 0,
            opt(m.description),
          ],
        );
      }
    });
  }

  private async upsertCase(c: CaseResult): Promise<number> {
    const params: SqlValue[] = [
      this.pk(),
      c.runCaseId,
      c.caseId,
      c.name,
      c.suite,
      c.area,
      c.priority,
      JSON.stringify(c.tags),
      c.combination,
      c.iteration,
      c.status,
      c.message,
      c.attempts.length,
      Math.round(c.durationMs),
      opt(c.envId),
      opt(c.logPath),
      opt(c.startedAt),
      opt(c.endedAt),
      c.unfinished ? 1 : 0,
    ];
    const rows = await this.db.all<{ id: number }>(
      `INSERT INTO cases (run_pk, run_case_id, case_id, name, suite, area, priority, tags, combination, iteration,
         status, message, attempts, duration_ms, env_id, log_path, started_at, ended_at, unfinished)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_pk, run_case_id) DO UPDATE SET status = excluded.status, message = excluded.message,
         attempts = excluded.attempts, duration_ms = excluded.duration_ms, env_id = excluded.env_id,
         log_path = excluded.log_path, started_at = excluded.started_at, ended_at = excluded.ended_at,
         unfinished = excluded.unfinished
       RETURNING id`,
      params,
    );
    const pk = Number(rows[0]!.id);
    this.casePks.set(c.runCaseId, pk);
    return pk;
  }

  private pk(): number {
    if (this.runPk === undefined) throw new Error('results database: a result arrived before its run.begin');
    return this.runPk;
  }
}

/** Facts of an environment's first node; the event's own image and size win over guesses. */
export function environmentFacts(
  nodes: readonly EnvNodeInfo[],
  extra: { image?: string; vmSize?: string },
  variables: Record<string, unknown>,
): EnvironmentFacts {
  const n = nodes[0];
  const variable = (k: string) => (typeof variables[k] === 'string' ? variables[k] : undefined);
  return {
    image: extra.image ?? variable('image') ?? variable('marketplace_image') ?? variable('vhd'),
    kernel: n?.kernel,
    distro: n?.os,
    vmSize:
      extra.vmSize ??
      variable('vm_size') ??
      (n?.cores !== undefined && n.memoryMiB !== undefined ? `${n.cores} cores, ${n.memoryMiB} MiB` : undefined),
  };
}

function opt(v: string | undefined): string | null {
  return v ?? null;
}
