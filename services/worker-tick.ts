import type { Database } from '../db/client';

/** One pass of background housekeeping; records a heartbeat that /health reports. */
export async function runWorkerTick(database: Database) {
  const started = Date.now();
  const pruned = await database.pool.query(
    `DELETE FROM metrics_snapshots WHERE updated_at < now() - interval '7 days'`,
  );
  const result = { prunedMetricSnapshots: pruned.rowCount ?? 0, ms: 0 };
  result.ms = Date.now() - started;
  await database.pool.query(
    `INSERT INTO heartbeats (name, beat_at, detail) VALUES ('worker', now(), $1)
     ON CONFLICT (name) DO UPDATE SET beat_at = now(), detail = EXCLUDED.detail`,
    [JSON.stringify(result)],
  );
  return result;
}
