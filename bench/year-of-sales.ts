// A store's year of sales on both backends: what the admin pages, the X and Z reports, a register's
// small-table sync and the worker's change-log compaction cost once the edge holds a year.
// The year is generated set-based in the database (generate_series, through the change-capture
// triggers: every sale, shift, queue entry and rejection lands in change_log as a push would),
// not through the push path, which would take hours on this machine. Push ingest does not slow
// with size (see "Push ingest"). `npm run bench -- year` (YEAR_SALES, default 500,000).
import os from 'node:os';
import { openDatabase, type Database } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { listAdjustmentPage, listSales } from '../services/admin-sales';
import { closeShiftWithZ, getShift, listCashMovements, listShifts, xReport } from '../services/admin-shifts';
import { listRejectedPage } from '../services/outbox';
import { encodeCursor } from '../services/pagination';
import { runWorkerTick } from '../services/worker-tick';
import { POLLED_TABLES } from '../sync/register/shape-sync';
import { compactChangeLog } from '../db/change-log';
import { handleShapeRequest } from '../sync/shape-server';
import { registerHistoryDays, type ShapeScope } from '../sync/shape-tables';
import { createTestDatabase, type Backend } from '../test/create-database';
import { pairedDemoRegister } from '../test/fixtures/register-sale';
import { median } from './stats';

const DAYS = 365;
/** Sales generated per statement: one transaction each, so neither backend holds the whole year in one. */
const BATCH = 50_000;

export interface Timed {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export interface YearResult {
  backend: Backend;
  /** 1-minute load average at the start and the end of this backend's run. */
  load: [number, number];
  sales: number;
  salesPerShift: number;
  generateMs: number;
  rows: Record<string, number>;
  databaseMb: number;
  pages: Record<string, Timed>;
  floors: Record<string, Timed>;
  registerSync: { ms: Timed; rows: Record<string, number>; kb: number };
  compaction: {
    cutoffQuery: Timed;
    compactMs: number;
    vacuumMs: number;
    checkpointMs: number | null;
    deleted: number;
    changeLogMbBefore: number;
    changeLogMbAfter: number;
    idleTick: Timed;
  };
}

const round = (x: number) => Math.round(x * 10) / 10;

/** One warm-up, then `runs` timed runs. */
async function timed(fn: () => Promise<unknown>, runs = 3): Promise<Timed> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(round(performance.now() - t));
  }
  return { median: median(ms), min: Math.min(...ms), max: Math.max(...ms), runs: ms };
}

async function generateYear(database: Database, sales: number) {
  const { identity, cashierId } = await pairedDemoRegister(database, { itemsPerCompany: 20, sharedBarcodes: 1, customers: 5 });
  const q = async <R>(sql: string, params: unknown[] = []) => (await database.pool.query(sql, params)).rows as R[];
  const device = identity.devices[0]!;
  const [tax] = await q<{ id: string; rate_bp: number }>(`SELECT id, rate_bp FROM tax_rates WHERE company_id = $1 ORDER BY is_default DESC LIMIT 1`, [
    device.companyId,
  ]);
  const items = await q<{ id: string; name: string }>(`SELECT id, name FROM items WHERE company_id = $1 ORDER BY code LIMIT 2`, [device.companyId]);
  const taxSummary = JSON.stringify([{ taxRateId: tax!.id, rateBp: tax!.rate_bp, net: 833, tax: 167, gross: 1000 }]);
  const t0 = Date.now();
  // One shift a day (day 0 is today's, still open); every sale belongs to its day's shift.
  await q(`CREATE TABLE bench_shift_days (day int PRIMARY KEY, id uuid NOT NULL)`);
  await q(`INSERT INTO bench_shift_days SELECT d, gen_random_uuid() FROM generate_series(0, $1::int - 1) d`, [DAYS]);
  await q(
    `INSERT INTO shifts (id, company_id, register_id, device_id, cashier_id, status, opening_float, opened_at, closed_at, counted_cash, expected_cash, variance)
     SELECT id, $1, $2, $3, $4, CASE WHEN day = 0 THEN 'open' ELSE 'closed' END, 10000,
            date_trunc('day', now()) - day * interval '1 day', CASE WHEN day = 0 THEN NULL ELSE date_trunc('day', now()) - day * interval '1 day' + interval '23 hours' END,
            NULL, NULL, NULL
       FROM bench_shift_days`,
    [device.companyId, identity.registerId, device.id, cashierId],
  );
  for (let from = 1; from <= sales; from += BATCH) {
    const to = Math.min(sales, from + BATCH - 1);
    // Sale n happened n/sales of a year ago; every 10th flagged (the last 500 still open in the
    // Adjustment Queue), one in three by card, one in 97 on credit, two lines each.
    await q(
      `WITH g AS (SELECT n, gen_random_uuid() AS id, now() - (n::float8 / $6) * interval '${DAYS} days' AS at FROM generate_series($7::int, $8::int) n),
            gd AS (SELECT g.*, d.id AS shift_id FROM g JOIN bench_shift_days d ON d.day = least(${DAYS - 1}, floor((n::float8 / $6) * ${DAYS})::int)),
            s AS (INSERT INTO sales (id, company_id, register_id, device_id, cashier_id, shift_id, event_id, receipt_number, subtotal, discount_total,
                                     net_total, tax_total, total, change_due, tax_summary, flagged_for_adjustment, occurred_at)
                  SELECT id, $1, $2, $3, $4, shift_id, gen_random_uuid(), 'Y-' || n, 1000, 0, 833, 167, 1000, CASE WHEN n % 97 <> 0 AND n % 3 = 1 THEN 500 ELSE 0 END,
                         $5::jsonb, n % 10 = 0, at FROM gd RETURNING id),
            l AS (INSERT INTO sale_lines (id, sale_id, company_id, line_no, item_id, item_company_id, name, quantity_milli, unit_price, net, tax, total, tax_rate_id, rate_bp)
                  SELECT gen_random_uuid(), gd.id, $1, k, CASE k WHEN 1 THEN $9::uuid ELSE $10::uuid END, $1, 'Item ' || k, 1000, 500, 417, 83, 500, $11, $12
                    FROM gd CROSS JOIN generate_series(1, 2) k),
            p AS (INSERT INTO payments (sale_id, company_id, kind, amount, given)
                  SELECT id, $1, CASE WHEN n % 97 = 0 THEN 'credit' WHEN n % 3 = 0 THEN 'card' ELSE 'cash' END, 1000,
                         CASE WHEN n % 97 <> 0 AND n % 3 = 1 THEN 1500 END FROM gd)
       INSERT INTO adjustment_queue (company_id, sale_id, status, reasons, created_at, resolved_at, resolved_by, resolution_action)
       SELECT $1, id, CASE WHEN n <= 5000 THEN 'open' ELSE 'resolved' END, '[]', at,
              CASE WHEN n <= 5000 THEN NULL ELSE at + interval '1 day' END, CASE WHEN n <= 5000 THEN NULL ELSE 'bench' END,
              CASE WHEN n <= 5000 THEN NULL ELSE 'no_action' END
         FROM gd WHERE n % 10 = 0`,
      [device.companyId, identity.registerId, device.id, cashierId, taxSummary, sales, from, to, items[0]!.id, items[1]!.id, tax!.id, tax!.rate_bp],
    );
  }
  await q(
    `INSERT INTO cash_movements (id, company_id, shift_id, kind, amount, reason, created_at)
     SELECT gen_random_uuid(), $1, d.id, CASE WHEN k = 1 THEN 'in' ELSE 'out' END, 2000, 'bench', now() - d.day * interval '1 day'
       FROM bench_shift_days d CROSS JOIN generate_series(1, 2) k`,
    [device.companyId],
  );
  await q(
    `INSERT INTO rejected_events (source, device_id, register_id, company_id, type, payload, reason, status, created_at)
     SELECT 'push', $1, $2, $3, 'sale.completed', '{}', 'bench', CASE WHEN n % 20 = 0 THEN 'pending' ELSE 'dismissed' END, now() - n * interval '1 hour'
       FROM generate_series(1, 5000) n`,
    [device.id, identity.registerId, device.companyId],
  );
  // As the worker does after bulk changes (services/worker-tick.ts).
  await q('ANALYZE');
  const shiftIds = await q<{ day: number; id: string }>(`SELECT day, id FROM bench_shift_days WHERE day <= 3 ORDER BY day`);
  await q(`DROP TABLE bench_shift_days`);
  return { identity, generateMs: Date.now() - t0, shiftIds: shiftIds.map((s) => s.id) };
}

/** The register's catch-up of its small tables, as the shape service serves it: every chunk of every table. */
async function smallTableSync(database: Database, scope: ShapeScope) {
  const rows: Record<string, number> = {};
  let bytes = 0;
  for (const table of POLLED_TABLES) {
    let offset = '-1';
    let handle = '';
    rows[table] = 0;
    for (;;) {
      const res = await handleShapeRequest(database, { method: 'GET', query: { table, offset, log: 'full', ...(handle ? { handle } : {}) } }, scope);
      if (res.status !== 200) throw new Error(`shape ${table} answered ${res.status}: ${res.body.slice(0, 300)}`);
      bytes += Buffer.byteLength(res.body);
      rows[table] += (JSON.parse(res.body) as { value?: unknown }[]).filter((m) => m.value).length;
      handle = String(res.headers['electric-handle']);
      offset = String(res.headers['electric-offset']);
      if (offset === '0_inf') break;
    }
  }
  return { rows, kb: Math.round(bytes / 1024) };
}

async function benchBackend(backend: Backend, sales: number, log: (s: string) => void): Promise<YearResult> {
  const loadAtStart = os.loadavg()[0]!;
  const test = await createTestDatabase(backend);
  const database = openDatabase(test.url, { max: 4, applicationName: 'till-bench' });
  const q = async <R>(sql: string, params: unknown[] = []) => (await database.pool.query(sql, params)).rows as R[];
  try {
    await migrateDatabase(database);
    const { identity, generateMs, shiftIds } = await generateYear(database, sales);
    log(`${backend}: ${sales} sales generated in ${generateMs} ms`);
    const count = async (t: string) => Number((await q<{ n: string }>(`SELECT count(*) AS n FROM ${t}`))[0]!.n);
    const rowTables = ['sales', 'sale_lines', 'payments', 'adjustment_queue', 'rejected_events', 'shifts', 'change_log'];
    const rows = Object.fromEntries(await Promise.all(rowTables.map(async (t) => [t, await count(t)] as const)));
    const databaseMb = Math.round(Number((await q<{ b: string }>(`SELECT pg_database_size(current_database()) AS b`))[0]!.b) / 2 ** 20);
    const [today, ...toClose] = shiftIds as [string, ...string[]];
    const salesPerShift = Number((await q<{ n: string }>(`SELECT count(*) AS n FROM sales WHERE shift_id = $1`, [toClose[0]]))[0]!.n);

    // A page half a year back, reached by its keyset cursor as the Next link would carry it.
    const mid = (
      await q<{ k: string; id: string }>(
        `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS k, id FROM sales ORDER BY occurred_at DESC, id DESC OFFSET $1 LIMIT 1`,
        [Math.floor(sales / 2)],
      )
    )[0]!;
    const deep = encodeCursor({ k: mid.k, id: mid.id });
    const pages: Record<string, Timed> = {
      'Sales, first page': await timed(() => listSales(database, {}, { limit: 50 })),
      'Sales, a page half a year back (keyset)': await timed(() => listSales(database, {}, { limit: 50, cursor: deep })),
      'Sales, flagged only': await timed(() => listSales(database, { flaggedOnly: true }, { limit: 50 })),
      'Sales, tender = card': await timed(() => listSales(database, { tender: 'card' }, { limit: 50 })),
      'Adjustment Queue, first page': await timed(() => listAdjustmentPage(database, { limit: 50 })),
      'Outbox, pending first page': await timed(() => listRejectedPage(database, { status: 'pending', limit: 50 })),
      'Shift list': await timed(() => listShifts(database)),
      'Shift detail (shift, cash movements)': await timed(async () => [await getShift(database, toClose[0]!), await listCashMovements(database, toClose[0]!)]),
      [`X report, today's open shift`]: await timed(() => xReport(database, today)),
    };
    // Z closes a shift for good: each run closes another busy day (reopened first), no warm-up.
    const z: number[] = [];
    for (const id of toClose) {
      await q(`UPDATE shifts SET status = 'open', closed_at = NULL WHERE id = $1`, [id]);
      const t = performance.now();
      await closeShiftWithZ(database, { shiftId: id, countedCash: '100.00' }, 'bench');
      z.push(round(performance.now() - t));
    }
    pages['Z report (close a busy shift)'] = { median: median(z), min: Math.min(...z), max: Math.max(...z), runs: z };
    const floors: Record<string, Timed> = {
      'bare indexed SELECT of the first 50 sales': await timed(() => q(`SELECT id, occurred_at, total FROM sales ORDER BY occurred_at DESC, id DESC LIMIT 50`)),
      [`bare SELECT of one shift's sales and payments`]: await timed(() =>
        q(`SELECT s.id, s.total, p.kind, p.amount FROM sales s JOIN payments p ON p.sale_id = s.id WHERE s.shift_id = $1`, [today]),
      ),
    };
    log(`${backend}: pages ${JSON.stringify(Object.fromEntries(Object.entries(pages).map(([k, v]) => [k, v.median])))}`);

    const scope: ShapeScope = { companyIds: identity.companyIds, registerId: identity.registerId, deviceIds: identity.devices.map((d) => d.id) };
    let synced = { rows: {} as Record<string, number>, kb: 0 };
    const syncMs = await timed(async () => (synced = await smallTableSync(database, scope)));
    log(`${backend}: small-table sync ${syncMs.median} ms ${JSON.stringify(synced)}`);

    // Compaction: the worker's cutoff query as it runs every minute, then one compaction of the
    // year's capture, with the VACUUM and CHECKPOINT that follow it (VACUUM makes the space
    // reusable for new changes; it does not give it back to the file system).
    const mb = async () => round(Number((await q<{ b: string }>(`SELECT pg_total_relation_size('change_log') AS b`))[0]!.b) / 2 ** 20);
    const changeLogMbBefore = await mb();
    const cutoffQuery = await timed(() => q(`SELECT COALESCE(max(lsn), 0) AS lsn FROM change_log WHERE created_at < now() - make_interval(days => 7)`));
    // The generator wrote the year in a few transactions (one log position each), so the whole
    // generated log is compacted: a year of changes the registers have long had.
    const keep = Number((await q<{ lsn: string }>(`SELECT max(lsn) AS lsn FROM change_log`))[0]!.lsn);
    let t = performance.now();
    const compacted = await compactChangeLog(database, { keepLsnAfter: keep });
    const compactMs = round(performance.now() - t);
    t = performance.now();
    await q('VACUUM (ANALYZE) change_log');
    const vacuumMs = round(performance.now() - t);
    let checkpointMs: number | null = null;
    if (backend === 'pglite') {
      t = performance.now();
      await q('CHECKPOINT');
      checkpointMs = round(performance.now() - t);
    }
    const changeLogMbAfter = await mb();
    const idleTick = await timed(() => runWorkerTick(database));
    return {
      backend,
      load: [round(loadAtStart), round(os.loadavg()[0]!)],
      sales,
      salesPerShift,
      generateMs,
      rows,
      databaseMb,
      pages,
      floors,
      registerSync: { ms: syncMs, ...synced },
      compaction: { cutoffQuery, compactMs, vacuumMs, checkpointMs, deleted: compacted.deleted, changeLogMbBefore, changeLogMbAfter, idleTick },
    };
  } finally {
    await database.close();
    await test.dispose();
  }
}

export async function benchYearOfSales(opts: { sales: number; backends: Backend[]; log?: (s: string) => void }) {
  const out: YearResult[] = [];
  for (const b of opts.backends) out.push(await benchBackend(b, opts.sales, opts.log ?? console.log));
  return { historyDays: registerHistoryDays(), results: out };
}

const cell = (x: Timed) => `${x.median} (${x.min}–${x.max})`;

/** The section of bench/RESULTS.md. */
export function yearSection(r: Awaited<ReturnType<typeof benchYearOfSales>>): string {
  const [a, b] = r.results as [YearResult, YearResult | undefined];
  const head = `| case | ${r.results.map((x) => x.backend).join(' | ')} |\n| --- |${r.results.map(() => ' --- |').join('')}`;
  const row = (name: string, f: (x: YearResult) => string) => `| ${name} | ${r.results.map(f).join(' | ')} |`;
  const lines = [
    `## Year of sales (${a.sales.toLocaleString('en')} generated sales over ${DAYS} days, ${a.salesPerShift.toLocaleString('en')} in a busy shift; ms, median of 3 after a warm-up, (min–max))`,
    '',
    `Generated set-based through the change-capture triggers (not through the push path): ${r.results.map((x) => `${x.backend} ${Math.round(x.generateMs / 1000)} s, database ${x.databaseMb} MB`).join('; ')}. ` +
      `Rows: ${Object.entries(a.rows)
        .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
        .join(', ')}. No stock movements are generated. ` +
      `Load average (1 min) at the start and end of each backend's run: ${r.results.map((x) => `${x.backend} ${x.load.join(' → ')}`).join(', ')} (a shared 2-core machine: compare figures within a row, not with a quiet machine). ` +
      `\`npm run bench -- year\` (YEAR_SALES).`,
    '',
    head,
    ...Object.keys(a.pages).map((k) => row(k, (x) => cell(x.pages[k]!))),
    ...Object.keys(a.floors).map((k) => row(`floor: ${k}`, (x) => cell(x.floors[k]!))),
    row(`register small-table sync (${POLLED_TABLES.length} tables, ${r.historyDays} days of own history)`, (x) => cell(x.registerSync.ms)),
    row(
      '… rows / KB sent',
      (x) =>
        `${Object.values(x.registerSync.rows)
          .reduce((s, n) => s + n, 0)
          .toLocaleString('en')} rows (sales ${x.registerSync.rows.sales}) / ${x.registerSync.kb} KB`,
    ),
    row(`compaction: the worker's cutoff query`, (x) => cell(x.compaction.cutoffQuery)),
    row(`compaction: delete the year's change log (one run)`, (x) => `${x.compaction.compactMs} (${x.compaction.deleted.toLocaleString('en')} rows)`),
    row('compaction: VACUUM (ANALYZE) change_log (one run)', (x) => String(x.compaction.vacuumMs)),
    row('compaction: CHECKPOINT (PGlite only, one run)', (x) => (x.compaction.checkpointMs === null ? '—' : String(x.compaction.checkpointMs))),
    row('change_log MB before → after', (x) => `${x.compaction.changeLogMbBefore} → ${x.compaction.changeLogMbAfter}`),
    row('worker tick with nothing to compact', (x) => cell(x.compaction.idleTick)),
  ];
  void b;
  return lines.join('\n') + '\n';
}

if (require.main === module) {
  process.env.LOG_LEVEL ??= 'WARN';
  const backends: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  benchYearOfSales({ sales: Number(process.argv[2] ?? process.env.YEAR_SALES ?? 20_000), backends }).then(
    (r) => (console.log(yearSection(r)), process.exit(0)),
    (e) => (console.error(e), process.exit(1)),
  );
}
