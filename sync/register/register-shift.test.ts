// Shifts on the register's own database, offline: open with a float, sales carry the shift, a blind
// count closes it with the register's figures, a variance above the threshold needs an approver.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerEvent } from '../../core/events';
import { completeSale } from './complete-sale';
import { closeShifts, currentShift, figuresAfterCount, openShifts } from './register-shift';
import { applyLocalSchema } from './shape-sync';

const U = { id: '00000000-0000-4000-8000-0000000000d1', companyId: '00000000-0000-4000-8000-00000000000a', companyCode: 'U', code: 'R01' };
const O = { id: '00000000-0000-4000-8000-0000000000d2', companyId: '00000000-0000-4000-8000-00000000000b', companyCode: 'O', code: 'R01' };
const REGISTER = '00000000-0000-4000-8000-0000000000f1';
const CASHIER = '00000000-0000-4000-8000-000000000301';
const MANAGER = '00000000-0000-4000-8000-000000000302';

const sell = (pg: PGlite, given: number) =>
  completeSale(pg, {
    registerId: REGISTER,
    device: U,
    cashierId: CASHIER,
    lines: [
      {
        lineId: crypto.randomUUID(),
        itemId: '00000000-0000-4000-8000-000000000101',
        companyId: U.companyId,
        name: 'Milk 1L',
        crossCompany: false,
        quantityMilli: 1000,
        unitPrice: 250,
        unitPrecision: 0,
        taxRateId: '00000000-0000-4000-8000-000000000201',
        rateBp: 2000,
        maxDiscountBp: 0,
      },
    ],
    tenders: [{ kind: 'cash', amount: 250, given }],
    settings: { pricesIncludeTax: true, taxRounding: 'line', rounding: 'HalfUp' },
  });

const outbox = async (pg: PGlite) => (await pg.query<{ type: string; payload: Record<string, unknown> }>(`SELECT type, payload FROM outbox ORDER BY seq`)).rows;

let pg: PGlite;
beforeAll(async () => {
  pg = new PGlite();
  await applyLocalSchema(pg);
});
afterAll(() => pg.close());
beforeEach(async () => {
  await pg.exec(
    `DELETE FROM local_sales; DELETE FROM local_shifts; DELETE FROM shifts; DELETE FROM outbox; DELETE FROM receipt_counters; DELETE FROM store_settings;`,
  );
  await pg.query(`INSERT INTO store_settings (store_id, shift_variance_threshold) VALUES (gen_random_uuid(), 500)`);
});

describe('shifts on the register', () => {
  it('opens one shift per company with its float and events; sales carry the shift', async () => {
    const r = await openShifts(pg, {
      registerId: REGISTER,
      cashierId: CASHIER,
      floats: [
        { device: U, float: 10000 },
        { device: O, float: 0 },
      ],
    });
    expect(r.ok).toBe(true);
    const shift = (await currentShift(pg, U.id))!;
    expect(shift).toMatchObject({ openingFloat: 10000, source: 'register', companyId: U.companyId });
    expect((await currentShift(pg, O.id))!.openingFloat).toBe(0);
    expect(await openShifts(pg, { registerId: REGISTER, cashierId: CASHIER, floats: [{ device: U, float: 1 }] })).toEqual({
      ok: false,
      message: 'A shift is already open in U',
    });
    const sale = await sell(pg, 500);
    expect(sale.ok && sale.event.shiftId).toBe(shift.id);
    const events = await outbox(pg);
    expect(events.map((e) => e.type)).toEqual(['shift.opened', 'shift.opened', 'sale.completed']);
    for (const e of events) expect(registerEvent.safeParse(e.payload).success).toBe(true);
  });

  it('shows the figures only from a count, and closes with them; a large variance needs an approver', async () => {
    await openShifts(pg, { registerId: REGISTER, cashierId: CASHIER, floats: [{ device: U, float: 10000 }] });
    await sell(pg, 500); // 2.50 kept: 5.00 given, 2.50 change
    const shift = (await currentShift(pg, U.id))!;
    const exact = await figuresAfterCount(pg, shift, 10250, 500);
    expect(exact).toMatchObject({ needsApproval: false, figures: { cashExpected: 10250, variance: 0, salesCount: 1, changeGiven: 250 } });

    const short = { registerId: REGISTER, cashierId: CASHIER, counts: [{ device: U, shiftId: shift.id, countedCash: 9000 }] };
    expect(await closeShifts(pg, short)).toEqual({ ok: false, needsApproval: true, message: 'The variance needs a manager\u2019s approval' });
    expect(await currentShift(pg, U.id)).toBeDefined();
    const closed = await closeShifts(pg, { ...short, approvedBy: MANAGER });
    expect(closed).toMatchObject({ ok: true, closed: [{ shiftId: shift.id, figures: { cashExpected: 10250, countedCash: 9000, variance: -1250 } }] });
    expect(await currentShift(pg, U.id)).toBeUndefined();
    const event = (await outbox(pg)).at(-1)!;
    expect(event.payload).toMatchObject({
      type: 'shift.closed',
      shiftId: shift.id,
      countedCash: 9000,
      expectedCash: 10250,
      variance: -1250,
      approvedBy: MANAGER,
      cashierId: CASHIER,
    });
    expect(registerEvent.safeParse(event.payload).success).toBe(true);
    expect(await closeShifts(pg, { ...short, approvedBy: MANAGER })).toMatchObject({ ok: false, message: 'The shift in U is no longer open' });
  });

  it('does not send an approver that was not needed', async () => {
    await openShifts(pg, { registerId: REGISTER, cashierId: CASHIER, floats: [{ device: U, float: 10000 }] });
    const shift = (await currentShift(pg, U.id))!;
    const r = await closeShifts(pg, {
      registerId: REGISTER,
      cashierId: CASHIER,
      approvedBy: MANAGER,
      counts: [{ device: U, shiftId: shift.id, countedCash: 10100 }],
    });
    expect(r.ok).toBe(true);
    expect((await outbox(pg)).at(-1)!.payload.approvedBy).toBeUndefined();
  });

  it('knows a shift the back office opened, and forgets one the back office closed', async () => {
    const office = crypto.randomUUID();
    await pg.query(
      `INSERT INTO shifts (id, company_id, register_id, device_id, status, opening_float, opened_at) VALUES ($1, $2, $3, $4, 'open', 5000, now())`,
      [office, U.companyId, REGISTER, U.id],
    );
    expect(await currentShift(pg, U.id)).toMatchObject({ id: office, source: 'office', openingFloat: 5000 });
    await pg.query(`UPDATE shifts SET status = 'closed' WHERE id = $1`, [office]);
    expect(await currentShift(pg, U.id)).toBeUndefined();
    await openShifts(pg, { registerId: REGISTER, cashierId: CASHIER, floats: [{ device: U, float: 100 }] });
    const mine = (await currentShift(pg, U.id))!;
    // Closed in the back office while this register still had it open: no longer the register's shift.
    await pg.query(
      `INSERT INTO shifts (id, company_id, register_id, device_id, status, opening_float, opened_at) VALUES ($1, $2, $3, $4, 'closed', 100, now())`,
      [mine.id, U.companyId, REGISTER, U.id],
    );
    expect(await currentShift(pg, U.id)).toBeUndefined();
  });
});
