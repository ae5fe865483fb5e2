// Text for amounts, quantities and dates on a receipt, computed with integer arithmetic only (rates: core/rates.ts).
import { formatLocalTime } from '../core/local-time';
import { formatMoney as formatCoreMoney } from '../core/money';

// `%` and the exact division `(a - a % b) / b` of safe integers never round, so no float can creep in.

function splitInteger(value: number, base: number): { whole: number; frac: number } {
  const frac = value % base;
  return { whole: (value - frac) / base, frac };
}

/** 1250 with exponent 2 → "12.50"; -5 → "-0.05"; exponent 0 → "1250" (core's money text, ungrouped). */
export function formatMoney(minor: number, exponent: number): string {
  return formatCoreMoney(minor, { exponent });
}

/**
 * Thousandths of a unit as text: 2000 → "2", 1250 → "1.250", -500 → "-0.500".
 * `precision` fixes the decimals shown (0–3); without it whole units show none and others show 3.
 * A precision too small for the value is widened so no digit is ever dropped.
 */
export function formatQuantity(quantityMilli: number, precision?: number): string {
  if (!Number.isSafeInteger(quantityMilli)) throw new RangeError(`quantity must be an integer of thousandths, got ${quantityMilli}`);
  const sign = quantityMilli < 0 ? '-' : '';
  const { whole, frac } = splitInteger(Math.abs(quantityMilli), 1000);
  let digits = String(frac).padStart(3, '0');
  let shown = precision ?? (frac === 0 ? 0 : 3);
  while (shown < 3 && digits[shown] !== undefined && digits.slice(shown) !== '0'.repeat(3 - shown)) shown++;
  digits = digits.slice(0, shown);
  return shown === 0 ? `${sign}${whole}` : `${sign}${whole}.${digits}`;
}

/**
 * "2025-03-14 09:26 +01:00" from an ISO 8601 timestamp. With the store's time zone the instant is
 * shown there (core's one formatter); without one, the wall-clock time and offset written in the
 * string are printed as they are (registers write their local time with its offset).
 */
export function formatDateTime(iso: string, timeZone?: string): string {
  if (timeZone) return formatLocalTime(iso, timeZone);
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso);
  if (!m) throw new RangeError(`not an ISO 8601 date-time: ${iso}`);
  const offset = m[4] === undefined ? '' : m[4] === 'Z' ? ' +00:00' : ` ${m[4].slice(0, 3)}:${m[4].slice(-2)}`;
  return `${m[1]} ${m[2]}:${m[3]}${offset}`;
}
