import { describe, expect, it } from 'vitest';
import { DomainError, type ErrorKind } from '../core/errors';
import { seedDemo } from '../seeds/demo';
import { backends, useMigratedDatabase } from '../test/databases';
import { insertSale } from '../test/fixtures/sales';
import { getSale, listAdjustments, listSales, resolveAdjustment, saleFiltersFrom } from './admin-sales';
import { addCashMovement, closeShiftWithZ, getZReport, listShifts, openShift, shiftReportCsv, xReport } from './admin-shifts';

const ACTOR = 'admin@demo.till';

async function status(p: Promise<unknown>): Promise<ErrorKind | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof DomainError) return e.kind;
    throw e;
  }
}

describe.each(backends)('admin shifts, sales and adjustments on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  let deviceU: string;
  let deviceO: string;

  it('seeds a small demo store', async () => {
    await seedDemo(t.database, { itemsPerCompany: 20, sharedBarcodes: 5, customers: 5 });
    const r = (await t.database.pool.query(`SELECT d.id, c.code FROM devices d JOIN companies c ON c.id = d.company_id`)).rows;
    deviceU = r.find((x) => x.code === 'U')!.id;
    deviceO = r.find((x) => x.code === 'O')!.id;
  });

  it('opens one shift per register and company, with the float parsed from text', async () => {
    expect(await status(openShift(t.database, { deviceId: deviceU, openingFloat: '100.0.0' }, ACTOR))).toBe('invalid');
    const { id } = await openShift(t.database, { deviceId: deviceU, openingFloat: '100.00' }, ACTOR);
    expect(await status(openShift(t.database, { deviceId: deviceU, openingFloat: '5' }, ACTOR))).toBe('conflict');
    const [row] = await listShifts(t.database, { status: 'open' });
    expect(row).toMatchObject({ id, openingFloat: 10000, status: 'open', registerCode: 'R01', companyName: 'Unofficial' });
    const captured = (await t.database.pool.query(`SELECT count(*)::int AS n FROM change_log WHERE table_name = 'shifts'`)).rows[0].n;
    expect(captured).toBe(1);
  });

  it('X report adds up the shift and changes nothing; Z closes it once with gap-free numbers', async () => {
    const shift = (await listShifts(t.database, { status: 'open' }))[0]!;
    const s1 = await insertSale(t.database, { shiftId: shift.id, cashGiven: 2000 }); // cash 13.30, given 20.00, change 6.70
    await insertSale(t.database, { shiftId: shift.id, card: 1330 });
    await insertSale(t.database, { shiftId: shift.id, card: 330, crossCompany: false }); // cash 10.00
    await insertSale(t.database, { shiftId: shift.id, status: 'voided' });
    await insertSale(t.database, {}); // not in the shift
    await addCashMovement(t.database, { shiftId: shift.id, kind: 'in', amount: '50', reason: 'change top-up' }, ACTOR);
    await addCashMovement(t.database, { shiftId: shift.id, kind: 'out', amount: '12.50', reason: 'window cleaner' }, ACTOR);
    expect(await status(addCashMovement(t.database, { shiftId: shift.id, kind: 'out', amount: '0', reason: 'nothing' }, ACTOR))).toBe('invalid');
    expect(await status(addCashMovement(t.database, { shiftId: shift.id, kind: 'out', amount: '1', reason: '' }, ACTOR))).toBe('invalid');

    const x1 = await xReport(t.database, shift.id);
    const x2 = await xReport(t.database, shift.id);
    expect(x2).toEqual(x1);
    expect(x1.salesCount).toBe(3);
    expect(x1.voidedCount).toBe(1);
    expect(x1.tenders).toEqual({ cash: 1330 + 1000, card: 1330 + 330, credit: 0 });
    expect(x1.cashReceived).toBe(2000 + 1000);
    expect(x1.changeGiven).toBe(670);
    expect(x1.cashExpected).toBe(10000 + 3000 - 670 + 5000 - 1250);
    expect(x1.taxRates.map((r) => [r.rateBp, r.gross])).toEqual([
      [2000, 3000],
      [1000, 990],
    ]);
    expect((await t.database.pool.query(`SELECT status FROM shifts WHERE id = $1`, [shift.id])).rows[0].status).toBe('open');
    expect(s1.changeDue).toBe(670);

    expect(await status(closeShiftWithZ(t.database, { shiftId: shift.id, countedCash: '' }, ACTOR))).toBe('invalid');
    const z = await closeShiftWithZ(t.database, { shiftId: shift.id, countedCash: '160.75' }, ACTOR);
    expect(z.number).toBe(1);
    expect(z.figures.countedCash).toBe(16075);
    expect(z.figures.variance).toBe(16075 - x1.cashExpected);
    expect(await status(closeShiftWithZ(t.database, { shiftId: shift.id, countedCash: '1' }, ACTOR))).toBe('conflict');
    expect(await status(addCashMovement(t.database, { shiftId: shift.id, kind: 'in', amount: '1', reason: 'late' }, ACTOR))).toBe('conflict');
    const stored = await getZReport(t.database, shift.id);
    expect(stored?.number).toBe(1);
    expect(stored?.figures.cashExpected).toBe(x1.cashExpected);
    expect(stored?.createdBy).toBe(ACTOR);
    const closed = (await t.database.pool.query(`SELECT status, counted_cash, expected_cash, variance FROM shifts WHERE id = $1`, [shift.id])).rows[0];
    expect(closed).toEqual({ status: 'closed', counted_cash: 16075, expected_cash: x1.cashExpected, variance: z.figures.variance });
  });

  it('exports the Z report as CSV with every time in the store zone and its offset', async () => {
    const shift = (await listShifts(t.database, { status: 'closed' }))[0]!;
    await t.database.pool.query(`UPDATE store_settings SET time_zone = 'America/New_York'`);
    await t.database.pool.query(`UPDATE shifts SET opened_at = '2026-11-30T13:05:00Z', closed_at = '2026-11-30T22:30:00Z' WHERE id = $1`, [shift.id]);
    const report = (await shiftReportCsv(t.database, shift.id, new Date('2026-12-01T04:10:00Z')))!;
    expect(report.fileName).toMatch(/^z-\d+-R01\.csv$/);
    expect(report.csv).toContain('shift,opened,2026-11-30 08:05 -05:00');
    expect(report.csv).toContain('shift,closed,2026-11-30 17:30 -05:00');
    expect(report.csv).toContain('shift,generated,2026-11-30 23:10 -05:00');
    expect(report.csv).toContain('shift,timeZone,America/New_York');
    expect(await shiftReportCsv(t.database, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
    await t.database.pool.query(`UPDATE store_settings SET time_zone = 'UTC'`);
  });

  it('numbers Z reports per company without gaps, also when closes race', async () => {
    const a = await openShift(t.database, { deviceId: deviceU, openingFloat: '0' }, ACTOR);
    const b = await openShift(t.database, { deviceId: deviceO, openingFloat: '0' }, ACTOR);
    const [za, zb] = await Promise.all([
      closeShiftWithZ(t.database, { shiftId: a.id, countedCash: '0' }, ACTOR),
      closeShiftWithZ(t.database, { shiftId: b.id, countedCash: '0' }, ACTOR),
    ]);
    expect(za.number).toBe(2); // Unofficial's second
    expect(zb.number).toBe(1); // Official's first
    const c = await openShift(t.database, { deviceId: deviceU, openingFloat: '0' }, ACTOR);
    const results = await Promise.all([1, 2, 3].map(() => status(closeShiftWithZ(t.database, { shiftId: c.id, countedCash: '0' }, ACTOR))));
    expect(results.sort()).toEqual(['conflict', 'conflict', 'ok']);
    const numbers = (
      await t.database.pool.query(`SELECT number FROM z_reports z JOIN companies c ON c.id = z.company_id WHERE c.code = 'U' ORDER BY number`)
    ).rows.map((r) => r.number);
    expect(numbers).toEqual([1, 2, 3]);
  });

  it('lists and filters sales, shows detail with cross-company lines', async () => {
    const all = await listSales(t.database, {});
    expect(all.sales.length).toBe(5);
    const flagged = await listSales(t.database, { flaggedOnly: true });
    expect(flagged.sales.every((s) => s.flagged)).toBe(true);
    expect(flagged.sales.length).toBe(4);
    expect((await listSales(t.database, { tender: 'card' })).sales.length).toBe(2);
    const page1 = await listSales(t.database, {}, { limit: 2 });
    const page2 = await listSales(t.database, {}, { limit: 2, cursor: page1.nextCursor! });
    const page3 = await listSales(t.database, {}, { limit: 2, cursor: page2.nextCursor! });
    expect([...page1.sales, ...page2.sales, ...page3.sales].map((s) => s.id)).toEqual(all.sales.map((s) => s.id));
    expect(page3.nextCursor).toBeNull();
    const today = new Date().toISOString().slice(0, 10);
    expect(saleFiltersFrom(new URLSearchParams(`from=${today}&tender=bitcoin&company=x`))).toMatchObject({
      from: today,
      tender: undefined,
      companyId: undefined,
    });
    expect((await listSales(t.database, { from: '2000-01-01', to: '2000-01-31' })).sales.length).toBe(0);

    const detail = await getSale(t.database, flagged.sales[0]!.id);
    expect(detail?.lines.map((l) => l.crossCompany)).toEqual([false, true]);
    expect(detail?.lines[1]?.itemCompanyName).toBe('Official');
    expect(detail?.taxSummary.length).toBe(2);
    expect(detail?.adjustment?.status).toBe('open');
  });

  it('resolves adjustment entries once, with a required note, keeping them visible', async () => {
    const open = (await listAdjustments(t.database)).filter((a) => a.status === 'open');
    expect(open.length).toBe(4);
    expect(open[0]!.lines).toHaveLength(1);
    expect(open[0]!.reasons[0]).toContain('item of the other company');
    expect(await status(resolveAdjustment(t.database, { id: open[0]!.id, resolutionAction: 'inter_company_transfer', note: '' }, ACTOR))).toBe('invalid');
    expect(await status(resolveAdjustment(t.database, { id: open[0]!.id, resolutionAction: 'refund', note: 'moved stock' }, ACTOR))).toBe('invalid');
    await resolveAdjustment(t.database, { id: open[0]!.id, resolutionAction: 'inter_company_transfer', note: 'moved stock O → U' }, ACTOR);
    expect(await status(resolveAdjustment(t.database, { id: open[0]!.id, resolutionAction: 'no_action', note: 'again' }, ACTOR))).toBe('conflict');
    const after = await listAdjustments(t.database);
    const resolved = after.find((a) => a.id === open[0]!.id)!;
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: ACTOR, resolutionAction: 'inter_company_transfer', resolutionNote: 'moved stock O → U' });
    expect(after.filter((a) => a.status === 'open').length).toBe(3);
  });
});
