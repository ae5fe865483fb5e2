// A store's year of sales, generated in one statement, must not turn the admin lists into table
// scans: each list's first page (and its common filters) is read through an index.
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, useMigratedDatabase } from '../test/databases';
import { pairedDemoRegister } from '../test/fixtures/register-sale';
import { listAdjustmentPage, listSales, openAdjustmentsQuery, salesListQuery } from './admin-sales';
import { listRejectedPage, rejectedListQuery } from './outbox';

/** A year of one register; YEAR_SALES overrides it (e.g. 200000, a busy store's year). */
const SALES = Number(process.env.YEAR_SALES ?? 20_000);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(n: PlanNode): PlanNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)];
}

describe.each(backends)('admin lists over a year of sales on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  let companyId: string;

  // Generated once (under the hook timeout: the change capture of 20k sales takes a while on PGlite); the tests only read.
  beforeAll(async () => {
    companyId = await (async () => {
      const { identity, cashierId } = await pairedDemoRegister(t.database, { itemsPerCompany: 5, sharedBarcodes: 1, customers: 2 });
      const device = identity.devices[0]!;
      // One sale every ~26 minutes for a year; every 10th flagged (its review settled, the last 100 still open),
      // one in three paid by card, one in 97 on credit.
      await t.database.pool.query(
        `WITH g AS (SELECT n, gen_random_uuid() AS id, now() - n * interval '26 minutes' AS at FROM generate_series(1, $5::int) n),
              s AS (INSERT INTO sales (id, company_id, register_id, device_id, cashier_id, event_id, receipt_number, subtotal, discount_total,
                                       net_total, tax_total, total, tax_summary, flagged_for_adjustment, occurred_at)
                    SELECT id, $1, $2, $3, $4, gen_random_uuid(), 'Y-' || n, 1000, 0, 833, 167, 1000, '[]', n % 10 = 0, at FROM g RETURNING id),
              p AS (INSERT INTO payments (sale_id, company_id, kind, amount, given)
                    SELECT g.id, $1, CASE WHEN n % 97 = 0 THEN 'credit' WHEN n % 3 = 0 THEN 'card' ELSE 'cash' END, 1000, NULL FROM g)
         INSERT INTO adjustment_queue (company_id, sale_id, status, reasons, created_at, resolved_at, resolved_by, resolution_action)
         SELECT $1, g.id, CASE WHEN n <= 1000 THEN 'open' ELSE 'resolved' END, '[]', g.at,
                CASE WHEN n <= 1000 THEN NULL ELSE g.at + interval '1 day' END, CASE WHEN n <= 1000 THEN NULL ELSE 'test' END,
                CASE WHEN n <= 1000 THEN NULL ELSE 'no_action' END
           FROM g WHERE n % 10 = 0`,
        [device.companyId, identity.registerId, device.id, cashierId, SALES],
      );
      await t.database.pool.query(
        `INSERT INTO rejected_events (source, device_id, register_id, company_id, type, payload, reason, status, created_at)
         SELECT 'push', $1, $2, $3, 'sale.completed', '{}', 'test', CASE WHEN n % 20 = 0 THEN 'pending' ELSE 'dismissed' END, now() - n * interval '1 hour'
           FROM generate_series(1, 5000) n`,
        [device.id, identity.registerId, device.companyId],
      );
      // Planner statistics, as the worker keeps them (services/worker-tick.ts).
      await t.database.pool.query('ANALYZE');
      return device.companyId;
    })();
  });

  const plan = async (q: { text: string; values: unknown[] }) => {
    const r = await t.database.pool.query(`EXPLAIN (FORMAT JSON) ${q.text}`, q.values);
    const json = r.rows[0]['QUERY PLAN'];
    const root = (typeof json === 'string' ? JSON.parse(json) : json)[0].Plan as PlanNode;
    if (process.env.SHOW_PLANS) {
      const text = (await t.database.pool.query(`EXPLAIN ${q.text}`, q.values)).rows.map((x) => x['QUERY PLAN']).join('\n');
      console.log(`--- ${backend}\n${text}`);
    }
    return nodes(root);
  };
  const scansOf = (all: PlanNode[], table: string) => all.filter((n) => n['Relation Name'] === table);

  it('reads the Sales first page, flagged, tender and company filters through indexes, never a Seq Scan on sales', async () => {
    // A rare tender (credit, 1 %) plans a hash join over the whole table while the table is this
    // small, which is the cheaper plan here; from about 200k sales it walks the indexes as well
    // (YEAR_SALES=200000 checks that).
    const rare = SALES >= 200_000 ? [{ tender: 'credit' as const }] : [];
    for (const filters of [{}, { flaggedOnly: true }, { tender: 'card' as const }, { tender: 'cash' as const }, ...rare, { companyId }]) {
      const all = await plan(salesListQuery(filters, { limit: 50 }));
      const sales = scansOf(all, 'sales');
      expect(sales.length, JSON.stringify(filters)).toBeGreaterThan(0);
      expect(
        sales.map((n) => n['Node Type']),
        JSON.stringify(filters),
      ).not.toContain('Seq Scan');
    }
    const flagged = await plan(salesListQuery({ flaggedOnly: true }, { limit: 50 }));
    expect(scansOf(flagged, 'sales').map((n) => n['Index Name'])).toContain('sales_flagged_occurred');
    const first = await plan(salesListQuery({}, { limit: 50 }));
    expect(scansOf(first, 'sales').map((n) => n['Index Name'])).toContain('sales_occurred');

    // And the pages themselves walk the year without repeating or skipping a sale.
    const one = await listSales(t.database, { flaggedOnly: true }, { limit: 700 });
    const two = await listSales(t.database, { flaggedOnly: true }, { limit: 700, cursor: one.nextCursor! });
    const three = await listSales(t.database, { flaggedOnly: true }, { limit: 700, cursor: two.nextCursor! });
    expect(new Set([...one.sales, ...two.sales, ...three.sales].map((s) => s.id)).size).toBe(SALES / 10);
    expect(three.nextCursor).toBeNull();
  });

  it('reads the Adjustment Queue and the Outbox through their indexes, page after page', async () => {
    const open = await plan(openAdjustmentsQuery({ limit: 50 }));
    expect(scansOf(open, 'adjustment_queue').map((n) => n['Index Name'])).toEqual(['adjustment_queue_open']);
    const page = await listAdjustmentPage(t.database, { limit: 400 });
    expect(page.openCount).toBe(100);
    expect(page.open).toHaveLength(100);
    expect(page.nextCursor).toBeNull();
    const small = await listAdjustmentPage(t.database, { limit: 60 });
    const rest = await listAdjustmentPage(t.database, { limit: 60, cursor: small.nextCursor! });
    expect([...small.open, ...rest.open].map((e) => e.createdAt)).toEqual(page.open.map((e) => e.createdAt));
    expect(rest.resolved).toEqual([]);

    for (const status of ['pending', 'all'] as const) {
      const all = await plan(rejectedListQuery({ status, limit: 50 }));
      expect(
        scansOf(all, 'rejected_events').map((n) => n['Node Type']),
        status,
      ).not.toContain('Seq Scan');
    }
    const a = await listRejectedPage(t.database, { status: 'pending', limit: 200 });
    const b = await listRejectedPage(t.database, { status: 'pending', limit: 200, cursor: a.nextCursor! });
    expect(a.rows.length + b.rows.length).toBe(250);
    expect(new Set([...a.rows, ...b.rows].map((r) => r.id)).size).toBe(250);
    expect(b.nextCursor).toBeNull();
  });
});
