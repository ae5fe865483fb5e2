import path from 'node:path';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from './client';
import { one } from './query';
import journal from './migrations/meta/_journal.json';

export const migrationsFolder = path.resolve(__dirname, 'migrations');

/** The newest migration this build knows; /health compares it with what the database has applied. */
export const expectedMigration = journal.entries[journal.entries.length - 1]!.tag;
export const expectedMigrationCount = journal.entries.length;

/** Applies pending migrations; safe to run again and from two processes at once. */
export async function migrateDatabase(database: Database): Promise<void> {
  const client = await database.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(74110001)');
    try {
      await migrate(database.db, { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock(74110001)');
    }
  } finally {
    client.release();
  }
}

export async function appliedMigrationCount(database: Database): Promise<number> {
  const r = await one<{ n: number }>(
    database.pool,
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'drizzle' AND table_name = '__drizzle_migrations'`,
  );
  if (r.n === 0) return 0;
  return (await one<{ n: number }>(database.pool, 'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')).n;
}
