// Quantities typed by a person (a return, a weight) into thousandths, the unit of every stored
// quantity. Digits never pass through parseFloat (core/parse-decimal.ts), and a unit counted in
// whole pieces refuses "1.5".
import { MoneyParseError, parseDecimal } from './parse-decimal';

export const QUANTITY_EXPONENT = 3;

/** "1.250" of a unit with 3 decimals → 1250; "" → 0 (nothing chosen); throws MoneyParseError otherwise. */
export function parseQuantityMilli(text: string, unitPrecision: number): number {
  if (text.trim() === '') return 0;
  const milli = parseDecimal(text, { exponent: QUANTITY_EXPONENT });
  if (milli < 0) throw new MoneyParseError('invalid', `"${text.trim()}" is negative`);
  const step = 10 ** (QUANTITY_EXPONENT - Math.min(Math.max(unitPrecision, 0), QUANTITY_EXPONENT));
  if (milli % step !== 0) {
    throw new MoneyParseError('too_precise', unitPrecision === 0 ? `"${text.trim()}" is not a whole number of pieces` : `"${text.trim()}" has more than ${unitPrecision} decimal places`);
  }
  return milli;
}
