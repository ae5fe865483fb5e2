// What a cashier types at the register, read the way money and quantities must be read: through
// parseDecimal (never Number()), with a message a person can act on. And the scan-or-search box:
// a scanner's burst told apart from a typed search.
import type { Discount } from './cart';
import { parseDecimal } from './parse-decimal';

export type Entry<T> = { ok: true; value: T } | { ok: false; message: string };

const read = (text: string, exponent: number): Entry<number> => {
  try {
    return { ok: true, value: parseDecimal(text, { exponent }) };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
};

/** A line discount typed as a percentage ("12.5" → 1250 bp); empty or 0 is no discount. */
export function parseDiscountPercent(text: string): Entry<Discount | undefined> {
  if (text.trim() === '') return { ok: true, value: undefined };
  const r = read(text, 2);
  if (!r.ok) return { ok: false, message: `Discount: ${r.message}` };
  if (r.value < 0 || r.value > 10_000) return { ok: false, message: 'Discount: enter a percentage from 0 to 100' };
  return { ok: true, value: r.value === 0 ? undefined : { kind: 'percent', bp: r.value } };
}

/** A quantity in thousandths ("1.5" → 1500) within the unit's decimals; empty is 0. */
export function parseQuantityMilli(text: string, unitPrecision: number): Entry<number> {
  if (text.trim() === '') return { ok: true, value: 0 };
  const r = read(text, 3);
  if (!r.ok) return { ok: false, message: `Quantity: ${r.message}` };
  if (r.value < 0) return { ok: false, message: 'Quantity: enter zero or more' };
  if (r.value % 10 ** (3 - unitPrecision) !== 0) {
    return {
      ok: false,
      message: unitPrecision === 0 ? 'Quantity: whole units only' : `Quantity: at most ${unitPrecision} decimal${unitPrecision === 1 ? '' : 's'}`,
    };
  }
  return { ok: true, value: r.value };
}

/** A code typed or scanned into the box rather than a name: digits only, at least this many. */
const MIN_BARCODE_DIGITS = 4;
/** The box also receives a wedge scanner's keys: the same code this soon after the scan is its echo. */
export const SCAN_ECHO_MS = 500;

export type BoxEntry = { kind: 'none' } | { kind: 'echo' } | { kind: 'scan'; code: string } | { kind: 'search'; query: string };

/** What Enter in the scan-or-search box means. */
export function classifyBoxEntry(text: string, lastScan: { code: string; at: number }, now: number): BoxEntry {
  const q = text.trim();
  if (!q) return { kind: 'none' };
  if (lastScan.code === q && now - lastScan.at < SCAN_ECHO_MS) return { kind: 'echo' };
  if (new RegExp(`^[0-9]{${MIN_BARCODE_DIGITS},}$`).test(q)) return { kind: 'scan', code: q };
  return { kind: 'search', query: q };
}
