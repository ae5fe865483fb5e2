// Parses amounts typed by people or read from imports into integer minor units. Digits are read
// as text and never pass through parseFloat, and anything that could be read two ways is refused
// rather than guessed.
import { assertExponent } from './money';
import { divRound, isRoundingMode, toSafeNumber, type RoundingMode } from './rounding';

export type MoneyParseErrorCode = 'empty' | 'invalid' | 'ambiguous' | 'too_precise' | 'out_of_range';

export class MoneyParseError extends Error {
  override readonly name = 'MoneyParseError';
  constructor(
    readonly code: MoneyParseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type GroupSeparator = ',' | '.' | ' ' | "'" | '';

export interface NumberFormat {
  decimal: '.' | ',';
  group: GroupSeparator;
}

export interface ParseDecimalOptions {
  /** Digits of the minor unit: 2 → result in hundredths. */
  exponent: number;
  /**
   * Declared separators. Without one, '.' is the decimal point and any ',', space or apostrophe
   * is refused as ambiguous ("1,234" could be 1234 or 1.234).
   */
  format?: NumberFormat;
  /** What to do with digits finer than the exponent; default 'reject' (too_precise). */
  rounding?: RoundingMode | 'reject';
}

const SEPARATORS = [',', '.', ' ', "'"];

/**
 * "1.234,50" with { exponent: 2, format: { decimal: ',', group: '.' } } → 123450.
 * Accepts an optional leading '-' or '+', thousands groups of exactly three digits (the first
 * group may be 1–3), and a fraction after the decimal separator. ".5" is accepted, "5." is not.
 * Trailing zeros beyond the exponent are exact and accepted ("12.340" → 1234).
 */
export function parseDecimal(text: string, options: ParseDecimalOptions): number {
  const { exponent, format, rounding = 'reject' } = options;
  assertExponent(exponent);
  if (rounding !== 'reject' && !isRoundingMode(rounding)) throw new RangeError(`Unknown rounding option: ${String(rounding)}`);
  if (format && format.decimal === format.group) throw new RangeError('Decimal and group separators must differ');

  if (typeof text !== 'string') throw new MoneyParseError('invalid', 'Amount must be text');
  // Locales that group with a space often emit a no-break space (U+00A0 / U+202F).
  const input = text.trim().replace(/[\u00a0\u202f]/g, ' ');
  if (input === '') throw new MoneyParseError('empty', 'Amount is empty');

  const decimal = format?.decimal ?? '.';
  const group = format?.group ?? '';

  let body = input;
  let negative = false;
  if (body[0] === '-' || body[0] === '+') {
    negative = body[0] === '-';
    body = body.slice(1);
  }
  if (body === '') throw new MoneyParseError('invalid', `"${input}" has a sign but no digits`);

  // Characters that are separators in some convention but not the declared one: the reader cannot
  // know what was meant.
  for (const ch of body) {
    if (/[0-9]/.test(ch) || ch === decimal || (group !== '' && ch === group)) continue;
    if (SEPARATORS.includes(ch)) {
      const hint = format
        ? `the declared format uses '${decimal}' for decimals${group ? ` and '${group}' for thousands` : ' and no thousands separator'}`
        : 'declare a number format';
      throw new MoneyParseError('ambiguous', `"${input}" contains '${ch}', which could be a decimal or a thousands separator; ${hint}`);
    }
    throw new MoneyParseError('invalid', `"${input}" is not a number: unexpected '${ch}'`);
  }

  const parts = body.split(decimal);
  if (parts.length > 2) throw new MoneyParseError('invalid', `"${input}" has more than one '${decimal}'`);
  const intText = parts[0]!;
  const fracText = parts[1];
  if (fracText !== undefined && fracText === '') throw new MoneyParseError('invalid', `"${input}" ends with a decimal separator`);
  if (fracText !== undefined && group !== '' && fracText.includes(group)) {
    throw new MoneyParseError('invalid', `"${input}" has a thousands separator after the decimal separator`);
  }
  if (intText === '' && fracText === undefined) throw new MoneyParseError('invalid', `"${input}" has no digits`);

  let intDigits = intText;
  if (group !== '' && intText.includes(group)) {
    const groups = intText.split(group);
    const wellFormed = /^[0-9]{1,3}$/.test(groups[0]!) && groups.slice(1).every((g) => /^[0-9]{3}$/.test(g));
    // "1,5" under a ',' group is most likely a decimal typed in another convention.
    if (!wellFormed) throw new MoneyParseError('ambiguous', `"${input}" has '${group}' where thousands groups of three digits were expected`);
    intDigits = groups.join('');
  }

  const frac = fracText ?? '';
  let scaled = BigInt((intDigits === '' ? '0' : intDigits) + frac.padEnd(exponent, '0').slice(0, exponent));
  const extra = frac.slice(exponent);
  if (/[1-9]/.test(extra)) {
    if (rounding === 'reject') {
      throw new MoneyParseError('too_precise', `"${input}" has more than ${exponent} decimal place${exponent === 1 ? '' : 's'}`);
    }
    // Re-read with every digit and round the exact value once.
    const exact = BigInt((intDigits === '' ? '0' : intDigits) + frac);
    scaled = divRound(exact, 10n ** BigInt(extra.length), rounding);
  }
  if (negative) scaled = -scaled;
  try {
    return toSafeNumber(scaled);
  } catch {
    throw new MoneyParseError('out_of_range', `"${input}" is too large`);
  }
}
