// Store state read at scrape time, in one query: what the registers last reported, the last good
// backup, admin sign-in failures and database connections. Kept out of the per-worker registry:
// these are facts of the database, not of a worker, and summing worker snapshots would multiply them.
import { Counter, Gauge, Registry } from 'prom-client';
import type { Database } from '../../db/client';

/**
 * The backup job records each verified backup as the `backup` heartbeat (`heartbeats.beat_at`);
 * until one exists the metric is absent, and the alerts say "no backup recorded" rather than "stale".
 */
export const BACKUP_HEARTBEAT = 'backup';
export const BACKUP_METRIC = 'till_backup_last_success_timestamp_seconds';

const QUERY = `
  SELECT 'queue' AS metric, r.code AS label, max(d.queue_depth)::float8 AS value
    FROM registers r JOIN devices d ON d.register_id = r.id
   WHERE d.status = 'active' GROUP BY r.code
  UNION ALL
  SELECT 'seen', r.code, extract(epoch FROM max(d.last_seen_at))::float8
    FROM registers r JOIN devices d ON d.register_id = r.id
   WHERE d.status = 'active' GROUP BY r.code HAVING max(d.last_seen_at) IS NOT NULL
  UNION ALL
  SELECT 'backup', NULL, extract(epoch FROM beat_at)::float8 FROM heartbeats WHERE name = $1
  UNION ALL
  SELECT 'login_failures', NULL, count(*)::float8 FROM audit_log WHERE entity = 'admin' AND action = 'admin.login_failed'
  UNION ALL
  SELECT 'locked', NULL, count(*)::float8 FROM admin_login_limits WHERE key LIKE 'account:%' AND not_before > clock_timestamp()
  UNION ALL
  SELECT 'connections', coalesce(state, 'unknown'), count(*)::float8
    FROM pg_stat_activity WHERE datname = current_database() GROUP BY coalesce(state, 'unknown')
  UNION ALL
  SELECT 'max_connections', NULL, current_setting('max_connections')::float8`;

/** Prometheus text for the store's state now. */
export async function storeMetrics(database: Database): Promise<string> {
  const registry = new Registry();
  const into = [registry];
  const queue = new Gauge({
    name: 'till_register_queue_depth',
    help: 'Sales and events queued on the register, as it last reported (active registers)',
    labelNames: ['register'] as const,
    registers: into,
  });
  const seen = new Gauge({
    name: 'till_register_last_seen_timestamp_seconds',
    help: 'When the register last called the edge with a valid device token (active registers)',
    labelNames: ['register'] as const,
    registers: into,
  });
  const backup = new Gauge({ name: BACKUP_METRIC, help: 'When the last verified backup finished (absent: never)', registers: into });
  const loginFailures = new Counter({
    name: 'till_admin_login_failures_total',
    help: 'Failed back-office sign-ins (from the audit log)',
    registers: into,
  });
  const locked = new Gauge({
    name: 'till_admin_login_locked_accounts',
    help: 'Back-office emails refused sign-in now after repeated failures',
    registers: into,
  });
  const connections = new Gauge({
    name: 'till_database_connections',
    help: 'Server connections to this database, by state (pg_stat_activity)',
    labelNames: ['state'] as const,
    registers: into,
  });
  const maxConnections = new Gauge({ name: 'till_database_max_connections', help: 'The database server connection limit', registers: into });

  const rows = (await database.pool.query(QUERY, [BACKUP_HEARTBEAT])).rows as {
    metric: string;
    label: string | null;
    value: number;
  }[];
  let sawBackup = false;
  for (const { metric, label, value } of rows) {
    const v = Number(value);
    if (metric === 'queue') queue.set({ register: label! }, v);
    else if (metric === 'seen') seen.set({ register: label! }, v);
    else if (metric === 'backup') {
      sawBackup = true;
      backup.set(v);
    } else if (metric === 'login_failures') loginFailures.inc(v);
    else if (metric === 'locked') locked.set(v);
    else if (metric === 'connections') connections.set({ state: label! }, v);
    else if (metric === 'max_connections') maxConnections.set(v);
  }
  // An unlabelled gauge prints 0 until set: no backup must be absent, not a backup in 1970.
  if (!sawBackup) registry.removeSingleMetric(BACKUP_METRIC);
  return registry.metrics();
}
