// One code path for both backends: functions always speak the Postgres wire protocol through `pg`.
// The embedded PGlite is reached through its socket server (see db/embedded.ts, ADR 002).
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

export type Db = NodePgDatabase<typeof schema>;

export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

// int8 (counts, sums, lsn) as JS numbers: every value we store fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenDatabaseOptions {
  max?: number;
  applicationName?: string;
  /** How long a query waits for a connection, to open one or for one of `max` busy ones (default 5 000 ms). */
  connectionTimeoutMs?: number;
}

export function openDatabase(url: string, opts: OpenDatabaseOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 2,
    application_name: opts.applicationName ?? 'till',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5_000,
  });
  // A dropped connection (edge database restarting) must not crash the process.
  pool.on('error', () => undefined);
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}

/**
 * The pool had no free connection within its connection timeout: every connection was busy (pg-pool's
 * own message, for a wait in its queue). A connection that could not be opened fails differently
 * (ECONNREFUSED, "Connection terminated…").
 */
export function isPoolTimeout(e: unknown): boolean {
  return e instanceof Error && e.message === 'timeout exceeded when trying to connect';
}
