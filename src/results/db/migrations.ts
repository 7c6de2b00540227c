import { ddl, type SqlDatabase } from './driver.js';
import { SCHEMA_V1 } from './schema-v1.js';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Append only: a released migration is never edited, a change is a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, combinations, environments, cases, attempts, sub-results, metrics',
    sql: SCHEMA_V1,
  },
  {
    version: 2,
    description: "runs: LISA's test_project, test_pass and tags",
    sql: `ALTER TABLE runs ADD COLUMN test_project TEXT;
ALTER TABLE runs ADD COLUMN test_pass TEXT;
ALTER TABLE runs ADD COLUMN tags TEXT;`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/**
 * Brings the schema to SCHEMA_VERSION, one transaction per migration. Two lisa processes starting
 * against one fresh database (CI shards) serialise on a lock, so each migration runs once.
 */
export async function migrate(db: SqlDatabase): Promise<number> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  let applied = 0;
  for (;;) {
    const done = await db.transaction(async () => {
      // PostgreSQL: one migrator at a time; SQLite's BEGIN IMMEDIATE already holds the write lock.
      if (db.dialect === 'postgres') await db.run('SELECT pg_advisory_xact_lock(7412001)');
      const current = await currentVersion(db);
      if (current > SCHEMA_VERSION) {
        throw new Error(
          `the results database ${db.location} has schema version ${current}, newer than this lisa knows (${SCHEMA_VERSION}): upgrade lisa`,
        );
      }
      const next = MIGRATIONS.find((m) => m.version === current + 1);
      if (!next) return true;
      await db.exec(ddl(db.dialect, next.sql));
      await db.run('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)', [
        next.version,
        next.description,
        new Date().toISOString(),
      ]);
      applied++;
      return false;
    });
    if (done) return applied;
  }
}

export async function currentVersion(db: SqlDatabase): Promise<number> {
  const rows = await db.all<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  return Number(rows[0]?.v ?? 0);
}
