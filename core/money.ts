// Money is a plain integer count of minor units (cents, pence…) held in a JS number; see
// docs/decisions/101-money-representation.md. These helpers keep that invariant checked at the
// boundaries and turn amounts into text for screens and receipts.

/** Integer minor units; always a safe integer. */
export type Minor = number;

/** Largest currency exponent accepted (10^8 still leaves ~9×10^7 whole units in a safe integer). */
export const MAX_EXPONENT = 8;

export function isMinor(value: unknown): value is Minor {
  return Number.isSafeInteger(value);
}

/** Throws unless `value` is a safe integer: the one guard against floats reaching a total. */
export function assertMinor(value: number, what = 'amount'): Minor {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer number of minor units, got ${value}`);
  return value;
}

export function assertExponent(exponent: number): void {
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > MAX_EXPONENT) {
    throw new RangeError(`Currency exponent must be an integer from 0 to ${MAX_EXPONENT}, got ${exponent}`);
  }
}

/** Sum of amounts, refusing to drift out of the safe range (where + silently loses units). */
export function sumMinor(values: readonly number[]): Minor {
  let total = 0;
  for (const v of values) {
    total += assertMinor(v);
    if (!Number.isSafeInteger(total)) throw new RangeError('Sum of amounts is outside the safe integer range');
  }
  return total;
}

export interface FormatMoneyOptions {
  /** Digits after the decimal separator: 2 for EUR/USD, 0 for JPY, 3 for KWD. */
  exponent: number;
  /** ISO 4217 code or symbol, appended after a space ("12.50 EUR"). */
  currency?: string;
  /** Default '.'. */
  decimal?: string;
  /** Thousands separator; default '' (none) so the text parses back without a declared format. */
  group?: string;
}

/**
 * Formats minor units as text without floating point: 123450 with exponent 2 → "1234.50",
 * with group ',' → "1,234.50", -5 → "-0.05". The output parses back with parseDecimal given the
 * same separators.
 */
export function formatMoney(minor: number, options: FormatMoneyOptions): string {
  assertMinor(minor);
  const { exponent, currency, decimal = '.', group = '' } = options;
  assertExponent(exponent);
  if (decimal === '' || decimal === group) throw new RangeError('Decimal separator must be non-empty and differ from the group separator');
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, '0');
  const intPart = digits.slice(0, digits.length - exponent);
  const fracPart = digits.slice(digits.length - exponent);
  const grouped = group === '' ? intPart : intPart.replace(/\B(?=(\d{3})+$)/g, group);
  const text = `${minor < 0 ? '-' : ''}${grouped}${exponent > 0 ? decimal + fracPart : ''}`;
  return currency ? `${text} ${currency}` : text;
}
