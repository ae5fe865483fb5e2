import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCart, type CartInput, type CartLineInput, type CartSettings } from './cart';
import type { RoundingMode } from './rounding';

const incl: CartSettings = { pricesIncludeTax: true, taxRounding: 'line', rounding: 'HalfUp' };

let n = 0;
function line(over: Partial<CartLineInput> = {}): CartLineInput {
  n += 1;
  return {
    lineId: `l${n}`,
    itemId: `i${n}`,
    companyId: 'co-u',
    name: `Item ${n}`,
    unitPrice: 1200,
    quantityMilli: 1000,
    unitPrecision: 0,
    taxRateId: 'std',
    rateBp: 2000,
    maxDiscountBp: 10_000,
    ...over,
  };
}

function cart(input: CartInput) {
  const r = computeCart(input);
  if (!r.ok) throw new Error(`expected a cart, got ${JSON.stringify(r.errors)}`);
  return r.cart;
}

function codes(input: CartInput) {
  const r = computeCart(input);
  return r.ok ? [] : r.errors.map((e) => [e.code, e.lineId ?? null]);
}

describe('computeCart', () => {
  it('prices a simple VAT-inclusive cart', () => {
    const c = cart({ lines: [line({ lineId: 'a', quantityMilli: 2000 })], settings: incl });
    expect(c.lines).toEqual([{ lineId: 'a', gross: 2400, lineDiscount: 0, invoiceDiscountShare: 0, net: 2000, tax: 400, total: 2400 }]);
    expect(c.totals).toEqual({ subtotal: 2400, discountTotal: 0, net: 2000, tax: 400, total: 2400 });
    expect(c.taxSummary).toEqual([{ taxRateId: 'std', rateBp: 2000, net: 2000, tax: 400, gross: 2400 }]);
  });

  it('prices weighed items by thousandths and rounds once', () => {
    // 1.255 kg at 3.99/kg = 5.00745 → 501 (HalfUp) / 500 (Truncate)
    const l = line({ lineId: 'w', unitPrice: 399, quantityMilli: 1255, unitPrecision: 3, rateBp: 0, taxRateId: 'zero' });
    expect(cart({ lines: [l], settings: incl }).lines[0]!.gross).toBe(501);
    expect(cart({ lines: [l], settings: { ...incl, rounding: 'Truncate' } }).lines[0]!.gross).toBe(500);
    // 0.5 × 3 = 1.5 → Bankers 2, 0.5 × 5 = 2.5 → Bankers 2
    const half = (unitPrice: number) => line({ unitPrice, quantityMilli: 500, unitPrecision: 1 });
    expect(cart({ lines: [half(3)], settings: { ...incl, rounding: 'Bankers' } }).lines[0]!.gross).toBe(2);
    expect(cart({ lines: [half(5)], settings: { ...incl, rounding: 'Bankers' } }).lines[0]!.gross).toBe(2);
    expect(cart({ lines: [half(5)], settings: incl }).lines[0]!.gross).toBe(3);
  });

  it('prices VAT-exclusive carts', () => {
    const c = cart({ lines: [line({ unitPrice: 1000, quantityMilli: 3000 })], settings: { ...incl, pricesIncludeTax: false } });
    expect(c.totals).toEqual({ subtotal: 3000, discountTotal: 0, net: 3000, tax: 600, total: 3600 });
  });

  it('applies percent and amount line discounts', () => {
    const c = cart({
      lines: [
        line({ lineId: 'p', unitPrice: 999, discount: { kind: 'percent', bp: 1000 } }),
        line({ lineId: 'm', unitPrice: 500, discount: { kind: 'amount', amount: 50 } }),
      ],
      settings: incl,
    });
    expect(c.lines.map((l) => [l.lineId, l.gross, l.lineDiscount, l.total])).toEqual([
      ['p', 999, 100, 899], // 99.9 → 100
      ['m', 500, 50, 450],
    ]);
    expect(c.totals.discountTotal).toBe(150);
    expect(c.totals.total).toBe(1349);
  });

  it('spreads an invoice discount over lines so it adds up to the unit', () => {
    const c = cart({
      lines: [line({ lineId: 'a', unitPrice: 1000 }), line({ lineId: 'b', unitPrice: 1000 }), line({ lineId: 'c', unitPrice: 1000 })],
      invoiceDiscount: { kind: 'amount', amount: 100 },
      settings: incl,
    });
    expect(c.lines.map((l) => l.invoiceDiscountShare)).toEqual([34, 33, 33]);
    expect(c.totals).toMatchObject({ subtotal: 3000, discountTotal: 100, total: 2900 });

    const pctCart = cart({
      lines: [line({ unitPrice: 1000, discount: { kind: 'amount', amount: 200 } }), line({ unitPrice: 1999 })],
      invoiceDiscount: { kind: 'percent', bp: 1000 },
      settings: incl,
    });
    // 10 % of (800 + 1999) = 279.9 → 280, spread 800:1999
    expect(pctCart.lines.map((l) => l.invoiceDiscountShare)).toEqual([80, 200]);
    expect(pctCart.totals).toMatchObject({ discountTotal: 480, total: 2519 });
  });

  it('rounds VAT per invoice when the company says so', () => {
    const lines = [1, 2, 3].map(() => line({ unitPrice: 10 }));
    expect(cart({ lines, settings: incl }).totals.tax).toBe(6);
    expect(cart({ lines, settings: { ...incl, taxRounding: 'invoice' } }).totals.tax).toBe(5);
  });

  it('accepts an empty cart as zero', () => {
    expect(cart({ lines: [], settings: incl })).toEqual({ lines: [], totals: { subtotal: 0, discountTotal: 0, net: 0, tax: 0, total: 0 }, taxSummary: [] });
  });

  describe('errors a cashier can act on', () => {
    it('discount above the item cap', () => {
      expect(codes({ lines: [line({ lineId: 'x', maxDiscountBp: 1000, discount: { kind: 'percent', bp: 1500 } })], settings: incl })).toEqual([
        ['discount_exceeds_max', 'x'],
      ]);
      expect(
        codes({ lines: [line({ lineId: 'x', unitPrice: 1000, maxDiscountBp: 1000, discount: { kind: 'amount', amount: 101 } })], settings: incl }),
      ).toEqual([['discount_exceeds_max', 'x']]);
      expect(codes({ lines: [line({ unitPrice: 1000, maxDiscountBp: 1000, discount: { kind: 'amount', amount: 100 } })], settings: incl })).toEqual([]);
      expect(codes({ lines: [line({ lineId: 'x', unitPrice: 100, discount: { kind: 'amount', amount: 101 } })], settings: incl })).toEqual([
        ['discount_exceeds_line', 'x'],
      ]);
      expect(codes({ lines: [line({ lineId: 'x', discount: { kind: 'percent', bp: 10_001 } })], settings: incl })).toEqual([['discount_invalid', 'x']]);
      expect(codes({ lines: [line({ lineId: 'x', discount: { kind: 'amount', amount: 0.5 } })], settings: incl })).toEqual([['discount_invalid', 'x']]);
    });
    it('invoice discount that pushes a capped item over its limit, or exceeds the total', () => {
      const lines = [line({ lineId: 'tobacco', maxDiscountBp: 0 }), line({ lineId: 'bread' })];
      expect(codes({ lines, invoiceDiscount: { kind: 'percent', bp: 500 }, settings: incl })).toEqual([['invoice_discount_exceeds_max', 'tobacco']]);
      expect(codes({ lines: [line({ unitPrice: 100 })], invoiceDiscount: { kind: 'amount', amount: 101 }, settings: incl })).toEqual([
        ['invoice_discount_exceeds_total', null],
      ]);
      expect(codes({ lines: [line()], invoiceDiscount: { kind: 'percent', bp: -1 }, settings: incl })).toEqual([['invoice_discount_invalid', null]]);
    });
    it('a line discount at its cap that rounds up is not blamed on an invoice discount it does not share', () => {
      // 10 % of 5 = 0.5 → 1 (HalfUp); the invoice discount unit goes to the other line.
      const lines = [
        line({ lineId: 'small', unitPrice: 5, maxDiscountBp: 1000, discount: { kind: 'percent', bp: 1000 } }),
        line({ lineId: 'big', unitPrice: 1000 }),
      ];
      const c = cart({ lines, invoiceDiscount: { kind: 'amount', amount: 1 }, settings: incl });
      expect(c.lines.map((l) => [l.lineDiscount, l.invoiceDiscountShare])).toEqual([
        [1, 0],
        [0, 1],
      ]);
    });
    it('quantities', () => {
      expect(codes({ lines: [line({ lineId: 'x', quantityMilli: 1500, unitPrecision: 0 })], settings: incl })).toEqual([['quantity_precision', 'x']]);
      expect(codes({ lines: [line({ lineId: 'x', quantityMilli: 1255, unitPrecision: 2 })], settings: incl })).toEqual([['quantity_precision', 'x']]);
      expect(codes({ lines: [line({ quantityMilli: 1250, unitPrecision: 2 })], settings: incl })).toEqual([]);
      expect(codes({ lines: [line({ lineId: 'x', quantityMilli: 0 })], settings: incl })).toEqual([['quantity_not_positive', 'x']]);
      expect(codes({ lines: [line({ lineId: 'x', quantityMilli: -1000 })], settings: incl })).toEqual([['quantity_not_positive', 'x']]);
      expect(codes({ lines: [line({ lineId: 'x', quantityMilli: 1.5 })], settings: incl })).toEqual([['quantity_not_positive', 'x']]);
      expect(codes({ lines: [line({ lineId: 'x', unitPrecision: 4 })], settings: incl })).toEqual([['unit_precision_invalid', 'x']]);
    });
    it('prices, rates, ids, settings, overflow', () => {
      expect(codes({ lines: [line({ lineId: 'x', unitPrice: -1 })], settings: incl })).toEqual([['price_negative', 'x']]);
      expect(codes({ lines: [line({ lineId: 'x', unitPrice: 1.5 })], settings: incl })).toEqual([['amount_out_of_range', 'x']]);
      expect(codes({ lines: [line({ lineId: 'x', rateBp: -5 })], settings: incl })).toEqual([['tax_rate_invalid', 'x']]);
      expect(codes({ lines: [line({ lineId: 'x', maxDiscountBp: 10_001 })], settings: incl })).toEqual([['max_discount_invalid', 'x']]);
      expect(codes({ lines: [line({ taxRateId: 't' }), line({ lineId: 'y', taxRateId: 't', rateBp: 1000 })], settings: incl })).toEqual([
        ['tax_rate_conflict', 'y'],
      ]);
      expect(codes({ lines: [line({ lineId: 'd' }), line({ lineId: 'd' })], settings: incl })).toEqual([['line_id_duplicate', 'd']]);
      expect(codes({ lines: [line()], settings: { ...incl, rounding: 'Up' as RoundingMode } })).toEqual([['settings_invalid', null]]);
      expect(codes({ lines: [line({ lineId: 'x', unitPrice: Number.MAX_SAFE_INTEGER, quantityMilli: 2000 })], settings: incl })).toEqual([
        ['amount_out_of_range', 'x'],
      ]);
      expect(codes({ lines: [line({ unitPrice: 2 ** 52 }), line({ unitPrice: 2 ** 52 })], settings: incl })).toEqual([['amount_out_of_range', null]]);
    });
    it('reports every problem at once with a readable message', () => {
      const r = computeCart({ lines: [line({ lineId: 'a', name: 'Milk', quantityMilli: 0 }), line({ lineId: 'b', unitPrice: -5 })], settings: incl });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.errors.map((e) => e.code)).toEqual(['quantity_not_positive', 'price_negative']);
        expect(r.errors[0]!.message).toBe('Milk: quantity must be more than zero');
      }
    });
  });

  const settingsArb = fc.record({
    pricesIncludeTax: fc.boolean(),
    taxRounding: fc.constantFrom<CartSettings['taxRounding']>('line', 'invoice'),
    rounding: fc.constantFrom<RoundingMode>('HalfUp', 'Truncate', 'Bankers'),
  });
  const lineArb = fc
    .record({
      unitPrice: fc.integer({ min: 0, max: 1_000_000 }),
      unitPrecision: fc.integer({ min: 0, max: 3 }),
      units: fc.integer({ min: 1, max: 5000 }),
      rate: fc.constantFrom(['std', 2000], ['red', 850], ['zero', 0]),
      discountBp: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
    })
    .map((r) => ({
      ...line(),
      unitPrice: r.unitPrice,
      unitPrecision: r.unitPrecision,
      quantityMilli: r.units * 10 ** (3 - r.unitPrecision),
      taxRateId: r.rate[0],
      rateBp: r.rate[1],
      maxDiscountBp: 10_000,
      ...(r.discountBp === undefined ? {} : { discount: { kind: 'percent' as const, bp: r.discountBp } }),
    }));

  it('totals always reconcile: lines, summary and totals agree to the unit', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 12 }), settingsArb, fc.integer({ min: 0, max: 5000 }), (lines, settings, invBp) => {
        const c = cart({ lines, settings, invoiceDiscount: { kind: 'percent', bp: invBp } });
        const sum = (f: (l: (typeof c.lines)[number]) => number) => c.lines.reduce((s, l) => s + f(l), 0);
        expect(sum((l) => l.gross)).toBe(c.totals.subtotal);
        expect(sum((l) => l.lineDiscount + l.invoiceDiscountShare)).toBe(c.totals.discountTotal);
        expect(sum((l) => l.total)).toBe(c.totals.total);
        expect(sum((l) => l.tax)).toBe(c.totals.tax);
        expect(c.totals.net + c.totals.tax).toBe(c.totals.total);
        expect(c.taxSummary.reduce((s, r) => s + r.gross, 0)).toBe(c.totals.total);
        for (const r of c.taxSummary) expect(r.net + r.tax).toBe(r.gross);
        const afterDiscount = c.totals.subtotal - c.totals.discountTotal;
        expect(settings.pricesIncludeTax ? c.totals.total : c.totals.net).toBe(afterDiscount);
        for (const l of c.lines) {
          expect(l.lineDiscount + l.invoiceDiscountShare).toBeLessThanOrEqual(l.gross);
          expect(l.invoiceDiscountShare).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it('is deterministic and does not depend on anything but its input', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 8 }), settingsArb, (lines, settings) => {
        expect(computeCart({ lines, settings })).toEqual(computeCart({ lines: structuredClone(lines), settings }));
      }),
      { numRuns: 50 },
    );
  });
});
