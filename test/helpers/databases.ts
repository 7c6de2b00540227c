import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A fresh, empty results database for one test; `drop` removes it. */
export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  url: string;
  drop(): Promise<void>;
}

/**
 * The PostgreSQL server the tests use: scripts/test-postgres.sh starts it and .ci/run exports its
 * URL. In CI a missing server is a failure, not a skip: the PostgreSQL half of the tests must run.
 */
export function postgresUrl(): string | undefined {
  const url = process.env['LISA_TEST_PG_URL'];
  if (!url && process.env['CI']) throw new Error('LISA_TEST_PG_URL is not set: .ci/run must start PostgreSQL');
  return url || undefined;
}

export async function sqliteDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'lisa-db-'));
  return {
    kind: 'sqlite',
    url: `sqlite:${join(dir, 'results.db')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function postgresDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `lisa_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    kind: 'postgres',
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** SQLite always; PostgreSQL when a server is configured (always in CI). */
export function databaseKinds(): { kind: 'sqlite' | 'postgres'; create: () => Promise<TestDatabase> }[] {
  const url = postgresUrl();
  const kinds: { kind: 'sqlite' | 'postgres'; create: () => Promise<TestDatabase> }[] = [
    { kind: 'sqlite', create: sqliteDatabase },
  ];
  if (url) kinds.push({ kind: 'postgres', create: () => postgresDatabase(url) });
  else
    process.stderr.write('note: LISA_TEST_PG_URL not set, PostgreSQL tests are skipped (scripts/test-postgres.sh)\n');
  return kinds;
}
