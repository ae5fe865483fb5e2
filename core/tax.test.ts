import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RoundingMode } from './rounding';
import { computeTax, taxInGross, taxOnNet, type TaxableLine, type TaxSettings } from './tax';

const settings = (over: Partial<TaxSettings> = {}): TaxSettings => ({ pricesIncludeTax: true, taxRounding: 'line', rounding: 'HalfUp', ...over });

describe('taxOnNet / taxInGross', () => {
  it('computes VAT on net and inside gross', () => {
    expect(taxOnNet(1000, 2000, 'HalfUp')).toBe(200);
    expect(taxInGross(1200, 2000, 'HalfUp')).toBe(200);
    expect(taxOnNet(999, 850, 'HalfUp')).toBe(85); // 84.915
    expect(taxOnNet(999, 850, 'Truncate')).toBe(84);
    expect(taxInGross(1085, 850, 'HalfUp')).toBe(85);
    expect(taxOnNet(1234, 0, 'HalfUp')).toBe(0);
  });
  it('applies the rounding mode at exact halves', () => {
    expect(taxOnNet(5, 1000, 'HalfUp')).toBe(1);
    expect(taxOnNet(5, 1000, 'Bankers')).toBe(0);
    expect(taxOnNet(15, 1000, 'Bankers')).toBe(2);
    expect(taxOnNet(-5, 1000, 'HalfUp')).toBe(-1);
  });
});

describe('computeTax', () => {
  const three = (amount: number): TaxableLine[] => [1, 2, 3].map(() => ({ taxRateId: 'std', rateBp: 2000, amount }));

  it('prices including VAT, rounded per line', () => {
    const r = computeTax(three(10), settings());
    expect(r.lines).toEqual([
      { net: 8, tax: 2, total: 10 },
      { net: 8, tax: 2, total: 10 },
      { net: 8, tax: 2, total: 10 },
    ]);
    expect(r.summary).toEqual([{ taxRateId: 'std', rateBp: 2000, net: 24, tax: 6, gross: 30 }]);
    expect([r.net, r.tax, r.total]).toEqual([24, 6, 30]);
  });

  it('prices including VAT, rounded per invoice: one rounding, spread over the lines', () => {
    const r = computeTax(three(10), settings({ taxRounding: 'invoice' }));
    expect(r.summary).toEqual([{ taxRateId: 'std', rateBp: 2000, net: 25, tax: 5, gross: 30 }]);
    expect(r.lines.map((l) => l.tax)).toEqual([2, 2, 1]);
    expect(r.lines.map((l) => l.total)).toEqual([10, 10, 10]);
  });

  it('prices excluding VAT, per line and per invoice', () => {
    const line = computeTax(three(3), settings({ pricesIncludeTax: false }));
    expect(line.summary).toEqual([{ taxRateId: 'std', rateBp: 2000, net: 9, tax: 3, gross: 12 }]);
    expect(line.lines[0]).toEqual({ net: 3, tax: 1, total: 4 });
    const inv = computeTax(three(3), settings({ pricesIncludeTax: false, taxRounding: 'invoice' }));
    expect(inv.summary).toEqual([{ taxRateId: 'std', rateBp: 2000, net: 9, tax: 2, gross: 11 }]);
    expect(inv.lines.map((l) => l.total)).toEqual([4, 4, 3]);
    expect(inv.total).toBe(11);
  });

  it('summarises several rates, highest first', () => {
    const r = computeTax(
      [
        { taxRateId: 'reduced', rateBp: 850, amount: 1085 },
        { taxRateId: 'zero', rateBp: 0, amount: 500 },
        { taxRateId: 'std', rateBp: 2000, amount: 1200 },
        { taxRateId: 'reduced', rateBp: 850, amount: 2170 },
      ],
      settings(),
    );
    expect(r.summary).toEqual([
      { taxRateId: 'std', rateBp: 2000, net: 1000, tax: 200, gross: 1200 },
      { taxRateId: 'reduced', rateBp: 850, net: 3000, tax: 255, gross: 3255 },
      { taxRateId: 'zero', rateBp: 0, net: 500, tax: 0, gross: 500 },
    ]);
    expect(r.total).toBe(4955);
  });

  it('handles an empty invoice and refuses inconsistent rates', () => {
    expect(computeTax([], settings())).toEqual({ lines: [], summary: [], net: 0, tax: 0, total: 0 });
    expect(() =>
      computeTax(
        [
          { taxRateId: 'a', rateBp: 2000, amount: 1 },
          { taxRateId: 'a', rateBp: 1000, amount: 1 },
        ],
        settings(),
      ),
    ).toThrow(/two rates/);
    expect(() => computeTax([{ taxRateId: 'a', rateBp: 10001, amount: 1 }], settings())).toThrow(/rateBp/);
    expect(() => computeTax([{ taxRateId: 'a', rateBp: 20.5, amount: 1 }], settings())).toThrow(/rateBp/);
    expect(() => computeTax([{ taxRateId: 'a', rateBp: 2000, amount: 1.5 }], settings())).toThrow(/safe integer/);
    expect(() =>
      computeTax(
        [
          { taxRateId: 'a', rateBp: 2000, amount: 10 },
          { taxRateId: 'a', rateBp: 2000, amount: -10 },
        ],
        settings({ taxRounding: 'invoice' }),
      ),
    ).toThrow(/mixes positive and negative/);
  });

  const rates = [
    { taxRateId: 'std', rateBp: 2000 },
    { taxRateId: 'reduced', rateBp: 850 },
    { taxRateId: 'low', rateBp: 550 },
    { taxRateId: 'zero', rateBp: 0 },
  ];
  const lineArb = fc
    .record({ rate: fc.constantFrom(...rates), amount: fc.integer({ min: 0, max: 10_000_000 }) })
    .map(({ rate, amount }) => ({ ...rate, amount }));
  const settingsArb = fc.record({
    pricesIncludeTax: fc.boolean(),
    taxRounding: fc.constantFrom<TaxSettings['taxRounding']>('line', 'invoice'),
    rounding: fc.constantFrom<RoundingMode>('HalfUp', 'Truncate', 'Bankers'),
  });

  it('summary always adds up: gross sums to the total, net + tax = gross per rate, lines match rows', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 25 }), settingsArb, (lines, s) => {
        const r = computeTax(lines, s);
        expect(r.summary.reduce((a, row) => a + row.gross, 0)).toBe(r.total);
        expect(r.summary.reduce((a, row) => a + row.net, 0)).toBe(r.net);
        expect(r.summary.reduce((a, row) => a + row.tax, 0)).toBe(r.tax);
        for (const row of r.summary) {
          expect(row.net + row.tax).toBe(row.gross);
          const mine = lines.map((l, i) => ({ l, t: r.lines[i]! })).filter(({ l }) => l.taxRateId === row.taxRateId);
          expect(mine.reduce((a, { t }) => a + t.total, 0)).toBe(row.gross);
          if (s.taxRounding === 'invoice') {
            const amount = mine.reduce((a, { l }) => a + l.amount, 0);
            expect(row.tax).toBe(s.pricesIncludeTax ? taxInGross(amount, row.rateBp, s.rounding) : taxOnNet(amount, row.rateBp, s.rounding));
          }
        }
        const amounts = lines.reduce((a, l) => a + l.amount, 0);
        expect(s.pricesIncludeTax ? r.total : r.net).toBe(amounts);
        r.lines.forEach((t, i) => {
          expect(t.net + t.tax).toBe(t.total);
          expect(t.tax).toBeGreaterThanOrEqual(0);
          expect(t.tax).toBeLessThanOrEqual(t.total);
          if (lines[i]!.rateBp === 0) expect(t.tax).toBe(0);
        });
      }),
    );
  });
});
