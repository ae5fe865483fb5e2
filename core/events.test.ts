import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCart, type CartSettings } from './cart';
import { pushBatch, registerEvent, saleCompleted, verifySaleTotals, type SaleCompletedEvent, type SaleLine } from './events';
import { settleTenders, type Tender } from './tenders';

const id = () => crypto.randomUUID();
const U = id();
const O = id();
const STD = id();
const RED = id();
const settings: CartSettings = { pricesIncludeTax: true, taxRounding: 'line', rounding: 'HalfUp' };

function saleLine(over: Partial<SaleLine> = {}): SaleLine {
  return {
    lineId: id(),
    itemId: id(),
    companyId: U,
    code: '4006381333931',
    name: 'Cola 0.5l',
    crossCompany: false,
    quantityMilli: 2000,
    unitPrice: 150,
    unitPrecision: 0,
    taxRateId: STD,
    rateBp: 2000,
    maxDiscountBp: 1000,
    ...over,
  };
}

const envelope = () => ({
  v: 1 as const,
  eventId: id(),
  occurredAt: '2025-03-01T10:15:00.000Z',
  deviceId: id(),
  registerId: id(),
  companyId: U,
  cashierId: id(),
});

/** A sale event whose figures are what the register would have computed. */
function saleEvent(lines: SaleLine[], tendersFor: (total: number) => Tender[], s: CartSettings = settings): SaleCompletedEvent {
  const r = computeCart({ lines, settings: s });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const tenders = tendersFor(r.cart.totals.total);
  const settled = settleTenders(r.cart.totals.total, tenders);
  if (!settled.ok) throw new Error(JSON.stringify(settled.errors));
  return {
    ...envelope(),
    type: 'sale.completed',
    receiptNumber: 'U-R01-000123',
    sale: { saleId: id(), lines, tenders, settings: s, totals: r.cart.totals, taxSummary: r.cart.taxSummary, changeDue: settled.changeDue },
  };
}

const cash = (total: number): Tender[] => [{ kind: 'cash', amount: total, given: total + 50 }];

describe('event schemas', () => {
  it('accepts every event type a register sends', () => {
    const events = [
      saleEvent([saleLine()], cash),
      { ...envelope(), type: 'sale.voided', saleId: id(), reason: 'Customer changed mind' },
      { ...envelope(), type: 'shift.opened', shiftId: id(), float: 10000 },
      { ...envelope(), type: 'shift.closed', shiftId: id(), countedCash: 54321 },
      { ...envelope(), type: 'cash.movement', shiftId: id(), kind: 'out', amount: 2000, reason: 'Paid supplier' },
    ];
    for (const e of events) expect(registerEvent.safeParse(e).success).toBe(true);
    expect(pushBatch.parse({ events }).events.map((e) => e.type)).toEqual(['sale.completed', 'sale.voided', 'shift.opened', 'shift.closed', 'cash.movement']);
  });

  it('refuses unknown types and versions', () => {
    expect(registerEvent.safeParse({ ...envelope(), type: 'sale.deleted', saleId: id() }).success).toBe(false);
    expect(registerEvent.safeParse({ ...envelope(), v: 2, type: 'shift.opened', shiftId: id(), float: 0 }).success).toBe(false);
  });

  const issuePaths = (x: unknown) => {
    const r = registerEvent.safeParse(x);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it('refuses floats and unsafe integers as money, non-UUID ids, bad dates and receipt numbers', () => {
    const open = { ...envelope(), type: 'shift.opened', shiftId: id(), float: 100 };
    expect(issuePaths({ ...open, float: 10.5 })).toEqual(['float']);
    expect(issuePaths({ ...open, float: 2 ** 53 })).toEqual(['float']);
    expect(issuePaths({ ...open, float: -1 })).toEqual(['float']);
    expect(issuePaths({ ...open, shiftId: 'shift-1' })).toEqual(['shiftId']);
    expect(issuePaths({ ...open, occurredAt: '01/03/2025' })).toEqual(['occurredAt']);
    expect(issuePaths({ ...open, occurredAt: '2025-03-01T12:15:00+02:00' })).toEqual([]);
    expect(issuePaths({ ...saleEvent([saleLine()], cash), receiptNumber: 'U-R01-123' })).toEqual(['receiptNumber']);
    expect(issuePaths({ ...envelope(), type: 'cash.movement', shiftId: id(), kind: 'sideways', amount: 0, reason: '' })).toEqual(['kind', 'amount', 'reason']);
  });

  it('refuses a card number in a tender reference and a cross-company line without reason', () => {
    const e = saleEvent([saleLine()], (t) => [{ kind: 'card', amount: t, reference: 'A1' }]);
    expect(issuePaths(e)).toEqual([]);
    const withPan = structuredClone(e);
    withPan.sale.tenders = [{ kind: 'card', amount: e.sale.totals.total, reference: '4111 1111 1111 1111' }];
    expect(issuePaths(withPan)).toEqual(['sale.tenders.0.reference']);
    const cross = structuredClone(e);
    cross.sale.lines[0] = { ...cross.sale.lines[0]!, crossCompany: true };
    expect(issuePaths(cross)).toEqual(['sale.lines.0.crossCompanyReason']);
  });

  it('caps a push at 500 events with unique ids', () => {
    const ev = () => ({ ...envelope(), type: 'shift.closed' as const, shiftId: id(), countedCash: 0 });
    expect(pushBatch.safeParse({ events: Array.from({ length: 500 }, ev) }).success).toBe(true);
    expect(pushBatch.safeParse({ events: Array.from({ length: 501 }, ev) }).success).toBe(false);
    const one = ev();
    expect(pushBatch.safeParse({ events: [one, one] }).error?.issues[0]?.message).toBe('Duplicate eventId in one batch');
  });
});

describe('verifySaleTotals', () => {
  it('accepts a sale computed by core', () => {
    const e = saleEvent(
      [
        saleLine(),
        saleLine({ unitPrice: 1085, taxRateId: RED, rateBp: 850, discount: { kind: 'percent', bp: 500 } }),
        saleLine({ companyId: O, crossCompany: true, crossCompanyReason: 'other company' }),
      ],
      (t) => [
        { kind: 'card', amount: t - 1000, reference: 'APPROVED 0042' },
        { kind: 'cash', amount: 1000, given: 2000 },
      ],
    );
    expect(saleCompleted.parse(e)).toEqual(e);
    expect(verifySaleTotals(e)).toEqual({ ok: true });
    expect(e.sale.changeDue).toBe(1000);
  });

  it('names the field that does not match', () => {
    const base = saleEvent([saleLine(), saleLine({ taxRateId: RED, rateBp: 850 })], cash);
    const tamper = (f: (e: SaleCompletedEvent) => void) => {
      const e = structuredClone(base);
      f(e);
      return verifySaleTotals(e);
    };
    expect(tamper((e) => (e.sale.totals.total += 1))).toEqual({ ok: false, field: 'sale.totals.total', reason: 'total is 601, recomputed 600' });
    expect(tamper((e) => (e.sale.totals.tax -= 1))).toMatchObject({ ok: false, field: 'sale.totals.tax' });
    expect(tamper((e) => (e.sale.taxSummary[1]!.tax += 1))).toMatchObject({ ok: false, field: 'sale.taxSummary.1.tax' });
    expect(tamper((e) => e.sale.taxSummary.pop())).toMatchObject({ ok: false, field: 'sale.taxSummary' });
    expect(tamper((e) => (e.sale.changeDue = 0))).toMatchObject({ ok: false, field: 'sale.changeDue', reason: 'changeDue is 0, recomputed 50' });
    expect(tamper((e) => (e.sale.lines[0]!.unitPrice = 149))).toMatchObject({ ok: false, field: 'sale.totals.subtotal' });
    expect(tamper((e) => (e.sale.tenders = [{ kind: 'cash', amount: 500, given: 500 }]))).toMatchObject({
      ok: false,
      field: 'sale.tenders',
      reason: expect.stringMatching(/^underpaid/),
    });
    expect(tamper((e) => (e.sale.lines[1]!.discount = { kind: 'percent', bp: 2000 }))).toMatchObject({
      ok: false,
      field: 'sale.lines.1',
      reason: expect.stringMatching(/^discount_exceeds_max/),
    });
    expect(tamper((e) => (e.sale.lines[1]!.companyId = O))).toMatchObject({ ok: false, field: 'sale.lines.1.crossCompany' });
    expect(tamper((e) => (e.sale.lines[0]!.crossCompany = true))).toMatchObject({ ok: false, field: 'sale.lines.0.crossCompany' });
    expect(tamper((e) => (e.sale.invoiceDiscount = { kind: 'amount', amount: 10_000 }))).toMatchObject({ ok: false, field: 'sale.invoiceDiscount' });
  });

  it('accepts any core-computed sale and rejects any single-unit change to a total', () => {
    const lineArb = fc.record({
      unitPrice: fc.integer({ min: 1, max: 100_000 }),
      qty: fc.integer({ min: 1, max: 20 }),
      reduced: fc.boolean(),
      bp: fc.integer({ min: 0, max: 1000 }),
    });
    const settingsArb = fc.record({
      pricesIncludeTax: fc.boolean(),
      taxRounding: fc.constantFrom('line' as const, 'invoice' as const),
      rounding: fc.constantFrom('HalfUp' as const, 'Truncate' as const, 'Bankers' as const),
    });
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 8 }),
        settingsArb,
        fc.constantFrom('subtotal', 'discountTotal', 'net', 'tax', 'total'),
        fc.constantFrom(1, -1),
        (ls, s, key, delta) => {
          const lines = ls.map((l) =>
            saleLine({
              unitPrice: l.unitPrice,
              quantityMilli: l.qty * 1000,
              taxRateId: l.reduced ? RED : STD,
              rateBp: l.reduced ? 850 : 2000,
              discount: { kind: 'percent', bp: l.bp },
            }),
          );
          const e = saleEvent(lines, cash, s);
          expect(verifySaleTotals(e)).toEqual({ ok: true });
          const bad = structuredClone(e);
          bad.sale.totals[key] += delta;
          expect(verifySaleTotals(bad)).toMatchObject({ ok: false, field: `sale.totals.${key}` });
        },
      ),
      { numRuns: 60 },
    );
  });
});
