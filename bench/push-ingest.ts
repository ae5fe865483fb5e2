// Push throughput: sale.completed events through the edge's ingest (ledger, checks, judging,
// rows) against the floor of the same rows inserted directly, one transaction per sale, in the
// same run on the same database. `npx tsx bench/push-ingest.ts` or `npm run bench -- push`.
import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import type { SaleCompletedEvent } from '../core/events';
import { computeCart } from '../core/cart';
import type { DeviceIdentity } from '../services/device-auth';
import { appliers } from '../services/posting/appliers';
import type { EventResult } from '../services/posting/event-result';
import { ingestEvents } from '../services/posting/ingest';
import { createTestDatabase, type Backend } from '../test/create-database';
import { catalogRows, line, pairedDemoRegister, saleEvent, type CatalogRow } from '../test/fixtures/register-sale';
import { median } from './stats';

const LINES_PER_SALE = 3;
const BATCH = 50;

interface Setup {
  database: Database;
  identity: DeviceIdentity;
  cashierId: string;
  rows: CatalogRow[];
  companyId: string;
  seq: number;
}

function makeSales(s: Setup, n: number): SaleCompletedEvent[] {
  const out: SaleCompletedEvent[] = [];
  for (let i = 0; i < n; i++) {
    const lines = Array.from({ length: LINES_PER_SALE }, (_, k) => line(s.rows[(s.seq * 7 + k * 13) % s.rows.length]!, s.companyId, 1 + (k % 2)));
    out.push(saleEvent(s.identity, 'U', { seq: ++s.seq, cashierId: s.cashierId, lines }));
  }
  return out;
}

async function pushRun(s: Setup, events: SaleCompletedEvent[]): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += BATCH) {
    const results = await ingestEvents(s.database, s.identity, events.slice(i, i + BATCH), appliers);
    const bad = results.find((r) => r.status !== 'accepted');
    if (bad) throw new Error(`push rejected a bench sale: ${JSON.stringify(bad)}`);
  }
  return events.length / ((performance.now() - t0) / 1000);
}

/** The same rows a push writes (ledger, sale, lines, payment, stock), five statements per sale. */
async function floorRun(s: Setup, events: SaleCompletedEvent[]): Promise<number> {
  const warehouse = (await s.database.pool.query(`SELECT id FROM warehouses WHERE company_id = $1 ORDER BY is_default DESC, code LIMIT 1`, [s.companyId]))
    .rows[0].id;
  const device = s.identity.devices.find((d) => d.companyId === s.companyId)!;
  const t0 = performance.now();
  for (const e of events) {
    // A distinct sale in a series of its own, so the floor never collides with the pushed sales.
    const saleId = randomUUID();
    const lines = e.sale.lines;
    const cart = computeCart({ lines, settings: e.sale.settings });
    if (!cart.ok) throw new Error('bench cart');
    const c = cart.cart.lines;
    const client = await s.database.pool.connect();
    try {
      await client.query('BEGIN');
      const fillerEventId = randomUUID();
      const result: EventResult = { index: 0, eventId: fillerEventId, type: 'sale.completed', status: 'accepted', detail: { saleId } };
      await client.query(`INSERT INTO register_events (event_id, device_id, type, status, result) VALUES ($1, $2, 'sale.completed', 'accepted', $3)`, [
        fillerEventId,
        device.id,
        JSON.stringify(result),
      ]);
      await client.query(
        `INSERT INTO sales (id, company_id, register_id, device_id, cashier_id, event_id, receipt_number, subtotal, discount_total, net_total, tax_total, total,
                            change_due, tax_summary, occurred_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`,
        [
          saleId,
          e.companyId,
          e.registerId,
          device.id,
          e.cashierId,
          randomUUID(),
          `F-${e.receiptNumber}`,
          e.sale.totals.subtotal,
          e.sale.totals.discountTotal,
          e.sale.totals.net,
          e.sale.totals.tax,
          e.sale.totals.total,
          e.sale.changeDue,
          JSON.stringify(e.sale.taxSummary),
          e.occurredAt,
        ],
      );
      await client.query(
        `INSERT INTO sale_lines (id, sale_id, company_id, line_no, item_id, item_company_id, name, quantity_milli, unit_price, net, tax, total, tax_rate_id, rate_bp)
         SELECT gen_random_uuid(), $1, $2, l.no, l.item, $2, l.name, l.qty, l.price, l.net, l.tax, l.total, l.rate_id, l.bp
           FROM unnest($3::int[], $4::uuid[], $5::text[], $6::int[], $7::int[], $8::int[], $9::int[], $10::int[], $11::uuid[], $12::int[])
                AS l(no, item, name, qty, price, net, tax, total, rate_id, bp)`,
        [
          saleId,
          e.companyId,
          lines.map((_, i) => i + 1),
          lines.map((l) => l.itemId),
          lines.map((l) => l.name),
          lines.map((l) => l.quantityMilli),
          lines.map((l) => l.unitPrice),
          c.map((x) => x.net),
          c.map((x) => x.tax),
          c.map((x) => x.total),
          lines.map((l) => l.taxRateId),
          lines.map((l) => l.rateBp),
        ],
      );
      const cash = e.sale.tenders[0]!;
      await client.query(`INSERT INTO payments (sale_id, company_id, kind, amount, given) VALUES ($1, $2, 'cash', $3, $3)`, [saleId, e.companyId, cash.amount]);
      await client.query(
        `INSERT INTO stock_movements (company_id, warehouse_id, item_id, quantity_milli, reason, sale_id)
         SELECT $1, $2, m.item, -m.qty, 'sale', $3 FROM unnest($4::uuid[], $5::int[]) AS m(item, qty)`,
        [e.companyId, warehouse, saleId, lines.map((l) => l.itemId), lines.map((l) => l.quantityMilli)],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
  return events.length / ((performance.now() - t0) / 1000);
}

async function measure(backend: Backend, sales: number, runs: number) {
  const tdb = await createTestDatabase(backend);
  // Two connections: what one function worker holds (DB_POOL_MAX).
  const database = openDatabase(tdb.url, { max: 2 });
  try {
    await migrateDatabase(database);
    const { identity, cashierId } = await pairedDemoRegister(database, { itemsPerCompany: 500, sharedBarcodes: 50, customers: 20 });
    // Statistics as a running edge has them (the worker analyzes each table once enough of its rows changed).
    await database.pool.query('ANALYZE');
    const companyId = identity.devices.find((d) => d.companyCode === 'U')!.companyId;
    const s: Setup = { database, identity, cashierId, rows: await catalogRows(database, companyId, 200), companyId, seq: 0 };
    // Warm-up (plans, caches), then push and floor alternate so load on the machine hits both alike.
    await pushRun(s, makeSales(s, 50));
    await floorRun(s, makeSales(s, 50));
    const push: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < runs; i++) {
      push.push(await pushRun(s, makeSales(s, sales)));
      floor.push(await floorRun(s, makeSales(s, sales)));
    }
    const p = median(push);
    const f = median(floor);
    return {
      backend,
      sales,
      linesPerSale: LINES_PER_SALE,
      pushPerSecond: Math.round(p),
      floorPerSecond: Math.round(f),
      ratio: Math.round((p / f) * 100) / 100,
      pushRuns: push.map(Math.round),
      floorRuns: floor.map(Math.round),
    };
  } finally {
    await database.close();
    await tdb.dispose();
  }
}

export async function benchPushIngest(opts: { sales?: number; runs?: number; backends?: Backend[] } = {}) {
  const out = [];
  for (const b of opts.backends ?? (['pglite', 'postgres'] as Backend[])) out.push(await measure(b, opts.sales ?? 500, opts.runs ?? 3));
  return out;
}

if (require.main === module) {
  process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  process.env.LOG_LEVEL ??= 'WARN';
  benchPushIngest().then(
    (r) => {
      for (const x of r) console.log(JSON.stringify(x));
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
