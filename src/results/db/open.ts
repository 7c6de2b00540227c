import { isAbsolute, resolve } from 'node:path';
import type { SqlDatabase } from './driver.js';
import { migrate } from './migrations.js';
import { PostgresDatabase } from './postgres.js';
import { SqliteDatabase } from './sqlite.js';

/**
 * `sqlite:PATH` (relative to the working directory), `sqlite::memory:`, or
 * `postgresql://user@host:port/db` (`postgres://` too). Opens and brings the schema up to date.
 */
export async function openDatabase(url: string): Promise<SqlDatabase> {
  const db = await connect(url);
  try {
    await migrate(db);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  return db;
}

async function connect(url: string): Promise<SqlDatabase> {
  if (/^postgres(ql)?:\/\//.test(url)) return PostgresDatabase.connect(url);
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new Error(`database URL "${url}" names no file: use sqlite:PATH`);
    if (path === ':memory:') return new SqliteDatabase(path);
    return new SqliteDatabase(isAbsolute(path) ? path : resolve(process.cwd(), path));
  }
  throw new Error(`database URL "${url}" is not sqlite:PATH or postgresql://...`);
}
