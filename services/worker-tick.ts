import type { Database } from '../db/client';
import { compactChangeLog } from '../sync/shape-log';

/** Registers offline longer than this resync from a snapshot (409 must-refetch). */
const CHANGE_LOG_DAYS = 7;

/** One pass of background housekeeping; records a heartbeat that /health reports. */
export async function runWorkerTick(database: Database) {
  const started = Date.now();
  const pruned = await database.pool.query(
    `DELETE FROM metrics_snapshots WHERE updated_at < now() - interval '7 days'`,
  );
  const cutoff = await database.pool.query(
    `SELECT COALESCE(max(lsn), 0) AS lsn FROM change_log WHERE created_at < now() - make_interval(days => $1)`,
    [CHANGE_LOG_DAYS],
  );
  const compacted = await compactChangeLog(database, { keepLsnAfter: cutoff.rows[0].lsn });
  const result = { prunedMetricSnapshots: pruned.rowCount ?? 0, changeLogDeleted: compacted.deleted, ms: 0 };
  result.ms = Date.now() - started;
  await database.pool.query(
    `INSERT INTO heartbeats (name, beat_at, detail) VALUES ('worker', now(), $1)
     ON CONFLICT (name) DO UPDATE SET beat_at = now(), detail = EXCLUDED.detail`,
    [JSON.stringify(result)],
  );
  return result;
}
