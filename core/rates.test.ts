import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from './parse-decimal';
import { formatRate, percentText } from './rates';

describe('rates', () => {
  it('shows basis points as the shortest exact percent', () => {
    expect(formatRate(2000)).toBe('20%');
    expect(formatRate(550)).toBe('5.5%');
    expect(formatRate(725)).toBe('7.25%');
    expect(formatRate(5)).toBe('0.05%');
    expect(formatRate(10)).toBe('0.1%');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(10000)).toBe('100%');
    expect(percentText(-250)).toBe('-2.5');
    expect(percentText(550)).toBe('5.5');
  });

  it('refuses a rate that is not whole basis points', () => {
    expect(() => formatRate(5.5)).toThrow(RangeError);
    expect(() => percentText(Number.NaN)).toThrow(/basis points/);
  });

  it('reads back as the same basis points', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (bp) => {
        expect(parseDecimal(percentText(bp), { exponent: 2 })).toBe(bp);
      }),
    );
  });
});
