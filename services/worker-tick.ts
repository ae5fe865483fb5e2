import type { Database } from '../db/client';
import { compactChangeLog } from '../db/change-log';
import { execute, maybeOne, one } from '../db/query';

/** Registers offline longer than this resync from a snapshot (409 must-refetch). */
const CHANGE_LOG_DAYS = 7;
/** Planner statistics are refreshed at least this often… */
const ANALYZE_EVERY_MINUTES = 60;
/** …and sooner once this many changes were captured since (an import, a busy day). */
const ANALYZE_AFTER_CHANGES = 10_000;

/** One pass of background housekeeping; records a heartbeat that /health reports. */
export async function runWorkerTick(database: Database) {
  const started = Date.now();
  const pruned = await execute(database.pool, `DELETE FROM metrics_snapshots WHERE updated_at < now() - interval '7 days'`);
  const cutoff = await one<{ lsn: string }>(
    database.pool,
    `SELECT COALESCE(max(lsn), 0) AS lsn FROM change_log WHERE created_at < now() - make_interval(days => $1)`,
    [CHANGE_LOG_DAYS],
  );
  const compacted = await compactChangeLog(database, { keepLsnAfter: Number(cutoff.lsn) });
  const upkeep = await keepDatabaseFit(database, compacted.deleted);
  const result = { prunedMetricSnapshots: pruned, changeLogDeleted: compacted.deleted, ...upkeep, ms: 0 };
  result.ms = Date.now() - started;
  await execute(
    database.pool,
    `INSERT INTO heartbeats (name, beat_at, detail) VALUES ('worker', now(), $1)
     ON CONFLICT (name) DO UPDATE SET beat_at = now(), detail = EXCLUDED.detail`,
    [JSON.stringify(result)],
  );
  return result;
}

/**
 * What autovacuum does on a PostgreSQL server, for the embedded PGlite that has none (and harmless
 * on PostgreSQL): VACUUM the change log once compaction deleted rows, so new changes reuse the
 * space; ANALYZE on a schedule and after bulk changes, or lookups stop using their indexes as
 * tables grow; on PGlite a CHECKPOINT after compaction, so its WAL does not grow without bound.
 * The last ANALYZE (time and change-log position) is kept in `heartbeats`, so every worker
 * thread and restart shares it.
 */
async function keepDatabaseFit(database: Database, changeLogDeleted: number) {
  const q = (sql: string, params?: unknown[]) => execute(database.pool, sql, params);
  let vacuumed = false;
  let analyzed = false;
  let checkpointed = false;
  if (changeLogDeleted > 0) {
    await q('VACUUM (ANALYZE) change_log');
    vacuumed = true;
  }
  const due = await maybeOne<{ last_lsn: string; stale: boolean; changes: number }>(
    database.pool,
    `SELECT c.last_lsn,
              h.beat_at IS NULL OR h.beat_at < now() - make_interval(mins => $1) AS stale,
              (SELECT count(*) FROM (SELECT 1 FROM change_log WHERE lsn > COALESCE((h.detail->>'lsn')::int8, 0) LIMIT $2) x)::int AS changes
         FROM change_counter c LEFT JOIN heartbeats h ON h.name = 'worker.analyze' WHERE c.id = 1`,
    [ANALYZE_EVERY_MINUTES, ANALYZE_AFTER_CHANGES],
  );
  if (due && (due.stale || due.changes >= ANALYZE_AFTER_CHANGES)) {
    await q('ANALYZE');
    await q(
      `INSERT INTO heartbeats (name, beat_at, detail) VALUES ('worker.analyze', now(), $1)
       ON CONFLICT (name) DO UPDATE SET beat_at = now(), detail = EXCLUDED.detail`,
      [JSON.stringify({ lsn: due.last_lsn })],
    );
    analyzed = true;
  }
  if (changeLogDeleted > 0 && (await isEmbedded(database))) {
    await q('CHECKPOINT');
    checkpointed = true;
  }
  return { vacuumed, analyzed, checkpointed };
}

const embedded = new WeakMap<Database, boolean>();

/** The embedded PGlite says so in its version string. */
export async function isEmbedded(database: Database): Promise<boolean> {
  let known = embedded.get(database);
  if (known === undefined) {
    known = /PGlite/i.test((await database.pool.query<{ v: string }>(`SELECT version() AS v`)).rows[0]!.v);
    embedded.set(database, known);
  }
  return known;
}
