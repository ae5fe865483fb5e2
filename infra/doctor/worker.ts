// The background worker (every minute inside the edge's function server) writes the `worker`
// heartbeat on each pass; /health calls it alive under 3 minutes.
import type { Database } from '../../db/client';
import { formatAge, type CheckResult } from './check';

export const WORKER_WARN_MS = 3 * 60_000;
export const WORKER_FAIL_MS = 10 * 60_000;

export async function checkWorker(database: Database): Promise<CheckResult> {
  const name = 'worker';
  const r = await database.pool.query<{ age_ms: number }>(
    `SELECT (extract(epoch FROM now() - beat_at) * 1000)::float8 AS age_ms FROM heartbeats WHERE name = 'worker'`,
  );
  const fix = 'check the edge\u2019s log for worker errors and restart the edge';
  if (!r.rowCount) return { name, verdict: 'FAIL', detail: 'the worker has never run (no heartbeat)', fix };
  const age = Number(r.rows[0]!.age_ms);
  const detail = `last heartbeat ${formatAge(age)} ago (it runs every minute)`;
  if (age > WORKER_FAIL_MS) return { name, verdict: 'FAIL', detail, fix };
  if (age > WORKER_WARN_MS) return { name, verdict: 'WARN', detail, fix };
  return { name, verdict: 'OK', detail };
}
