import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertMinor, formatMoney, isMinor, sumMinor } from './money';
import { parseDecimal, type NumberFormat } from './parse-decimal';

describe('formatMoney', () => {
  it('formats minor units by exponent', () => {
    expect(formatMoney(123450, { exponent: 2 })).toBe('1234.50');
    expect(formatMoney(5, { exponent: 2 })).toBe('0.05');
    expect(formatMoney(-5, { exponent: 2 })).toBe('-0.05');
    expect(formatMoney(0, { exponent: 2 })).toBe('0.00');
    expect(formatMoney(1500, { exponent: 0 })).toBe('1500');
    expect(formatMoney(1234567, { exponent: 3 })).toBe('1234.567');
  });
  it('applies separators and currency', () => {
    expect(formatMoney(123456789, { exponent: 2, group: ',', currency: 'EUR' })).toBe('1,234,567.89 EUR');
    expect(formatMoney(-123450, { exponent: 2, decimal: ',', group: '.' })).toBe('-1.234,50');
    expect(formatMoney(99999, { exponent: 2, group: "'" })).toBe('999.99');
    expect(formatMoney(100000, { exponent: 2, group: ' ' })).toBe('1 000.00');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, { exponent: 2, group: ',' })).toBe('90,071,992,547,409.91');
  });
  it('refuses floats, bad exponents and clashing separators', () => {
    expect(() => formatMoney(1.5, { exponent: 2 })).toThrow(/integer number of minor units/);
    expect(() => formatMoney(1, { exponent: 9 })).toThrow(/exponent/);
    expect(() => formatMoney(1, { exponent: 2, decimal: ',', group: ',' })).toThrow(/differ/);
  });

  const formats = fc.constantFrom<NumberFormat>(
    { decimal: '.', group: ',' },
    { decimal: ',', group: '.' },
    { decimal: '.', group: '' },
    { decimal: ',', group: ' ' },
    { decimal: '.', group: "'" },
  );
  it('round-trips through parseDecimal for every format', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 0, max: 8 }), formats, (minor, exponent, format) => {
        const text = formatMoney(minor, { exponent, decimal: format.decimal, group: format.group });
        return parseDecimal(text, { exponent, format }) === minor;
      }),
    );
  });
});

describe('minor unit guards', () => {
  it('accepts safe integers only', () => {
    expect(isMinor(10)).toBe(true);
    expect(isMinor(0.1)).toBe(false);
    expect(isMinor(2 ** 53)).toBe(false);
    expect(isMinor('10')).toBe(false);
    expect(assertMinor(-3)).toBe(-3);
    expect(() => assertMinor(NaN, 'price')).toThrow(/price must be an integer/);
  });
  it('sums exactly and refuses to overflow', () => {
    expect(sumMinor([10, 20, -5])).toBe(25);
    expect(sumMinor([])).toBe(0);
    expect(() => sumMinor([Number.MAX_SAFE_INTEGER, 1])).toThrow(/safe integer range/);
  });
});
