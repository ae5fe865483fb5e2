import { describe, expect, it } from 'vitest';
import { saleCompleted, verifySaleTotals } from './events';
import { buildSaleEvent, type SaleDraft } from './sale-event';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const draft = (over: Partial<SaleDraft> = {}): SaleDraft => ({
  eventId: id(1),
  saleId: id(2),
  occurredAt: '2026-11-23T10:00:00.000Z',
  deviceId: id(3),
  registerId: id(4),
  companyId: id(5),
  cashierId: id(6),
  receiptNumber: 'U-R01-000001',
  lines: [
    {
      lineId: id(10),
      itemId: id(11),
      companyId: id(5),
      name: 'Milk',
      crossCompany: false,
      quantityMilli: 2000,
      unitPrice: 129,
      unitPrecision: 0,
      taxRateId: id(12),
      rateBp: 1000,
      maxDiscountBp: 0,
    },
    {
      lineId: id(20),
      itemId: id(21),
      companyId: id(7),
      name: 'Coffee',
      crossCompany: true,
      crossCompanyReason: 'only in the other company',
      quantityMilli: 1000,
      unitPrice: 899,
      unitPrecision: 0,
      taxRateId: id(22),
      rateBp: 2000,
      maxDiscountBp: 1000,
      discount: { kind: 'percent', bp: 1000 },
    },
  ],
  settings: { pricesIncludeTax: true, taxRounding: 'line', rounding: 'HalfUp' },
  tenders: [{ kind: 'cash', amount: 1067, given: 2000 }],
  ...over,
});

describe('buildSaleEvent', () => {
  it('builds an event the edge accepts: schema and recomputed totals', () => {
    const r = buildSaleEvent(draft());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event.sale.totals.total).toBe(258 + 809);
    expect(r.event.sale.changeDue).toBe(2000 - 1067);
    expect(saleCompleted.safeParse(r.event).success).toBe(true);
    expect(verifySaleTotals(r.event)).toEqual({ ok: true });
  });

  it('returns the tender errors when the tenders do not cover the total', () => {
    const r = buildSaleEvent(draft({ tenders: [{ kind: 'card', amount: 100, reference: 'A1' }] }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.tenderErrors[0]!.code).toBe('underpaid');
  });
});
