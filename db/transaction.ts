// The one way to run statements in a transaction: its own client from the pool, BEGIN, COMMIT (or
// ROLLBACK on a throw, or on purpose for a dry run), always released. Keep transactions short: the
// embedded database is one session and an open transaction holds every other client.
import type { PoolClient } from 'pg';
import type { Database } from './client';

export async function withTransaction<T>(database: Database, fn: (client: PoolClient) => Promise<T>, opts: { rollback?: boolean } = {}): Promise<T> {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query(opts.rollback ? 'ROLLBACK' : 'COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
