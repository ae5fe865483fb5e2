// Change-log upkeep: the log is storage (filled by triggers, see the schema's change capture), read
// by the shape server; trimming it and restarting it after a restore are storage maintenance.
import type { PoolClient } from 'pg';
import type { Database } from './client';

/**
 * Deletes change-log entries with lsn ≤ `keepLsnAfter` and raises `compacted_through`; a client
 * whose offset is older then gets 409 must-refetch and resyncs from a fresh snapshot.
 */
export async function compactChangeLog(database: Database, opts: { keepLsnAfter: number }): Promise<{ compactedThrough: number; deleted: number }> {
  // One statement: the counter row lock orders it with capturing writers.
  const r = await database.pool.query<{ c: string; n: number }>(
    `WITH c AS (
       UPDATE change_counter SET compacted_through = GREATEST(compacted_through, LEAST($1::int8, last_lsn))
        WHERE id = 1 RETURNING compacted_through
     ), d AS (
       DELETE FROM change_log WHERE lsn <= (SELECT compacted_through FROM c) RETURNING 1
     )
     SELECT (SELECT compacted_through FROM c)::text AS c, (SELECT count(*) FROM d)::int AS n`,
    [opts.keepLsnAfter],
  );
  const row = r.rows[0]!;
  return { compactedThrough: Number(row.c), deleted: row.n };
}

/** How far a restore moves the log forward: more than any edge logs between a backup and its restore. */
export const RESTORE_LSN_JUMP = 1_000_000_000_000;

/**
 * After a restore the log's history differs from what registers synced: it is emptied and its
 * offsets jump past anything a client can hold, so every shape request gets 409 must-refetch and
 * resyncs from a fresh snapshot (the handle carries the new base lsn). Run inside the restore's transaction.
 */
export async function restartChangeLog(client: PoolClient): Promise<{ lastLsn: number }> {
  const r = await client.query<{ l: string }>(
    `UPDATE change_counter SET last_lsn = last_lsn + $1::int8, compacted_through = last_lsn + $1::int8 WHERE id = 1 RETURNING last_lsn::text AS l`,
    [RESTORE_LSN_JUMP],
  );
  await client.query(`DELETE FROM change_log`);
  return { lastLsn: Number(r.rows[0]!.l) };
}
