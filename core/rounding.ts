// Rounding of exact integer ratios. Every money computation in core ends in divRound, so the
// rounding mode is applied in exactly one place and never through floating point.

export type RoundingMode = 'HalfUp' | 'Truncate' | 'Bankers';

export const ROUNDING_MODES: readonly RoundingMode[] = ['HalfUp', 'Truncate', 'Bankers'];

export function isRoundingMode(value: unknown): value is RoundingMode {
  return typeof value === 'string' && (ROUNDING_MODES as readonly string[]).includes(value);
}

/**
 * numerator / denominator rounded to an integer.
 * HalfUp rounds halves away from zero (-2.5 → -3), Truncate rounds toward zero (-2.7 → -2),
 * Bankers rounds halves to the even neighbour (2.5 → 2, 3.5 → 4, -2.5 → -2).
 * Other fractions round to the nearest integer in HalfUp and Bankers.
 */
export function divRound(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RangeError('divRound: division by zero');
  // Normalise so the denominator is positive; the sign then lives in the numerator only.
  let n = numerator;
  let d = denominator;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d; // BigInt division truncates toward zero
  const r = n % d; // remainder carries the sign of n
  if (r === 0n || mode === 'Truncate') return q;
  const away = n < 0n ? q - 1n : q + 1n;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice > d) return away;
  if (twice < d) return q;
  // Exactly half.
  if (mode === 'HalfUp') return away;
  if (mode === 'Bankers') return q % 2n === 0n ? q : away;
  throw new RangeError(`Unknown rounding mode: ${String(mode)}`);
}

/**
 * a * b / d rounded, computed exactly in BigInt (a money amount times a quantity or rate can pass
 * 2^53 before the division brings it back). Throws if the result is not a safe integer.
 */
export function mulDivRound(a: number, b: number, d: number, mode: RoundingMode): number {
  for (const [name, v] of [
    ['a', a],
    ['b', b],
    ['d', d],
  ] as const) {
    if (!Number.isSafeInteger(v)) throw new RangeError(`mulDivRound: ${name} must be a safe integer, got ${v}`);
  }
  return toSafeNumber(divRound(BigInt(a) * BigInt(b), BigInt(d), mode));
}

/** Converts back from BigInt, refusing anything a JS number cannot hold exactly. Normalises -0. */
export function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`Amount ${value} is outside the safe integer range`);
  }
  return value === 0n ? 0 : Number(value);
}
