import { createRequire } from 'node:module';
import type * as Pg from 'pg';
import { numberedPlaceholders, type SqlDatabase, type SqlValue } from './driver.js';

const require = createRequire(import.meta.url);

/**
 * PostgreSQL through one `pg` client: writes of one run are serial (the event bus delivers in
 * order), so a pool would only add connections. Transactions run on that client.
 */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  readonly location: string;

  private constructor(
    private readonly client: Pg.Client,
    url: string,
  ) {
    this.location = redactUrl(url);
  }

  static async connect(url: string): Promise<PostgresDatabase> {
    const pg = require('pg') as typeof Pg;
    // BIGINT counts (COUNT(*), identity ids) come back as numbers, not strings.
    const types = {
      getTypeParser: (oid: number, format?: string) =>
        // pg's own typings return `any` here; bigint (oid 20) counts come back as numbers.
        // eslint-disable-next-line @typescript-eslint/no-unsafe-return
        oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text'),
    };
    const client = new pg.Client({
      connectionString: url,
      types: types,
      connectionTimeoutMillis: 15_000,
    });
    // A dropped connection mid-run is reported by the next query; without a listener it would crash lisa.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (e) {
      throw new Error(`cannot connect to ${redactUrl(url)}: ${(e as Error).message}`);
    }
    return new PostgresDatabase(client, url);
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const r = await this.client.query(numberedPlaceholders(sql), params as SqlValue[]);
    return r.rows as T[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    await this.client.query(numberedPlaceholders(sql), params as SqlValue[]);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.client.query('BEGIN');
    try {
      const result = await fn();
      await this.client.query('COMMIT');
      return result;
    } catch (e) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

/** The URL without its password: safe in messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
