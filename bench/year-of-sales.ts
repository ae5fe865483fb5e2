// A store's year of sales on both backends: what the admin pages, the X and Z reports, a register's
// small-table sync and the worker's change-log compaction cost once the edge holds a year.
// The year is generated set-based in the database (generate_series, through the change-capture
// triggers: every sale, shift, queue entry and rejection lands in change_log as a push would),
// not through the push path, which would take hours on this machine. Push ingest does not slow
// with size (see "Push ingest"). The big tables' secondary indexes and foreign keys are set aside
// while the year loads and rebuilt after it (`setAsideForLoad`). `npm run bench -- year`
// (YEAR_SALES, default 500,000; YEAR_SET_ASIDE=0 loads with every index and foreign key in place;
// YEAR_PLANS=1 prints the plan of every statement the pages ran).
import os from 'node:os';
import pg from 'pg';
import { openDatabase, type Database } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { withTransaction } from '../db/transaction';
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
/** A busy store's year, as the issue counts it (~505k sales, 2M lines). */
const BUSY_YEAR = 500_000;
/** The tables the year fills: their secondary indexes and foreign keys are set aside during the load. */
const LOAD_TABLES = ['sales', 'sale_lines', 'payments', 'adjustment_queue', 'change_log'];
/** A sequential scan of one of these in an admin page's plan reads the year. */
const BIG_TABLES = [...LOAD_TABLES, 'rejected_events'];

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
  /** Its lowest and highest, sampled every 5 s through the run. */
  loadRange: [number, number];
  sales: number;
  salesPerShift: number;
  generateMs: number;
  /** The generation's parts: the batches, and the rebuild of what was set aside (0 when nothing was). */
  loadMs: number;
  rebuildMs: number;
  setAside: { indexes: number; foreignKeys: number };
  rows: Record<string, number>;
  databaseMb: number;
  pages: Record<string, Timed>;
  /** Sequential scans of a big table in the plans of the statements each page ran (EXPLAIN ANALYZE). */
  seqScans: { page: string; table: string; rowsRead: number; ms: number; plan: string }[];
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

/**
 * The load step, documented in one place. In one transaction it drops the secondary indexes of
 * `tables` (every index that does not back a primary key or a unique constraint: unique indexes
 * such as sales_company_receipt go too) and their foreign keys, keeping each definition as the
 * catalog prints it (pg_get_indexdef, pg_get_constraintdef). The caller loads in batches, each its
 * own transaction, with the change-capture triggers on, so change_log fills row by row as a push
 * fills it. `rebuild()` then recreates everything in one transaction, under the same names:
 * CREATE UNIQUE INDEX checks uniqueness and ADD CONSTRAINT … FOREIGN KEY checks every row, so the
 * loaded year meets the same constraints as if they had been in place, checked once per table
 * (a sort per index, a join per key) instead of once per row. A failed check throws.
 */
async function setAsideForLoad(database: Database, tables: string[]) {
  return withTransaction(database, async (client) => {
    const indexes = (
      await client.query<{ name: string; def: string }>(
        `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
           FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
          WHERE t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND t.relname = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = t.oid AND c.contype IN ('p', 'u', 'x'))
          ORDER BY 1`,
        [tables],
      )
    ).rows;
    const foreignKeys = (
      await client.query<{ tbl: string; name: string; def: string }>(
        `SELECT c.conrelid::regclass::text AS tbl, quote_ident(c.conname) AS name, pg_get_constraintdef(c.oid) AS def
           FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
          WHERE t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND t.relname = ANY($1) AND c.contype = 'f'
          ORDER BY 1, 2`,
        [tables],
      )
    ).rows;
    for (const k of foreignKeys) await client.query(`ALTER TABLE ${k.tbl} DROP CONSTRAINT ${k.name}`);
    for (const i of indexes) await client.query(`DROP INDEX ${i.name}`);
    return {
      indexes: indexes.length,
      foreignKeys: foreignKeys.length,
      rebuild: () =>
        withTransaction(database, async (c) => {
          for (const i of indexes) await c.query(i.def);
          for (const k of foreignKeys) await c.query(`ALTER TABLE ${k.tbl} ADD CONSTRAINT ${k.name} ${k.def}`);
        }),
    };
  });
}

async function generateYear(database: Database, sales: number, setAside: boolean) {
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
  const aside = setAside ? await setAsideForLoad(database, LOAD_TABLES) : undefined;
  const tLoad = Date.now();
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
  const loadMs = Date.now() - tLoad;
  const tRebuild = Date.now();
  await aside?.rebuild();
  const rebuildMs = aside ? Date.now() - tRebuild : 0;
  // As the worker does after bulk changes (services/worker-tick.ts).
  await q('ANALYZE');
  const shiftIds = await q<{ day: number; id: string }>(`SELECT day, id FROM bench_shift_days WHERE day <= 3 ORDER BY day`);
  await q(`DROP TABLE bench_shift_days`);
  return {
    identity,
    generateMs: Date.now() - t0,
    loadMs,
    rebuildMs,
    setAside: { indexes: aside?.indexes ?? 0, foreignKeys: aside?.foreignKeys ?? 0 },
    shiftIds: shiftIds.map((s) => s.id),
  };
}

interface Statement {
  text: string;
  values: unknown[];
}

/** Every statement `fn` sends through pg (pool or transaction client), in order. */
async function statementsOf(fn: () => Promise<unknown>): Promise<Statement[]> {
  const seen: Statement[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [a, b] = args;
    const text = typeof a === 'string' ? a : (a as { text?: string } | undefined)?.text;
    const values = Array.isArray(b) ? b : ((a as { values?: unknown[] } | undefined)?.values ?? []);
    if (text) seen.push({ text, values });
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return seen;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

const planNodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(planNodes)];

/**
 * The sequential scans of a big table in the plans of a page's reads (statements that write are not
 * re-run). YEAR_PLANS=1 also prints every read's plan.
 */
async function seqScansOf(database: Database, page: string, statements: Statement[], log: (s: string) => void): Promise<YearResult['seqScans']> {
  const out: YearResult['seqScans'] = [];
  const reads = statements.filter((s) => /^\s*(SELECT|WITH)\b/i.test(s.text) && !/\b(INSERT|UPDATE|DELETE)\b/i.test(s.text));
  for (const s of new Map(reads.map((x) => [x.text, x])).values()) {
    const r = await database.pool.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.text}`, s.values);
    const json = r.rows[0]!['QUERY PLAN'];
    const root = (typeof json === 'string' ? JSON.parse(json) : json)[0].Plan as PlanNode;
    const scans = planNodes(root).filter((n) => n['Node Type'] === 'Seq Scan' && BIG_TABLES.includes(n['Relation Name'] ?? ''));
    if (scans.length === 0 && !process.env.YEAR_PLANS) continue;
    const plan = (await database.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE) ${s.text}`, s.values)).rows.map((x) => x['QUERY PLAN']).join('\n');
    if (process.env.YEAR_PLANS) log(`${page}:\n${s.text.trim()}\n${plan}`);
    for (const n of scans) {
      const rowsRead = Math.round(((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0)) * (n['Actual Loops'] ?? 1));
      out.push({ page, table: n['Relation Name']!, rowsRead, ms: round(n['Actual Total Time'] ?? 0), plan: `${s.text.trim()}\n${plan}` });
    }
  }
  return out;
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

async function benchBackend(backend: Backend, sales: number, setAside: boolean, log: (s: string) => void): Promise<YearResult> {
  // The machine's load (uptime's 1-minute figure) at the start, every 5 s, and at the end.
  const loads = [os.loadavg()[0]!];
  const sampler = setInterval(() => loads.push(os.loadavg()[0]!), 5000).unref();
  const test = await createTestDatabase(backend);
  const database = openDatabase(test.url, { max: 4, applicationName: 'till-bench' });
  const q = async <R>(sql: string, params: unknown[] = []) => (await database.pool.query(sql, params)).rows as R[];
  try {
    await migrateDatabase(database);
    const generated = await generateYear(database, sales, setAside);
    const { identity, generateMs, shiftIds } = generated;
    log(
      `${backend}: ${sales} sales generated in ${generateMs} ms (load ${generated.loadMs} ms, rebuild of ${generated.setAside.indexes} indexes and ${generated.setAside.foreignKeys} foreign keys ${generated.rebuildMs} ms)`,
    );
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
    const pageRuns: [string, () => Promise<unknown>][] = [
      ['Sales, first page', () => listSales(database, {}, { limit: 50 })],
      ['Sales, a page half a year back (keyset)', () => listSales(database, {}, { limit: 50, cursor: deep })],
      ['Sales, flagged only', () => listSales(database, { flaggedOnly: true }, { limit: 50 })],
      ['Sales, tender = card', () => listSales(database, { tender: 'card' }, { limit: 50 })],
      ['Adjustment Queue, first page', () => listAdjustmentPage(database, { limit: 50 })],
      ['Outbox, pending first page', () => listRejectedPage(database, { status: 'pending', limit: 50 })],
      ['Shift list', () => listShifts(database)],
      ['Shift detail (shift, cash movements)', async () => [await getShift(database, toClose[0]!), await listCashMovements(database, toClose[0]!)]],
      [`X report, today's open shift`, () => xReport(database, today)],
    ];
    const pages: Record<string, Timed> = {};
    for (const [name, fn] of pageRuns) pages[name] = await timed(fn);
    // Z closes a shift for good: each run closes another busy day (reopened first), no warm-up.
    const z: number[] = [];
    let zStatements: Statement[] = [];
    for (const id of toClose) {
      await q(`UPDATE shifts SET status = 'open', closed_at = NULL WHERE id = $1`, [id]);
      const t = performance.now();
      zStatements = await statementsOf(() => closeShiftWithZ(database, { shiftId: id, countedCash: '100.00' }, 'bench'));
      z.push(round(performance.now() - t));
    }
    pages['Z report (close a busy shift)'] = { median: median(z), min: Math.min(...z), max: Math.max(...z), runs: z };
    // What each page read: every statement it ran, planned and run again under EXPLAIN ANALYZE.
    const seqScans: YearResult['seqScans'] = [];
    for (const [name, fn] of pageRuns) seqScans.push(...(await seqScansOf(database, name, await statementsOf(fn), log)));
    seqScans.push(...(await seqScansOf(database, 'Z report (close a busy shift)', zStatements, log)));
    for (const s of seqScans) log(`${backend}: ${s.page} reads ${s.table} sequentially (${s.ms} ms):\n${s.plan}`);
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
    loads.push(os.loadavg()[0]!);
    return {
      backend,
      load: [round(loads[0]!), round(loads[loads.length - 1]!)],
      loadRange: [round(Math.min(...loads)), round(Math.max(...loads))],
      sales,
      salesPerShift,
      generateMs,
      loadMs: generated.loadMs,
      rebuildMs: generated.rebuildMs,
      setAside: generated.setAside,
      rows,
      databaseMb,
      pages,
      seqScans,
      floors,
      registerSync: { ms: syncMs, ...synced },
      compaction: { cutoffQuery, compactMs, vacuumMs, checkpointMs, deleted: compacted.deleted, changeLogMbBefore, changeLogMbAfter, idleTick },
    };
  } finally {
    clearInterval(sampler);
    await database.close();
    await test.dispose();
  }
}

export async function benchYearOfSales(opts: { sales: number; backends: Backend[]; setAside?: boolean; log?: (s: string) => void }) {
  const setAside = opts.setAside ?? process.env.YEAR_SET_ASIDE !== '0';
  const out: YearResult[] = [];
  for (const b of opts.backends) out.push(await benchBackend(b, opts.sales, setAside, opts.log ?? console.log));
  return { historyDays: registerHistoryDays(), setAside, date: new Date().toISOString().slice(0, 10), cpus: os.cpus().length, results: out };
}

const cell = (x: Timed) => `${x.median} (${x.min}–${x.max})`;

/** The section of bench/RESULTS.md: every figure and sentence from the run itself. */
export function yearSection(r: Awaited<ReturnType<typeof benchYearOfSales>>): string {
  const [a] = r.results as [YearResult, ...YearResult[]];
  const n = (x: number) => x.toLocaleString('en');
  const s = (ms: number) => Math.round(ms / 1000);
  const each = (f: (x: YearResult) => string | number) => r.results.map(f).join(' / ');
  const head = `| case | ${r.results.map((x) => x.backend).join(' | ')} |\n| --- |${r.results.map(() => ' --- |').join('')}`;
  const row = (name: string, f: (x: YearResult) => string) => `| ${name} | ${r.results.map(f).join(' | ')} |`;
  const written = (x: YearResult) => Object.values(x.rows).reduce((t, v) => t + v, 0);
  const load = (x: YearResult) =>
    r.setAside ? `load ${s(x.loadMs)} s, rebuild of ${x.setAside.indexes} indexes and ${x.setAside.foreignKeys} foreign keys ${s(x.rebuildMs)} s; ` : '';
  const how = r.setAside
    ? `with the secondary indexes and foreign keys of ${LOAD_TABLES.slice(0, -1).join(', ')} and ${LOAD_TABLES.at(-1)} set aside during the load and rebuilt after it in one transaction ` +
      '(`setAsideForLoad`: the rebuild checks uniqueness and every foreign key; the triggers stay on, so change_log is as pushes would leave it)'
    : 'with every index and foreign key in place (YEAR_SET_ASIDE=0)';
  const loads = r.results.flatMap((x) => x.loadRange);
  const size =
    a.sales >= BUSY_YEAR
      ? `${n(a.sales)} sales is a busy store's year (the issue's is ~505k sales, 2M lines).`
      : `Scaled to ${n(a.sales)} sales (the issue's year is ~505k sales, 2M lines).`;
  const scans = r.results.flatMap((x) => x.seqScans.map((q) => `${q.page}: ${q.table} (${x.backend}, ${n(q.rowsRead)} rows read, ${q.ms} ms)`));
  const bigTables = `${BIG_TABLES.slice(0, -1).join(', ')} or ${BIG_TABLES.at(-1)}`;
  const plans = scans.length
    ? `EXPLAIN ANALYZE of every statement the pages and X/Z ran shows these sequential scans of ${bigTables}: ${scans.join('; ')}; no other read of these tables is sequential.`
    : `Every page below reads the big tables through their indexes (the Sales, Adjustment Queue and Outbox lists by keyset), so its cost follows the page, not the year (the bare indexed SELECT is the floor): EXPLAIN ANALYZE of every statement the pages and X/Z ran shows no sequential scan of ${bigTables}.`;
  const syncRows = (x: YearResult) => n(x.registerSync.rows.sales ?? 0);
  const lines = [
    `## Year of sales (${n(a.sales)} generated sales over ${DAYS} days, ${n(a.salesPerShift)} in a busy shift; ms, median of 3 after a warm-up, (min–max))`,
    '',
    `Generated set-based through the change-capture triggers (not through the push path), ${how}: ` +
      `${r.results.map((x) => `${x.backend} ${s(x.generateMs)} s (${load(x)}${n(Math.round(x.sales / (x.generateMs / 1000)))} sales/s, ${n(Math.round(written(x) / (x.generateMs / 1000)))} rows/s over the tables under Rows), database ${x.databaseMb} MB`).join('; ')}. ` +
      `Rows: ${Object.entries(a.rows)
        .map(([k, v]) => `${k} ${n(v)}`)
        .join(', ')}. No stock movements are generated. \`npm run bench -- year\` (YEAR_SALES, YEAR_SET_ASIDE).`,
    '',
    `Run on ${r.date} on the shared ${r.cpus}-core machine at load average ${Math.min(...loads)}–${Math.max(...loads)} ` +
      `(uptime's 1-minute figure, sampled every 5 s through each backend's run: ${r.results.map((x) => `${x.backend} ${x.loadRange.join('–')}`).join(', ')}), ` +
      `so compare within a row rather than with a quiet machine. ${size} ${plans} ` +
      `Against the issue's figures at 505k sales (PGlite / PostgreSQL): Sales first page was 558 / 197 ms, Adjustment Queue 489 / 144 ms (unpaginated), X report 129 / 39 ms, ` +
      `and a register's small-table sync took 25 s and 267 MB because it synced all 256k of its own sales; here (${each((x) => x.backend)}) they take ` +
      `${each((x) => x.pages['Sales, first page']!.median)}, ${each((x) => x.pages['Adjustment Queue, first page']!.median)} (a page of 50) and ` +
      `${each((x) => x.pages[`X report, today's open shift`]!.median)} ms, and the sync ${each((x) => round(x.registerSync.ms.median / 1000))} s for the last ${r.historyDays} days only ` +
      `(${each(syncRows)} sales, ${each((x) => round(x.registerSync.kb / 1024))} MB).`,
    '',
    head,
    ...Object.keys(a.pages).map((k) => row(k, (x) => cell(x.pages[k]!))),
    ...Object.keys(a.floors).map((k) => row(`floor: ${k}`, (x) => cell(x.floors[k]!))),
    row(`register small-table sync (${POLLED_TABLES.length} tables, ${r.historyDays} days of own history)`, (x) => cell(x.registerSync.ms)),
    row(
      '… rows / KB sent',
      (x) =>
        `${Object.values(x.registerSync.rows)
          .reduce((t, v) => t + v, 0)
          .toLocaleString('en')} rows (sales ${x.registerSync.rows.sales}) / ${x.registerSync.kb} KB`,
    ),
    row(`compaction: the worker's cutoff query`, (x) => cell(x.compaction.cutoffQuery)),
    row(`compaction: delete the year's change log (one run)`, (x) => `${x.compaction.compactMs} (${x.compaction.deleted.toLocaleString('en')} rows)`),
    row('compaction: VACUUM (ANALYZE) change_log (one run)', (x) => String(x.compaction.vacuumMs)),
    row('compaction: CHECKPOINT (PGlite only, one run)', (x) => (x.compaction.checkpointMs === null ? '—' : String(x.compaction.checkpointMs))),
    row('change_log MB before → after', (x) => `${x.compaction.changeLogMbBefore} → ${x.compaction.changeLogMbAfter}`),
    row('worker tick with nothing to compact', (x) => cell(x.compaction.idleTick)),
  ];
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
