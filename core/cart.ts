// Cart arithmetic: line amounts, discounts, invoice discount, VAT and totals. The register and
// the edge run this same function, so a sale's totals can be re-checked exactly on arrival.
import { allocate } from './allocate';
import { formatRate as pct } from './rates';
import { isRoundingMode, mulDivRound, type RoundingMode } from './rounding';
import { BP_PER_UNIT, computeTax, isValidRateBp, type TaxRounding, type TaxSummaryRow } from './tax';

export type Discount = { kind: 'percent'; bp: number } | { kind: 'amount'; amount: number };

export interface CartLineInput {
  lineId: string;
  itemId: string;
  companyId: string;
  name: string;
  /** Price of one unit in minor units (VAT included or not per settings.pricesIncludeTax). */
  unitPrice: number;
  /** Thousandths of the unit: 1250 = 1.250 kg, 2000 = 2 pieces. */
  quantityMilli: number;
  /** Decimals this unit allows (0 for pieces, 3 for grams of a kg item). */
  unitPrecision: number;
  taxRateId: string;
  rateBp: number;
  discount?: Discount;
  /** Highest discount this item may get, line and invoice discount together (bp of the line). */
  maxDiscountBp: number;
}

export interface CartSettings {
  pricesIncludeTax: boolean;
  taxRounding: TaxRounding;
  rounding: RoundingMode;
}

export interface CartInput {
  lines: readonly CartLineInput[];
  invoiceDiscount?: Discount;
  settings: CartSettings;
}

export interface CartLineResult {
  lineId: string;
  /** unitPrice × quantity, before discounts, in the price convention of the settings. */
  gross: number;
  lineDiscount: number;
  invoiceDiscountShare: number;
  net: number;
  tax: number;
  /** What the customer pays for the line (net + tax). */
  total: number;
}

export interface CartTotals {
  /** Sum of line gross amounts, before discounts. */
  subtotal: number;
  /** Line discounts plus the invoice discount. */
  discountTotal: number;
  net: number;
  tax: number;
  total: number;
}

export interface Cart {
  lines: CartLineResult[];
  totals: CartTotals;
  taxSummary: TaxSummaryRow[];
}

export type CartErrorCode =
  | 'settings_invalid'
  | 'line_id_duplicate'
  | 'price_negative'
  | 'amount_out_of_range'
  | 'quantity_not_positive'
  | 'quantity_precision'
  | 'unit_precision_invalid'
  | 'tax_rate_invalid'
  | 'tax_rate_conflict'
  | 'max_discount_invalid'
  | 'discount_invalid'
  | 'discount_exceeds_line'
  | 'discount_exceeds_max'
  | 'invoice_discount_invalid'
  | 'invoice_discount_exceeds_total'
  | 'invoice_discount_exceeds_max';

export interface CartError {
  code: CartErrorCode;
  lineId?: string;
  message: string;
}

export type CartResult = { ok: true; cart: Cart } | { ok: false; errors: CartError[] };

const QUANTITY_SCALE = 1000;

function discountValid(d: Discount): boolean {
  if (d.kind === 'percent') return Number.isInteger(d.bp) && d.bp >= 0 && d.bp <= BP_PER_UNIT;
  if (d.kind === 'amount') return Number.isSafeInteger(d.amount) && d.amount >= 0;
  return false;
}

/**
 * Computes a cart. Order of operations, each step rounded once with settings.rounding:
 * 1. gross = unitPrice × quantity;
 * 2. line discount (percent of gross, or an amount), checked against the item's cap;
 * 3. invoice discount: a percent is taken of the discounted subtotal, then the amount is spread
 *    over lines with allocate (weights = discounted line amounts) so it adds up to the unit;
 *    line + invoice discount together must stay within each item's cap;
 * 4. VAT per rate (tax.ts) on what remains.
 * All problems are reported together, with codes a UI can map to messages.
 */
export function computeCart(input: CartInput): CartResult {
  const { settings } = input;
  const errors: CartError[] = [];
  if (
    !settings ||
    typeof settings.pricesIncludeTax !== 'boolean' ||
    !isRoundingMode(settings.rounding) ||
    (settings.taxRounding !== 'line' && settings.taxRounding !== 'invoice')
  ) {
    return { ok: false, errors: [{ code: 'settings_invalid', message: 'Cart settings are incomplete or invalid' }] };
  }
  const mode = settings.rounding;

  const seen = new Set<string>();
  const rateOf = new Map<string, number>();
  const gross: number[] = [];
  const lineDiscount: number[] = [];

  for (const line of input.lines) {
    const err = (code: CartErrorCode, message: string) => errors.push({ code, lineId: line.lineId, message: `${line.name}: ${message}` });
    const before = errors.length;

    if (seen.has(line.lineId)) err('line_id_duplicate', 'the same line appears twice');
    seen.add(line.lineId);
    if (!Number.isSafeInteger(line.unitPrice)) err('amount_out_of_range', 'price is not a whole number of minor units');
    else if (line.unitPrice < 0) err('price_negative', 'price cannot be negative');
    if (!Number.isInteger(line.unitPrecision) || line.unitPrecision < 0 || line.unitPrecision > 3) {
      err('unit_precision_invalid', 'the unit allows 0 to 3 decimals');
    }
    if (!Number.isSafeInteger(line.quantityMilli) || line.quantityMilli <= 0) err('quantity_not_positive', 'quantity must be more than zero');
    else if (
      Number.isInteger(line.unitPrecision) &&
      line.unitPrecision >= 0 &&
      line.unitPrecision <= 3 &&
      line.quantityMilli % 10 ** (3 - line.unitPrecision) !== 0
    ) {
      err(
        'quantity_precision',
        line.unitPrecision === 0
          ? 'quantity must be a whole number'
          : `quantity allows at most ${line.unitPrecision} decimal${line.unitPrecision > 1 ? 's' : ''}`,
      );
    }
    if (!isValidRateBp(line.rateBp)) err('tax_rate_invalid', 'VAT rate is invalid');
    else if (rateOf.has(line.taxRateId) && rateOf.get(line.taxRateId) !== line.rateBp)
      err('tax_rate_conflict', 'VAT rate differs from another line with the same tax rate');
    else rateOf.set(line.taxRateId, line.rateBp);
    if (!Number.isInteger(line.maxDiscountBp) || line.maxDiscountBp < 0 || line.maxDiscountBp > BP_PER_UNIT)
      err('max_discount_invalid', 'the item discount limit is invalid');
    if (line.discount && !discountValid(line.discount)) err('discount_invalid', 'discount must be 0–100% or a non-negative amount');

    if (errors.length > before) {
      gross.push(0);
      lineDiscount.push(0);
      continue;
    }
    let g: number;
    try {
      g = mulDivRound(line.unitPrice, line.quantityMilli, QUANTITY_SCALE, mode);
    } catch {
      err('amount_out_of_range', 'line amount is too large');
      gross.push(0);
      lineDiscount.push(0);
      continue;
    }
    let d = 0;
    const disc = line.discount;
    if (disc?.kind === 'percent') {
      d = mulDivRound(g, disc.bp, BP_PER_UNIT, mode);
      if (disc.bp > line.maxDiscountBp) err('discount_exceeds_max', `discount ${pct(disc.bp)} is above the item limit of ${pct(line.maxDiscountBp)}`);
    } else if (disc?.kind === 'amount') {
      d = disc.amount;
      if (d > g) err('discount_exceeds_line', 'discount is larger than the line amount');
      // Compare d/g with the cap exactly: d × 10000 > g × cap (BigInt: both sides can pass 2^53).
      else if (BigInt(d) * BigInt(BP_PER_UNIT) > BigInt(g) * BigInt(line.maxDiscountBp)) {
        err('discount_exceeds_max', `discount is above the item limit of ${pct(line.maxDiscountBp)}`);
      }
    }
    gross.push(g);
    lineDiscount.push(d);
  }

  const afterLine = gross.map((g, i) => g - lineDiscount[i]!);
  const base = afterLine.reduce((s, a) => s + a, 0);
  const subtotal = gross.reduce((s, g) => s + g, 0);
  // Discounts only lower amounts, so a safe subtotal keeps every later sum safe.
  if (!Number.isSafeInteger(subtotal)) errors.push({ code: 'amount_out_of_range', message: 'Cart total is too large' });

  let shares = afterLine.map(() => 0);
  const inv = input.invoiceDiscount;
  if (inv && errors.length === 0) {
    if (!discountValid(inv)) {
      errors.push({ code: 'invoice_discount_invalid', message: 'Invoice discount must be 0–100% or a non-negative amount' });
    } else {
      const amount = inv.kind === 'percent' ? mulDivRound(base, inv.bp, BP_PER_UNIT, mode) : inv.amount;
      if (amount > base) errors.push({ code: 'invoice_discount_exceeds_total', message: 'Invoice discount is larger than the cart total' });
      else if (amount > 0) {
        shares = allocate(amount, afterLine);
        input.lines.forEach((line, i) => {
          // Only lines that receive a share: a percent line discount exactly at the cap may round
          // a unit above it, and that alone is accepted (the cap is checked on the percentage).
          if (shares[i] === 0) return;
          const total = lineDiscount[i]! + shares[i]!;
          if (BigInt(total) * BigInt(BP_PER_UNIT) > BigInt(gross[i]!) * BigInt(line.maxDiscountBp)) {
            errors.push({
              code: 'invoice_discount_exceeds_max',
              lineId: line.lineId,
              message: `${line.name}: the invoice discount takes this item above its discount limit of ${pct(line.maxDiscountBp)}`,
            });
          }
        });
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const amounts = afterLine.map((a, i) => a - shares[i]!);
  let taxed: ReturnType<typeof computeTax>;
  try {
    taxed = computeTax(
      input.lines.map((l, i) => ({ taxRateId: l.taxRateId, rateBp: l.rateBp, amount: amounts[i]! })),
      settings,
    );
  } catch {
    // Inputs were validated above; only VAT added on top of a huge net can still overflow.
    return { ok: false, errors: [{ code: 'amount_out_of_range', message: 'Cart total is too large' }] };
  }
  const lines: CartLineResult[] = input.lines.map((l, i) => ({
    lineId: l.lineId,
    gross: gross[i]!,
    lineDiscount: lineDiscount[i]!,
    invoiceDiscountShare: shares[i]!,
    net: taxed.lines[i]!.net,
    tax: taxed.lines[i]!.tax,
    total: taxed.lines[i]!.total,
  }));
  const discountTotal = lines.reduce((s, l) => s + l.lineDiscount + l.invoiceDiscountShare, 0);
  return {
    ok: true,
    cart: { lines, totals: { subtotal, discountTotal, net: taxed.net, tax: taxed.tax, total: taxed.total }, taxSummary: taxed.summary },
  };
}
