import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyParseError, parseDecimal, type MoneyParseErrorCode, type ParseDecimalOptions } from './parse-decimal';

function codeOf(text: string, options: ParseDecimalOptions): MoneyParseErrorCode | 'no error' {
  try {
    parseDecimal(text, options);
    return 'no error';
  } catch (e) {
    if (e instanceof MoneyParseError) return e.code;
    throw e;
  }
}

const EU = { decimal: ',', group: '.' } as const;
const US = { decimal: '.', group: ',' } as const;

describe('parseDecimal', () => {
  it('reads plain amounts without a declared format', () => {
    expect(parseDecimal('12.34', { exponent: 2 })).toBe(1234);
    expect(parseDecimal('12', { exponent: 2 })).toBe(1200);
    expect(parseDecimal('12.3', { exponent: 2 })).toBe(1230);
    expect(parseDecimal('.5', { exponent: 2 })).toBe(50);
    expect(parseDecimal(' -0.07 ', { exponent: 2 })).toBe(-7);
    expect(parseDecimal('+3', { exponent: 0 })).toBe(3);
    expect(parseDecimal('007.50', { exponent: 2 })).toBe(750);
    expect(parseDecimal('1.250', { exponent: 3 })).toBe(1250);
  });

  it('reads declared formats', () => {
    expect(parseDecimal('1.234,50', { exponent: 2, format: EU })).toBe(123450);
    expect(parseDecimal('1,234.50', { exponent: 2, format: US })).toBe(123450);
    expect(parseDecimal('1,234,567', { exponent: 2, format: US })).toBe(123456700);
    expect(parseDecimal("1'234.5", { exponent: 2, format: { decimal: '.', group: "'" } })).toBe(123450);
    expect(parseDecimal('1 234,5', { exponent: 2, format: { decimal: ',', group: ' ' } })).toBe(123450);
    expect(parseDecimal('1\u00a0234,5', { exponent: 2, format: { decimal: ',', group: ' ' } })).toBe(123450);
    expect(parseDecimal('12,5', { exponent: 2, format: { decimal: ',', group: '' } })).toBe(1250);
    expect(parseDecimal('1234.5', { exponent: 2, format: US })).toBe(123450); // grouping is optional
  });

  it('accepts exact trailing zeros past the exponent', () => {
    expect(parseDecimal('12.3400', { exponent: 2 })).toBe(1234);
  });

  it('refuses empty input', () => {
    expect(codeOf('', { exponent: 2 })).toBe('empty');
    expect(codeOf('   ', { exponent: 2 })).toBe('empty');
  });

  it('refuses text that could be read two ways', () => {
    expect(codeOf('1,234', { exponent: 2 })).toBe('ambiguous');
    expect(codeOf('1,5', { exponent: 2 })).toBe('ambiguous');
    expect(codeOf('1 234', { exponent: 2 })).toBe('ambiguous');
    expect(codeOf("1'234", { exponent: 2 })).toBe('ambiguous');
    expect(codeOf('1.234', { exponent: 2, format: { decimal: ',', group: '' } })).toBe('ambiguous');
    expect(codeOf('1,5', { exponent: 2, format: US })).toBe('ambiguous'); // ',' is the group here
    expect(codeOf('12,34,567', { exponent: 2, format: US })).toBe('ambiguous');
    expect(codeOf('1,234.50', { exponent: 2, format: EU })).toBe('invalid'); // a '.' group after the decimal comma
  });

  it('refuses malformed numbers', () => {
    for (const t of ['abc', '12a', '1.2.3', '5.', '-', '+', '--5', '1e5', '0x10', 'Infinity', 'NaN', '1-2', '.'])
      expect([t, codeOf(t, { exponent: 2 })]).toEqual([t, 'invalid']);
    expect(codeOf('1.234,5,6', { exponent: 2, format: EU })).toBe('invalid');
  });

  it('refuses digits finer than the currency unless a rounding mode is given', () => {
    expect(codeOf('12.345', { exponent: 2 })).toBe('too_precise');
    expect(codeOf('12.345', { exponent: 2, rounding: 'reject' })).toBe('too_precise');
    expect(codeOf('1.5', { exponent: 0 })).toBe('too_precise');
    expect(parseDecimal('12.345', { exponent: 2, rounding: 'HalfUp' })).toBe(1235);
    expect(parseDecimal('12.345', { exponent: 2, rounding: 'Bankers' })).toBe(1234);
    expect(parseDecimal('12.3451', { exponent: 2, rounding: 'Bankers' })).toBe(1235);
    expect(parseDecimal('12.349', { exponent: 2, rounding: 'Truncate' })).toBe(1234);
    expect(parseDecimal('-12.345', { exponent: 2, rounding: 'HalfUp' })).toBe(-1235);
    expect(parseDecimal('-12.349', { exponent: 2, rounding: 'Truncate' })).toBe(-1234);
  });

  it('refuses amounts beyond the safe integer range', () => {
    expect(parseDecimal('90071992547409.91', { exponent: 2 })).toBe(Number.MAX_SAFE_INTEGER);
    expect(codeOf('90071992547409.92', { exponent: 2 })).toBe('out_of_range');
    expect(codeOf('99999999999999999999999', { exponent: 0 })).toBe('out_of_range');
  });

  it('carries a readable message', () => {
    expect(() => parseDecimal('1,234', { exponent: 2 })).toThrow(/could be a decimal or a thousands separator/);
    expect(() => parseDecimal('12.345', { exponent: 2 })).toThrow(/more than 2 decimal places/);
  });

  it('treats programming errors as such, not as parse errors', () => {
    expect(() => parseDecimal('1', { exponent: -1 })).toThrow(RangeError);
    expect(() => parseDecimal('1', { exponent: 2, format: { decimal: '.', group: '.' } })).toThrow(/differ/);
  });

  it('agrees with integer arithmetic on any whole/fraction pair', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 0, max: 99 }), fc.boolean(), (whole, cents, neg) => {
        const text = `${neg ? '-' : ''}${whole}.${String(cents).padStart(2, '0')}`;
        const expected = (neg ? -1 : 1) * (whole * 100 + cents);
        return parseDecimal(text, { exponent: 2 }) === (expected === 0 ? 0 : expected);
      }),
    );
  });

  it('never returns a non-integer or -0 for arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        try {
          const v = parseDecimal(s, { exponent: 2, rounding: 'HalfUp' });
          return Number.isSafeInteger(v) && !Object.is(v, -0);
        } catch (e) {
          return e instanceof MoneyParseError;
        }
      }),
    );
  });
});
