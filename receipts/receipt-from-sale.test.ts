import { describe, expect, it } from 'vitest';
import { buildSaleEvent } from '../core/sale-event';
import { receiptDocument } from './receipt-document';
import { receiptFromSale } from './receipt-from-sale';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('receiptFromSale', () => {
  it('prints every line, the tax summary, the change and the adjustment flag of a sale event', () => {
    const built = buildSaleEvent({
      eventId: id(1),
      saleId: id(2),
      occurredAt: '2026-11-23T10:00:00.000Z',
      deviceId: id(3),
      registerId: id(4),
      companyId: id(5),
      cashierId: id(6),
      receiptNumber: 'U-R01-000042',
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
          crossCompanyReason: 'other company',
          quantityMilli: 1000,
          unitPrice: 899,
          unitPrecision: 0,
          taxRateId: id(22),
          rateBp: 2000,
          maxDiscountBp: 1000,
        },
      ],
      settings: { pricesIncludeTax: true, taxRounding: 'line', rounding: 'HalfUp' },
      tenders: [{ kind: 'cash', amount: 1157, given: 2000 }],
    });
    if (!built.ok) throw new Error('bad sale');
    const data = receiptFromSale(built.event, {
      store: { name: 'Demo Store' },
      company: { name: 'Unofficial', code: 'U' },
      companyNames: { [id(7)]: 'Official' },
      currency: 'EUR',
      currencyExponent: 2,
      register: { code: 'R01' },
      cashierName: 'Ana',
    });
    expect(data.lines?.map((l) => l.total)).toEqual([258, 899]);
    const doc = receiptDocument(data);
    expect(doc).toContain('U-R01-000042');
    expect(doc).toContain('FLAGGED FOR ADJUSTMENT');
    expect(doc).toContain('8.43'); // change
    expect(doc).toContain('Official');
    // Without the store's zone the register's own timestamp is printed as written, with its offset.
    expect(doc).toContain('2026-11-23 10:00 +00:00');

    const local = receiptDocument(
      receiptFromSale(built.event, {
        store: { name: 'Demo Store' },
        company: { name: 'Unofficial Trading SAS', code: 'U', taxId: 'FR98765432109' },
        companyNames: { [id(7)]: 'Official' },
        currency: 'EUR',
        currencyExponent: 2,
        register: { code: 'R01' },
        cashierName: 'Ana',
        timeZone: 'Europe/Paris',
      }),
    );
    expect(local).toContain('2026-11-23 11:00 +01:00');
    expect(local).toContain('Unofficial Trading SAS');
    expect(local).toContain('VAT ID FR98765432109');
  });
});
