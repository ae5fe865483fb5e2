// VAT. Rates are integer basis points of a percent (2000 = 20.00 %), so a tax amount is an exact
// ratio rounded once with divRound. The summary per rate is built from the same numbers as the
// lines, so it always adds up to the invoice total.
import { allocate } from './allocate';
import { mulDivRound, type RoundingMode } from './rounding';

/** 100 % in basis points. */
export const BP_PER_UNIT = 10_000;
/** Highest VAT rate accepted (100 %). */
export const MAX_RATE_BP = 10_000;

/** Round tax on each line, or once per rate on the invoice (a company setting). */
export type TaxRounding = 'line' | 'invoice';

export interface TaxSettings {
  /** Shelf prices include VAT (B2C) or exclude it (B2B). */
  pricesIncludeTax: boolean;
  taxRounding: TaxRounding;
  rounding: RoundingMode;
}

export interface TaxableLine {
  taxRateId: string;
  rateBp: number;
  /** The line amount after discounts, including VAT if pricesIncludeTax, excluding it otherwise. */
  amount: number;
}

export interface LineTax {
  net: number;
  tax: number;
  /** net + tax: what the customer pays for the line. */
  total: number;
}

export interface TaxSummaryRow {
  taxRateId: string;
  rateBp: number;
  net: number;
  tax: number;
  gross: number;
}

export interface TaxResult {
  lines: LineTax[];
  /** One row per rate, highest rate first; gross sums to `total`, net + tax = gross per row. */
  summary: TaxSummaryRow[];
  net: number;
  tax: number;
  total: number;
}

export function isValidRateBp(rateBp: number): boolean {
  return Number.isInteger(rateBp) && rateBp >= 0 && rateBp <= MAX_RATE_BP;
}

/** VAT on a net amount: net × rate. */
export function taxOnNet(net: number, rateBp: number, mode: RoundingMode): number {
  return mulDivRound(net, rateBp, BP_PER_UNIT, mode);
}

/** VAT contained in a gross amount: gross × rate / (1 + rate). */
export function taxInGross(gross: number, rateBp: number, mode: RoundingMode): number {
  return mulDivRound(gross, rateBp, BP_PER_UNIT + rateBp, mode);
}

/**
 * Splits each line into net and tax and summarises per rate.
 * - 'line' rounding: each line's tax is rounded on its own; the summary sums the lines.
 * - 'invoice' rounding: tax is computed once on each rate's total amount, then spread over that
 *   rate's lines with allocate, so the lines still add up to the summary to the unit.
 * Lines of one rate must not mix positive and negative amounts (sales and returns are separate
 * invoices), otherwise a line's share of the tax could get the wrong sign.
 */
export function computeTax(lines: readonly TaxableLine[], settings: TaxSettings): TaxResult {
  const groups = new Map<string, { rateBp: number; indexes: number[] }>();
  lines.forEach((line, i) => {
    if (!isValidRateBp(line.rateBp)) throw new RangeError(`Tax rate ${line.taxRateId}: rateBp must be an integer from 0 to ${MAX_RATE_BP}, got ${line.rateBp}`);
    if (!Number.isSafeInteger(line.amount)) throw new RangeError(`Line amount must be a safe integer, got ${line.amount}`);
    const group = groups.get(line.taxRateId);
    if (!group) groups.set(line.taxRateId, { rateBp: line.rateBp, indexes: [i] });
    else if (group.rateBp !== line.rateBp) throw new RangeError(`Tax rate ${line.taxRateId} is used with two rates: ${group.rateBp} and ${line.rateBp}`);
    else group.indexes.push(i);
  });

  const taxOf = (amount: number, rateBp: number) =>
    settings.pricesIncludeTax ? taxInGross(amount, rateBp, settings.rounding) : taxOnNet(amount, rateBp, settings.rounding);

  const lineTax: number[] = lines.map(() => 0);
  for (const [taxRateId, { rateBp, indexes }] of groups) {
    if (settings.taxRounding === 'line') {
      for (const i of indexes) lineTax[i] = taxOf(lines[i]!.amount, rateBp);
      continue;
    }
    const amounts = indexes.map((i) => lines[i]!.amount);
    if (amounts.some((a) => a > 0) && amounts.some((a) => a < 0)) {
      throw new RangeError(`Tax rate ${taxRateId} mixes positive and negative line amounts on one invoice`);
    }
    const groupAmount = amounts.reduce((s, a) => s + a, 0);
    const groupTax = taxOf(groupAmount, rateBp);
    const weights = amounts.map(Math.abs);
    const shares = groupTax === 0 ? weights.map(() => 0) : allocate(groupTax, weights);
    indexes.forEach((lineIndex, k) => (lineTax[lineIndex] = shares[k]!));
  }

  const out: LineTax[] = lines.map((line, i) => {
    const tax = lineTax[i]!;
    return settings.pricesIncludeTax ? { net: line.amount - tax, tax, total: line.amount } : { net: line.amount, tax, total: line.amount + tax };
  });

  const summary: TaxSummaryRow[] = [...groups].map(([taxRateId, { rateBp, indexes }]) => {
    let net = 0;
    let tax = 0;
    for (const i of indexes) {
      net += out[i]!.net;
      tax += out[i]!.tax;
    }
    return { taxRateId, rateBp, net, tax, gross: net + tax };
  });
  summary.sort((a, b) => b.rateBp - a.rateBp || (a.taxRateId < b.taxRateId ? -1 : a.taxRateId > b.taxRateId ? 1 : 0));

  const net = summary.reduce((s, r) => s + r.net, 0);
  const tax = summary.reduce((s, r) => s + r.tax, 0);
  const total = net + tax;
  for (const v of [net, tax, total]) if (!Number.isSafeInteger(v)) throw new RangeError('Invoice total is outside the safe integer range');
  return { lines: out, summary, net, tax, total };
}
