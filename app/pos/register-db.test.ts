// The register database protocol against a real PGlite, across a real message port (what the page and
// its database Worker exchange in the browser): queries, atomic transactions, sales as one message,
// the PIN lockout and the outbox the pusher settles.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectDb, createDbServer, serveDb, type DbResponse, type PortLike } from '../../sync/register/db-protocol';
import { pushOnce } from '../../sync/register/pusher';
import { applyLocalSchema, LOCAL_SCHEMA_VERSION } from '../../sync/register/shape-sync';
import { MAX_FAILURES } from './pin-lockout';
import { registerProcedures, SELLING_FIRST, type RegisterProcedures } from './register-procedures';

const COMPANY = '00000000-0000-4000-8000-00000000000a';
const DEVICE = { id: '00000000-0000-4000-8000-0000000000d1', companyId: COMPANY, companyCode: 'U', code: 'R01' };
const REGISTER = '00000000-0000-4000-8000-0000000000f1';

const line = () => ({
  lineId: crypto.randomUUID(),
  itemId: '00000000-0000-4000-8000-000000000101',
  companyId: COMPANY,
  name: 'Milk 1L',
  crossCompany: false,
  quantityMilli: 1000,
  unitPrice: 250,
  unitPrecision: 0,
  taxRateId: '00000000-0000-4000-8000-000000000201',
  rateBp: 2000,
  maxDiscountBp: 0,
});
const sale = () => ({
  registerId: REGISTER,
  device: DEVICE,
  cashierId: '00000000-0000-4000-8000-000000000301',
  lines: [line()],
  tenders: [{ kind: 'cash' as const, amount: 250, given: 500 }],
  settings: { pricesIncludeTax: true, taxRounding: 'line' as const, rounding: 'HalfUp' as const },
});

/** Node's MessagePort speaks EventTarget like the browser's; the port's listener keeps the process alive until closed. */
const asPort = (p: MessagePort): PortLike => p as unknown as PortLike;

let pg: PGlite;
let channel: MessageChannel;
let db: ReturnType<typeof connectDb<RegisterProcedures>>;

beforeAll(async () => {
  pg = new PGlite();
  await applyLocalSchema(pg);
  channel = new MessageChannel();
  serveDb(asPort(channel.port2), pg, registerProcedures(pg), SELLING_FIRST);
  db = connectDb<RegisterProcedures>(asPort(channel.port1));
});
afterAll(async () => {
  channel.port1.close();
  channel.port2.close();
  await pg.close();
});
beforeEach(async () => {
  await pg.exec(`DELETE FROM local_sales; DELETE FROM outbox; DELETE FROM receipt_counters; DELETE FROM pin_attempts;`);
});

describe('register database protocol', () => {
  it('answers queries with rows (dates and json intact), and concurrent requests each with their own answer', async () => {
    const r = await db.query<{ n: number; at: Date; j: { a: number[] } }>(`SELECT $1::int AS n, now() AS at, '{"a":[1,2]}'::jsonb AS j`, [7]);
    expect(r.rows[0]!.n).toBe(7);
    expect(r.rows[0]!.at).toBeInstanceOf(Date);
    expect(r.rows[0]!.j).toEqual({ a: [1, 2] });
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => db.query<{ i: number }>(`SELECT $1::int AS i`, [i])));
    expect(many.map((x) => x.rows[0]!.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('runs a transaction as one message: all statements or none, and says why it failed', async () => {
    await db.transaction([
      { sql: `INSERT INTO receipt_counters (device_id, last_number) VALUES ($1, 'U-R01-000009')`, params: [DEVICE.id] },
      { sql: `UPDATE receipt_counters SET last_number = 'U-R01-000010' WHERE device_id = $1`, params: [DEVICE.id] },
    ]);
    await expect(
      db.transaction([
        { sql: `UPDATE receipt_counters SET last_number = 'U-R01-000099'` },
        { sql: `INSERT INTO receipt_counters (device_id, last_number) VALUES (NULL, 'x')` },
      ]),
    ).rejects.toThrow(/null value/);
    expect((await db.query(`SELECT last_number FROM receipt_counters`)).rows).toEqual([{ last_number: 'U-R01-000010' }]);
    await expect(db.query(`SELECT * FROM no_such_table`)).rejects.toThrow(/no_such_table/);
    await expect(db.call('noSuchOperation' as 'analyze')).rejects.toThrow(/unknown register database operation/);
  });

  it('completes sales as one message each: sale, receipt counter and outbox together, numbers gap-free under concurrency', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => db.call('completeSale', sale())));
    expect(results.every((r) => r.ok)).toBe(true);
    const numbers = results.map((r) => (r.ok ? r.event.receiptNumber : '')).sort();
    expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => `U-R01-${String(i + 1).padStart(6, '0')}`));
    const counts = await db.query<{ sales: number; queued: number; last: string }>(
      `SELECT (SELECT count(*)::int FROM local_sales) AS sales, (SELECT count(*)::int FROM outbox WHERE status = 'pending') AS queued,
              (SELECT last_number FROM receipt_counters WHERE device_id = $1) AS last`,
      [DEVICE.id],
    );
    expect(counts.rows[0]).toEqual({ sales: 8, queued: 8, last: 'U-R01-000008' });

    // A sale core refuses (tenders short of the total) writes nothing and uses no number.
    const short = await db.call('completeSale', { ...sale(), tenders: [{ kind: 'cash', amount: 100, given: 100 }] });
    expect(short.ok).toBe(false);
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox`)).rows[0]!.n).toBe(8);
  });

  it('charges PIN attempts through the port, so parallel attempts cannot slip past the lockout', async () => {
    const t0 = Date.UTC(2025, 0, 6, 9);
    const gates = await Promise.all(Array.from({ length: 12 }, () => db.call('beginPinAttempt', t0)));
    expect(gates.filter((g) => g.allowed)).toHaveLength(MAX_FAILURES);
    expect(gates.find((g) => !g.allowed)).toMatchObject({ allowed: false });
  });

  it('settles a pushed batch (accepted and rejected) through the port in one statement', async () => {
    const a = await db.call('completeSale', sale());
    const b = await db.call('completeSale', sale());
    if (!a.ok || !b.ok) throw new Error('sales refused');
    const outcome = await pushOnce(db, {
      baseUrl: 'http://edge',
      token: () => 'token',
      fetch: async () =>
        new Response(
          JSON.stringify({
            results: [
              { index: 0, eventId: a.event.eventId, status: 'accepted' },
              { index: 1, eventId: b.event.eventId, status: 'rejected', reason: 'price changed', field: 'lines.0.unitPrice' },
            ],
          }),
          { status: 200 },
        ),
    });
    expect(outcome).toEqual({ kind: 'sent', accepted: 1, rejected: 1 });
    const rows = await db.query(`SELECT event_id, status, reason, field, attempts, settled_at IS NOT NULL AS settled FROM outbox ORDER BY seq`);
    expect(rows.rows).toEqual([
      { event_id: a.event.eventId, status: 'accepted', reason: null, field: null, attempts: 1, settled: true },
      { event_id: b.event.eventId, status: 'rejected', reason: 'price changed', field: 'lines.0.unitPrice', attempts: 1, settled: true },
    ]);
  });

  it('skips the schema statements on a warm open and re-applies them when they change', async () => {
    expect((await db.query(`SELECT version FROM local_schema_version`)).rows).toEqual([{ version: LOCAL_SCHEMA_VERSION }]);
    await db.exec(`UPDATE local_schema_version SET version = 'old'; DROP INDEX barcodes_lookup;`);
    await applyLocalSchema(pg);
    expect((await db.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'barcodes_lookup'`)).rows).toEqual([{ n: 1 }]);
    await db.exec(`DROP INDEX barcodes_lookup;`);
    await applyLocalSchema(pg); // same version: nothing is re-run
    expect((await db.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'barcodes_lookup'`)).rows).toEqual([{ n: 0 }]);
    await db.exec(`UPDATE local_schema_version SET version = 'old'`);
    await applyLocalSchema(pg);
  });

  it('keeps the queue through an update and a rollback: a newer app added to the schema, this one still opens it and pushes', async () => {
    const queued = await db.call('completeSale', sale());
    if (!queued.ok) throw new Error(queued.messages.join('; '));
    // What a newer app might have done to this database: local schema changes are additive (ADR 003).
    await pg.exec(`ALTER TABLE outbox ADD COLUMN IF NOT EXISTS priority int; ALTER TABLE local_sales ADD COLUMN IF NOT EXISTS note text;
                   CREATE TABLE IF NOT EXISTS shift_drafts (id uuid PRIMARY KEY); UPDATE local_schema_version SET version = 'newer'`);
    await applyLocalSchema(pg); // this (older) shell opens it
    expect((await db.query(`SELECT version FROM local_schema_version`)).rows).toEqual([{ version: LOCAL_SCHEMA_VERSION }]);
    const next = await db.call('completeSale', sale());
    if (!next.ok) throw new Error(next.messages.join('; '));
    expect((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`)).rows).toEqual([{ n: 2 }]);
    const outcome = await pushOnce(db, {
      baseUrl: 'http://edge',
      token: () => 't',
      fetch: async (_url, init) => {
        const events = (JSON.parse(init!.body as string) as { events: { eventId: string }[] }).events;
        return new Response(JSON.stringify({ results: events.map((e, index) => ({ index, eventId: e.eventId, status: 'accepted' })) }), { status: 200 });
      },
    });
    expect(outcome).toEqual({ kind: 'sent', accepted: 2, rejected: 0 });
    await pg.exec(`ALTER TABLE outbox DROP COLUMN priority; ALTER TABLE local_sales DROP COLUMN note; DROP TABLE shift_drafts;`);
  });

  it('copies CSV into a synced table only (the benchmark floor), in one message', async () => {
    const id = '00000000-0000-4000-8000-0000000000c1';
    await db.call('copyCsv', 'tax_rates', ['id', 'company_id', 'code', 'rate_bp'], `"${id}","${COMPANY}","STD","2000"\n`);
    expect((await db.query(`SELECT code, rate_bp FROM tax_rates WHERE id = $1`, [id])).rows).toEqual([{ code: 'STD', rate_bp: 2000 }]);
    await expect(db.call('copyCsv', 'outbox', ['event_id'], '')).rejects.toThrow('not a synced table');
    await expect(db.call('copyCsv', 'tax_rates', ['id; DROP TABLE items'], '')).rejects.toThrow('not a synced table');
    await db.query(`DELETE FROM tax_rates WHERE id = $1`, [id]);
  });

  it('answers a scan and a sale before queued housekeeping, and lets sync control skip the line', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const procedures = {
      ...registerProcedures(pg),
      // Stands for whatever runs when the cashier scans (a pusher's outbox update, a status read).
      housekeeping: () => held.then(() => 'done'),
      storage: () => Promise.resolve('opfs-ahp'),
    };
    const answered: number[] = [];
    const gotAll = new Promise<DbResponse[]>((resolve) => {
      const all: DbResponse[] = [];
      const serve = createDbServer(pg, procedures, (res) => (answered.push(res.id), all.push(res), all.length === 5 && resolve(all)), SELLING_FIRST);
      serve({ id: 1, op: 'call', name: 'housekeeping', args: [] });
      serve({ id: 2, op: 'query', sql: `SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'` });
      serve({ id: 3, op: 'call', name: 'itemsByBarcode', args: ['4000000000017'] });
      serve({ id: 4, op: 'call', name: 'completeSale', args: [sale()] });
      serve({ id: 5, op: 'call', name: 'storage', args: [] });
    });
    // Sync control does not wait for the operation under way; the rest waits for it.
    await expect.poll(() => answered).toEqual([5]);
    release();
    const all = await gotAll;
    expect(answered).toEqual([5, 1, 3, 4, 2]);
    expect(all.every((r) => r.ok)).toBe(true);
  });
});
