// Every Till metric an alert rule or a dashboard reads is exported by the real GET /metrics after
// ordinary traffic, and the store-state metrics say what the database says; on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handler as metricsHandler } from '../../functions/metrics';
import { handler as pushHandler } from '../../functions/push';
import { createRegister } from '../../services/admin-setup';
import { DomainError } from '../../core/errors';
import { signIn } from '../../services/admin-auth';
import { issuePairingCode, pairRegister, revokeDevices } from '../../services/device-auth';
import { backends, useMigratedDatabase } from '../../test/databases';
import { apiEvent } from '../../test/fixtures/principals';
import { catalogRows, line, saleEvent } from '../../test/fixtures/register-sale';
import { seedDemo } from '../../seeds/demo';
import { BACKUP_HEARTBEAT, BACKUP_METRIC } from '../../functions/lib/store-metrics';
import { allQueries, tillMetricNames } from './queries';

type Call = (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Sample lines of the Prometheus text format (comments skipped). */
function samples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const l of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(l);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of one series, or undefined when it is not exported. */
function value(all: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('metric names in queries', () => {
  it('reduces histogram series to the histogram and ignores other names', () => {
    expect(
      tillMetricNames(
        'histogram_quantile(0.9, sum by (le) (rate(till_http_request_duration_seconds_bucket{job="till-edge"}[5m]))) / till_http_requests_total + node_load1',
      ),
    ).toEqual(['till_http_request_duration_seconds', 'till_http_requests_total']);
  });

  it('finds queries in every alert rule and dashboard', () => {
    const queries = allQueries();
    expect(queries.filter((q) => q.where.startsWith('alerts.yml')).length).toBeGreaterThan(5);
    expect(queries.filter((q) => q.where.startsWith('store-overview.json')).length).toBeGreaterThan(5);
    expect(queries.filter((q) => q.where.startsWith('security.json')).length).toBeGreaterThan(5);
    for (const q of queries) expect(q.expr, q.where).not.toBe('');
  });
});

describe.each(backends)('GET /metrics on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  const saved = { DATABASE_URL: process.env.DATABASE_URL, REJECTED_PER_REGISTER: process.env.REJECTED_PER_REGISTER };
  const ctx = {} as { token: string; revoked: string; identity: Awaited<ReturnType<typeof pairRegister>>['identity']; cashierId: string };
  const seq: Record<string, number> = { O: 0, U: 0 };

  const scrape = async () => {
    const r = await (metricsHandler as Call)(apiEvent('GET', '/metrics', { sourceIp: '127.0.0.1' }));
    expect(r.statusCode).toBe(200);
    return samples(String(r.body));
  };
  const push = (events: unknown[], opts: { token?: string; queueDepth?: number } = {}) =>
    (pushHandler as Call)(
      apiEvent('POST', '/sync/push', {
        token: opts.token ?? ctx.token,
        body: { events },
        headers: opts.queueDepth === undefined ? {} : { 'x-till-queue-depth': String(opts.queueDepth) },
      }),
    );
  const company = async (code: string) => (await t.database.pool.query(`SELECT id FROM companies WHERE code = $1`, [code])).rows[0].id as string;

  const saleOf = async (code: string) => {
    const [row] = await catalogRows(t.database, await company(code), 1);
    return saleEvent(ctx.identity, code, { seq: ++seq[code]!, cashierId: ctx.cashierId, lines: [line(row!, await company(code))] });
  };
  const recordBackup = (ago: string) =>
    t.database.pool.query(
      `INSERT INTO heartbeats (name, beat_at) VALUES ($1, now() - $2::interval) ON CONFLICT (name) DO UPDATE SET beat_at = EXCLUDED.beat_at`,
      [BACKUP_HEARTBEAT, ago],
    );
  /** A bit of everything the dashboards count: a sale and a bad event, a revoked register, bad input over quota, a failed sign-in, a backup. */
  const traffic = async () => {
    expect((await push([await saleOf('U'), { not: 'an event' }])).statusCode).toBe(200);
    expect((await push([{}], { token: ctx.revoked })).statusCode).toBe(401);
    process.env.REJECTED_PER_REGISTER = '1';
    for (let i = 0; i < 2; i++) expect((await push([])).statusCode).toBe(400);
    delete process.env.REJECTED_PER_REGISTER;
    await expect(signIn(t.database, `traffic-${backend}@example.test`, 'wrong')).rejects.toBeInstanceOf(DomainError);
    await recordBackup('10 minutes');
  };

  beforeAll(async () => {
    process.env.DATABASE_URL = t.url;
    await seedDemo(t.database, { itemsPerCompany: 3, sharedBarcodes: 0, customers: 1 });
    const r01 = (await t.database.pool.query(`SELECT id FROM registers WHERE code = 'R01'`)).rows[0].id as string;
    const paired = await pairRegister(t.database, { pairingCode: (await issuePairingCode(t.database, r01)).code, appVersion: 'test' });
    ctx.token = paired.token;
    ctx.identity = paired.identity;
    ctx.cashierId = (await t.database.pool.query(`SELECT id FROM cashiers ORDER BY name LIMIT 1`)).rows[0].id;
    const { id: gone } = await createRegister(t.database, { code: 'R90', name: 'Stolen' }, 'test');
    ctx.revoked = (await pairRegister(t.database, { pairingCode: (await issuePairingCode(t.database, gone)).code, appVersion: 'test' })).token;
    await revokeDevices(t.database, gone);
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('counts pushed sales per company, push verdicts and the register queue', async () => {
    const before = await scrape();
    const sale = await saleOf('O');

    const first = await push([sale, { not: 'an event' }], { queueDepth: 2 });
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(String(first.body)).results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected']);
    expect((await push([sale])).statusCode).toBe(200); // a replay: not a second sale

    const after = await scrape();
    const diff = (name: string, labels: Record<string, string>) => (value(after, name, labels) ?? 0) - (value(before, name, labels) ?? 0);
    expect(diff('till_sales_total', { company: 'O' })).toBe(1);
    expect(diff('till_push_events_total', { type: 'sale.completed', result: 'accepted' })).toBe(1);
    expect(diff('till_push_events_total', { type: 'sale.completed', result: 'duplicate' })).toBe(1);
    expect(diff('till_push_events_total', { type: 'unknown', result: 'rejected' })).toBe(1);
    expect(diff('till_push_event_lag_seconds_count', { type: 'sale.completed' })).toBe(1);

    expect(value(after, 'till_register_queue_depth', { register: 'R01' })).toBe(2);
    expect(Math.abs(value(after, 'till_register_last_seen_timestamp_seconds', { register: 'R01' })! - Date.now() / 1000)).toBeLessThan(120);
    // A revoked register is not watched for silence.
    expect(value(after, 'till_register_queue_depth', { register: 'R90' })).toBeUndefined();
  });

  it('counts calls with a revoked device token and rejected input beyond the outbox quota', async () => {
    const before = await scrape();
    expect((await push([{}], { token: ctx.revoked })).statusCode).toBe(401);
    const kept = await t.database.pool.query(
      `SELECT count(*)::int AS n FROM rejected_events WHERE source = 'api' AND register_id = $1 AND created_at > now() - interval '10 minutes'`,
      [ctx.identity.registerId],
    );
    process.env.REJECTED_PER_REGISTER = String(kept.rows[0].n + 1);
    // An empty batch is a 400: the first is kept in the outbox, the second only counted.
    for (let i = 0; i < 2; i++) expect((await push([])).statusCode).toBe(400);
    delete process.env.REJECTED_PER_REGISTER;

    const after = await scrape();
    const diff = (name: string, labels: Record<string, string>) => (value(after, name, labels) ?? 0) - (value(before, name, labels) ?? 0);
    expect(diff('till_device_auth_failures_total', { reason: 'revoked' })).toBe(1);
    expect(diff('till_rejected_anonymous_requests_total', { function: 'push', reason: 'unauthorized' })).toBe(1);
    expect(diff('till_rejected_device_requests_dropped_total', { function: 'push' })).toBe(1);
  });

  it('reports admin sign-in failures, and an account as made to wait whenever sign-in refuses it', async () => {
    const email = `nobody-${backend}@example.test`;
    const base = value(await scrape(), 'till_admin_login_failures_total') ?? 0;
    let failed = 0;
    let refused = false;
    while (!refused && failed < 50) {
      const now = await scrape();
      expect(value(now, 'till_admin_login_failures_total')).toBe(base + failed);
      const err = (await signIn(t.database, email, 'wrong').catch((e: unknown) => e)) as DomainError;
      expect(err).toBeInstanceOf(DomainError);
      refused = err.kind === 'rate_limited';
      // A refusal means the account was already waiting when the gauge was read just before.
      if (refused) expect(value(now, 'till_admin_login_locked_accounts')).toBe(1);
      if (!refused) failed++;
    }
    expect(refused).toBe(true);
    expect(failed).toBeGreaterThan(0);
  });

  it('reports the last backup once the backup job records one, and nothing before', async () => {
    await t.database.pool.query(`DELETE FROM heartbeats WHERE name = $1`, [BACKUP_HEARTBEAT]);
    expect(value(await scrape(), BACKUP_METRIC)).toBeUndefined();
    await recordBackup('1 hour');
    const at = value(await scrape(), BACKUP_METRIC)!;
    expect(Math.abs(at - (Date.now() / 1000 - 3600))).toBeLessThan(120);
  });

  it('reports database connections and their limit', async () => {
    const now = await scrape();
    expect(now.filter((s) => s.name === 'till_database_connections').reduce((n, s) => n + s.value, 0)).toBeGreaterThanOrEqual(1);
    expect(value(now, 'till_database_max_connections')).toBeGreaterThan(0);
    expect(value(now, 'till_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
  });

  it('exports every Till metric the alert rules and dashboards read', async () => {
    await traffic();
    const exported = new Set((await scrape()).map((s) => s.name.replace(/_(bucket|sum|count)$/, '')));
    const missing = allQueries().flatMap((q) =>
      tillMetricNames(q.expr)
        .filter((n) => !exported.has(n))
        .map((n) => `${n} (${q.where})`),
    );
    expect(missing).toEqual([]);
  });
});
