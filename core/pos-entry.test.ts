import { describe, expect, it } from 'vitest';
import { classifyBoxEntry, parseDiscountPercent, parseQuantityMilli } from './pos-entry';

describe('what a cashier types', () => {
  it('reads a discount percentage exactly, empty or zero as none', () => {
    expect(parseDiscountPercent('12.5')).toEqual({ ok: true, value: { kind: 'percent', bp: 1250 } });
    expect(parseDiscountPercent('0.07')).toEqual({ ok: true, value: { kind: 'percent', bp: 7 } });
    expect(parseDiscountPercent(' ')).toEqual({ ok: true, value: undefined });
    expect(parseDiscountPercent('0')).toEqual({ ok: true, value: undefined });
  });

  it('refuses discounts that are not a percentage it can read', () => {
    expect(parseDiscountPercent('101')).toMatchObject({ ok: false });
    expect(parseDiscountPercent('-5')).toMatchObject({ ok: false });
    expect(parseDiscountPercent('1,5')).toMatchObject({ ok: false });
    expect(JSON.stringify(parseDiscountPercent('1,5'))).toMatch(/"message":"Discount: /);
    expect(parseDiscountPercent('12.345')).toMatchObject({ ok: false });
    expect(parseDiscountPercent('1e2')).toMatchObject({ ok: false });
  });

  it('reads quantities in thousandths within the unit precision', () => {
    expect(parseQuantityMilli('2', 0)).toEqual({ ok: true, value: 2000 });
    expect(parseQuantityMilli('1.25', 3)).toEqual({ ok: true, value: 1250 });
    expect(parseQuantityMilli('', 0)).toEqual({ ok: true, value: 0 });
    expect(parseQuantityMilli('1.5', 0)).toEqual({ ok: false, message: 'Quantity: whole units only' });
    expect(parseQuantityMilli('0.25', 1)).toEqual({ ok: false, message: 'Quantity: at most 1 decimal' });
    expect(parseQuantityMilli('-1', 0)).toMatchObject({ ok: false });
    expect(parseQuantityMilli('0.1 + 0.2', 3)).toMatchObject({ ok: false });
  });

  it('tells a scanned code from a search and ignores the echo of a wedge scan', () => {
    const last = { code: '4000000000013', at: 1000 };
    expect(classifyBoxEntry('  ', last, 1100)).toEqual({ kind: 'none' });
    expect(classifyBoxEntry('4000000000013', last, 1400)).toEqual({ kind: 'echo' });
    expect(classifyBoxEntry('4000000000013', last, 1600)).toEqual({ kind: 'scan', code: '4000000000013' });
    expect(classifyBoxEntry('1234', last, 1100)).toEqual({ kind: 'scan', code: '1234' });
    expect(classifyBoxEntry('123', last, 1100)).toEqual({ kind: 'search', query: '123' });
    expect(classifyBoxEntry(' bread ', last, 1100)).toEqual({ kind: 'search', query: 'bread' });
  });
});
