// X and Z report arithmetic: pure, integer minor units only, no database.
//
// Cash: a cash payment row may record the amount handed over in `given` (the covered amount in
// `amount`) or only `amount`. Cash received is `given ?? amount`; the change handed back is the
// sale's `change_due`. Cash expected in the drawer = opening float + cash received − change
// + cash in − cash out. The "cash" tender total is the cash kept (received − change).

import type { CashMovementKind } from '../db/statuses';

export type TenderKind = 'cash' | 'card' | 'credit';

export interface ShiftSaleInput {
  status: string; // completed | voided
  total: number;
  netTotal: number;
  taxTotal: number;
  discountTotal: number;
  changeDue: number;
  taxSummary: unknown;
  payments: { kind: string; amount: number; given: number | null }[];
}

export interface ShiftInputs {
  openingFloat: number;
  sales: ShiftSaleInput[];
  movements: { kind: CashMovementKind; amount: number }[];
}

export interface TaxRateFigure {
  taxRateId: string | null;
  rateBp: number;
  net: number;
  tax: number;
  gross: number;
}

export interface ShiftFigures {
  salesCount: number;
  voidedCount: number;
  grossTotal: number;
  netTotal: number;
  taxTotal: number;
  discountTotal: number;
  /** Per tender kind; cash is what stays in the drawer (received − change). */
  tenders: Record<string, number>;
  cashReceived: number;
  changeGiven: number;
  openingFloat: number;
  cashIn: number;
  cashOut: number;
  cashExpected: number;
  taxRates: TaxRateFigure[];
}

export interface ZFigures extends ShiftFigures {
  countedCash: number;
  /** counted − expected: positive is a surplus, negative a shortage. */
  variance: number;
}

function add(a: number, b: number): number {
  const s = a + b;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(s)) {
    throw new RangeError(`amounts must be safe integers of minor units (${a} + ${b})`);
  }
  return s;
}

function taxRows(value: unknown): TaxRateFigure[] {
  if (!Array.isArray(value)) return [];
  return value.map((r) => {
    const o = (r ?? {}) as Record<string, unknown>;
    const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : 0);
    return { taxRateId: typeof o.taxRateId === 'string' ? o.taxRateId : null, rateBp: int(o.rateBp), net: int(o.net), tax: int(o.tax), gross: int(o.gross) };
  });
}

/** Current figures of a shift (the X report); nothing is reset or stored. */
export function shiftFigures(input: ShiftInputs): ShiftFigures {
  let salesCount = 0;
  let voidedCount = 0;
  let grossTotal = 0;
  let netTotal = 0;
  let taxTotal = 0;
  let discountTotal = 0;
  let cashReceived = 0;
  let changeGiven = 0;
  const tenders: Record<string, number> = { cash: 0, card: 0, credit: 0 };
  const rates = new Map<string, TaxRateFigure>();

  for (const sale of input.sales) {
    if (sale.status !== 'completed') {
      voidedCount++;
      continue;
    }
    salesCount++;
    grossTotal = add(grossTotal, sale.total);
    netTotal = add(netTotal, sale.netTotal);
    taxTotal = add(taxTotal, sale.taxTotal);
    discountTotal = add(discountTotal, sale.discountTotal);
    changeGiven = add(changeGiven, sale.changeDue);
    for (const p of sale.payments) {
      if (p.kind === 'cash') cashReceived = add(cashReceived, p.given ?? p.amount);
      else tenders[p.kind] = add(tenders[p.kind] ?? 0, p.amount);
    }
    for (const row of taxRows(sale.taxSummary)) {
      // Per VAT rate as printed: a cross-company line carries the other company's rate id for the same rate.
      const key = String(row.rateBp);
      const acc = rates.get(key) ?? { taxRateId: row.taxRateId, rateBp: row.rateBp, net: 0, tax: 0, gross: 0 };
      acc.net = add(acc.net, row.net);
      acc.tax = add(acc.tax, row.tax);
      acc.gross = add(acc.gross, row.gross);
      rates.set(key, acc);
    }
  }
  tenders.cash = cashReceived - changeGiven;

  let cashIn = 0;
  let cashOut = 0;
  for (const m of input.movements) {
    if (m.kind === 'in') cashIn = add(cashIn, m.amount);
    else if (m.kind === 'out') cashOut = add(cashOut, m.amount);
  }
  const cashExpected = add(add(add(input.openingFloat, cashReceived), -changeGiven), cashIn - cashOut);

  return {
    salesCount,
    voidedCount,
    grossTotal,
    netTotal,
    taxTotal,
    discountTotal,
    tenders,
    cashReceived,
    changeGiven,
    openingFloat: input.openingFloat,
    cashIn,
    cashOut,
    cashExpected,
    taxRates: [...rates.values()].sort((a, b) => b.rateBp - a.rateBp),
  };
}

/** The Z figures: the X figures plus the counted cash and the variance against expected. */
export function zFigures(input: ShiftInputs, countedCash: number): ZFigures {
  if (!Number.isSafeInteger(countedCash) || countedCash < 0) throw new RangeError('counted cash must be a non-negative integer of minor units');
  const x = shiftFigures(input);
  return { ...x, countedCash, variance: countedCash - x.cashExpected };
}

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Formats minor units with the currency exponent, without floats. */
export function minorToText(minor: number, exponent: number): string {
  const neg = minor < 0;
  const digits = Math.abs(minor).toString().padStart(exponent + 1, '0');
  const int = digits.slice(0, digits.length - exponent);
  const frac = digits.slice(digits.length - exponent);
  return `${neg ? '-' : ''}${int}${exponent > 0 ? `.${frac}` : ''}`;
}

export function bpToPercent(bp: number): string {
  return minorToText(bp, 2).replace(/\.00$/, '').replace(/(\.\d)0$/, '$1');
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
    const label = `${bpToPercent(r.rateBp)}%`;
    rows.push(['vat', `${label} net`, m(r.net)], ['vat', `${label} tax`, m(r.tax)], ['vat', `${label} gross`, m(r.gross)]);
  }
  rows.push(['cash', 'opening float', m(f.openingFloat)], ['cash', 'received', m(f.cashReceived)], ['cash', 'change given', m(f.changeGiven)]);
  rows.push(['cash', 'cash in', m(f.cashIn)], ['cash', 'cash out', m(f.cashOut)], ['cash', 'expected', m(f.cashExpected)]);
  if ('countedCash' in f) rows.push(['cash', 'counted', m(f.countedCash)], ['cash', 'variance', m(f.variance)]);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
