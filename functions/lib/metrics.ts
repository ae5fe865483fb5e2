// Request metrics per function. Each worker keeps its own prom-client registry and flushes a JSON
// snapshot to `metrics_snapshots`; /metrics aggregates them (workers share no memory).
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { Database } from '../../db/client';
import { many } from '../../db/query';

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
  // Written by this module's flush, one worker's registry as JSON.
  const rows = await many<{ metrics: MetricObjectWithValues<MetricValue<string>>[] }>(
    database.pool,
    `SELECT metrics FROM metrics_snapshots WHERE worker_id <> $1 AND updated_at > now() - interval '7 days'`,
    [workerId],
  );
  const all = [...rows.map((r) => r.metrics), await registry.getMetricsAsJSON()];
  const merged = AggregatorRegistry.aggregate(all);
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

/** Device-token checks that failed, by reason (`revoked`: a revoked or re-paired register still calling). */
export const deviceAuthFailures = new Counter({
  name: 'till_device_auth_failures_total',
  help: 'Requests refused because of the device token, by reason',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const pushEvents = new Counter({
  name: 'till_push_events_total',
  help: 'Register events judged by push, by event type and result (accepted, rejected, duplicate)',
  labelNames: ['type', 'result'] as const,
  registers: [registry],
});

export const salesBooked = new Counter({
  name: 'till_sales_total',
  help: 'Sales booked from pushed sale.completed events (replays not counted), by company code',
  labelNames: ['company'] as const,
  registers: [registry],
});

export const pushLag = new Histogram({
  name: 'till_push_event_lag_seconds',
  help: 'Time from an event on the register to its acceptance at the edge (queue wait while offline), by event type',
  labelNames: ['type'] as const,
  buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 7 * 24 * 3600],
  registers: [registry],
});

/**
 * Counts one push batch's verdicts. Types are labelled only when an applier knows them, so a
 * register cannot create label values; companies come from the register's own devices.
 */
export function countPushResults(
  device: { devices: { companyId: string; companyCode: string }[] },
  events: unknown[],
  results: { index: number; type: string | null; status: 'accepted' | 'rejected'; duplicate?: boolean }[],
  knownTypes: Record<string, unknown>,
  now = Date.now(),
) {
  for (const r of results) {
    const type = r.type && Object.hasOwn(knownTypes, r.type) ? r.type : 'unknown';
    const result = r.duplicate ? 'duplicate' : r.status;
    pushEvents.inc({ type, result });
    if (result !== 'accepted') continue;
    const raw = (events[r.index] ?? {}) as { companyId?: unknown; occurredAt?: unknown };
    const at = typeof raw.occurredAt === 'string' ? Date.parse(raw.occurredAt) : NaN;
    if (Number.isFinite(at)) pushLag.observe({ type }, Math.max(0, (now - at) / 1000));
    if (type === 'sale.completed') {
      const company = device.devices.find((d) => d.companyId === raw.companyId)?.companyCode ?? 'unknown';
      salesBooked.inc({ company });
    }
  }
}
