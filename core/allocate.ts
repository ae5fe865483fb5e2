// Splits an amount over weighted parts (invoice discount over lines, tax over lines) so that the
// parts always add up to the amount exactly: no minor unit is lost or invented.
import { toSafeNumber } from './rounding';

/**
 * Largest-remainder allocation of `amount` (integer minor units, any sign) proportionally to
 * `weights` (non-negative safe integers).
 * Each share is the exact proportion rounded toward zero; the units left over go one each to the
 * shares with the largest remainders, ties to the earlier index, so the result is deterministic
 * and independent of rounding mode. A zero weight always gets 0. A negative amount is allocated
 * as the mirror image of the positive one.
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`allocate: amount must be a safe integer, got ${amount}`);
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`allocate: weights must be non-negative safe integers, got ${w}`);
  }
  if (amount === 0) return weights.map(() => 0);
  // BigInt: amount * weight routinely exceeds 2^53 for large invoices.
  const total = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (total === 0n) throw new RangeError('allocate: cannot allocate a non-zero amount over weights that are all zero');

  const negative = amount < 0;
  const a = BigInt(negative ? -amount : amount);
  const shares = weights.map((w) => (a * BigInt(w)) / total);
  const remainders = weights.map((w, i) => ({ i, r: (a * BigInt(w)) % total }));
  let left = a - shares.reduce((s, x) => s + x, 0n);
  // Sum of remainders = left * total and each remainder < total, so at least `left` are non-zero:
  // zero-weight parts (remainder 0) are never picked.
  remainders.sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    shares[i]! += 1n;
    left -= 1n;
  }
  return shares.map((s) => toSafeNumber(negative ? -s : s));
}
