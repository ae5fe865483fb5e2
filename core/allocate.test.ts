import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from './allocate';

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe('allocate', () => {
  it('splits evenly and gives leftovers to the largest remainders, then the earliest index', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(5, [1, 2])).toEqual([2, 3]); // 1.67 / 3.33 → the larger remainder (.67) gets the unit
    expect(allocate(1000, [300, 700])).toEqual([300, 700]);
    expect(allocate(10, [3, 3, 4])).toEqual([3, 3, 4]);
    expect(allocate(2, [1, 1, 1])).toEqual([1, 1, 0]);
  });
  it('gives nothing to zero weights', () => {
    expect(allocate(7, [0, 1, 0, 1])).toEqual([0, 4, 0, 3]);
    expect(allocate(-7, [0, 5])).toEqual([0, -7]);
  });
  it('allocates zero to zeros without -0', () => {
    const r = allocate(0, [0, 0]);
    expect(r).toEqual([0, 0]);
    expect(allocate(0, [])).toEqual([]);
    expect(allocate(-1, [1, 0]).every((x) => !Object.is(x, -0))).toBe(true);
  });
  it('is exact beyond 2^53 intermediate products', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const r = allocate(big, [big, big]);
    expect(sum(r)).toBe(big);
    expect(r).toEqual([4503599627370496, 4503599627370495]);
  });
  it('refuses what it cannot allocate', () => {
    expect(() => allocate(1, [0, 0])).toThrow(/all zero/);
    expect(() => allocate(1, [])).toThrow(/all zero/);
    expect(() => allocate(1, [-1, 2])).toThrow(/non-negative/);
    expect(() => allocate(1.5, [1])).toThrow(/safe integer/);
    expect(() => allocate(1, [0.5])).toThrow(/non-negative safe integers/);
  });

  const amount = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 });
  const weights = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }).filter((ws) => ws.some((w) => w > 0));

  it('never loses or invents a minor unit', () => {
    fc.assert(fc.property(amount, weights, (a, ws) => sum(allocate(a, ws)) === a));
  });

  it('keeps every share within one unit of its exact proportion, with the sign of the amount', () => {
    fc.assert(
      fc.property(amount, weights, (a, ws) => {
        const total = BigInt(sum(ws));
        return allocate(a, ws).every((s, i) => {
          const exactTimesTotal = BigInt(a) * BigInt(ws[i]!);
          const diff = BigInt(s) * total - exactTimesTotal; // (share - exact) * total
          const within = (diff < 0n ? -diff : diff) < total;
          const signOk = a >= 0 ? s >= 0 : s <= 0;
          return within && signOk && (ws[i] !== 0 || s === 0);
        });
      }),
    );
  });

  it('mirrors for negative amounts and is deterministic', () => {
    fc.assert(
      fc.property(amount, weights, (a, ws) => {
        const pos = allocate(a, ws);
        expect(allocate(-a, ws)).toEqual(pos.map((x) => (x === 0 ? 0 : -x)));
        expect(allocate(a, ws)).toEqual(pos);
      }),
    );
  });
});
