import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySale } from '../core/events';
import { receiptDocument } from '../receipts/receipt-document';
import { receiptFromSale } from '../receipts/receipt-from-sale';
import { renderSvg } from '../receipts/render-node';
import type { DeviceIdentity } from './device-auth';
import { line, saleEvent, type CatalogRow } from '../test/fixtures/register-sale';
import { receiptFromStoredSale, type StoredSaleReceipt } from './admin-receipt';

const U = randomUUID();
const O = randomUUID();
const identity: DeviceIdentity = {
  registerId: randomUUID(),
  registerCode: 'R01',
  tokenId: 't',
  devices: [
    { id: randomUUID(), companyId: U, companyCode: 'U', code: 'R01', warehouseId: null },
    { id: randomUUID(), companyId: O, companyCode: 'O', code: 'R01', warehouseId: null },
  ],
  companyIds: [U, O],
};
const item = (companyId: string, name: string, price: number): CatalogRow => ({
  itemId: randomUUID(),
  companyId,
  name,
  price,
  taxRateId: randomUUID(),
  rateBp: 2000,
  maxDiscountBp: 5000,
  unitPrecision: 0,
});

/** What the edge stores for `e` (sales, sale_lines, payments and their joins). */
function stored(e: ReturnType<typeof saleEvent>): StoredSaleReceipt {
  // The per-line figures the edge stores: core's, exactly as the register computed them.
  const verified = verifySale(e);
  if (!verified.ok) throw new Error(verified.reason);
  const figures = verified.lines;
  return {
    sale: {
      receiptNumber: e.receiptNumber,
      occurredAt: e.occurredAt,
      subtotal: e.sale.totals.subtotal,
      discountTotal: e.sale.totals.discountTotal,
      netTotal: e.sale.totals.net,
      taxTotal: e.sale.totals.tax,
      total: e.sale.totals.total,
      taxSummary: e.sale.taxSummary,
      flagged: e.sale.lines.some((l) => l.crossCompany),
    },
    company: { name: 'Unofficial', code: 'U', currency: 'EUR', currencyExponent: 2 },
    store: { name: 'Demo Store', address: '1 Main St', footer: 'Thank you!' },
    register: { code: 'R01', name: 'Front counter' },
    cashierName: 'Cleo',
    customer: null,
    lines: e.sale.lines.map((l, i) => ({
      name: l.name,
      itemCode: null,
      uom: 'Nos',
      unitPrecision: 0,
      quantityMilli: l.quantityMilli,
      unitPrice: l.unitPrice,
      lineDiscount: figures[i]!.lineDiscount,
      invoiceDiscountShare: figures[i]!.invoiceDiscountShare,
      net: figures[i]!.net,
      tax: figures[i]!.tax,
      crossCompany: l.crossCompany,
      itemCompanyName: l.companyId === O ? 'Official' : 'Unofficial',
    })),
    payments: e.sale.tenders.map((t) => ({
      kind: t.kind,
      amount: t.amount,
      given: t.kind === 'cash' ? t.given : null,
      reference: t.kind === 'card' ? t.reference : null,
      customerName: null,
    })),
  };
}

describe('receipt of a stored sale', () => {
  it('prints what the register printed for the same sale (a copy)', () => {
    const e = saleEvent(identity, 'U', {
      seq: 42,
      cashierId: randomUUID(),
      lines: [line(item(U, 'Coffee beans', 1250), U, 2), line(item(O, 'Tea', 399), U)],
      tenders: (total) => [{ kind: 'cash', amount: total, given: total + 101 }],
    });
    const fromStore = receiptFromStoredSale(stored(e), { reprint: false });
    const fromRegister = receiptFromSale(e, {
      store: { name: 'Demo Store', address: '1 Main St' },
      company: { name: 'Unofficial', code: 'U' },
      companyNames: { [U]: 'Unofficial', [O]: 'Official' },
      currency: 'EUR',
      currencyExponent: 2,
      register: { code: 'R01', name: 'Front counter' },
      cashierName: 'Cleo',
      footer: 'Thank you!',
    });
    expect(fromStore).toEqual({ ...fromRegister, lines: fromRegister.lines.map((l) => ({ ...l, unitPrecision: 0 })) });
    expect(receiptDocument(fromStore)).toBe(receiptDocument(fromRegister));

    const copy = receiptFromStoredSale(stored(e));
    expect(copy.reprint).toBe(true);
    expect(copy.flaggedForAdjustment).toBe(true);
    expect(copy.adjustmentReasons).toEqual(['Tea: item of Official']);
    expect(copy.tenders).toEqual([{ kind: 'cash', amount: e.sale.totals.total, given: e.sale.totals.total + 101, change: 101 }]);
    const svg = renderSvg(receiptDocument(copy));
    expect(svg).toContain('<svg');
    expect(svg.replace(/<[^>]+>/g, '')).toContain('U-R01-000042');
  });

  it('fills what a stored sale may lack: store, cashier, credit customer, card reference, weighed items', () => {
    const base = stored(saleEvent(identity, 'U', { seq: 7, cashierId: randomUUID(), lines: [line(item(U, 'Apples', 300), U)] }));
    const r = receiptFromStoredSale({
      ...base,
      store: null,
      cashierName: null,
      customer: { name: 'Karim Saleh', code: 'CUST-00001' },
      lines: base.lines.map((l) => ({ ...l, uom: 'Kg', unitPrecision: 3, itemCode: 'U-APL' })),
      payments: [
        { kind: 'card', amount: 100, given: null, reference: null, customerName: null },
        { kind: 'credit', amount: base.sale.total - 100, given: null, reference: null, customerName: null },
      ],
    });
    expect(r.store).toEqual({ name: 'Unofficial', address: '' });
    expect(r.cashier).toEqual({ name: 'unknown cashier' });
    expect(r.customer).toEqual({ name: 'Karim Saleh', code: 'CUST-00001' });
    expect(r.lines[0]).toMatchObject({ code: 'U-APL', uom: 'Kg', unitPrecision: 3 });
    expect(r.tenders).toEqual([
      { kind: 'card', amount: 100, reference: '' },
      { kind: 'credit', amount: base.sale.total - 100, customer: { name: 'Karim Saleh' } },
    ]);
    expect(r.footer).toBe('');
    expect(() => receiptDocument(r)).not.toThrow();
  });

  it('prints the store-local time with its offset, the legal name, VAT id and company footer', () => {
    const base = stored(saleEvent(identity, 'U', { seq: 8, cashierId: randomUUID(), lines: [line(item(U, 'Bread', 250), U)] }));
    const r = receiptFromStoredSale({
      ...base,
      sale: { ...base.sale, occurredAt: '2026-11-30T13:05:00.000Z' },
      company: { ...base.company, legalName: 'Unofficial Trading SARL', vatId: 'FR12345678901', footer: 'Prices include VAT' },
      store: { name: 'Demo Store', address: '1 Main St', footer: 'Thank you!', timeZone: 'Europe/Paris' },
    });
    expect(r).toMatchObject({
      timeZone: 'Europe/Paris',
      company: { name: 'Unofficial Trading SARL', taxId: 'FR12345678901' },
      footer: 'Prices include VAT\nThank you!',
    });
    const text = receiptDocument(r);
    expect(text).toContain('2026-11-30 14:05 +01:00');
    expect(text).toContain('VAT ID FR12345678901');
  });
});
