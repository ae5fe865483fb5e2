// Decimal strings from the export → integer minor units, through core's parseDecimal (never a float).
import { MoneyParseError, parseDecimal, type NumberFormat } from '../core/parse-decimal';

export type { NumberFormat };

/** ERPNext's default number format `#,###.##`. */
export const DEFAULT_NUMBER_FORMAT: NumberFormat = { decimal: '.', group: ',' };

const FORMATS: Record<string, NumberFormat> = {
  '#,###.##': { decimal: '.', group: ',' },
  '#.###,##': { decimal: ',', group: '.' },
  '# ###.##': { decimal: '.', group: ' ' },
  '# ###,##': { decimal: ',', group: ' ' },
  "#'###.##": { decimal: '.', group: "'" },
  '#,###': { decimal: '.', group: ',' },
  '#.###': { decimal: ',', group: '.' },
  '####.##': { decimal: '.', group: '' },
  '####,##': { decimal: ',', group: '' },
};

/** An ERPNext number format name (`#,###.##`, `#.###,##`, `# ###,##`…) or undefined. */
export function numberFormatByName(name: string): NumberFormat | undefined {
  return FORMATS[name.trim()];
}

export type AmountResult = { ok: true; amount: number; rounded: boolean } | { ok: false; reason: string };

/**
 * Parses a price or credit limit into minor units of a currency with `exponent` decimals.
 * More decimals than the currency has are rounded HalfUp (`rounded` says so); negatives are refused.
 */
export function parseAmount(text: string, exponent: number, format: NumberFormat): AmountResult {
  const t = text.trim();
  if (t === '') return { ok: false, reason: 'empty amount' };
  let amount: number;
  let rounded = false;
  try {
    try {
      amount = parseDecimal(t, { exponent, format, rounding: 'reject' });
    } catch (e) {
      if (!(e instanceof MoneyParseError && e.code === 'too_precise')) throw e;
      amount = parseDecimal(t, { exponent, format, rounding: 'HalfUp' });
      rounded = true;
    }
  } catch (e) {
    const code = e instanceof MoneyParseError ? ` (${e.code})` : '';
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, reason: `unparsable amount${code}: ${detail}` };
  }
  if (amount < 0) return { ok: false, reason: `negative amount "${t}"` };
  if (!Number.isSafeInteger(amount) || amount > 2_147_483_647) return { ok: false, reason: `amount "${t}" is too large` };
  return { ok: true, amount, rounded };
}
