// The ledger: each event at most once, a replay answered as the first time, a bad event kept out
// of a good batch. What a sale does to the books is tested beside sale posting (post-sale.test.ts).
import { describe, expect, it } from 'vitest';
import { backends } from '../../test/databases';
import { usePairedDemoRegister } from '../../test/fixtures/paired-register';
import { catalogRows, line, pairedNewRegister, saleEvent } from '../../test/fixtures/register-sale';
import { appliers } from './appliers';
import { ingestEvents } from './ingest';

describe.each(backends)('push ingest on %s', (backend) => {
  const reg = usePairedDemoRegister(backend, { itemsPerCompany: 10, sharedBarcodes: 3, customers: 4 });
  const { t, company, nextSeq, count } = reg;

  it('accepts an event once; a replay, alone or twice in a batch, returns the same answer', async () => {
    const { identity, cashierId } = reg;
    const rows = await catalogRows(t.database, company('U'), 1);
    const e = saleEvent(identity, 'U', { seq: nextSeq(), cashierId, lines: [line(rows[0]!, company('U'))] });
    const [first] = await ingestEvents(t.database, identity, [e], appliers);
    expect(first).toMatchObject({ status: 'accepted', eventId: e.eventId, detail: { receiptNumber: e.receiptNumber, flagged: false } });
    const again = await ingestEvents(t.database, identity, [e, e], appliers);
    expect(again.map((r) => [r.status, r.duplicate, r.detail])).toEqual([
      ['accepted', true, first!.detail],
      ['accepted', true, first!.detail],
    ]);
    expect(await count(`SELECT count(*)::int AS n FROM sales WHERE event_id = $1`, [e.eventId])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM register_events WHERE event_id = $1`, [e.eventId])).toBe(1);
  });

  it('applies concurrent duplicate pushes exactly once', async () => {
    const { identity, cashierId } = reg;
    const rows = await catalogRows(t.database, company('O'), 1);
    const e = saleEvent(identity, 'O', { seq: 1, cashierId, lines: [line(rows[0]!, company('O'))] });
    const results = await Promise.all(Array.from({ length: 5 }, () => ingestEvents(t.database, identity, [e], appliers)));
    expect(results.flat().every((r) => r.status === 'accepted')).toBe(true);
    expect(results.flat().filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await count(`SELECT count(*)::int AS n FROM sales WHERE event_id = $1`, [e.eventId])).toBe(1);
  });

  it('keeps the good events of a partly bad batch and records every rejection with its reason', async () => {
    const { identity, cashierId } = reg;
    const rows = await catalogRows(t.database, company('U'), 1);
    const goodSeq = nextSeq();
    const good = saleEvent(identity, 'U', { seq: goodSeq, cashierId, lines: [line(rows[0]!, company('U'))] });
    const tampered = saleEvent(identity, 'U', { seq: nextSeq(), cashierId, lines: [line(rows[0]!, company('U'))] });
    tampered.sale.totals.total -= 1;
    const wrongSeries = saleEvent(identity, 'U', { seq: nextSeq(), cashierId, lines: [line(rows[0]!, company('U'))] });
    wrongSeries.receiptNumber = 'U-R99-000001';
    const reused = saleEvent(identity, 'U', { seq: goodSeq, cashierId, lines: [line(rows[0]!, company('U'))] });
    // A register bypassing core: a card number typed as the reference.
    const card = saleEvent(identity, 'U', {
      seq: nextSeq(),
      cashierId,
      lines: [line(rows[0]!, company('U'))],
      tenders: (total) => [{ kind: 'card', amount: total, reference: 'AUTH1' }],
    });
    (card.sale.tenders[0] as { reference: string }).reference = '4111 1111 1111 1111';
    const results = await ingestEvents(
      t.database,
      identity,
      [tampered, good, { type: 'sale.completed' }, { eventId: crypto.randomUUID(), type: 'teleport' }, wrongSeries, reused, card],
      appliers,
    );
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
    const { identity, cashierId } = reg;
    const other = await pairedNewRegister(t.database, 'R07');
    const rows = await catalogRows(t.database, company('U'), 1);
    const mine = saleEvent(identity, 'U', { seq: nextSeq(), cashierId, lines: [line(rows[0]!, company('U'))] });
    expect((await ingestEvents(t.database, identity, [mine], appliers))[0]).toMatchObject({ status: 'accepted' });

    const theirs = { ...saleEvent(other, 'U', { seq: 1, cashierId, lines: [line(rows[0]!, company('U'))] }), eventId: mine.eventId };
    const [r] = await ingestEvents(t.database, other, [theirs], appliers);
    expect(r).toMatchObject({ status: 'rejected', field: 'eventId', eventId: mine.eventId });
    expect(r!.duplicate).toBeUndefined();
    expect(r!.reason).toMatch(/already used by another register/);
    expect(await count(`SELECT count(*)::int AS n FROM sales WHERE id = $1`, [theirs.sale.saleId])).toBe(0);
    // Recorded for the operator, once however often the register pushes it, without touching the first register's entries.
    await ingestEvents(t.database, other, [theirs], appliers);
    const outbox = (
      await t.database.pool.query(
        `SELECT event_id, register_id, field, status FROM rejected_events WHERE payload->>'saleId' IS NULL AND payload->'sale'->>'saleId' = $1`,
        [theirs.sale.saleId],
      )
    ).rows;
    expect(outbox).toEqual([{ event_id: null, register_id: other.registerId, field: 'eventId', status: 'pending' }]);
    expect(await count(`SELECT count(*)::int AS n FROM rejected_events WHERE event_id = $1`, [mine.eventId])).toBe(0);
    const [replay] = await ingestEvents(t.database, identity, [mine], appliers);
    expect(replay).toMatchObject({ status: 'accepted', duplicate: true, detail: { saleId: mine.sale.saleId } });

    // Both registers racing with one id: one sale is booked, the other register is told why not.
    const a = saleEvent(identity, 'U', { seq: nextSeq(), cashierId, lines: [line(rows[0]!, company('U'))] });
    const b = { ...saleEvent(other, 'U', { seq: 2, cashierId, lines: [line(rows[0]!, company('U'))] }), eventId: a.eventId };
    const [[ra], [rb]] = await Promise.all([ingestEvents(t.database, identity, [a], appliers), ingestEvents(t.database, other, [b], appliers)]);
    expect([ra!.status, rb!.status].sort()).toEqual(['accepted', 'rejected']);
    expect([ra, rb].find((x) => x!.status === 'rejected')).toMatchObject({ field: 'eventId' });
    expect(await count(`SELECT count(*)::int AS n FROM sales WHERE event_id = $1`, [a.eventId])).toBe(1);
  });

  it('refuses to answer a replay from a ledger row whose result is not an event result, naming the event', async () => {
    const { identity } = reg;
    const eventId = crypto.randomUUID();
    await reg.rows(
      `INSERT INTO register_events (event_id, device_id, type, status, result) VALUES ($1, $2, 'sale.completed', 'accepted', '{"status":"maybe"}')`,
      [eventId, identity.devices[0]!.id],
    );
    await expect(ingestEvents(t.database, identity, [{ eventId, type: 'sale.completed' }], appliers)).rejects.toThrow(
      new RegExp(`register_events ${eventId}: the stored result is not an event result \\(.*status`),
    );
  });

  it('opens shifts and records cash movements, refusing a second open shift', async () => {
    const { identity, cashierId } = reg;
    const dev = identity.devices.find((d) => d.companyCode === 'O')!;
    const env = () => ({
      v: 1,
      eventId: crypto.randomUUID(),
      occurredAt: new Date().toISOString(),
      deviceId: dev.id,
      registerId: identity.registerId,
      companyId: dev.companyId,
      cashierId,
    });
    const shiftId = crypto.randomUUID();
    const results = await ingestEvents(
      t.database,
      identity,
      [
        { ...env(), type: 'shift.opened', shiftId, float: 10000 },
        { ...env(), type: 'shift.opened', shiftId: crypto.randomUUID(), float: 0 },
        { ...env(), type: 'cash.movement', shiftId, kind: 'out', amount: 500, reason: 'window cleaner' },
      ],
      appliers,
    );
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(await count(`SELECT count(*)::int AS n FROM cash_movements WHERE shift_id = $1`, [shiftId])).toBe(1);
  });
});
