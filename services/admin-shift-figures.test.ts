import { describe, expect, it } from 'vitest';
import { figuresCsv, minorToText, shiftFigures, zFigures, type ShiftSaleInput } from './admin-shift-figures';

const sale = (over: Partial<ShiftSaleInput> = {}): ShiftSaleInput => ({
  status: 'completed',
  total: 1330,
  netTotal: 1133,
  taxTotal: 197,
  discountTotal: 0,
  changeDue: 0,
  taxSummary: [
    { taxRateId: 'a', rateBp: 2000, net: 833, tax: 167, gross: 1000 },
    { taxRateId: 'b', rateBp: 1000, net: 300, tax: 30, gross: 330 },
  ],
  payments: [{ kind: 'cash', amount: 1330, given: null }],
  ...over,
});

describe('shift figures', () => {
  it('adds up sales, tenders and VAT rates, and the cash expected in the drawer', () => {
    const f = shiftFigures({
      openingFloat: 10000,
      sales: [
        sale({ changeDue: 670, payments: [{ kind: 'cash', amount: 1330, given: 2000 }] }),
        sale({ payments: [{ kind: 'card', amount: 1330, given: null }] }),
        sale({
          payments: [
            { kind: 'cash', amount: 330, given: null },
            { kind: 'credit', amount: 1000, given: null },
          ],
        }),
        sale({ status: 'voided', payments: [{ kind: 'cash', amount: 99999, given: null }] }),
      ],
      movements: [
        { kind: 'in', amount: 5000 },
        { kind: 'out', amount: 1250 },
      ],
    });
    expect(f.salesCount).toBe(3);
    expect(f.voidedCount).toBe(1);
    expect(f.grossTotal).toBe(3990);
    expect(f.taxTotal).toBe(591);
    expect(f.cashReceived).toBe(2000 + 330);
    expect(f.changeGiven).toBe(670);
    expect(f.tenders).toEqual({ cash: 1660, card: 1330, credit: 1000 });
    // float + received − change + in − out
    expect(f.cashExpected).toBe(10000 + 2330 - 670 + 5000 - 1250);
    expect(f.taxRates).toEqual([
      { taxRateId: 'a', rateBp: 2000, net: 2499, tax: 501, gross: 3000 },
      { taxRateId: 'b', rateBp: 1000, net: 900, tax: 90, gross: 990 },
    ]);
    // Tender totals add up to the gross total.
    expect(Object.values(f.tenders).reduce((a, b) => a + b, 0)).toBe(f.grossTotal);
  });

  it('treats `amount` as the handed-over cash when `given` is missing (change still subtracted once)', () => {
    const f = shiftFigures({ openingFloat: 0, sales: [sale({ changeDue: 170, payments: [{ kind: 'cash', amount: 1500, given: null }] })], movements: [] });
    expect(f.cashExpected).toBe(1330);
    expect(f.tenders.cash).toBe(1330);
  });

  it('an empty shift expects the float; Z adds counted cash and variance', () => {
    const z = zFigures({ openingFloat: 5000, sales: [], movements: [] }, 4990);
    expect(z.cashExpected).toBe(5000);
    expect(z.variance).toBe(-10);
    expect(z.taxRates).toEqual([]);
    expect(() => zFigures({ openingFloat: 0, sales: [], movements: [] }, 1.5)).toThrow(RangeError);
    expect(() => shiftFigures({ openingFloat: 0, sales: [sale({ total: 0.1 })], movements: [] })).toThrow(RangeError);
  });

  it('ignores malformed tax summary rows instead of producing NaN', () => {
    const f = shiftFigures({ openingFloat: 0, sales: [sale({ taxSummary: [{ rateBp: 2000, net: '1', tax: null }] })], movements: [] });
    expect(f.taxRates).toEqual([{ taxRateId: null, rateBp: 2000, net: 0, tax: 0, gross: 0 }]);
    expect(shiftFigures({ openingFloat: 0, sales: [sale({ taxSummary: null })], movements: [] }).taxRates).toEqual([]);
  });

  it('formats amounts without floats and writes CSV', () => {
    expect(minorToText(-5, 2)).toBe('-0.05');
    expect(minorToText(123450, 2)).toBe('1234.50');
    expect(minorToText(7, 0)).toBe('7');
    const csv = figuresCsv({ register: 'R01, front' }, zFigures({ openingFloat: 100, sales: [sale()], movements: [] }, 1430), 2);
    expect(csv).toContain('shift,register,"R01, front"\r\n');
    expect(csv).toContain('tender,cash,13.30');
    expect(csv).toContain('vat,20% gross,10.00');
    expect(csv).toContain('cash,variance,0.00');
  });
});
