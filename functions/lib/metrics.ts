// Request metrics per function. Each worker keeps its own prom-client registry and flushes a JSON
// snapshot to `metrics_snapshots`; /metrics aggregates them (workers share no memory).
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { Database } from '../../db/client';

export const registry = new Registry();
const workerId = randomUUID();

export const requestsTotal = new Counter({
  name: 'till_http_requests_total',
  help: 'HTTP requests handled, by function and status code',
  labelNames: ['function', 'status'] as const,
  registers: [registry],
});

export const requestDuration = new Histogram({
  name: 'till_http_request_duration_seconds',
  help: 'HTTP request latency, by function',
  labelNames: ['function'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

const poolGauge = new Gauge({
  name: 'till_db_pool_connections',
  help: 'Database pool connections of live workers, by state',
  labelNames: ['state'] as const,
  registers: [registry],
});

let flushTimer: NodeJS.Timeout | undefined;

function samplePool(database: Database) {
  poolGauge.set({ state: 'total' }, database.pool.totalCount);
  poolGauge.set({ state: 'idle' }, database.pool.idleCount);
  poolGauge.set({ state: 'waiting' }, database.pool.waitingCount);
}

export async function flushMetrics(database: Database, functionName: string) {
  samplePool(database);
  const json = await registry.getMetricsAsJSON();
  await database.db.execute(sql`
    INSERT INTO metrics_snapshots (worker_id, function_name, metrics, updated_at)
    VALUES (${workerId}, ${functionName}, ${JSON.stringify(json)}::jsonb, now())
    ON CONFLICT (worker_id) DO UPDATE SET metrics = EXCLUDED.metrics, updated_at = now()`);
}

/** Debounced: at most one snapshot write per worker per second. */
export function scheduleFlush(database: Database, functionName: string) {
  if (flushTimer) return;
  flushTimer = setTimeout(() => {
    flushTimer = undefined;
    flushMetrics(database, functionName).catch(() => undefined);
  }, 1000);
  flushTimer.unref();
}

/** Prometheus text for every worker's last snapshot plus this worker's live one. */
export async function aggregatedMetrics(database: Database): Promise<{ contentType: string; text: string }> {
  samplePool(database);
  const rows = await database.pool.query(
    `SELECT metrics FROM metrics_snapshots WHERE worker_id <> $1 AND updated_at > now() - interval '7 days'`,
    [workerId],
  );
  const all = [...rows.rows.map((r) => r.metrics as MetricObjectWithValues<MetricValue<string>>[]), await registry.getMetricsAsJSON()];
  const merged = AggregatorRegistry.aggregate(all as never);
  return { contentType: merged.contentType, text: await merged.metrics() };
}

/** Bad or unauthenticated requests from callers that are not a paired device: counted, never stored. */
export const rejectedAnonymous = new Counter({
  name: 'till_rejected_anonymous_requests_total',
  help: 'Rejected requests from callers without a device identity, by function and reason',
  labelNames: ['function', 'reason'] as const,
  registers: [registry],
});

/** Bad input from a paired device beyond what the outbox keeps per register and window. */
export const rejectedDeviceDropped = new Counter({
  name: 'till_rejected_device_requests_dropped_total',
  help: 'Rejected device requests not kept in the outbox because the register exceeded its quota',
  labelNames: ['function'] as const,
  registers: [registry],
});
