import { describe, expect, it } from 'vitest';
import { parseQuantityMilli } from './quantity';

describe('parseQuantityMilli', () => {
  it('reads pieces and weights into thousandths', () => {
    expect(parseQuantityMilli('2', 0)).toBe(2000);
    expect(parseQuantityMilli(' 1.25 ', 3)).toBe(1250);
    expect(parseQuantityMilli('0.1', 1)).toBe(100);
    expect(parseQuantityMilli('', 0)).toBe(0);
  });

  it('refuses what the unit cannot hold, negatives and ambiguous separators', () => {
    expect(() => parseQuantityMilli('1.5', 0)).toThrow(/whole number of pieces/);
    expect(() => parseQuantityMilli('0.15', 1)).toThrow(/more than 1 decimal places/);
    expect(() => parseQuantityMilli('1.2345', 3)).toThrow(/more than 3 decimal places/);
    expect(() => parseQuantityMilli('-1', 0)).toThrow(/negative/);
    expect(() => parseQuantityMilli('1,5', 3)).toThrow(/could be a decimal or a thousands separator/);
    expect(() => parseQuantityMilli('2x', 0)).toThrow(/not a number/);
  });

  it('never goes through floating point', () => {
    // 0.29 * 1000 is 289.99999999999997 in binary floating point.
    expect(parseQuantityMilli('0.29', 3)).toBe(290);
    expect(parseQuantityMilli('1.001', 3)).toBe(1001);
  });
});
