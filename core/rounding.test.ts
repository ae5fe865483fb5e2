import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divRound, mulDivRound, type RoundingMode } from './rounding';

const abs = (x: bigint) => (x < 0n ? -x : x);

describe('divRound', () => {
  const cases: [bigint, bigint, RoundingMode, bigint][] = [
    [25n, 10n, 'HalfUp', 3n],
    [-25n, 10n, 'HalfUp', -3n],
    [25n, -10n, 'HalfUp', -3n],
    [-25n, -10n, 'HalfUp', 3n],
    [24n, 10n, 'HalfUp', 2n],
    [-26n, 10n, 'HalfUp', -3n],
    [27n, 10n, 'Truncate', 2n],
    [-27n, 10n, 'Truncate', -2n],
    [29n, -10n, 'Truncate', -2n],
    [25n, 10n, 'Bankers', 2n],
    [35n, 10n, 'Bankers', 4n],
    [-25n, 10n, 'Bankers', -2n],
    [-35n, 10n, 'Bankers', -4n],
    [26n, 10n, 'Bankers', 3n],
    [-26n, 10n, 'Bankers', -3n],
    [5n, 10n, 'Bankers', 0n],
    [15n, 10n, 'Bankers', 2n],
    [1n, 3n, 'HalfUp', 0n],
    [2n, 3n, 'HalfUp', 1n],
    [-2n, 3n, 'Truncate', 0n],
    [0n, 7n, 'HalfUp', 0n],
  ];
  it.each(cases)('%s / %s with %s = %s', (n, d, mode, expected) => {
    expect(divRound(n, d, mode)).toBe(expected);
  });

  it('refuses division by zero', () => {
    expect(() => divRound(1n, 0n, 'HalfUp')).toThrow(/division by zero/);
  });

  const nonZero = fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).filter((d) => d !== 0n);
  const num = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });
  const mode = fc.constantFrom<RoundingMode>('HalfUp', 'Truncate', 'Bankers');

  it('is symmetric around zero in every mode', () => {
    fc.assert(fc.property(num, nonZero, mode, (n, d, m) => divRound(-n, d, m) === -divRound(n, d, m)));
  });

  it('Truncate never moves away from zero and stays within one unit', () => {
    fc.assert(
      fc.property(num, nonZero, (n, d) => {
        const q = divRound(n, d, 'Truncate');
        return abs(q * d) <= abs(n) && abs(n - q * d) < abs(d);
      }),
    );
  });

  it('HalfUp and Bankers land within half a unit, ties resolved by their rule', () => {
    fc.assert(
      fc.property(num, nonZero, fc.constantFrom<RoundingMode>('HalfUp', 'Bankers'), (n, d, m) => {
        const q = divRound(n, d, m);
        const err2 = abs(n - q * d) * 2n; // twice the rounding error, scaled by d
        if (err2 > abs(d)) return false;
        if (err2 === abs(d)) {
          // A tie: HalfUp moves away from zero, Bankers lands on an even number.
          return m === 'HalfUp' ? abs(q * d) > abs(n) : q % 2n === 0n;
        }
        return true;
      }),
    );
  });
});

describe('mulDivRound', () => {
  it('computes exactly past 2^53 before dividing back', () => {
    // 9_007_199_254_740_991 * 3 overflows a double's exact range; the result after /3 does not.
    expect(mulDivRound(Number.MAX_SAFE_INTEGER, 3, 3, 'HalfUp')).toBe(Number.MAX_SAFE_INTEGER);
  });
  it('rounds per mode', () => {
    expect(mulDivRound(1005, 1, 10, 'HalfUp')).toBe(101);
    expect(mulDivRound(1005, 1, 10, 'Bankers')).toBe(100);
    expect(mulDivRound(-1005, 1, 10, 'Truncate')).toBe(-100);
  });
  it('refuses unsafe inputs and results and never returns -0', () => {
    expect(() => mulDivRound(0.5, 1, 1, 'HalfUp')).toThrow(/safe integer/);
    expect(() => mulDivRound(Number.MAX_SAFE_INTEGER, 2, 1, 'HalfUp')).toThrow(/outside the safe integer range/);
    expect(Object.is(mulDivRound(-1, 1, 10, 'HalfUp'), 0)).toBe(true);
  });
});
