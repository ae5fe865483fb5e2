// Soak: one real edge and five registers in this process, each with its own PGlite, live shapes and
// outbox pusher, selling every few seconds for SOAK_MS while a price changes on the edge every
// second. Proves that nothing degrades over time: no 401 or 5xx, every sale booked once, price
// changes reach every register quickly, and neither database connections nor edge memory grow.
// SOAK_MS (default 120 s); SOAK_POSTGRES=1 also runs it on PostgreSQL (needs TEST_DATABASE_URL).
// Opt-in (SOAK=1) until the p95 change latency it measured on this machine (70 s, with the test
// process itself stalled most of the time) is understood: it is not yet part of `npm test`.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client';
import { waitFor } from '../../infra/wait-for';
import { createRegister } from '../../services/admin-setup';
import { issuePairingCode, type DeviceIdentity, type PairedDevice } from '../../services/device-auth';
import { createTestDatabase, type TestDatabase } from '../../test/create-database';
import { startEdge, type EdgeProcess } from '../../test/edge-process';
import { catalogRows, line, saleEvent, type CatalogRow } from '../../test/fixtures/register-sale';
import { enqueueEvent } from './outbox';
import { Pusher, type PushOutcome } from './pusher';
import { applyLocalSchema, startShapeSync, type PGliteWithSync, type ShapeSyncHandle } from './shape-sync';

const SOAK_MS = Number(process.env.SOAK_MS ?? 120_000);
const REGISTERS = ['R01', 'R02', 'R03', 'R04', 'R05'];
/** Each register sells once every SALE_EVERY_MS ± half of it. */
const SALE_EVERY_MS = 3_000;
const PRICE_EVERY_MS = 1_000;
const SAMPLE_EVERY_MS = 1_000;
/** The windows compared for growth: the first and the last minute (or halves of a shorter soak). */
const WINDOW_MS = Math.min(60_000, SOAK_MS / 2);
const P95_BOUND_MS = 5_000;

const backends = process.env.SOAK_POSTGRES === '1' && process.env.TEST_DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

interface Sim {
  code: string;
  identity: DeviceIdentity;
  token: string;
  local: PGliteWithSync;
  sync?: ShapeSyncHandle;
  pusher?: Pusher;
  seq: number;
  pushed: string[];
  /** Every answer the register got, by status. */
  statuses: Map<number, number>;
  /** 401 and 5xx answers: method, status and path. */
  bad: string[];
  networkErrors: string[];
  syncErrors: string[];
  outcomes: PushOutcome['kind'][];
  /** ms from an edge price change to its arrival here, one entry per change. */
  latencies: number[];
  seenAmount: number;
}

/** The register's fetch for both clients: the real one, with every answer's status counted. */
function countingFetch(sim: Sim): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    try {
      const res = await fetch(input, init);
      sim.statuses.set(res.status, (sim.statuses.get(res.status) ?? 0) + 1);
      if (res.status === 401 || res.status >= 500) sim.bad.push(`${init?.method ?? 'GET'} ${res.status} ${url.pathname}?${url.searchParams.get('table') ?? ''}`);
      return res;
    } catch (e) {
      // The client aborts its own requests (unsubscribing; a live shape refreshed so that the
      // catalog commits at one position): that is the client's choice, not a failure.
      if (!init?.signal?.aborted) sim.networkErrors.push(`${url.pathname}: ${String(e)} ${String((e as Error).cause ?? '')}`);
      throw e;
    }
  };
}

/** Server-side TCP connections to the embedded database's wire port (what its server holds open). */
function wireConnections(port: number): number {
  let n = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const row of text.split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      if (f.length < 4) continue;
      const localPort = parseInt(f[1]!.split(':').pop()!, 16);
      if (localPort === port && f[3] === '01') n++;
    }
  }
  return n;
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

describe.skipIf(process.env.SOAK !== '1').each(backends)('soak on %s: five registers selling while prices change', (backend) => {
  let dir: string;
  let edge: EdgeProcess;
  let external: TestDatabase | undefined;
  let database: Database;
  let dbUrl: string;
  const sims: Sim[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'till-soak-'));
    const env: Record<string, string> = { TILL_DATA_DIR: path.join(dir, 'edge') };
    if (backend === 'postgres') {
      external = await createTestDatabase('postgres');
      env.DATABASE_URL = external.url;
    }
    edge = await startEdge(env);
    dbUrl = edge.pgliteUrl ?? external!.url;
    database = openDatabase(dbUrl, { max: 2, applicationName: 'till-soak' });
  });

  afterAll(async () => {
    for (const s of sims) {
      s.pusher?.stop();
      s.sync?.unsubscribe();
      await s.local.close().catch(() => undefined);
    }
    await database?.close();
    await edge?.stop();
    await external?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stays healthy for the whole soak', { timeout: SOAK_MS + 240_000 }, async () => {
    // Registers R02..R05 beside the demo's R01, each paired over https as a register would.
    for (const code of REGISTERS.slice(1)) await createRegister(database, { code, name: `Register ${code}` }, 'soak');
    const regs = (await database.pool.query(`SELECT id, code FROM registers WHERE code = ANY($1) ORDER BY code`, [REGISTERS])).rows as { id: string; code: string }[];
    expect(regs.map((r) => r.code)).toEqual(REGISTERS);

    const company = (await database.pool.query(`SELECT id FROM companies WHERE code = 'U'`)).rows[0].id as string;
    const cashierId = (await database.pool.query(`SELECT id FROM cashiers ORDER BY name LIMIT 1`)).rows[0].id as string;
    const sold: CatalogRow[] = await catalogRows(database, company, 3);
    // The changing price is an item no sale uses, so sales are judged against stable prices.
    const changing = (
      await database.pool.query(
        `SELECT p.id, p.amount FROM prices p JOIN items i ON i.id = p.item_id WHERE i.company_id = $1 AND i.id <> ALL($2::uuid[]) ORDER BY i.code DESC LIMIT 1`,
        [company, sold.map((r) => r.itemId)],
      )
    ).rows[0] as { id: string; amount: number };

    for (const reg of regs) {
      const { code } = await issuePairingCode(database, reg.id);
      const res = await fetch(`${edge.base}/sync/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pairingCode: code, appVersion: 'soak' }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { token: string; registerId: string; registerCode: string; devices: PairedDevice[] };
      const local = (await PGlite.create({ extensions: { sync: electricSync() } })) as unknown as PGliteWithSync;
      await applyLocalSchema(local);
      sims.push({
        code: reg.code,
        identity: { registerId: body.registerId, registerCode: body.registerCode, tokenId: '', devices: body.devices, companyIds: body.devices.map((d) => d.companyId) },
        token: body.token,
        local,
        seq: 0,
        pushed: [],
        statuses: new Map(),
        bad: [],
        networkErrors: [],
        syncErrors: [],
        outcomes: [],
        latencies: [],
        seenAmount: changing.amount,
      });
    }

    // Live shapes and pushers, all at once, as registers opening in the morning.
    const t0 = Date.now();
    await Promise.all(
      sims.map(async (s) => {
        const f = countingFetch(s);
        s.sync = await startShapeSync(s.local, {
          baseUrl: edge.base,
          token: s.token,
          fetchClient: f,
          onError: (e) => s.syncErrors.push(String(e)),
        });
        s.pusher = new Pusher(s.local, {
          baseUrl: edge.base,
          token: () => s.token,
          fetch: f,
          appVersion: 'soak',
          onToken: async (t) => {
            s.token = t;
          },
          onOutcome: (o) => s.outcomes.push(o.kind),
        });
        s.pusher.start();
        await waitFor(async () => (s.sync!.isUpToDate ? true : undefined), { timeoutMs: 120_000, intervalMs: 100, what: `${s.code} initial sync` });
      }),
    );
    const initialSyncMs = Date.now() - t0;

    const launcherPid = edge.child.pid!;
    const functionPid = Number(/"message":"function server ready"[^\n]*"pid":(\d+)/.exec(edge.output())?.[1]);
    expect(functionPid).toBeGreaterThan(0);
    const pglitePort = edge.pgliteUrl ? Number(new URL(edge.pgliteUrl).port) : undefined;
    const connections = async () =>
      pglitePort !== undefined
        ? wireConnections(pglitePort)
        : ((await database.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`)).rows[0].n as number);

    // Five registers share this one thread: its stalls would show as latency, so they are reported.
    const lag = monitorEventLoopDelay({ resolution: 20 });
    lag.enable();
    const start = Date.now();
    const end = start + SOAK_MS;
    const changes: { amount: number; at: number }[] = [];
    const samples: { t: number; launcherKb: number; functionsKb: number; connections: number }[] = [];
    const loops: Promise<void>[] = [];
    const pace = (ms: number) => new Promise((r) => setTimeout(r, ms));

    // The edge changes one price every second.
    loops.push(
      (async () => {
        for (let k = 1; Date.now() < end; k++) {
          const next = start + k * PRICE_EVERY_MS;
          const amount = changing.amount + k;
          // Timed from before the commit: a register may see it before this query returns.
          changes.push({ amount, at: Date.now() });
          await database.pool.query(`UPDATE prices SET amount = $1, updated_at = now() WHERE id = $2`, [amount, changing.id]);
          await pace(Math.max(0, next - Date.now()));
        }
      })(),
    );
    // Each register sells now and then, as a cashier would: the sale and its event in one local
    // transaction, then the pusher is woken.
    for (const s of sims) {
      loops.push(
        (async () => {
          await pace(Math.random() * SALE_EVERY_MS);
          while (Date.now() < end) {
            const event = saleEvent(s.identity, 'U', { seq: ++s.seq, cashierId, lines: [line(sold[s.seq % sold.length]!, company, 1 + (s.seq % 3))] });
            await s.local.transaction(async (tx) => enqueueEvent(tx, event));
            s.pushed.push(event.eventId);
            s.pusher!.kick();
            await pace(SALE_EVERY_MS / 2 + Math.random() * SALE_EVERY_MS);
          }
        })(),
      );
    }
    // Each register notices the price as the POS would, by reading its local table.
    const watch = async (s: Sim) => {
      const r = await s.local.query<{ amount: number }>(`SELECT amount FROM prices WHERE id = $1`, [changing.id]);
      const amount = r.rows[0]?.amount ?? 0;
      if (amount <= s.seenAmount) return;
      const now = Date.now();
      // Changes that arrive together count from each one's own commit.
      for (const c of changes) if (c.amount > s.seenAmount && c.amount <= amount) s.latencies.push(now - c.at);
      s.seenAmount = amount;
    };
    for (const s of sims) {
      loops.push(
        (async () => {
          while (Date.now() < end) {
            await watch(s);
            await pace(100);
          }
        })(),
      );
    }
    // Edge memory and database connections, once a second.
    loops.push(
      (async () => {
        while (Date.now() < end) {
          samples.push({ t: Date.now() - start, launcherKb: rssKb(launcherPid), functionsKb: rssKb(functionPid), connections: await connections() });
          await pace(SAMPLE_EVERY_MS);
        }
      })(),
    );
    await Promise.all(loops);
    lag.disable();

    // Drain: every queued sale pushed, the last price everywhere.
    const last = changes.at(-1)!.amount;
    await waitFor(
      async () => {
        for (const s of sims) {
          await watch(s);
          const pending = (await s.local.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`)).rows[0]!.n;
          if (pending > 0 || s.seenAmount < last) return undefined;
        }
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 50, what: 'every sale pushed and the last price on every register' },
    );
    for (const s of sims) {
      s.pusher!.stop();
      s.sync!.unsubscribe();
    }

    const allPushed = sims.flatMap((s) => s.pushed);
    const booked = (
      await database.pool.query(`SELECT event_id, count(*)::int AS n FROM sales WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`, [allPushed])
    ).rows as { event_id: string; n: number }[];
    const rejected = (
      await Promise.all(sims.map((s) => s.local.query<{ event_id: string; reason: string }>(`SELECT event_id, reason FROM outbox WHERE status <> 'accepted'`)))
    ).flatMap((r) => r.rows);
    const latencies = sims.flatMap((s) => s.latencies);
    const windowMax = (key: 'launcherKb' | 'functionsKb' | 'connections', from: number, to: number) =>
      Math.max(...samples.filter((x) => x.t >= from && x.t < to).map((x) => x[key]));
    const first = (key: 'launcherKb' | 'functionsKb' | 'connections') => windowMax(key, 0, WINDOW_MS);
    const lastW = (key: 'launcherKb' | 'functionsKb' | 'connections') => windowMax(key, SOAK_MS - WINDOW_MS, Infinity);

    const report = {
      soak: backend,
      soakMs: SOAK_MS,
      registers: sims.length,
      initialSyncMs,
      salesPushed: allPushed.length,
      salesBooked: booked.length,
      priceChanges: changes.length,
      latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies), n: latencies.length },
      statuses: Object.fromEntries(sims.map((s) => [s.code, Object.fromEntries(s.statuses)])),
      bad: sims.flatMap((s) => s.bad.map((b) => `${s.code} ${b}`)),
      networkErrors: sims.flatMap((s) => s.networkErrors.map((b) => `${s.code} ${b}`)),
      syncErrors: sims.flatMap((s) => s.syncErrors.map((b) => `${s.code} ${b}`)),
      connections: { firstMinuteMax: first('connections'), lastMinuteMax: lastW('connections') },
      launcherRssMb: { firstMinuteMax: Math.round(first('launcherKb') / 1024), lastMinuteMax: Math.round(lastW('launcherKb') / 1024) },
      functionsRssMb: { firstMinuteMax: Math.round(first('functionsKb') / 1024), lastMinuteMax: Math.round(lastW('functionsKb') / 1024) },
      samples: samples.length,
      registersEventLoopLagMs: { p99: Math.round(lag.percentile(99) / 1e6), max: Math.round(lag.max / 1e6) },
    };
    console.info(JSON.stringify(report));

    expect(report.bad).toEqual([]);
    expect(sims.flatMap((s) => s.outcomes).filter((k) => k === 'revoked')).toEqual([]);
    // Every sale booked exactly once, none rejected.
    expect(rejected).toEqual([]);
    expect(booked.every((b) => b.n === 1)).toBe(true);
    expect(new Set(booked.map((b) => b.event_id))).toEqual(new Set(allPushed));
    // Every price change reached every register, quickly.
    // Paced at one a second; each UPDATE waits for the edge, so a loaded machine manages fewer.
    expect(changes.length).toBeGreaterThan(SOAK_MS / PRICE_EVERY_MS / 4);
    expect(latencies.length).toBe(changes.length * sims.length);
    expect(report.latencyMs.p95).toBeLessThan(P95_BOUND_MS);
    // Nothing accumulates: connections flat, memory within a quarter of the first minute's.
    expect(report.connections.lastMinuteMax).toBeLessThanOrEqual(report.connections.firstMinuteMax + 2);
    expect(lastW('launcherKb')).toBeLessThanOrEqual(first('launcherKb') * 1.25);
    expect(lastW('functionsKb')).toBeLessThanOrEqual(first('functionsKb') * 1.25);
  });
});
