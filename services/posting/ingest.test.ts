import { describe, expect, it } from 'vitest';
import type { DeviceIdentity } from '../device-auth';
import { catalogRows, line, pairedDemoRegister, pairedNewRegister, saleEvent } from '../../test/fixtures/register-sale';
import { backends, useMigratedDatabase } from '../../test/databases';
import { appliers } from './appliers';
import { ingestEvents } from './ingest';

describe.each(backends)('push ingest on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  let identity: DeviceIdentity;
  let cashierId: string;
  let seq = 0;

  const setup = async () => {
    if (identity) return;
    ({ identity, cashierId } = await pairedDemoRegister(t.database, { itemsPerCompany: 10, sharedBarcodes: 3, customers: 4 }));
  };
  const company = (code: string) => identity.devices.find((d) => d.companyCode === code)!.companyId;
  const count = async (sql: string, params: unknown[] = []) => (await t.database.pool.query(sql, params)).rows[0].n as number;

  it('accepts a sale once: sale, lines, payments, stock in one go; a replay returns the same answer', async () => {
    await setup();
    const rows = await catalogRows(t.database, company('U'), 2);
    const e = saleEvent(identity, 'U', { seq: ++seq, cashierId, lines: [line(rows[0]!, company('U'), 2), line(rows[1]!, company('U'))] });
    const [first] = await ingestEvents(t.database, identity, [e], appliers);
    expect(first).toMatchObject({ status: 'accepted', eventId: e.eventId, detail: { receiptNumber: e.receiptNumber, flagged: false } });
    const again = await ingestEvents(t.database, identity, [e, e], appliers);
    expect(again.map((r) => [r.status, r.duplicate])).toEqual([['accepted', true], ['accepted', true]]);
    expect(await count(`SELECT count(*)::int AS n FROM sales WHERE event_id = $1`, [e.eventId])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM sale_lines WHERE sale_id = $1`, [e.sale.saleId])).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM payments WHERE sale_id = $1`, [e.sale.saleId])).toBe(1);
    expect(await count(`SELECT COALESCE(sum(quantity_milli),0)::int AS n FROM stock_movements WHERE sale_id = $1`, [e.sale.saleId])).toBe(-3000);
    const sale = (await t.database.pool.query(`SELECT total, tax_total FROM sales WHERE id = $1`, [e.sale.saleId])).rows[0];
    expect(sale).toEqual({ total: e.sale.totals.total, tax_total: e.sale.totals.tax });
  });

  it('applies concurrent duplicate pushes exactly once', async () => {
    await setup();
    const rows = await catalogRows(t.database, company('O'), 1);
    const e = saleEvent(identity, 'O', { seq: 1, cashierId, lines: [line(rows[0]!, company('O'))] });
    const results = await Promise.all(Array.from({ length: 5 }, () => ingestEvents(t.database, identity, [e], appliers)));
    expect(results.flat().every((r) => r.status === 'accepted')).toBe(true);
    expect(results.flat().filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await count(`SELECT count(*)::int AS n FROM sales WHERE event_id = $1`, [e.eventId])).toBe(1);
  });

  it('flags a cross-company sale for adjustment with a reason per line', async () => {
    await setup();
    const mine = await catalogRows(t.database, company('U'), 1);
    const other = await catalogRows(t.database, company('O'), 1);
    const e = saleEvent(identity, 'U', { seq: ++seq, cashierId, lines: [line(mine[0]!, company('U')), line(other[0]!, company('U'))] });
    const [r] = await ingestEvents(t.database, identity, [e], appliers);
    expect(r).toMatchObject({ status: 'accepted', detail: { flagged: true } });
    const q = (await t.database.pool.query(`SELECT status, reasons FROM adjustment_queue WHERE sale_id = $1`, [e.sale.saleId])).rows[0];
    expect(q.status).toBe('open');
    expect(q.reasons).toHaveLength(1);
    expect(q.reasons[0].itemId).toBe(other[0]!.itemId);
  });

  it('keeps the good events of a partly bad batch and records every rejection with its reason', async () => {
    await setup();
    const rows = await catalogRows(t.database, company('U'), 1);
    const good = saleEvent(identity, 'U', { seq: ++seq, cashierId, lines: [line(rows[0]!, company('U'))] });
    const tampered = saleEvent(identity, 'U', { seq: ++seq, cashierId, lines: [line(rows[0]!, company('U'))] });
    tampered.sale.totals.total -= 1;
    const wrongSeries = saleEvent(identity, 'U', { seq: ++seq, cashierId, lines: [line(rows[0]!, company('U'))] });
    wrongSeries.receiptNumber = 'U-R99-000001';
    const reused = saleEvent(identity, 'U', { seq: 1, cashierId, lines: [line(rows[0]!, company('U'))] });
    // A register bypassing core: a card number typed as the reference.
    const card = saleEvent(identity, 'U', { seq: ++seq, cashierId, lines: [line(rows[0]!, company('U'))], tenders: (total) => [{ kind: 'card', amount: total, reference: 'AUTH1' }] });
    (card.sale.tenders[0] as { reference: string }).reference = '4111 1111 1111 1111';
    const results = await ingestEvents(t.database, identity, [tampered, good, { type: 'sale.completed' }, { eventId: crypto.randomUUID(), type: 'teleport' }, wrongSeries, reused, card], appliers);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'accepted', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    expect(results[0]).toMatchObject({ field: 'sale.totals.total' });
    expect(results[0]!.reason).toMatch(/recomputed/);
    expect(results[2]).toMatchObject({ field: 'eventId' });
    expect(results[3]).toMatchObject({ field: 'type' });
    expect(results[4]).toMatchObject({ field: 'receiptNumber' });
    expect(results[5]!.reason).toMatch(/already used/);
    expect(results[6]!.field).toBe('sale.tenders.0.reference');
    const stored = (await t.database.pool.query(`SELECT reason, field, payload FROM rejected_events WHERE event_id = $1`, [tampered.eventId])).rows[0];
    expect(stored.field).toBe('sale.totals.total');
    expect(stored.payload.sale.totals.total).toBe(tampered.sale.totals.total);
    const cardRow = (await t.database.pool.query(`SELECT payload::text AS p FROM rejected_events WHERE event_id = $1`, [card.eventId])).rows[0].p;
    expect(cardRow).not.toContain('4111111111111111');
    // A replay of a rejected event gets the same rejection, not a second outbox row.
    const [again] = await ingestEvents(t.database, identity, [tampered], appliers);
    expect(again).toMatchObject({ status: 'rejected', duplicate: true, field: 'sale.totals.total' });
    expect(await count(`SELECT count(*)::int AS n FROM rejected_events WHERE event_id = $1`, [tampered.eventId])).toBe(1);
  });

  it('does not answer another register with the ledger entry of an event id it did not send', async () => {
    await setup();
    const other = await pairedNewRegister(t.database, 'R07');
    const rows = await catalogRows(t.database, company('U'), 1);
    const mine = saleEvent(identity, 'U', { seq: ++seq, cashierId, lines: [line(rows[0]!, company('U'))] });
    expect((await ingestEvents(t.database, identity, [mine], appliers))[0]).toMatchObject({ status: 'accepted' });

    const theirs = { ...saleEvent(other, 'U', { seq: 1, cashierId, lines: [line(rows[0]!, company('U'))] }), eventId: mine.eventId };
    const [r] = await ingestEvents(t.database, other, [theirs], appliers);
    expect(r).toMatchObject({ status: 'rejected', field: 'eventId', eventId: mine.eventId });
    expect(r!.duplicate).toBeUndefined();
    expect(r!.reason).toMatch(/already used by another register/);
    expect(await count(`SELECT count(*)::int AS n FROM sales WHERE id = $1`, [theirs.sale.saleId])).toBe(0);
    // Recorded for the operator, once however often the register pushes it, without touching the first register's entries.
    await ingestEvents(t.database, other, [theirs], appliers);
    const outbox = (await t.database.pool.query(`SELECT event_id, register_id, field, status FROM rejected_events WHERE payload->>'saleId' IS NULL AND payload->'sale'->>'saleId' = $1`, [theirs.sale.saleId])).rows;
    expect(outbox).toEqual([{ event_id: null, register_id: other.registerId, field: 'eventId', status: 'pending' }]);
    expect(await count(`SELECT count(*)::int AS n FROM rejected_events WHERE event_id = $1`, [mine.eventId])).toBe(0);
    const [replay] = await ingestEvents(t.database, identity, [mine], appliers);
    expect(replay).toMatchObject({ status: 'accepted', duplicate: true, detail: { saleId: mine.sale.saleId } });

    // Both registers racing with one id: one sale is booked, the other register is told why not.
    const a = saleEvent(identity, 'U', { seq: ++seq, cashierId, lines: [line(rows[0]!, company('U'))] });
    const b = { ...saleEvent(other, 'U', { seq: 2, cashierId, lines: [line(rows[0]!, company('U'))] }), eventId: a.eventId };
    const [[ra], [rb]] = await Promise.all([ingestEvents(t.database, identity, [a], appliers), ingestEvents(t.database, other, [b], appliers)]);
    expect([ra!.status, rb!.status].sort()).toEqual(['accepted', 'rejected']);
    expect([ra, rb].find((x) => x!.status === 'rejected')).toMatchObject({ field: 'eventId' });
    expect(await count(`SELECT count(*)::int AS n FROM sales WHERE event_id = $1`, [a.eventId])).toBe(1);
  });

  it('checks credit limits on the edge', async () => {
    await setup();
    const rows = await catalogRows(t.database, company('U'), 1);
    const customer = (await t.database.pool.query(`SELECT customer_id FROM customer_credit WHERE company_id = $1 AND credit_limit > 0 LIMIT 1`, [company('U')])).rows[0].customer_id;
    await t.database.pool.query(`UPDATE customer_credit SET credit_limit = $1, balance = 0 WHERE customer_id = $2 AND company_id = $3`, [rows[0]!.price, customer, company('U')]);
    const ok = saleEvent(identity, 'U', { seq: ++seq, cashierId, lines: [line(rows[0]!, company('U'))], tenders: (total) => [{ kind: 'credit', amount: total, customerId: customer }] });
    const over = saleEvent(identity, 'U', { seq: ++seq, cashierId, lines: [line(rows[0]!, company('U'))], tenders: (total) => [{ kind: 'credit', amount: total, customerId: customer }] });
    const [a, b] = await ingestEvents(t.database, identity, [ok, over], appliers);
    expect(a!.status).toBe('accepted');
    expect(b).toMatchObject({ status: 'rejected', field: 'sale.tenders.0.amount' });
    expect(b!.reason).toMatch(/credit limit exceeded/);
  });

  it('opens shifts and records cash movements, refusing a second open shift', async () => {
    await setup();
    const dev = identity.devices.find((d) => d.companyCode === 'O')!;
    const env = () => ({ v: 1, eventId: crypto.randomUUID(), occurredAt: new Date().toISOString(), deviceId: dev.id, registerId: identity.registerId, companyId: dev.companyId, cashierId });
    const shiftId = crypto.randomUUID();
    const results = await ingestEvents(t.database, identity, [
      { ...env(), type: 'shift.opened', shiftId, float: 10000 },
      { ...env(), type: 'shift.opened', shiftId: crypto.randomUUID(), float: 0 },
      { ...env(), type: 'cash.movement', shiftId, kind: 'out', amount: 500, reason: 'window cleaner' },
    ], appliers);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(await count(`SELECT count(*)::int AS n FROM cash_movements WHERE shift_id = $1`, [shiftId])).toBe(1);
  });

  it('accepts sales queued under the previous device code after a re-pair, and the new series', async () => {
    await setup();
    const rows = await catalogRows(t.database, company('U'), 1);
    const queued = saleEvent(identity, 'U', { seq: 900, cashierId, lines: [line(rows[0]!, company('U'))] });
    const reg = identity.registerId;
    const { issuePairingCode, pairRegister } = await import('../device-auth');
    const repaired = (await pairRegister(t.database, { pairingCode: (await issuePairingCode(t.database, reg)).code, appVersion: 't2' })).identity;
    const u = repaired.devices.find((d) => d.companyCode === 'U')!;
    expect(u.code).not.toBe(identity.devices.find((d) => d.companyCode === 'U')!.code);
    const fresh = saleEvent(repaired, 'U', { seq: 1, cashierId, lines: [line(rows[0]!, company('U'))] });
    expect(fresh.receiptNumber).toBe(`U-${u.code}-000001`);
    const results = await ingestEvents(t.database, repaired, [queued, fresh], appliers);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    identity = repaired;
  });
});
