// X and Z report output for the back office: CSV and amounts as text. The arithmetic is core's
// (core/shift-figures.ts), shared with the register.
import { formatRate } from '../core/rates';
import type { ShiftFigures, ZFigures } from '../core/shift-figures';

export * from '../core/shift-figures';

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Formats minor units with the currency exponent, without floats. */
export function minorToText(minor: number, exponent: number): string {
  const neg = minor < 0;
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, '0');
  const int = digits.slice(0, digits.length - exponent);
  const frac = digits.slice(digits.length - exponent);
  return `${neg ? '-' : ''}${int}${exponent > 0 ? `.${frac}` : ''}`;
}

/** One `section,label,value` row per figure; amounts as decimal text in the company currency. */
export function figuresCsv(head: Record<string, string | number>, f: ShiftFigures | ZFigures, exponent: number): string {
  const m = (v: number) => minorToText(v, exponent);
  const rows: (string | number)[][] = [['section', 'label', 'value']];
  for (const [k, v] of Object.entries(head)) rows.push(['shift', k, v]);
  rows.push(['sales', 'count', f.salesCount], ['sales', 'voided', f.voidedCount], ['sales', 'gross', m(f.grossTotal)], ['sales', 'net', m(f.netTotal)]);
  rows.push(['sales', 'tax', m(f.taxTotal)], ['sales', 'discounts', m(f.discountTotal)]);
  for (const [kind, amount] of Object.entries(f.tenders)) rows.push(['tender', kind, m(amount)]);
  for (const r of f.taxRates) {
    const label = formatRate(r.rateBp);
    rows.push(['vat', `${label} net`, m(r.net)], ['vat', `${label} tax`, m(r.tax)], ['vat', `${label} gross`, m(r.gross)]);
  }
  rows.push(['cash', 'opening float', m(f.openingFloat)], ['cash', 'received', m(f.cashReceived)], ['cash', 'change given', m(f.changeGiven)]);
  rows.push(['cash', 'cash in', m(f.cashIn)], ['cash', 'cash out', m(f.cashOut)], ['cash', 'expected', m(f.cashExpected)]);
  if ('countedCash' in f) rows.push(['cash', 'counted', m(f.countedCash)], ['cash', 'variance', m(f.variance)]);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
